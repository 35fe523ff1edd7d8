"""The contact form, article feedback and the embeddable widget, in headless Chromium against a
local receiver that answers CORS preflights, the way a form backend or webhook would."""

from __future__ import annotations

import json
from urllib.parse import parse_qs

import pytest
from playwright.sync_api import expect

from conftest import CONTACT_CONFIG, GOOD, article, fill_contact, serve_folder, write_site






def build_help_center(tmp_path, cli, receiver, form_format="json"):
    site = write_site(tmp_path / "help", {
        "helpgen.yml": CONTACT_CONFIG.format(receiver=receiver.url, format=form_format),
        "articles/billing/_category.yml": "title: {en: Billing, zh-CN: 账单}\n",
        "articles/billing/refunds/request-a-refund.md": article(
            "Request a refund", "## Steps\n\nOpen the invoice and choose Refund."),
        "articles/billing/refunds/request-a-refund.zh-CN.md": article(
            "申请退款", "## 步骤\n\n打开发票，选择申请退款流程。"),
        "articles/account/security/reset-password.md": article(
            "Reset your password", "Use the reset link."),
    })
    result = cli("build", site, "-q")
    assert result.exit_code == 0, result.output
    return site / "site"


@pytest.fixture
def help_center(tmp_path, cli, receiver):
    server, url = serve_folder(build_help_center(tmp_path, cli, receiver))
    yield url
    server.shutdown()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()





pytestmark = pytest.mark.browser


def test_json_submission_carries_fields_and_context(page, help_center, receiver):
    """The endpoint receives every field by its key, plus where the customer came from and
    what they searched for; the CORS preflight is answered; the draft is cleared."""
    page.goto(help_center + "billing/refunds/request-a-refund/")
    page.locator("#header-search").fill("refund")
    page.locator(".search-suggestions [role=option]").first.wait_for()
    page.wait_for_timeout(1500)                     # searches are noted after a pause
    page.goto(help_center + "contact/")
    fill_contact(page, **GOOD)
    page.get_by_role("button", name="Send message").click()
    page.locator(".form-status-success").wait_for()
    [post] = receiver.posts("/tickets")
    assert any(r["method"] == "OPTIONS" and r["path"] == "/tickets" for r in receiver.requests)
    assert post["type"].startswith("application/json")
    data = json.loads(post["body"])
    assert {k: data[k] for k in GOOD} == GOOD
    assert data["context"]["locale"] == "en"
    assert data["context"]["article_title"] == "Request a refund"
    assert "refund" in data["context"]["searches"]
    assert data["context"]["page_url"].endswith("/contact/")
    page.reload()
    assert page.locator("[name=message]").input_value() == ""


def test_form_encoded_submission(page, tmp_path, cli, receiver):
    server, url = serve_folder(build_help_center(tmp_path, cli, receiver, "form"))
    page.goto(url + "zh-CN/contact/")
    fill_contact(page, **{**GOOD, "category": "billing"})
    page.get_by_role("button", name="发送").click()
    page.locator(".form-status-success").wait_for()
    [post] = receiver.posts("/tickets")
    assert post["type"].startswith("application/x-www-form-urlencoded")
    data = {k: v[0] for k, v in parse_qs(post["body"]).items()}
    assert data["message"] == GOOD["message"] and data["order_id"] == "A-17"
    assert data["context_locale"] == "zh-CN"
    server.shutdown()


def test_validation_explains_each_problem_and_sends_nothing(page, help_center, receiver):
    page.goto(help_center + "contact/")
    page.locator("[name=email]").fill("not-an-email")
    page.get_by_role("button", name="Send message").click()
    assert page.evaluate("document.activeElement.name") == "name"
    assert page.locator("[name=name]").get_attribute("aria-invalid") == "true"
    assert page.locator("#error-name").inner_text() == "Please fill in “Your name”."
    assert "name@example.com" in page.locator("#error-email").inner_text()
    assert page.locator("[name=consent]").get_attribute("aria-invalid") == "true"
    described = page.locator("[name=email]").get_attribute("aria-describedby")
    assert described == "error-email"
    assert receiver.posts("/tickets") == []


