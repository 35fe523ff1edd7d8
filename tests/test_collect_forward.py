"""Forwarding contact submissions from `helpgen collect` into email (a real SMTP server,
aiosmtpd), a webhook, Zendesk and Freshdesk (local servers that check the request's shape)."""

from __future__ import annotations

import base64
import email
import email.policy
import hashlib
import hmac

import pytest
from aiosmtpd.controller import Controller

from collector import Collector, Recorder, free_port, rows, wait_for
from conftest import BASIC_CONFIG, article, problems, write_site

CONTACT = {"name": "Mei Chen", "email": "mei@example.com", "subject": "发票 invoice 17",
           "category": "Billing", "message": "Charged twice for <b>May</b>.",
           "order_id": "A-17",
           "context": {"page_url": "https://help.acme.example/contact/", "locale": "zh-CN",
                       "article_url": "https://help.acme.example/billing/refund-policy/",
                       "article_title": "Refund policy", "searches": ["double charge"]}}
FIELDS = """\
contact:
  fields: [name, email, subject, category, {name: order_id, type: text, label: Order}, message]
"""


def forwarding_site(root, targets: str):
    return write_site(root, {
        "helpgen.yml": BASIC_CONFIG + FIELDS
        + "collect:\n  url: https://support-api.acme.example/\n  forward:\n" + targets,
        "articles/billing/_category.yml": "title: Billing\n",
        "articles/billing/refund-policy.md": article("Refund policy"),
    })


def run(tmp_path, targets: str, env: dict | None = None) -> tuple[Collector, str]:
    database = f"sqlite:///{tmp_path / 'collect.db'}"
    collector = Collector(forwarding_site(tmp_path / "site", targets), database,
                          tmp_path / "log", env={"HELPGEN_COLLECT_RETRY_SECONDS": "0.2",
                                                 **(env or {})}).start()
    return collector, database


def forwarded(database: str, count: int = 1) -> list[dict]:
    """The forwards, once `count` of them are no longer pending."""
    return wait_for(lambda: (lambda found: found if len(
        [f for f in found if f["status"] != "pending"]) >= count else None)(
        rows(database, "forwards")))


class Mailbox:
    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"

    def __init__(self):
        self.messages = []


@pytest.fixture
def smtp_server():
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, mailbox
    controller.stop()


def test_a_submission_is_emailed_to_support_with_the_readers_address_to_reply_to(
        tmp_path, smtp_server):
    controller, mailbox = smtp_server
    collector, database = run(tmp_path, f"""\
    - {{type: email, to: support@acme.example, from: help@acme.example,
       smtp: "127.0.0.1:{controller.port}", security: none}}
""")
    try:
        answer = collector.post("contact", CONTACT)
        assert answer.status_code == 201
        [status] = forwarded(database)
    finally:
        collector.stop()
    assert (status["target"], status["status"], status["attempts"]) == ("email", "forwarded", 1)
    [envelope] = mailbox.messages
    assert envelope.rcpt_tos == ["support@acme.example"]
    message = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert message["Subject"] == "发票 invoice 17"
    assert message["Reply-To"] == "Mei Chen <mei@example.com>"
    text = message.get_content()
    assert text.startswith("Charged twice for <b>May</b>.")
    for line in ("Order id: A-17", "Searches: double charge", "Language: zh-CN",
                 "Last article read: Refund policy https://help.acme.example/billing/refund-policy/"):
        assert line in text


def test_a_webhook_gets_the_submission_as_signed_json(tmp_path):
    hook = Recorder()
    collector, database = run(tmp_path, f"""\
    - {{type: webhook, url: "{hook.url}/hooks/help", secret_env: HOOK_SECRET}}
""", env={"HOOK_SECRET": "s3cr3t"})
    try:
        identifier = collector.post("contact", CONTACT).json()["id"]
        forwarded(database)
    finally:
        collector.stop()
        hook.close()
    [request] = hook.requests
    assert request["path"] == "/hooks/help"
    body = request["json"]
    assert body["id"] == identifier and body["fields"]["order_id"] == "A-17"
    assert body["context"]["searches"] == ["double charge"] and body["locale"] == "zh-CN"
    expected = hmac.new(b"s3cr3t", request["raw"], hashlib.sha256).hexdigest()
    assert request["headers"]["X-Helpgen-Signature-256"] == f"sha256={expected}"


def _basic(request) -> str:
    return base64.b64decode(request["headers"]["Authorization"].split()[1]).decode()


@pytest.mark.parametrize("api, path, key", [("tickets", "/api/v2/tickets.json", "ticket"),
                                            ("requests", "/api/v2/requests.json", "request")])
