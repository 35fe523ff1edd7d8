"""Search as customers use it, in headless Chromium: from file:// and over http, in English,
Simplified and Traditional Chinese, typing in any search box or on the results page."""

from __future__ import annotations

import re

import pytest

from helpgen.output.search.tokenizer import tokenize

from conftest import article, load_locale, serve_folder, write_site

pytestmark = pytest.mark.browser

HOSTILE = '<img src=x onerror="window.__pwned=1"> Refund & "tricks"'


@pytest.fixture(scope="module")
def served(example_build):
    server, url = serve_folder(example_build)
    yield url
    server.shutdown()


@pytest.fixture(params=["file", "http"])
def site_url(request, example_build, served):
    """The example site's root URL, opened from disk or from a local web server."""
    if request.param == "file":
        return lambda path: (example_build / path).as_uri()
    return lambda path: served + path


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    assert not errors
    context.close()


def results_for(page, url: str) -> list[str]:
    page.goto(url)
    page.wait_for_selector(".search-count")
    return page.locator(".search-results-list .result-title").all_inner_texts()


def search_page(site_url, locale_root: str, query: str) -> str:
    path = f"{locale_root}search/index.html"
    return site_url(path) + "?q=" + query


@pytest.mark.parametrize("locale_root, query, first, also", [
    ("", "refund", "Request a refund", "Refund policy"),
    ("", "Resetting passwords", "Reset your password", None),
    ("zh-CN/", "退款", "申请退款", "退款政策"),
    ("zh-CN/", "API 密钥", "创建和管理 API 密钥", None),
    ("zh-CN/", "重置密码", "重置密码", None),
    ("zh-TW/", "退款", "申請退款", None),
])
def test_results_page_finds_articles(page, site_url, locale_root, query, first, also):
    """Chinese words are found inside longer phrases (退款 in 申请退款流程), mixed-script
    queries work, English is stemmed, and the best match comes first."""
    titles = results_for(page, search_page(site_url, locale_root, query))
    assert titles and titles[0] == first
    if also:
        assert also in titles
    count = page.locator(".search-count").inner_text()
    assert query in count and int(re.search(r"\d+", count)[0]) >= len(titles), count
    assert page.locator(".result-snippet mark").first.is_visible()


def test_chinese_word_inside_a_phrase_is_found_and_highlighted(page, site_url):
    page.goto(search_page(site_url, "zh-CN/", "退款流程"))
    page.wait_for_selector(".result-snippet mark")
    assert page.locator(".result-title").first.inner_text() == "申请退款"
    marks = page.locator(".search-results-list li").first.locator("mark").all_inner_texts()
    assert any("退款流程" in m or "流程" in m for m in marks)


def test_zero_results_says_so(page, site_url):
    titles = results_for(page, search_page(site_url, "", "zzqqxxv"))
    assert titles == []
    assert "No results" in page.locator(".search-count").inner_text()
    assert "zzqqxxv" in page.locator(".search-count").inner_text()


def test_category_filter_narrows_results(page, site_url):
    titles = results_for(page, search_page(site_url, "zh-CN/", "退款"))
    trails = page.locator(".search-results-list .result-trail").all_inner_texts()
    assert len(titles) < 20                                   # one page: every result listed
    filters = page.locator(".search-filters button")
    assert filters.count() > 2
    filters.nth(1).click()
    label = filters.nth(1).inner_text()
    category = label.split(" (")[0]
    in_category = [t for t, trail in zip(titles, trails) if trail.startswith(category)]
    assert 0 < len(in_category) < len(titles)
    assert page.locator(".search-results-list .result-title").all_inner_texts() == in_category
    assert label == f"{category} ({len(in_category)})"


def test_typing_shows_suggestions_and_keyboard_opens_one(page, site_url):
    """`/` focuses search; results appear as you type; ↓ and Enter open the article; Esc closes."""
    page.goto(site_url("billing/index.html"))
    page.keyboard.press("/")
    page.keyboard.type("reset pass")          # the word being typed is a prefix
    options = page.locator(".search-suggestions [role=option]")
    options.first.wait_for()
    assert "Reset your password" in options.first.inner_text()
    combobox = page.locator("#header-search")
    assert combobox.get_attribute("aria-expanded") == "true"
    page.keyboard.press("ArrowDown")
    assert options.first.get_attribute("aria-selected") == "true"
    assert combobox.get_attribute("aria-activedescendant") == options.first.get_attribute("id")
    page.keyboard.press("Escape")
    assert combobox.get_attribute("aria-expanded") == "false"
    page.keyboard.press("ArrowDown")          # reopens
    options.first.wait_for()
    page.keyboard.press("ArrowDown")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text() == "Reset your password"


def test_search_loads_only_when_used(page, served):
    """Reading a page downloads no search code or index; focusing the box loads it."""
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(served + "zh-CN/account/")
    page.wait_for_load_state("networkidle")
    assert not [url for url in requested if "/_helpgen/" in url]
    page.locator("#header-search").click()
    page.keyboard.type("密码")
    page.locator(".search-suggestions [role=option]").first.wait_for()
    loaded = [url for url in requested if "/_helpgen/" in url]
    assert any(re.search(r"/_helpgen/lunr\.[0-9a-f]{8}\.js$", url) for url in loaded)
    assert any("/_helpgen/search/zh-CN/manifest.js" in url for url in loaded)
    assert not any("/_helpgen/search/en/" in url for url in loaded)       # search stays per locale


