"""`helpgen report` and `helpgen check --insights`: what the collector stored, turned into what
a support lead acts on."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import insert

from conftest import BASIC_CONFIG, article, parse_html, problems, write_site

COLLECT = "collect:\n  url: https://support-api.acme.example/\n"


@pytest.fixture
def site(tmp_path):
    return write_site(tmp_path / "site", {
        "helpgen.yml": BASIC_CONFIG + COLLECT,
        "articles/billing/_category.yml": "title: {en: Billing, zh-CN: 账单}\n",
        "articles/billing/invoices/_section.yml": "title: {en: Invoices, zh-CN: 发票}\n",
        "articles/billing/invoices/download-an-invoice.md": article(
            "Download an invoice", "Open **Invoices** and choose Download PDF."),
        "articles/billing/invoices/download-an-invoice.zh-CN.md": article(
            "下载发票", "打开“发票”页面，选择下载 PDF。"),
        "articles/billing/invoices/refund-policy.md": article(
            "Refund policy", "Refunds reach your card within 5 days."),
        "articles/billing/invoices/refund-policy.zh-CN.md": article("退款政策", "五天内退款。"),
    })


def seed(site, rows: dict[str, list[dict]], days_ago: int = 1) -> str:
    """A collector database for `site` holding `rows` per table, received `days_ago` (a table
    without `received_at`, as it is)."""
    from helpgen.collect import store
    url = store.database_url(site, None)
    engine = store.open_database(url)
    received = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=days_ago)
    with engine.begin() as connection:
        for table, values in rows.items():
            for value in values:
                columns = store.metadata.tables[table].c
                connection.execute(insert(store.metadata.tables[table]).values(
                    **({"received_at": received} if "received_at" in columns else {}), **value))
    engine.dispose()
    return url


def searches(*entries) -> list[dict]:
    return [{"kind": kind, "query": query, "locale": locale, "results": results}
            for kind, query, locale, results, count in entries for _ in range(count)]


def submission(**values) -> dict:
    return {"fields": {}, "context": {}, "spam": False, "message": "Help", **values}


def votes(article_source: str, locale: str, yes: int, no: int, comments=()) -> list[dict]:
    rows = [{"article": article_source, "url": "https://help.acme.example/x/", "locale": locale,
             "vote": "yes"} for _ in range(yes)]
    rows += [{"article": article_source, "url": "https://help.acme.example/x/",
              "locale": locale, "vote": "no", "comment": comment}
             for comment in [*comments, *[None] * (no - len(comments))]]
    return rows


INVOICE = "articles/billing/invoices/download-an-invoice.md"
REFUNDS = "articles/billing/invoices/refund-policy.md"


@pytest.fixture
def stored(site):
    seed(site, {
        "events": searches(("zero_results", "發票 下載", "zh-CN", 0, 2),
                           ("zero_results", "发票下载", "zh-CN", 0, 1),
                           ("zero_results", "warranty", "en", 0, 1),
                           ("search", "refund", "en", 4, 2), ("search", "ＲＥＦＵＮＤ", "en", 4, 1),
                           ("search", "invoice", "en", 2, 1))
        + [{"kind": "contact_view", "locale": "en"}] * 8
        + [{"kind": "deflection", "locale": "en", "article": "billing/invoices/x/"}] * 3,
        "contact": [submission(category="billing", locale="en"),
                    submission(category="billing", locale="zh-CN"),
                    submission(category="<script>alert(1)</script>", locale="en"),
                    submission(spam=True)],
        "feedback": votes(REFUNDS, "en", 1, 4, ["Which card?", "<img src=x onerror=alert(1)>"])
        + votes(INVOICE, "en", 3, 0),
    })
    now = dt.datetime.now(dt.timezone.utc)
    seed(site, {"forwards": [
        {"contact_id": 1, "target": "email", "status": "forwarded", "attempts": 1,
         "updated_at": now},
        {"contact_id": 2, "target": "zendesk", "status": "failed", "attempts": 12,
         "last_error": "https://acme.zendesk.com answered 401", "updated_at": now}]})
    seed(site, {"events": searches(("zero_results", "ancient", "en", 0, 5))}, days_ago=60)
    return site


def test_the_report_answers_what_readers_needed_and_did_not_find(cli, stored, tmp_path):
    result = cli("report", stored, "-o", tmp_path / "report", "--since", "30")
    assert result.exit_code == 0, result.stderr
    data = json.loads((tmp_path / "report" / "report.json").read_text())
    assert data["contact"]["submitted"] == 3 and data["contact"]["spam"] == 1
    assert data["contact"]["by_category"]["billing"] == 2
    assert (data["contact"]["forwarded"], data["contact"]["failed"]) == (1, 1)
    assert data["contact"]["failures"] == [{"submission": 2, "target": "zendesk", "attempts": 12,
                                            "error": "https://acme.zendesk.com answered 401"}]
    assert data["searches"]["total"] == 8 and data["searches"]["zero_total"] == 4
    # Width, case and Traditional/Simplified variants count as one search.
    assert data["searches"]["top"][0] == {"query": "refund", "locale": "en", "count": 3,
                                          "variants": ["refund", "ＲＥＦＵＮＤ"]}
    gap = data["searches"]["zero_results"][0]
    assert (gap["count"], gap["locale"], sorted(gap["variants"])) == (
        3, "zh-CN", ["发票下载", "發票 下載"])
    # Its nearest article is found with the site's own search terms, in its locale.
    assert gap["nearest"][0] == "https://help.acme.example/zh-CN/billing/invoices/download-an-invoice/"
    assert gap["nearest_titles"][0] == "下载发票"
    assert "ancient" not in json.dumps(data)          # older than --since
    worst = data["feedback"][0]
    assert (worst["title"], worst["yes"], worst["no"], worst["unhelpful_share"]) == (
        "Refund policy", 1, 4, 0.8)
    assert worst["url"] == "https://help.acme.example/billing/invoices/refund-policy/"
    assert "Which card?" in worst["comments"]
    assert data["deflection"] == {"contact_views": 8, "suggestions_opened": 3, "submitted": 3,
                                  "rate": 0.625}
    assert sum(week["searches"] for week in data["weeks"]) == 8
    assert sum(week["submitted"] for week in data["weeks"]) == 3
    assert data["locales"]["zh-CN"] == {"searches": 3, "zero_results": 3, "submitted": 1,
                                        "yes": 0, "no": 0}
    assert data["locales"]["en"]["no"] == 4


def test_the_report_page_escapes_what_readers_sent_and_needs_nothing_from_outside(
        cli, stored, tmp_path):
    assert cli("report", stored, "-o", tmp_path / "r", "--language", "zh-CN").exit_code == 0
    text = (tmp_path / "r" / "index.html").read_text()
    page = parse_html(text)
    assert page.html["lang"] == "zh-CN" and page.h1.get_text().startswith("帮助中心报告")
    assert "<script>alert(1)" not in text and "<img src=x" not in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in text or "&lt;img src=x" in text
    assert page.find("script") is None
    assert not [tag for tag in page.find_all(src=True)]
    assert len(page.find_all("svg")) == 2           # the weekly trend and the categories
    assert "下载发票" in text


def test_a_report_is_the_same_for_the_same_data(cli, stored, tmp_path):
    for name in ("a", "b"):
        assert cli("report", stored, "-o", tmp_path / name, "--since", "30").exit_code == 0
    first = (tmp_path / "a" / "index.html").read_text()
    second = (tmp_path / "b" / "index.html").read_text()
    strip = lambda text: text.split("</h1>", 1)[1].split("</p>", 1)[1]   # noqa: E731 (period)
    assert strip(first) == strip(second)


def test_without_a_database_the_report_says_how_to_get_one(cli, site, tmp_path):
    result = cli("report", site, "-o", tmp_path / "r")
    assert result.exit_code == 1
    assert "helpgen collect has stored nothing" in result.stderr
    assert not (tmp_path / "r").exists()


def test_check_insights_warns_about_articles_most_readers_found_unhelpful(cli, stored):
    result = cli("check", stored, "--insights", "--format", "json")
    found = json.loads(result.stdout)["problems"]
    unhelpful = [p for p in found if p["code"] == "unhelpful"]
    assert len(unhelpful) == 1
    assert unhelpful[0]["path"].endswith("articles/billing/invoices/refund-policy.md")
    assert "4 of 5 readers" in unhelpful[0]["message"]
    plain = cli("check", stored)
    assert "unhelpful" not in plain.stdout


def test_check_insights_needs_enough_votes(cli, site):
    seed(site, {"feedback": votes(REFUNDS, "en", 0, 4)})
    result = cli("check", site, "--insights")
    assert not [p for p in problems(result.stdout) if "unhelpful" in p.message]