def test_an_empty_message_is_not_sent_and_the_reader_is_shown_where(page, help_center, receiver):
    """The form is `novalidate`, so the script checks it: with every field filled but the
    required message, nothing is sent, and the message box says so (focus, aria-invalid, and
    its error as the field's accessible description). Once filled, one click on Send sends it:
    the error goes as the reader types, not when the box loses focus at the press of the
    click, which moved the button away before the release."""
    page.goto(help_center + "contact/")
    fill_contact(page, **{**GOOD, "message": "  "})
    page.get_by_role("button", name="Send message").click()
    message = page.get_by_role("textbox", name="How can we help?")
    expect(message).to_be_focused()
    expect(message).to_have_attribute("aria-invalid", "true")
    expect(message).to_have_accessible_description("Please fill in “How can we help?”.")
    assert receiver.posts("/tickets") == []
    message.fill(GOOD["message"])
    page.get_by_role("button", name="Send message").click()
    page.locator(".form-status-success").wait_for()
    [post] = receiver.posts("/tickets")
    assert json.loads(post["body"])["message"] == GOOD["message"]


def test_failure_keeps_the_draft_across_reload_and_retry_sends(page, help_center, receiver):
    receiver.failing = True
    page.goto(help_center + "contact/")
    fill_contact(page, **GOOD)
    page.get_by_role("button", name="Send message").click()
    error = page.locator(".form-status-error")
    error.wait_for()
    assert "couldn't send" in error.inner_text()
    page.reload()
    assert page.locator("[name=message]").input_value() == GOOD["message"]
    assert page.locator("[name=consent]").is_checked()
    assert "restored" in page.locator("#contact-status").inner_text()
    page.get_by_role("button", name="Send message").click()
    page.locator(".form-status-error").wait_for()
    receiver.failing = False
    page.get_by_role("button", name="Try again").click()
    page.locator(".form-status-success").wait_for()
    assert len(receiver.posts("/tickets")) == 3
    assert json.loads(receiver.posts("/tickets")[-1]["body"])["message"] == GOOD["message"]


def test_honeypot_submissions_are_dropped(page, help_center, receiver):
    page.goto(help_center + "contact/")
    fill_contact(page, **GOOD)
    page.evaluate("document.querySelector('[name=company_website]').value = 'spam.example'")
    page.get_by_role("button", name="Send message").click()
    page.locator(".form-status-success").wait_for()
    assert receiver.posts("/tickets") == []


def test_typing_suggests_articles_and_reports_the_deflection(page, help_center, receiver):
    page.goto(help_center + "contact/")
    page.locator("[name=subject]").type("How do I get a refund")
    suggestion = page.locator("#contact-suggestions a", has_text="Request a refund")
    suggestion.wait_for()
    with page.expect_navigation():
        suggestion.click()
    assert page.locator("h1").inner_text() == "Request a refund"
    assert any("request-a-refund" in e["detail"]["article"]
               for e in receiver.events("deflection"))


def test_zero_results_lead_to_the_contact_page_with_the_query(page, help_center, receiver):
    page.goto(help_center + "search/?q=warranty+claim")
    link = page.locator(".search-contact").get_by_role("link", name="Contact support")
    expect(link).to_be_visible()
    link.click()
    page.wait_for_load_state()
    assert page.locator("[name=subject]").input_value() == "warranty claim"
    assert any(e["detail"]["query"] == "warranty claim" for e in receiver.events("zero_results"))


