"""Branding, untranslated articles, and several brands built from one source (issue 5)."""

from __future__ import annotations

import json
import re

import pytest

from conftest import (BASIC_CONFIG, BASIC_WITH, TWO_BRANDS, article, built, hex6,
                      nearest_readable, theme_backgrounds, wcag_contrast, write_site)

BRANDED_CONFIG = BASIC_CONFIG + """\
brand:
  name: {en: Acme, zh-CN: 艾克米}
  logo: assets/logo.svg
  logo_dark: assets/logo-dark.svg
  favicon: assets/favicon.png
  primary_color: "#6a1b9a"
  accent_color: "#ffb300"
  custom_css: assets/brand.css
  fonts:
    body: Inter, system-ui, sans-serif
    files:
      - {family: Inter, file: assets/fonts/inter.woff2, weight: 400 700}
  header_links:
    - {title: {en: System status, zh-CN: 系统状态}, url: "https://status.acme.example/"}
    - {title: Contact us, url: /contact/}
  footer_links:
    - {title: Privacy, url: "https://acme.example/privacy"}
  footer_text: {en: "Acme Inc. <since 1999>", zh-CN: 艾克米公司}
  banner:
    text: {en: Scheduled maintenance on May 3, zh-CN: 5 月 3 日系统维护}
    url: https://status.acme.example/
"""


