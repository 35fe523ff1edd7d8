"""`helpgen collect`: what it stores, what it refuses, and that nothing it acknowledged is lost,
on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import threading
import uuid

import httpx
import psycopg
import pytest
from sqlalchemy import create_engine, insert

from collector import Collector, Postgres, Recorder, free_port, rows
from conftest import BASIC_CONFIG, article, problems, read_html, serve_folder, write_site

SITE_ORIGIN = "https://help.acme.example"
COLLECT = """\
collect:
  url: https://support-api.acme.example/helpgen/
  origins: [https://app.acme.example]
  rate_limit: {rate}
"""
CONTACT = {"name": "Mei", "email": "mei@example.com", "subject": "Refund",
           "category": "billing", "message": "退款还没到账 — where is my refund?",
           "context": {"page_url": f"{SITE_ORIGIN}/zh-CN/contact/", "locale": "zh-CN",
                       "article_url": f"{SITE_ORIGIN}/billing/refunds/policy/",
                       "article_title": "Refund policy", "searches": ["退款", "refund"]}}
_databases = itertools.count()


@pytest.fixture(scope="session")
def postgres_server():
    server = Postgres().start()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path):
    """A database URL for one test: a SQLite file, or a new database on the PostgreSQL
    server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'collect.db'}"
    server = request.getfixturevalue("postgres_server")
    name = f"collect_{next(_databases)}"
    with psycopg.connect(server.url.replace("postgresql://", "postgresql://"),
                         autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    return server.url.rsplit("/", 1)[0] + "/" + name


def collect_site(root, rate: int = 1000, more: str = ""):
    return write_site(root, {
        "helpgen.yml": BASIC_CONFIG + COLLECT.format(rate=rate) + more,
        "articles/billing/_category.yml": "title: Billing\n",
        "articles/billing/refund-policy.md": article("Refund policy"),
    })


@pytest.fixture
def collector(tmp_path, database):
    running = Collector(collect_site(tmp_path / "site"), database, tmp_path / "log").start()
    yield running
    running.stop()


def test_a_contact_submission_is_stored_whole_and_acknowledged_with_its_id(collector, database):
    answer = collector.post("helpgen/contact", CONTACT, origin=SITE_ORIGIN)
    assert answer.status_code == 201, answer.text
    assert "set-cookie" not in answer.headers
    assert answer.headers["access-control-allow-origin"] == SITE_ORIGIN
    [row] = rows(database, "contact")
    assert row["id"] == answer.json()["id"]
    assert (row["email"], row["subject"], row["category"], row["message"]) == (
        "mei@example.com", "Refund", "billing", CONTACT["message"])
    assert row["locale"] == "zh-CN" and row["origin"] == SITE_ORIGIN and not row["spam"]
    assert row["context"]["searches"] == ["退款", "refund"]
    assert row["context"]["article_title"] == "Refund policy"
    # The reader is a salted hash at most, never their address.
    assert row["client"] and "127.0.0.1" not in str(row)
    # One line a request, without the reader's address.
    [line] = [line for line in collector.log.read_text().splitlines() if "/contact" in line]
    assert "POST /helpgen/contact 201" in line and "127.0.0.1" not in line


def test_the_form_format_and_a_product_origin_are_accepted(collector, database):
    form = {key: value for key, value in CONTACT.items() if key != "context"}
    form["context_page_url"] = "https://app.acme.example/settings"
    form["context_searches"] = "refund | 退款"
    answer = collector.post("helpgen/contact", httpx.QueryParams(form).__str__(),
                            origin="https://app.acme.example",
                            **{"Content-Type": "application/x-www-form-urlencoded"})
    assert answer.status_code == 201, answer.text
    [row] = rows(database, "contact")
    assert row["context"]["searches"] == ["refund", "退款"]
    assert row["context"]["page_url"] == "https://app.acme.example/settings"


BAD_REQUESTS = [
    ("not JSON", "helpgen/contact", b"{", {"Content-Type": "application/json"}, 400),
    ("not UTF-8", "helpgen/contact", b'{"message": "\xff"}', {}, 400),
    ("too large", "helpgen/events", b"x" * 70_000, {}, 413),
    ("too large, sent in chunks", "helpgen/events", lambda: iter([b"x" * 8192] * 9), {}, 413),
    ("XML", "helpgen/contact", b"<a/>", {"Content-Type": "application/xml"}, 415),
    ("a list", "helpgen/contact", b"[]", {"Content-Type": "application/json"}, 422),
    ("no message", "helpgen/contact", {**CONTACT, "message": ""}, {}, 422),
    ("unknown field", "helpgen/contact", {**CONTACT, "password": "x"}, {}, 422),
    ("bad email", "helpgen/contact", {**CONTACT, "email": "mei"}, {}, 422),
    ("long subject", "helpgen/contact", {**CONTACT, "subject": "s" * 501}, {}, 422),
    ("context not an object", "helpgen/contact", {**CONTACT, "context": "x"}, {}, 422),
    ("javascript page", "helpgen/contact",
     {**CONTACT, "context": {"page_url": "javascript:alert(1)"}}, {}, 422),
    ("bad vote", "helpgen/feedback", {"vote": "maybe", "url": f"{SITE_ORIGIN}/a/"}, {}, 422),
    ("feedback without url", "helpgen/feedback", {"vote": "yes"}, {}, 422),
    ("unknown event", "helpgen/events", {"event": "drop_tables", "detail": {}}, {}, 422),
    ("search without query", "helpgen/events", {"event": "search", "detail": {}}, {}, 422),
    ("negative count", "helpgen/events",
     {"event": "search", "detail": {"query": "a", "results": -1}}, {}, 422),
    ("bad locale", "helpgen/events",
     {"event": "search", "detail": {"query": "a", "locale": "<script>"}}, {}, 422),
]


def test_bad_input_gets_a_4xx_that_says_why_and_nothing_is_stored(collector, database):
    for what, path, body, headers, status in BAD_REQUESTS:
        answer = collector.post(path, body() if callable(body) else body, origin=SITE_ORIGIN,
                                **headers)
        assert (what, answer.status_code) == (what, status), answer.text
        assert answer.json()["error"], what
    assert not any(rows(database, table) for table in ("contact", "feedback", "events"))


def test_only_the_sites_origins_may_send(collector, database):
    foreign = collector.post("helpgen/contact", CONTACT, origin="https://evil.example")
    assert foreign.status_code == 403
    from_file = collector.post("helpgen/events", {"event": "search", "detail": {"query": "a"}},
                               origin="null")
    assert from_file.status_code == 403
    preflight = httpx.options(collector.url + "helpgen/contact", headers={
        "Origin": "https://evil.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert "access-control-allow-origin" not in preflight.headers
    allowed = httpx.options(collector.url + "helpgen/contact", headers={
        "Origin": SITE_ORIGIN, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert allowed.headers["access-control-allow-origin"] == SITE_ORIGIN
    assert not rows(database, "contact") and not rows(database, "events")
    assert httpx.get(collector.url + "helpgen/contact").status_code == 405


def test_file_pages_may_send_when_allowed(tmp_path):
    site = collect_site(tmp_path / "site", more="  allow_file_origin: true\n")
    database = f"sqlite:///{tmp_path / 'collect.db'}"
    running = Collector(site, database, tmp_path / "log").start()
    try:
        answer = running.post("helpgen/events", {"event": "search", "detail": {
            "query": "invoice", "results": 3, "locale": "en"}}, origin="null")
        assert answer.status_code == 201
    finally:
        running.stop()
    assert [(row["kind"], row["query"], row["results"], row["origin"])
            for row in rows(database, "events")] == [("search", "invoice", 3, None)]


def test_a_client_over_the_rate_limit_gets_429_and_its_earlier_requests_are_kept(tmp_path):
    database = f"sqlite:///{tmp_path / 'collect.db'}"
    running = Collector(collect_site(tmp_path / "site", rate=5), database,
                        tmp_path / "log").start()
    try:
        statuses = [running.post("helpgen/events", {"event": "search", "detail": {
            "query": f"q{n}"}}).status_code for n in range(7)]
    finally:
        running.stop()
    assert statuses == [201] * 5 + [429] * 2
    assert [row["query"] for row in rows(database, "events")] == [f"q{n}" for n in range(5)]


def test_a_vote_and_its_comment_are_one_row(collector, database):
    vote = {"article": "articles/billing/refund-policy.md", "url": f"{SITE_ORIGIN}/billing/",
            "locale": "en", "vote": "no", "vote_id": str(uuid.uuid4())}
    assert collector.post("helpgen/feedback", vote, origin=SITE_ORIGIN).status_code == 201
    assert collector.post("helpgen/feedback", {**vote, "comment": "Too vague"},
                          origin=SITE_ORIGIN).status_code == 201
    [row] = rows(database, "feedback")
    assert (row["vote"], row["comment"], row["article"]) == (
        "no", "Too vague", "articles/billing/refund-policy.md")


def test_the_honeypot_marks_spam_which_is_kept_apart(collector, database):
    answer = collector.post("helpgen/contact", {**CONTACT, "company_website": "http://spam"},
                            origin=SITE_ORIGIN)
    assert answer.status_code == 201
    [row] = rows(database, "contact")
    assert row["spam"] and "company_website" not in row["fields"]


def test_health_check(collector):
    answer = httpx.get(collector.url + "healthz")
    assert answer.status_code == 200 and answer.json() == {"status": "ok"}


def test_rows_older_than_retention_days_are_deleted(tmp_path):
    database = f"sqlite:///{tmp_path / 'collect.db'}"
    site = collect_site(tmp_path / "site", more="  retention_days: 30\n")
    running = Collector(site, database, tmp_path / "log").start()
    running.stop()
    from helpgen.collect import store
    engine = create_engine(database)
    with engine.begin() as connection:
        for days in (40, 10):
            connection.execute(insert(store.events).values(
                kind="search", query=f"{days} days ago",
                received_at=dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=days)))
    engine.dispose()
    running = Collector(site, database, tmp_path / "log2").start()
    running.stop()
    assert [row["query"] for row in rows(database, "events")] == ["10 days ago"]


def test_kill_9_under_load_loses_no_acknowledged_submission(tmp_path, database):
    """Writers keep sending while the collector is killed and restarted: every submission it
    answered 201 is in the database afterwards, with its text."""
    site = collect_site(tmp_path / "site")
    running = Collector(site, database, tmp_path / "log").start()
    acknowledged: dict[int, str] = {}
    lock = threading.Lock()
    stop = threading.Event()

    def writer(number: int) -> None:
        for sent in itertools.count():
            if stop.is_set():
                return
            message = f"writer {number} message {sent}"
            try:
                answer = httpx.post(running.url + "helpgen/contact",
                                    json={**CONTACT, "message": message}, timeout=10)
            except httpx.HTTPError:
                continue                  # the collector is down: the browser keeps the draft
            if answer.status_code == 201:
                with lock:
                    acknowledged[answer.json()["id"]] = message

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    try:
        while len(acknowledged) < 40:
            stop.wait(0.05)
        running.kill()
        before_restart = dict(acknowledged)
        running = Collector(site, database, tmp_path / "log2").start()
        deadline = len(acknowledged) + 20
        while len(acknowledged) < deadline:
            stop.wait(0.05)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
        running.stop()
    stored = {row["id"]: row["message"] for row in rows(database, "contact")}
    assert before_restart and len(acknowledged) > len(before_restart)
    assert {key: stored.get(key) for key in acknowledged} == acknowledged


def test_the_migrations_make_exactly_the_tables_the_collector_writes(tmp_path):
    """store.py's tables and what the migrations create must not drift apart."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from helpgen.collect import store
    engine = store.open_database(f"sqlite:///{tmp_path / 'collect.db'}")
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), store.metadata)
    engine.dispose()
    assert differences == []


@pytest.mark.parametrize("verdict", [True, False])
def test_with_a_turnstile_secret_a_submission_needs_a_token_the_verifier_accepts(
        tmp_path, verdict):
    verifier = Recorder(statuses=(200,), answer=b'{"success": %s}' % str(verdict).lower().encode())
    database = f"sqlite:///{tmp_path / 'collect.db'}"
    running = Collector(collect_site(tmp_path / "site"), database, tmp_path / "log", env={
        "HELPGEN_TURNSTILE_SECRET": "ts-secret",
        "HELPGEN_CAPTCHA_VERIFY_URL": verifier.url + "/siteverify"}).start()
    try:
        without = running.post("helpgen/contact", CONTACT)
        with_token = running.post("helpgen/contact", {**CONTACT, "cf-turnstile-response": "tok"})
    finally:
        running.stop()
        verifier.close()
    assert without.status_code == 403
    assert with_token.status_code == (201 if verdict else 403)
    [check] = verifier.requests
    assert check["form"]["secret"] == "ts-secret" and check["form"]["response"] == "tok"
    assert len(rows(database, "contact")) == (1 if verdict else 0)
    assert "tok" not in str(rows(database, "contact"))


# --- Settings and the command ---------------------------------------------------------------


@pytest.mark.parametrize("setting, message", [
    ("collect:\n  origins: [https://a.example]\n", "collect.url is missing"),
    ("collect:\n  url: ftp://x.example/\n", "is not a link helpgen can publish"),
    ("collect:\n  url: https://x.example/\n  origins: [https://a.example/help/]\n",
     "is not an origin"),
    ("collect:\n  url: https://x.example/\n  trusted_proxies: [proxy.local]\n",
     "is not an IP address or network"),
    ("collect:\n  url: https://x.example/\n  retention_days: 0\n", "must be at least 1"),
    ("collect:\n  url: https://x.example/?token=abc\n", "credentials"),
])
def test_collect_settings_mistakes_are_reported_at_their_line(cli, tmp_path, setting, message):
    site = write_site(tmp_path / "site", {"helpgen.yml": BASIC_CONFIG + setting,
                                          "articles/billing/a.md": article("A")})
    result = cli("check", site)
    assert result.exit_code == 1
    [problem] = [p for p in problems(result.stdout) if p.severity == "error"]
    assert message in problem.message and problem.where.startswith("helpgen.yml:")


def test_a_new_site_keeps_the_collectors_database_out_of_git(cli, tmp_path):
    assert cli("new", tmp_path / "help").exit_code == 0
    assert ".helpgen-collect/" in (tmp_path / "help" / ".gitignore").read_text().splitlines()


def test_collect_without_a_collect_section_says_what_to_add(cli, site):
    result = cli("collect", site, "--port", "0")
    assert result.exit_code == 1
    assert "no collect section" in result.stderr and "url:" in result.stderr


def test_collect_refuses_another_database(cli, tmp_path):
    site = collect_site(tmp_path / "site")
    result = cli("collect", site, "--database", "mysql://x@localhost/db")
    assert result.exit_code == 1 and "SQLite or PostgreSQL" in result.stderr


def test_the_built_site_sends_to_the_collector(cli, tmp_path):
    site = collect_site(tmp_path / "site")
    assert cli("build", site).exit_code == 0
    page = read_html(site / "site" / "billing" / "refund-policy" / "index.html")
    endpoint = "https://support-api.acme.example/helpgen/"
    assert page.select_one("#feedback")["data-endpoint"] == endpoint + "feedback"
    assert page.body["data-analytics-endpoint"] == endpoint + "events"
    contact = (site / "site" / "contact" / "index.html").read_text()
    assert endpoint + "contact" in contact
    headers = (site / "site" / "_headers").read_text()
    assert "https://support-api.acme.example" in headers.split("connect-src", 1)[1].split(";")[0]


def test_an_endpoint_of_its_own_wins_over_the_collector(cli, tmp_path):
    site = collect_site(tmp_path / "site", more="feedback:\n  endpoint: https://forms.example/f\n")
    assert cli("build", site).exit_code == 0
    page = read_html(site / "site" / "billing" / "refund-policy" / "index.html")
    assert page.select_one("#feedback")["data-endpoint"] == "https://forms.example/f"
    assert "support-api.acme.example/helpgen/contact" in (
        site / "site" / "contact" / "index.html").read_text()


# --- In Chromium ---------------------------------------------------------------------------


PRODUCT_PAGE = """<!doctype html><html lang="en"><head><title>Product</title></head>
<body><h1>Acme dashboard</h1><script src="{help}widget.js" async></script></body></html>"""


@pytest.mark.browser
def test_what_readers_do_arrives_in_the_collector_and_shows_in_the_report(
        browser, cli, tmp_path):
    """The built site, served on one origin, and its widget on a product page on another, send
    to a collector on a third: a search that finds something and one that finds nothing, a vote
    with its comment, a submission from the contact page and one from the widget; each is
    stored once, and `helpgen report` shows them."""
    out, product = tmp_path / "out", tmp_path / "product"
    out.mkdir()
    product.mkdir()
    server, site_url = serve_folder(out)
    product_server, product_url = serve_folder(product)
    (product / "index.html").write_text(PRODUCT_PAGE.format(help=site_url), encoding="utf-8")
    port = free_port()
    site = write_site(tmp_path / "site", {
        "helpgen.yml": f"""\
            site: {{title: Acme Help}}
            collect:
              url: http://127.0.0.1:{port}/
              origins: [{site_url.rstrip("/")}, {product_url.rstrip("/")}]
            """,
        "articles/billing/_category.yml": "title: Billing\n",
        "articles/billing/refund-policy.md": article("Refund policy", "Refunds take 5 days."),
    })
    assert cli("build", site, "-o", out).exit_code == 0
    database = f"sqlite:///{tmp_path / 'collect.db'}"
    running = Collector(site, database, tmp_path / "log", port).start()
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(site_url + "search/?q=refund")
        page.locator("#search-results a").first.wait_for()
        page.goto(site_url + "search/?q=qwertyzzz")
        page.locator("#search-results").get_by_text("qwertyzzz").first.wait_for()
        page.goto(site_url + "billing/refund-policy/")      # leaving the page sends the search
        feedback = page.locator("#feedback")
        feedback.get_by_role("button", name="No").click()
        page.locator("#feedback-comment").fill("Which days count?")
        feedback.get_by_role("button", name="Send").click()
        page.locator(".feedback-status").get_by_text("Thank").wait_for()
        page.goto(site_url + "contact/")
        for name, value in (("name", "Mei"), ("email", "mei@example.com"),
                            ("subject", "Refund"), ("message", "Still waiting after 9 days.")):
            page.locator(f"[name={name}]").fill(value)
        page.locator("#contact-form button[type=submit]").click()
        page.locator("#contact-status.form-status-success").wait_for()
        page.goto(product_url)
        page.get_by_role("button", name="Help").click()
        page.get_by_role("button", name="Contact us").click()
        for label, value in (("Your name", "Lee"), ("Email address", "lee@example.com"),
                             ("Subject", "Invoice"), ("How can we help?", "From the widget.")):
            page.get_by_role("textbox", name=label, exact=True).fill(value)
        page.get_by_role("button", name="Send message").click()
        page.get_by_text("Thanks, we got your message").wait_for()
    finally:
        context.close()
        running.stop()
        server.shutdown()
        product_server.shutdown()
    contact_page, widget = rows(database, "contact")
    assert contact_page["message"] == "Still waiting after 9 days."
    assert contact_page["context"]["searches"][-2:] == ["refund", "qwertyzzz"]
    assert (widget["message"], widget["origin"]) == ("From the widget.", product_url.rstrip("/"))
    [vote] = rows(database, "feedback")
    assert (vote["vote"], vote["comment"]) == ("no", "Which days count?")
    assert vote["url"] == site_url + "billing/refund-policy/"
    kinds = [(row["kind"], row["query"]) for row in rows(database, "events")]
    assert ("search", "refund") in kinds and ("zero_results", "qwertyzzz") in kinds
    assert ("contact_view", None) in kinds
    result = cli("report", site, "--database", database, "-o", tmp_path / "report")
    assert result.exit_code == 0, result.stderr
    data = json.loads((tmp_path / "report" / "report.json").read_text())
    assert data["contact"]["submitted"] == 2
    assert [gap["query"] for gap in data["searches"]["zero_results"]] == ["qwertyzzz"]
    assert [(entry["title"], entry["no"], entry["comments"]) for entry in data["feedback"]] == [
        ("Refund policy", 1, ["Which days count?"])]