def test_hostile_titles_are_escaped_in_results(browser, tmp_path, cli):
    site = write_site(tmp_path / "hostile", {
        "helpgen.yml": "site: {title: Test}\n",
        "articles/billing/refunds/trick.md": article(
            "'" + HOSTILE.replace("'", "''") + "'", "How refunds work."),
    })
    assert cli("build", site, "-q").exit_code == 0
    page = browser.new_page()
    page.on("dialog", lambda dialog: dialog.dismiss())
    page.goto((site / "site/search/index.html").as_uri() + "?q=refund")
    page.wait_for_selector(".result-title")
    assert page.locator(".result-title").first.inner_text() == HOSTILE
    assert page.locator(".search-results-list img").count() == 0
    page.locator("#search-page-input").fill("tricks")
    page.wait_for_selector(".result-title")
    assert page.evaluate("window.__pwned") is None
    page.goto((site / "site/index.html").as_uri())
    page.locator("#home-search").fill("refund")
    page.locator(".search-suggestions [role=option]").first.wait_for()
    assert page.locator(".search-suggestions img").count() == 0
    assert page.evaluate("window.__pwned") is None
    page.close()


def engine_matches(page, queries: list[tuple[str, bool]]) -> list[list[int]]:
    """The documents the page's search engine matches for each (query, typing)."""
    return page.evaluate("""async (queries) => {
      const search = await window.helpgenSearchUI.engine();
      const out = [];
      for (const [query, typing] of queries) out.push((await search.match(query, typing)).map(m => m.doc));
      return out;
    }""", [list(q) for q in queries])


@pytest.mark.parametrize("locale, query, prefix", [
    ("zh-CN", "退款政策", None), ("zh-CN", "API 密钥", None), ("zh-CN", "API 密", "密"),
    ("zh-CN", "退", "退"), ("en", "password reset", None), ("en", "Refunds policy", None),
    ("en", "reset pass", "pass"),
])
def test_every_query_term_is_required(page, served, example_build, locale, query, prefix):
    """Each CJK bigram, each stemmed word and the prefix being typed (`prefix`) must all be in
    a result, in Chinese, English and mixed queries: the results are exactly the documents
    whose postings, as the index stores them, hold every term."""
    _, postings, _ = load_locale(example_build, locale)
    docs = {term: set(title) | set(other) for term, (title, other) in postings.items()}
    typed_before = query.rsplit(" ", 1)[0] if " " in query else ""
    sets = [docs[term] for term in tokenize(typed_before if prefix else query, locale)]
    if prefix:
        sets.append(set().union(*(d for term, d in docs.items() if term.startswith(prefix))))
    expected = set.intersection(*sets)
    page.goto(served + ("" if locale == "en" else f"{locale}/") + "search/index.html")
    found = engine_matches(page, [(query, prefix is not None)])[0]
    assert expected and sorted(found) == sorted(expected)
    if len(sets) > 1:
        assert len(expected) < len(set.union(*sets))    # a term left out would find more


def test_article_titled_as_the_query_comes_first(browser, tmp_path, cli):
    """A title that is the whole query beats a shorter title holding part of it, and a shorter
    title holding all of it beats longer ones, however often other articles use the words."""
    busy = "Cancel your subscription on the Team plan. " * 20
    site = write_site(tmp_path / "rank", {
        "helpgen.yml": "site: {title: Test}\n",
        "articles/billing/plans/cancel.md": article(
            "Cancel your subscription", "Cancel any time. The Team plan and the Solo plan."),
        "articles/billing/plans/cancel-team.md": article(
            "Cancel your subscription on the Team plan", "Ask the owner."),
        "articles/billing/plans/cancel-team-later.md": article(
            "Cancel your subscription on the Team plan later", "Wait."),
        "articles/billing/plans/faq.md": article("Billing questions", "## Cancel your subscription\n\n" + busy),
        "articles/billing/plans/team.md": article("Team plan subscription", busy),
    })
    assert cli("build", site, "-q").exit_code == 0
    page = browser.new_page()
    for title in ("Cancel your subscription", "Cancel your subscription on the Team plan",
                  "Team plan subscription"):
        assert results_for(page, (site / "site/search/index.html").as_uri() + "?q=" + title)[0] == title
    page.close()


def test_a_title_outweighs_a_body_that_repeats_the_word(browser, tmp_path, cli):
    """Titles weigh most (README). Both articles hold both words, and each has one of them in
    a title of two words, so the clause counts and the title's share tie: the article titled
    with the rare word ("refund", in 2 of 6 articles) comes before the one titled with the
    common word ("card", in all 6), though only the latter's body repeats "refund"."""
    card = "Cards are charged on the first of the month. "
    site = write_site(tmp_path / "boost", {
        "helpgen.yml": "site: {title: Test}\n",
        "articles/billing/cards/policy.md": article(
            "Refund policy", "Refunds go back to the card you used."),
        "articles/billing/cards/update.md": article(
            "Update your card", "A refund due on an old card is a refund to the new card: "
                                "refund requests, refund emails and refund receipts follow it."),
        **{f"articles/billing/cards/other{n}.md": article(f"Billing topic {n}", card)
           for n in range(4)},
    })
    assert cli("build", site, "-q").exit_code == 0
    page = browser.new_page()
    titles = results_for(page, (site / "site/search/index.html").as_uri() + "?q=card refund")
    assert titles == ["Refund policy", "Update your card"]
    page.close()