def brand_files(root):
    for name in ("logo.svg", "logo-dark.svg"):
        (root / "assets").mkdir(exist_ok=True)
        (root / "assets" / name).write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    (root / "assets" / "favicon.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (root / "assets" / "brand.css").write_text(".site-header { border-bottom: 2px solid; }\n")
    (root / "assets" / "fonts").mkdir(exist_ok=True)
    (root / "assets" / "fonts" / "inter.woff2").write_bytes(b"wOF2")


def page(out, path):
    return (out / path).read_text(encoding="utf-8")


# --- Branding ---------------------------------------------------------------------------------


def test_brand_settings_reach_every_page_in_each_locale(cli, site):
    brand_files(site)
    write_site(site, {"helpgen.yml": BRANDED_CONFIG})
    out = built(cli, site)
    home = page(out, "index.html")
    article_page = page(out, "billing/refunds/request-a-refund/index.html")
    zh_home = page(out, "zh-CN/index.html")
    assert "Acme" in home and "艾克米" in zh_home
    # Logos, favicon and custom CSS are linked relative to the page, so any base path works.
    assert 'src="../../../assets/logo.svg"' in article_page
    assert 'src="../../../assets/logo-dark.svg"' in article_page
    assert '<link rel="icon" href="assets/favicon.png">' in home
    assert re.search(r'<link rel="stylesheet" href="assets/brand.css">', home)
    # The brand's custom CSS comes after the theme's, so it wins.
    assert home.index("_theme/helpgen.") < home.index("assets/brand.css")
    # Colors and fonts as CSS properties; the self-hosted font relative to the page.
    assert "--hg-primary: #6a1b9a;" in home and "--hg-accent: #ffb300;" in home
    assert "--hg-font-body: Inter, system-ui, sans-serif;" in home
    assert 'src: url("../../../assets/fonts/inter.woff2")' in article_page
    # Links: external ones unchanged, site paths relative; texts per locale and escaped.
    assert 'href="https://status.acme.example/"' in home
    assert ">System status<" in home and ">系统状态<" in zh_home
    assert 'href="contact/"' in home and 'href="../contact/"' in zh_home
    assert 'href="https://acme.example/privacy"' in home
    assert "Acme Inc. &lt;since 1999&gt;" in home and "<since 1999>" not in home
    assert "Scheduled maintenance on May 3" in home and "5 月 3 日系统维护" in zh_home
    assert (out / "assets/fonts/inter.woff2").is_file()


def test_a_page_without_brand_settings_gets_the_default_colors(cli, site):
    out = built(cli, site)
    home = page(out, "index.html")
    assert "--hg-primary: #0b62d6;" in home
    assert "brand-banner" not in home and "assets/brand.css" not in home


@pytest.mark.parametrize("text, background, ratio", [
    ("#777777", "#ffffff", 4.48), ("#767676", "#ffffff", 4.54), ("#000000", "#ffffff", 21.0)])
def test_the_contrast_formula_of_these_tests_gives_published_ratios(text, background, ratio):
    """#767676 is the lightest grey readable on white (4.54:1), #777777 just fails (4.48:1),
    as WebAIM's contrast checker gives them; black on white is 21:1."""
    assert round(wcag_contrast(text, background), 2) == ratio


def brand_colors(out, path="index.html") -> dict[str, str]:
    """The brand's color properties as a page sets them, as #rrggbb (light-dark() split)."""
    style = re.search(r"<style>(.*?)</style>", page(out, path), re.S).group(1)
    colors = dict(re.findall(r"(--hg-[a-z-]+): (#[0-9a-f]{3,6}|light-dark\([^)]*\));", style))
    colors["--hg-link-light"], colors["--hg-link-dark"] = re.fullmatch(
        r"light-dark\((#[0-9a-f]+), (#[0-9a-f]+)\)", colors.pop("--hg-link")).groups()
    return {name: hex6(value) for name, value in colors.items()}


@pytest.mark.parametrize("color", ["#000000", "#ffffff", "#ffd400", "#808080", "#e91e63",
                                   "#00ff00", "#0b62d6", "#777", "#3cf", "#767676"])
def test_any_brand_color_gets_readable_text_and_links(cli, site, color):
    """Text on the brand color (header, buttons) is white or black, whichever contrasts more
    (black on #767676, 4.62:1 against white's 4.54:1), at least 4.5:1 (WCAG AA). Links are
    the nearest shade of the brand color (mixed with black on light pages, with white on dark
    ones, in 1% steps; 0% is the color itself) that reaches 4.5:1 on every page and surface
    color of the theme."""
    write_site(site, {"helpgen.yml": BASIC_WITH + f'brand:\n  primary_color: "{color}"\n'})
    out = built(cli, site)
    colors, (lights, darks) = brand_colors(out), theme_backgrounds(out)
    on = colors["--hg-on-primary"]
    assert on == max(("#ffffff", "#000000"), key=lambda text: wcag_contrast(text, color))
    assert wcag_contrast(on, color) >= 4.5
    assert colors["--hg-link-light"] == nearest_readable(color, lights, "#000000")
    assert colors["--hg-link-dark"] == nearest_readable(color, darks, "#ffffff")


def test_a_brand_color_too_light_for_text_warns_with_the_shade_used(cli, site):
    write_site(site, {"helpgen.yml": BASIC_WITH + 'brand:\n  primary_color: "#ffd400"\n'})
    result = cli("build", site)
    assert result.exit_code == 0
    assert "helpgen.yml:10: warning: brand.primary_color '#ffd400' is too light" in result.output
    shade = brand_colors(site / "site")["--hg-link-light"]
    assert f"darker shade {shade}" in result.output
    lights, _ = theme_backgrounds(site / "site")
    assert all(wcag_contrast(shade, background) >= 4.5 for background in lights)
    assert shade != "#ffd400"
    assert cli("build", site, "--strict").exit_code == 1





@pytest.mark.parametrize("settings, line, message, hint", [
    ("brand:\n  logo: logo.png\n", 10, "brand.logo 'logo.png' is not a file in the assets/",
     "assets/logo.svg"),
    ("brand:\n  logo_dark: ../outside.svg\n", 10, "brand.logo_dark '../outside.svg' is not a "
     "file", "put the file in"),
    ("brand:\n  accent_color: orange\n", 10, "brand.accent_color 'orange' is not a hex color",
     '"#0b62d6"'),
    ("brand:\n  fonts:\n    body: 'x; } body { display: none'\n", 11,
     "brand.fonts.body is not a font list", "separated by commas"),
    ("brand:\n  header_links:\n    - {title: Evil, url: 'javascript:alert(1)'}\n", 11,
     "'javascript:alert(1)' is not a link helpgen can publish", "https:"),
    ("brand:\n  footer_links:\n    - Privacy\n", 11, "an entry of brand.footer_links is",
     "{title: Status"),
    ("brand:\n  banner: {text: Hi, link: /x/}\n", 10, "unknown key 'brand.banner.link'",
     "valid keys here: text, url"),
    ("brand:\n  fonts:\n    files:\n      - {family: Inter, file: assets/none.woff2}\n", 12,
     "font file 'assets/none.woff2' is not a file", "put the file in"),
    ("theme:\n  name: dcos\n", 10, "there is no built-in theme 'dcos'", "did you mean 'docs'"),
    ("theme:\n  custom_dir: overrides\n", 10, "theme.custom_dir 'overrides' is not a folder",
     "create it"),
    ("brands:\n  - {id: Acme Corp}\n", 10, "a brand needs an 'id' of lowercase letters",
     "id: acme"),
    ("brands:\n  - {id: a, categories: [billing, devcies]}\n", 10,
     "brand 'a': no category folder 'devcies'", "a folder in articles/"),
])
def test_bad_brand_and_theme_settings_name_the_line(cli, site, settings, line, message, hint):
    config = BASIC_WITH.replace("theme: {name: default}\n", "# settings under test:\n")
    write_site(site, {"helpgen.yml": config + settings})
    result = cli("build", site)
    assert result.exit_code == 1
    assert f"helpgen.yml:{line}: error: {message}" in result.output, result.output
    assert hint in result.output
    assert not (site / "site").exists()


def test_an_unknown_untranslated_mode_is_an_error(cli, site):
    write_site(site, {"helpgen.yml": BASIC_WITH.replace("untranslated: hide",
                                                        "untranslated: show")})
    result = cli("build", site)
    assert result.exit_code == 1
    assert "helpgen.yml:7: error: locales.untranslated must be one of: hide, show_default" \
        in result.output


# --- Languages --------------------------------------------------------------------------------


def test_untranslated_articles_are_hidden_by_default(cli, site):
    out = built(cli, site)
    assert not (out / "zh-CN/billing/refunds/policy/index.html").exists()
    assert "policy" not in page(out, "zh-CN/billing/refunds/index.html")


def test_untranslated_articles_can_show_the_default_locale_with_a_notice(cli, site):
    write_site(site, {"helpgen.yml": BASIC_WITH.replace("untranslated: hide",
                                                        "untranslated: show_default")})
    out = built(cli, site)
    copy = page(out, "zh-CN/billing/refunds/policy/index.html")
    assert '<html lang="zh-CN"' in copy
    assert "本文暂无简体中文版本，以下为English原文。" in copy
    assert 'lang="en"' in re.search(r"<article[^>]*>", copy).group(0)
    assert "Refund policy" in copy
    # Search engines are sent to the original; it is nobody's hreflang alternate.
    assert '<link rel="canonical" href="https://help.acme.example/billing/refunds/policy/">' \
        in copy
    assert 'hreflang="zh-CN"' not in page(out, "billing/refunds/policy/index.html").split(
        "</head>")[0]
    sitemap = page(out, "sitemap.xml")
    assert "zh-CN/billing/refunds/policy/" not in sitemap
    # Listed in its section, and found by the locale's search.
    assert "policy/" in page(out, "zh-CN/billing/refunds/index.html")
    zh_docs = "".join(p.read_text(encoding="utf-8")
                      for p in (out / "_helpgen/search/zh-CN").glob("d*.js"))
    assert "Refund policy" in zh_docs
    # A translated article is still shown as itself.
    translated = page(out, "zh-CN/billing/refunds/request-a-refund/index.html")
    assert "untranslated-notice" not in translated and "申请退款" in translated


def test_language_switcher_leads_to_the_translation_or_the_locale_home(cli, site):
    out = built(cli, site)
    translated = page(out, "billing/refunds/request-a-refund/index.html")
    untranslated = page(out, "billing/refunds/policy/index.html")
    switcher = re.compile(r'<nav class="language-switcher".*?</nav>', re.S)
    assert 'href="../../../zh-CN/billing/refunds/request-a-refund/"' in switcher.search(
        translated).group(0)
    assert 'href="../../../zh-CN/"' in switcher.search(untranslated).group(0)


def test_dates_are_written_the_way_each_locale_writes_them(cli, site):
    write_site(site, {
        "helpgen.yml": BASIC_WITH.replace("others: [zh-CN]", "others: [zh-CN, ja]"),
        "articles/billing/refunds/policy.md": article("Refund policy", updated="2026-03-31"),
        "articles/billing/refunds/policy.zh-CN.md": article("退款政策", updated="2026-03-31"),
        "articles/billing/refunds/policy.ja.md": article("返金ポリシー", updated="2026-03-31"),
    })
    out = built(cli, site)
    assert "March 31, 2026" in page(out, "billing/refunds/policy/index.html")
    assert "2026年3月31日" in page(out, "zh-CN/billing/refunds/policy/index.html")
    japanese = page(out, "ja/billing/refunds/policy/index.html")
    assert '<html lang="ja"' in japanese and "2026年3月31日" in japanese
    assert "返金ポリシー" in japanese and "言語" in japanese     # the ja UI strings


# --- Several brands ---------------------------------------------------------------------------




@pytest.fixture
def brands_site(site):
    return write_site(site, {
        "helpgen.yml": TWO_BRANDS,
        "articles/devices/_category.yml": "title: {en: Devices, zh-CN: 设备}\n",
        "articles/devices/pair.md": article("Pair a device", "Hold the button.",
                                            brands="[bolt]"),
        "articles/devices/pair.zh-CN.md": article("配对设备", "按住按钮。"),
        "articles/devices/reset.md": article("Reset a device", "Unplug it."),
    })


def test_each_brand_is_a_complete_site_in_its_own_folder(cli, brands_site):
    out = built(cli, brands_site)
    for brand in ("acme", "bolt"):
        for path in ("index.html", "zh-CN/index.html", "search/index.html", "contact/index.html",
                     "sitemap.xml", "404.html", "widget.js", "_helpgen/search/en/manifest.js"):
            assert (out / brand / path).is_file(), f"{brand}/{path}"
    assert not (out / "billing").exists(), "a brand site was also written at the root"
    # Categories: acme shows all, bolt only devices; `brands:` keeps pair out of acme.
    assert (out / "acme/billing/refunds/request-a-refund/index.html").is_file()
    assert not (out / "bolt/billing").exists()
    assert (out / "bolt/devices/pair/index.html").is_file()
    assert (out / "bolt/zh-CN/devices/pair/index.html").is_file(), "translation inherits brands"
    assert not (out / "acme/devices/pair").exists()
    assert not (out / "acme/zh-CN/devices/pair").exists()
    assert (out / "acme/devices/reset/index.html").is_file()
    # Each brand's own name, colors, contact, URLs and search index.
    acme, bolt = page(out, "acme/index.html"), page(out, "bolt/index.html")
    assert "Acme Help" in acme and "Bolt Support" in bolt and "Acme 帮助" in page(
        out, "acme/zh-CN/index.html")
    assert "--hg-primary: #0b62d6;" in acme and "--hg-primary: #6a1b9a;" in bolt
    assert "help@bolt.example" in page(out, "bolt/contact/index.html")
    assert "help@acme.example" in page(out, "acme/contact/index.html")
    assert "<loc>https://support.bolt.example/devices/pair/</loc>" in page(out,
                                                                           "bolt/sitemap.xml")
    assert "<loc>https://help.acme.example/acme/</loc>" in page(out, "acme/sitemap.xml")
    bolt_titles = "".join(p.read_text(encoding="utf-8")
                          for p in (out / "bolt/_helpgen/search/en").glob("d*.js"))
    assert "Pair a device" in bolt_titles and "Request a refund" not in bolt_titles
    # The root page links to every brand in every language.
    root = page(out, "index.html")
    for link in ("acme/", "acme/zh-CN/", "bolt/", "bolt/zh-CN/"):
        assert f'href="{link}"' in root


def test_one_brand_can_be_built_alone_without_touching_the_others(cli, brands_site):
    out = built(cli, brands_site)
    acme_home = out / "acme/index.html"
    before = acme_home.stat().st_mtime_ns
    write_site(brands_site, {"articles/devices/reset.md": article("Reset a device",
                                                                  "Unplug it for ten seconds.")})
    result = cli("build", brands_site, "--brand", "bolt", "--quiet")
    assert result.exit_code == 0, result.output
    assert "ten seconds" in page(out, "bolt/devices/reset/index.html")
    assert acme_home.stat().st_mtime_ns == before
    assert "ten seconds" not in page(out, "acme/devices/reset/index.html")


def test_unknown_brands_are_errors_naming_the_file_and_line(cli, brands_site):
    result = cli("build", brands_site, "--brand", "blot")
    assert result.exit_code == 1
    assert "there is no brand 'blot'" in result.output and "did you mean 'bolt'" in result.output
    write_site(brands_site, {"articles/devices/reset.md": article("Reset", brands="[acme, bolts]")})
    result = cli("build", brands_site)
    assert result.exit_code == 1
    assert "articles/devices/reset.md:3: error: there is no brand 'bolts'" in result.output
    assert not (brands_site / "site").exists()


def test_a_problem_in_an_article_shared_by_brands_is_reported_once(cli, brands_site):
    write_site(brands_site, {"articles/devices/reset.md": article("Reset", "[x](missing.md)")})
    result = cli("build", brands_site)
    assert result.output.count("link to a missing article or file: 'missing.md'") == 1


def test_brand_base_paths_follow_base_url(cli, brands_site):
    out = built(cli, brands_site, "--base-url", "https://cdn.example/help/")
    assert '<link rel="canonical" href="https://cdn.example/help/bolt/devices/pair/">' in page(
        out, "bolt/devices/pair/index.html")
    assert page(out, "acme/404.html").count('href="/help/acme/') > 0


def test_a_base_path_puts_each_brand_in_its_folder_on_its_own_host(cli, brands_site):
    """--base-url /help/ moves the output folder on each brand's host: a brand with its own url
    keeps its host, a brand without one is on site.url's."""
    out = built(cli, brands_site, "--base-url", "/help/")
    assert '<link rel="canonical" href="https://support.bolt.example/help/bolt/devices/pair/">' \
        in page(out, "bolt/devices/pair/index.html")
    assert '<link rel="canonical" href="https://help.acme.example/help/acme/devices/reset/">' \
        in page(out, "acme/devices/reset/index.html")
    assert page(out, "bolt/404.html").count('href="/help/bolt/') > 0


def test_without_site_url_a_brand_is_still_served_from_its_folder(cli, brands_site):
    """Links that start from a brand's root (its 404 page's, _headers) name its folder in the
    output even when no site.url says where the output is served."""
    write_site(brands_site, {"helpgen.yml": TWO_BRANDS.replace(
        "  url: https://help.acme.example/\n", "")})
    out = built(cli, brands_site)
    rooted = re.findall(r'(?:href|src)="(/[^"]*)"', page(out, "acme/404.html"))
    assert rooted and all(link.startswith("/acme/") for link in rooted), rooted
    assert "/acme/widget.js\n" in page(out, "acme/_headers")


@pytest.mark.parametrize("url, args, root", [
    ("https://help.acme.example/?from=docs", [], "https://help.acme.example/acme/"),
    ("https://help.acme.example/", ["--base-url", "/help/?from=docs"],
     "https://help.acme.example/help/acme/"),
])
def test_a_query_in_the_address_leaves_brands_in_their_folders(cli, brands_site, url, args,
                                                               root):
    write_site(brands_site, {"helpgen.yml": TWO_BRANDS.replace(
        "https://help.acme.example/", url)})
    out = built(cli, brands_site, *args)
    assert f'<link rel="canonical" href="{root}devices/reset/">' in page(
        out, "acme/devices/reset/index.html")


def test_check_finds_a_link_broken_only_in_one_brand(cli, brands_site):
    write_site(brands_site, {"articles/devices/reset.md": article(
        "Reset a device", "First [pair it](pair.md).")})
    result = cli("check", brands_site, "--format", "json")
    problems = json.loads(result.output)["problems"]
    broken = [p for p in problems if p["code"] == "broken-link"]
    assert len(broken) == 1, problems
    assert broken[0]["path"].endswith("articles/devices/reset.md") and broken[0]["line"] == 5
    assert "other brands" in broken[0]["hint"]


def test_a_brand_can_have_fewer_locales(cli, brands_site):
    write_site(brands_site, {
        "helpgen.yml": TWO_BRANDS.replace("others: [zh-CN]", "others: [zh-CN, ja]")
        .replace("    categories: [devices]\n", "    categories: [devices]\n    locales: [en, ja]\n"),
        "articles/devices/reset.ja.md": article("デバイスをリセット"),
    })
    out = built(cli, brands_site)
    assert (out / "bolt/ja/devices/reset/index.html").is_file()
    assert not (out / "bolt/zh-CN").exists()
    assert (out / "acme/zh-CN/index.html").is_file() and (out / "acme/ja/index.html").is_file()
    switcher = re.search(r'<nav class="language-switcher".*?</nav>',
                         page(out, "bolt/devices/reset/index.html"), re.S).group(0)
    assert 'hreflang="ja"' in switcher and 'hreflang="zh-CN"' not in switcher
    assert "zh-CN" not in page(out, "bolt/sitemap.xml")


@pytest.mark.parametrize("locales, message", [
    ("[en, ko]", "brand 'bolt': 'ko' is not one of the site's locales"),
    ("[zh-CN]", "brand 'bolt': the default locale 'en' is missing"),
])
def test_brand_locales_must_be_site_locales_with_the_default(cli, brands_site, locales,
                                                            message):
    write_site(brands_site, {"helpgen.yml": TWO_BRANDS.replace(
        "    categories: [devices]\n", f"    categories: [devices]\n    locales: {locales}\n")})
    result = cli("build", brands_site)
    assert result.exit_code == 1
    assert f"helpgen.yml:20: error: {message}" in result.output, result.output


def test_a_single_brand_is_written_in_its_folder_with_a_page_leading_to_it(cli, site):
    write_site(site, {"helpgen.yml": BASIC_WITH + "brands:\n  - {id: acme, name: Acme Help}\n"})
    out = built(cli, site)
    assert (out / "acme/billing/refunds/request-a-refund/index.html").is_file()
    assert 'href="acme/"' in page(out, "index.html")
