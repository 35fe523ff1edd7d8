"""Both built-in themes in headless Chromium: axe-core finds no serious or critical problem on any
kind of page, in either color scheme (the system's or the toggle's), in English and Chinese; the
keyboard reaches everything with a visible focus; the scheme toggle and the banner remember."""

from __future__ import annotations

import pytest
import yaml
from click.testing import CliRunner

from conftest import EXAMPLE_SITE, FOCUS_STYLE, copy_tree, serve_folder
from helpgen.commands.cli import main

pytestmark = pytest.mark.browser

PAGES = {"home": "", "category": "billing/", "article": "billing/refunds/request-a-refund/",
         "search": "search/?q={query}", "contact": "contact/"}
QUERIES = {"en": "refund", "zh-CN": "退款"}
LOCALE_ROOTS = {"en": "", "zh-CN": "zh-CN/"}
# What the example site does not show, so every part of the theme is checked.
BRANDING = {
    "logo_dark": "assets/logo-dark.svg",
    "header_links": [{"title": {"en": "Status", "zh-CN": "服务状态"},
                      "url": "https://status.tallybook.example/"},
                     {"title": {"en": "Pricing", "zh-CN": "价格"},
                      "url": "https://tallybook.example/pricing"}],
    "footer_links": [{"title": {"en": "Privacy", "zh-CN": "隐私政策"},
                      "url": "https://tallybook.example/privacy"}],
    "footer_text": {"en": "© 2026 Tallybook Ltd.", "zh-CN": "© 2026 Tallybook 有限公司"},
    "banner": {"text": {"en": "New: recurring invoices in every plan",
                        "zh-CN": "新功能：所有套餐均可使用定期发票"},
               "url": "invoices/"},
}
DARK_LOGO = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 32"><rect width="120" '
             'height="32" rx="6" fill="#11161d"/><text x="10" y="22" fill="#e6ebf1">Tallybook'
             '</text></svg>')