def test_zendesk_gets_a_ticket_or_request_with_an_agents_api_token(tmp_path, api, path, key):
    zendesk = Recorder()
    collector, database = run(tmp_path, f"""\
    - {{type: zendesk, url: "{zendesk.url}", api: {api}, email: agent@acme.example,
       token_env: ZENDESK_TOKEN}}
""", env={"ZENDESK_TOKEN": "zd-token"})
    try:
        collector.post("contact", CONTACT)
        forwarded(database)
    finally:
        collector.stop()
        zendesk.close()
    [request] = zendesk.requests
    assert request["path"] == path
    assert _basic(request) == "agent@acme.example/token:zd-token"
    ticket = request["json"][key]
    assert ticket["requester"] == {"name": "Mei Chen", "email": "mei@example.com"}
    assert ticket["subject"] == "发票 invoice 17"
    assert "Order id: A-17" in ticket["comment"]["body"]


def test_freshdesk_gets_a_ticket_with_its_api_key(tmp_path):
    freshdesk = Recorder()
    collector, database = run(tmp_path, f"""\
    - {{type: freshdesk, url: "{freshdesk.url}", api_key_env: FRESHDESK_KEY}}
""", env={"FRESHDESK_KEY": "fd-key"})
    try:
        collector.post("contact", CONTACT)
        forwarded(database)
    finally:
        collector.stop()
        freshdesk.close()
    [request] = freshdesk.requests
    assert request["path"] == "/api/v2/tickets" and _basic(request) == "fd-key:X"
    ticket = request["json"]
    assert (ticket["email"], ticket["subject"], ticket["status"]) == (
        "mei@example.com", "发票 invoice 17", 2)
    assert "Charged twice for &lt;b&gt;May&lt;/b&gt;." in ticket["description"]
    assert ticket["tags"] == ["helpgen", "billing"]


def test_a_failing_target_is_retried_and_its_failures_recorded(tmp_path):
    flaky = Recorder(statuses=(500, 503, 201))
    collector, database = run(tmp_path, f"""\
    - {{type: webhook, url: "{flaky.url}/hook"}}
""")
    try:
        assert collector.post("contact", CONTACT).status_code == 201
        [status] = wait_for(lambda: [f for f in rows(database, "forwards")
                                     if f["status"] == "forwarded"])
    finally:
        collector.stop()
        flaky.close()
    assert status["attempts"] == 3 and len(flaky.requests) == 3
    assert status["last_error"] is None


def test_a_submission_acknowledged_while_the_target_is_down_is_forwarded_after_a_restart(
        tmp_path):
    """Stored first, forwarded later: a target that is down, then a collector that is killed,
    lose nothing."""
    port = free_port()                           # nothing listens there: the target is down
    targets = f"    - {{type: webhook, url: \"http://127.0.0.1:{port}/hook\"}}\n"
    collector, database = run(tmp_path, targets)
    try:
        assert collector.post("contact", CONTACT).status_code == 201
        wait_for(lambda: [f for f in rows(database, "forwards")
                          if f["attempts"] >= 1 and f["last_error"]])
    finally:
        collector.kill()
    assert rows(database, "forwards")[0]["status"] == "pending"
    hook = Recorder(port=port)                   # the target is back
    restarted = Collector(collector.site, database, tmp_path / "log2",
                          env={"HELPGEN_COLLECT_RETRY_SECONDS": "0.2"}).start()
    try:
        [status] = forwarded(database)
    finally:
        restarted.stop()
        hook.close()
    assert status["status"] == "forwarded" and len(hook.requests) == 1
    assert hook.requests[0]["json"]["fields"]["message"] == CONTACT["message"]


def test_spam_is_stored_but_not_forwarded(tmp_path):
    hook = Recorder()
    collector, database = run(tmp_path, f"    - {{type: webhook, url: \"{hook.url}/h\"}}\n")
    try:
        assert collector.post("contact", {**CONTACT, "company_website": "x"}).status_code == 201
        assert collector.post("contact", CONTACT).status_code == 201
        forwarded(database)
    finally:
        collector.stop()
        hook.close()
    assert len(rows(database, "contact")) == 2 and len(hook.requests) == 1


@pytest.mark.parametrize("target, message, hint", [
    ("- {type: email, to: a@b.example, from: c@b.example, smtp: mail.example, password: x}",
     "'password' is not a setting of a email target", "environment variable"),
    ("- {type: slack, url: https://hooks.example/}", "a target has a type", "webhook"),
    ("- {type: zendesk, email: a@b.example}", "needs 'token_env'", "token_env:"),
    ("- {type: freshdesk, domain: acme, api_key_env: my key}", "not the name of an environment",
     "HELPGEN_FRESHDESK_SECRET"),
    ("- {type: email, to: a@b.example, from: c@b.example, smtp: 'mail.example:99999'}",
     "is not an SMTP server", "smtp.example.com:587"),
    ("- {type: webhook, url: https://a.example/}\n    - {type: webhook, url: https://b.example/, "
     "name: webhook}", "two targets are named 'webhook'", "name:"),
])
def test_forward_settings_mistakes_are_reported_with_a_fix(cli, tmp_path, target, message, hint):
    site = forwarding_site(tmp_path / "site", f"    {target}\n")
    result = cli("check", site)
    assert result.exit_code == 1
    [problem] = [p for p in problems(result.stdout) if p.severity == "error"]
    assert message in problem.message and hint in problem.hint
    assert problem.where.startswith("helpgen.yml:")