def test_feedback_vote_comment_and_contact_offer(page, help_center, receiver):
    page.goto(help_center + "zh-CN/billing/refunds/request-a-refund/")
    feedback = page.locator("#feedback")
    assert feedback.is_visible()
    feedback.get_by_role("button", name="没有帮助").click()
    assert feedback.get_by_role("link", name="联系客服").is_visible()
    feedback.locator("textarea").fill("缺少到账时间")
    feedback.get_by_role("button", name="提交反馈").click()
    expect(feedback.locator(".feedback-comment")).to_be_hidden()      # the comment was sent
    assert "感谢" in feedback.locator(".feedback-status").inner_text()
    votes = [json.loads(r["body"]) for r in receiver.posts("/feedback")]
    vote = next(v for v in votes if "comment" not in v)
    assert vote["vote"] == "no" and vote["locale"] == "zh-CN"
    assert vote["article"] == "articles/billing/refunds/request-a-refund.zh-CN.md"
    assert [v["comment"] for v in votes if "comment" in v] == ["缺少到账时间"]


def test_feedback_is_absent_without_an_endpoint(example_build, site, cli, tmp_path):
    """The example site sets feedback.endpoint and shows the buttons; a site without it shows
    no buttons at all."""
    with_endpoint = (example_build / "account/security/reset-password/index.html").read_text()
    assert 'id="feedback"' in with_endpoint
    assert cli("build", site, "-o", tmp_path / "out", "--quiet").exit_code == 0
    without = (tmp_path / "out/billing/refunds/request-a-refund/index.html").read_text()
    assert 'id="feedback"' not in without and "feedback" not in without


HOST_PAGE = """<!doctype html><html lang="en"><head><title>Product</title>
<style>* {{ color: red !important; font-size: 40px !important; }} button {{ display: none !important; }}</style>
</head><body><h1>Acme dashboard</h1>
<script src="{help}widget.js" data-locale="zh-CN" async></script></body></html>"""


def test_widget_search_works_on_a_page_with_an_amd_loader(page, help_center, tmp_path):
    """lunr.js must not register itself with the product page's module loader."""
    product = tmp_path / "amd"
    product.mkdir()
    loader = ("<script>window.defined = []; window.define = function () "
              "{ defined.push(arguments.length); }; define.amd = {};</script>")
    (product / "index.html").write_text(HOST_PAGE.format(help=help_center).replace(
        "</head>", loader + "</head>"), encoding="utf-8")
    server, product_url = serve_folder(product)
    page.goto(product_url)
    page.get_by_role("button", name="帮助").click()
    page.get_by_label("搜索答案").fill("退款")
    page.get_by_role("link", name="申请退款").wait_for()
    assert page.evaluate("window.defined") == []
    server.shutdown()


WIDGET_CONTACT = {"你的姓名": "Mei", "电子邮箱": "mei@example.com", "主题": "退款",
                  "需要什么帮助？": "重复扣款"}


def fill_widget_contact(page):
    """Fill the zh-CN widget's contact form as a reader would, by the fields' labels."""
    for label, value in WIDGET_CONTACT.items():
        page.get_by_role("textbox", name=label).fill(value)
    page.get_by_label("允许查看账户").check()


def widget_product_page(tmp_path, help_center):
    """A product page on another origin with the zh-CN widget; (server, its URL)."""
    product = tmp_path / "product"
    product.mkdir()
    (product / "index.html").write_text(HOST_PAGE.format(help=help_center), encoding="utf-8")
    return serve_folder(product)


def test_widget_on_a_product_page_from_another_origin(page, help_center, receiver, tmp_path):
    """One script tag adds a Help button (named in the locale) whose panel searches the help
    center and sends the contact form; the host page's CSS does not reach inside."""
    server, product_url = widget_product_page(tmp_path, help_center)
    page.goto(product_url)
    launcher = page.get_by_role("button", name="帮助")
    launcher.wait_for()
    assert launcher.evaluate("el => getComputedStyle(el).fontSize") == "15px"
    assert launcher.is_visible()
    launcher.click()
    page.get_by_label("搜索答案").fill("退款")
    result = page.get_by_role("link", name="申请退款")
    result.wait_for()
    assert result.get_attribute("href") == help_center + "zh-CN/billing/refunds/request-a-refund/"
    page.get_by_role("button", name="联系我们").click()
    fill_widget_contact(page)
    page.get_by_role("button", name="发送").click()
    page.get_by_text("谢谢").wait_for()
    [post] = receiver.posts("/tickets")
    data = json.loads(post["body"])
    assert data["message"] == "重复扣款" and data["context"]["locale"] == "zh-CN"
    assert data["context"]["page_url"] == product_url
    page.keyboard.press("Escape")
    assert launcher.get_attribute("aria-expanded") == "false"
    server.shutdown()