def build_branded_example(root, theme: str):
    """The example site with the extra brand settings above and `theme`, built and served."""
    source = copy_tree(EXAMPLE_SITE, root / "source")
    (source / "assets/logo-dark.svg").write_text(DARK_LOGO, encoding="utf-8")
    config_file = source / "helpgen.yml"
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    config["brand"] = {**BRANDING, **config.get("brand", {})}
    config["theme"] = {"name": theme}
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    out = root / "out"
    result = CliRunner().invoke(main, ["build", str(source), "-o", str(out), "--strict",
                                       "--quiet"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module", params=["default", "docs"])
def site(request, tmp_path_factory):
    """(theme name, URL of the branded example site built with it, served over http)."""
    out = build_branded_example(tmp_path_factory.mktemp(request.param), request.param)
    server, url = serve_folder(out)
    yield request.param, url
    server.shutdown()


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context
    context.close()


def page_url(site_url: str, locale: str, kind: str) -> str:
    return site_url + LOCALE_ROOTS[locale] + PAGES[kind].format(query=QUERIES[locale])


def open_page(page, url: str) -> None:
    page.goto(url)
    if "/search/" in url:
        page.locator(".search-results-list li").first.wait_for()


def serious_problems(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe
    results = Axe().run(page).response
    return [f"{v['id']} ({v['impact']}): {v['help']} at "
            f"{[node['target'] for node in v['nodes']][:4]}"
            for v in results["violations"] if v["impact"] in ("serious", "critical")]


def scheme_in_use(page) -> str:
    """'dark' when the page background is dark."""
    channels = page.evaluate("getComputedStyle(document.body).backgroundColor")
    red, green, blue = (int(c) for c in channels[channels.index("(") + 1:-1].split(",")[:3])
    return "dark" if red + green + blue < 3 * 128 else "light"


def choose_scheme(page, wanted: str) -> None:
    """Click the scheme toggle until `wanted` is chosen. It cycles through three states
    (automatic, light, dark), so three clicks reach any of them; a toggle that never gets
    there fails here instead of hanging the test."""
    for _ in range(3):
        if page.locator("html").get_attribute("data-scheme") == wanted:
            return
        page.locator(".scheme-toggle").click()
    assert page.locator("html").get_attribute("data-scheme") == wanted, \
        f"three clicks on the scheme toggle never chose {wanted!r}"


@pytest.mark.parametrize("locale", ["en", "zh-CN"])
@pytest.mark.parametrize("system, chosen", [("light", None), ("dark", None),
                                            ("light", "dark"), ("dark", "light")])
def test_axe_finds_no_serious_problem(browser, site, locale, system, chosen):
    """Every page kind, in the system's scheme or in the one chosen with the toggle (chosen on
    the first page, remembered on the others)."""
    theme, site_url = site
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=system)
    page = context.new_page()
    problems = {}
    for number, kind in enumerate(PAGES):
        open_page(page, page_url(site_url, locale, kind))
        if chosen and number == 0:
            choose_scheme(page, chosen)
        assert scheme_in_use(page) == (chosen or system), kind
        problems.update({kind: found for found in [serious_problems(page)] if found})
    context.close()
    assert not problems, f"{theme} theme, {locale}: {problems}"





def tab_through(page, limit: int = 400) -> list[dict]:
    """Press Tab until focus wraps around; what each stop was and whether it showed focus."""
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        stop = page.evaluate("""() => {
          const e = document.activeElement;
          return e === document.body ? null : {
            html: e.outerHTML.slice(0, 120), cls: e.className, id: e.id,
            name: e.getAttribute("aria-label") || e.textContent.trim().slice(0, 40),
            region: (e.closest(".language-switcher, .header-links") || {}).className,
            matches: e.matches(":focus-visible")};
        }""")
        if stop is None or (stops and stop["html"] == stops[0]["html"]):
            break
        stop["visible_focus"] = page.evaluate(FOCUS_STYLE, page.evaluate_handle(
            "document.activeElement"))
        stops.append(stop)
    return stops


@pytest.mark.parametrize("system", ["light", "dark"])
def test_keyboard_reaches_everything_with_a_visible_focus(browser, site, system):
    theme, site_url = site
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=system)
    page = context.new_page()
    page.goto(page_url(site_url, "en", "article"))
    stops = tab_through(page)
    assert "skip-link" in stops[0]["cls"]
    classes = " ".join(stop["cls"] for stop in stops)
    for wanted in ("banner-close", "search-input", "scheme-toggle"):
        assert wanted in classes, f"Tab never reaches .{wanted}"
    regions = [stop["region"] for stop in stops]
    assert regions.count("language-switcher") == 3               # English, 简体中文, 繁體中文
    assert "header-links" in regions
    hidden = [stop["html"] for stop in stops if not (stop["matches"] and stop["visible_focus"])]
    assert not hidden, f"{theme}: no visible focus on {hidden}"
    context.close()


def test_skip_link_moves_focus_to_the_content(context, site):
    page = context.new_page()
    page.goto(page_url(site[1], "en", "article"))
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("e => e === document.activeElement")
    box = skip.bounding_box()
    assert box["y"] >= 0 and box["height"] > 10                  # shown while focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    assert page.evaluate("!!document.activeElement.closest('main')")


def test_toggle_works_from_the_keyboard_and_names_its_state(context, site):
    page = context.new_page()
    page.goto(site[1])
    toggle = page.get_by_role("button", name="Color scheme: Automatic (system)")
    toggle.focus()
    page.keyboard.press("Enter")
    assert page.locator("html").get_attribute("data-scheme") == "light"
    assert page.get_by_role("button", name="Color scheme: Light").is_visible()
    page.keyboard.press("Space")
    assert page.get_by_role("button", name="Color scheme: Dark").is_visible()
    assert scheme_in_use(page) == "dark"
    page.keyboard.press("Enter")
    assert page.locator("html").get_attribute("data-scheme") is None
    assert scheme_in_use(page) == "light"                        # the system's (light here)


CODE_PAGE = "integrations/api/api-keys/"
STRING_COLORS = {"light": "rgb(186, 33, 33)", "dark": "rgb(165, 214, 255)"}   # pygments .s2


def string_color(page) -> str:
    return page.locator(".highlight .s2").first.evaluate("e => getComputedStyle(e).color")


def test_chosen_scheme_is_applied_before_the_theme_scripts_run(browser, site):
    """The choice is remembered across pages and applied by the script in <head>: with the
    theme's scripts blocked, the next page is still dark, code colors included."""
    context = browser.new_context(color_scheme="light")
    page = context.new_page()
    page.goto(site[1] + CODE_PAGE)
    assert scheme_in_use(page) == "light" and string_color(page) == STRING_COLORS["light"]
    page.locator(".scheme-toggle").click()                         # light
    page.locator(".scheme-toggle").click()                         # dark
    context.route("**/_theme/*.js", lambda route: route.abort())
    page.goto(site[1] + "zh-CN/" + CODE_PAGE)
    assert scheme_in_use(page) == "dark" and string_color(page) == STRING_COLORS["dark"]
    context.close()


def test_without_javascript_the_system_scheme_applies_and_script_buttons_hide(browser, site):
    context = browser.new_context(color_scheme="dark", java_script_enabled=False)
    page = context.new_page()
    page.goto(site[1] + CODE_PAGE)
    assert scheme_in_use(page) == "dark" and string_color(page) == STRING_COLORS["dark"]
    assert page.locator(".site-banner").is_visible()
    assert not page.locator(".scheme-toggle").is_visible()
    assert not page.locator(".banner-close").is_visible()
    context.close()


@pytest.mark.parametrize("system", ["light", "dark"])
def test_logo_follows_the_scheme(browser, site, system):
    context = browser.new_context(color_scheme=system)
    page = context.new_page()
    page.goto(site[1])
    light, dark = page.locator(".brand-logo-light"), page.locator(".brand-logo-dark")
    assert light.is_visible() == (system == "light") and dark.is_visible() == (system == "dark")
    choose_scheme(page, "dark" if system == "light" else "light")
    assert light.is_visible() == (system == "dark") and dark.is_visible() == (system == "light")
    context.close()


def test_dismissed_banner_stays_closed_until_its_text_changes(context, site):
    page = context.new_page()
    page.goto(site[1])
    banner = page.locator(".site-banner")
    assert banner.is_visible()
    page.get_by_role("button", name="Dismiss announcement").click()
    assert not banner.is_visible()
    assert page.evaluate("document.activeElement.className") == "brand"
    page.goto(site[1] + "billing/")
    assert not banner.is_visible()
    banner_id = page.locator("html").get_attribute("data-banner")

    def new_banner(route):          # what a build with another banner text serves
        response = route.fetch()
        route.fulfill(response=response, body=response.text().replace(
            f'data-banner="{banner_id}"', 'data-banner="another"'))
    page.route("**/billing/", new_banner)
    page.reload()
    assert banner.is_visible()


@pytest.mark.parametrize("site", ["docs"], indirect=True)
def test_docs_sidebar_marks_the_page_and_opens_from_a_button_on_phones(browser, site):
    site_url = site[1]
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(site_url + "billing/refunds/request-a-refund/")
    current = page.locator(".docs-sidebar [aria-current=page]")
    assert current.inner_text() == "Request a refund"
    button = page.get_by_role("button", name="Browse articles")
    assert button.get_attribute("aria-expanded") == "false" and not current.is_visible()
    button.focus()
    page.keyboard.press("Enter")
    assert button.get_attribute("aria-expanded") == "true" and current.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth - innerWidth") <= 0
    page.set_viewport_size({"width": 1280, "height": 900})
    assert not button.is_visible() and current.is_visible()
    context.close()