def test_widget_keeps_what_the_reader_typed_when_sending_fails(page, help_center, receiver,
                                                               tmp_path):
    """A failed send says so and keeps the draft: after a reload of the product page the
    widget's form holds it again, and sending it then delivers it."""
    receiver.failing = True
    server, product_url = widget_product_page(tmp_path, help_center)

    def open_contact_form():
        page.goto(product_url)
        page.get_by_role("button", name="帮助").click()
        page.get_by_role("button", name="联系我们").click()

    open_contact_form()
    fill_widget_contact(page)
    page.get_by_role("button", name="发送").click()
    expect(page.get_by_role("status")).to_contain_text("留言未能发送")
    open_contact_form()
    for label, value in WIDGET_CONTACT.items():
        expect(page.get_by_role("textbox", name=label)).to_have_value(value)
    expect(page.get_by_label("允许查看账户")).to_be_checked()
    receiver.failing = False
    page.get_by_role("button", name="发送").click()
    page.get_by_text("谢谢").wait_for()
    sent = [json.loads(post["body"])["message"] for post in receiver.posts("/tickets")]
    assert sent == ["重复扣款", "重复扣款"]
    server.shutdown()


def test_widget_marks_an_empty_message_and_unmarks_it_as_the_reader_types(
        page, help_center, receiver, tmp_path):
    """As on the contact page: nothing is sent with the required message empty, the box is
    marked, and the mark goes while the reader types (before the box loses focus)."""
    server, product_url = widget_product_page(tmp_path, help_center)
    page.goto(product_url)
    page.get_by_role("button", name="帮助").click()
    page.get_by_role("button", name="联系我们").click()
    fill_widget_contact(page)
    message = page.get_by_role("textbox", name="需要什么帮助？")
    message.fill("")
    page.get_by_role("button", name="发送").click()
    expect(message).to_be_focused()
    expect(message).to_have_attribute("aria-invalid", "true")
    assert receiver.posts("/tickets") == []
    message.press_sequentially("重复")
    expect(message).not_to_have_attribute("aria-invalid", "true")
    expect(message).to_be_focused()
    page.get_by_role("button", name="发送").click()
    page.get_by_text("谢谢").wait_for()
    assert [json.loads(p["body"])["message"] for p in receiver.posts("/tickets")] == ["重复"]
    server.shutdown()


def test_zendesk_provider_sends_a_requests_api_payload(page, tmp_path, cli):
    site = write_site(tmp_path / "zd", {
        "helpgen.yml": "site: {title: Z}\ncontact: {provider: zendesk, subdomain: acme}\n",
        "articles/a/b/c.md": article("C"),
    })
    assert cli("build", site, "-q").exit_code == 0
    captured = []
    page.route("https://acme.zendesk.com/api/v2/requests.json", lambda route: (
        captured.append(route.request.post_data),
        route.fulfill(status=201, body="{}", headers={"Access-Control-Allow-Origin": "*"})))
    page.goto((site / "site/contact/index.html").as_uri())
    fill_contact(page, name="Mei", email="mei@example.com", subject="Hi", message="Help me")
    page.get_by_role("button", name="Send message").click()
    page.locator(".form-status-success").wait_for()
    request = json.loads(captured[0])["request"]
    assert request["requester"] == {"name": "Mei", "email": "mei@example.com"}
    assert request["subject"] == "Hi" and request["comment"]["body"].startswith("Help me")
