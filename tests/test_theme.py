"""Themes as layers: a built-in theme, the themes it extends, and the site's custom_dir over them
(templates, partials, static files, UI strings); the docs theme's sidebar; theme errors."""

from __future__ import annotations

import re
import shutil
import struct
import zlib

import pytest

from conftest import (BASIC_CONFIG, PROBE_THEME, RENDER_PROBE, Cli, article, readme_block,
                      render_marks, rendered_again, write_site)

ARTICLE = "billing/refunds/request-a-refund/index.html"
PAGES = ("index.html", "billing/index.html", ARTICLE, "search/index.html", "404.html",
         "zh-CN/index.html", "zh-CN/" + ARTICLE)


def read(out, page: str) -> str:
    return (out / page).read_text(encoding="utf-8")


def built(site, config: str = BASIC_CONFIG):
    write_site(site, {"helpgen.yml": config})
    result = Cli()("build", site, "-o", site / "out", "--quiet")
    assert result.exit_code == 0, result.stderr
    return site / "out"


def test_custom_dir_overrides_partials_extends_templates_and_adds_files(site):
    write_site(site, {
        # A partial replaced outright: every page uses it.
        "overrides/templates/partials/footer.html": '<footer class="acme-footer">Acme</footer>\n',
        # A template extending the theme's own version of itself, through one block.
        "overrides/templates/base.html": """\
            {% extends "theme/base.html" %}
            {% block stylesheets %}{{ super() }}<link rel="stylesheet" href="{{ url(asset('_theme/acme.css')) }}">{% endblock %}
            """,
        "overrides/static/acme.css": ".hero { color: rebeccapurple; }\n",
        # English overridden; Chinese keeps the theme's translation of the same string.
        "overrides/i18n/en.yml": "skip_to_content: Jump to the answer\n",
    })
    out = built(site, BASIC_CONFIG + "theme:\n  custom_dir: overrides\n")
    css = next((out / "_theme").glob("acme.*.css"))
    assert css.read_text(encoding="utf-8") == ".hero { color: rebeccapurple; }\n"
    for page in PAGES:
        html = read(out, page)
        assert '<footer class="acme-footer">Acme</footer>' in html, page
        assert f"_theme/{css.name}" in html and "_theme/helpgen." in html, page
    assert "Jump to the answer" in read(out, "index.html")
    assert "跳到正文" in read(out, "zh-CN/index.html")


def test_docs_theme_inherits_default_and_lists_the_locale_in_a_sidebar(site):
    write_site(site, {"articles/account/_category.yml": "title: {en: Account, zh-CN: 账户}\n",
                      "articles/account/sign-in/_section.yml": "title: {en: Sign-in, zh-CN: 登录}\n",
                      "articles/account/sign-in/reset.md": article("Reset your password")})
    out = built(site, BASIC_CONFIG + "theme:\n  name: docs\n")
    html = read(out, ARTICLE)
    assert 'class="article-layout"' in html and 'class="scheme-toggle"' in html   # default's
    sidebar = html[html.index('<nav class="docs-sidebar"'):]
    sidebar = sidebar[:sidebar.index("</nav>")]
    titles = re.findall(r'<a [^>]*>([^<]+)</a>', sidebar)
    assert titles == ["Billing", "Refunds", "Request a refund", "Refund policy",   # order: 1
                      "Account", "Sign-in", "Reset your password"]
    assert re.findall(r'aria-current="page">([^<]+)<', sidebar) == ["Request a refund"]
    assert re.search(r'_theme/docs\.[0-9a-f]{8}\.css', html)
    zh = read(out, "zh-CN/" + ARTICLE)
    assert 'aria-label="文章"' in zh and ">申请退款</a>" in zh and "Refund policy" not in zh
    for page in PAGES:
        assert 'class="docs-sidebar"' in read(out, page), page


def test_custom_template_may_extend_any_theme_of_the_chain_by_name(site):
    """Over docs, `theme/base.html` is docs' base (with the sidebar); `default/base.html` is the
    default theme's (without it)."""
    config = BASIC_CONFIG + "theme:\n  name: docs\n  custom_dir: overrides\n"
    write_site(site, {"overrides/templates/base.html": '{% extends "theme/base.html" %}\n'})
    assert 'class="docs-sidebar"' in read(built(site, config), ARTICLE)
    write_site(site, {"overrides/templates/base.html": '{% extends "default/base.html" %}\n'})
    assert 'class="docs-sidebar"' not in read(built(site, config), ARTICLE)


@pytest.mark.parametrize("theme, rerendered", [("default", False), ("docs", True)])
def test_sidebar_titles_are_part_of_the_page_cache_key_only_in_themes_that_show_them(
        site, theme, rerendered):
    """Renaming an article re-renders pages in other categories only when they show the
    locale's navigation."""
    write_site(site, {**RENDER_PROBE,
                      "articles/account/_category.yml": "title: Account\n",
                      "articles/account/sign-in/_section.yml": "title: Sign-in\n",
                      "articles/account/sign-in/reset.md": article("Reset your password")})
    config = BASIC_CONFIG + PROBE_THEME + f"  name: {theme}\n"
    marks = render_marks(built(site, config))
    write_site(site, {"articles/billing/refunds/policy.md": article("Refund rules", order=2)})
    out = built(site, config)
    assert ("account/sign-in/reset/index.html" in rendered_again(marks, out)) == rerendered
    assert ("Refund rules" in read(out, "account/sign-in/reset/index.html")) == rerendered


def test_a_theme_read_once_per_process_still_follows_every_edit(site, settled):
    """A live preview reads the theme once (while its files stay as they are); a template, a UI
    string or a static file edited later, even to the same size, still reaches every page of the
    next build in the same process."""
    write_site(site, {"overrides/templates/partials/footer.html": "<footer>One</footer>\n",
                      "overrides/i18n/en.yml": "skip_to_content: Jump one\n",
                      "overrides/static/acme.css": ".one {}\n"})
    config = BASIC_CONFIG + "theme:\n  custom_dir: overrides\n"
    built(site, config)
    write_site(site, {"overrides/templates/partials/footer.html": "<footer>Two</footer>\n",
                      "overrides/i18n/en.yml": "skip_to_content: Jump two\n",
                      "overrides/static/acme.css": ".two {}\n"})
    out = built(site, config)
    assert "<footer>Two</footer>" in read(out, ARTICLE) and "Jump two" in read(out, "index.html")
    assert next((out / "_theme").glob("acme.*.css")).read_text(encoding="utf-8") == ".two {}\n"


def test_an_edit_to_any_layer_of_the_theme_reaches_every_page(site, installation):
    """The theme a page was rendered with includes the theme it extends and custom_dir: an edit
    to either renders every page again (an upgrade of helpgen's themes, or a custom partial)."""
    run, themes = installation, installation.folder / "themes"
    write_site(site, {"helpgen.yml": BASIC_CONFIG + "theme:\n  name: docs\n"
                      "  custom_dir: overrides\n", "overrides/templates/.keep": ""})
    assert run("build", site, "-o", site / "out").returncode == 0
    footer = themes / "default/templates/partials/footer.html"
    footer.write_text(footer.read_text(encoding="utf-8").replace(
        "</footer>", "<p>Upgraded</p></footer>"), encoding="utf-8")
    assert run("build", site, "-o", site / "out").returncode == 0
    assert all("<p>Upgraded</p></footer>" in read(site / "out", page) for page in PAGES)
    write_site(site, {"overrides/templates/partials/footer.html": "<footer>Acme</footer>\n"})
    assert run("build", site, "-o", site / "out").returncode == 0
    assert all("<footer>Acme</footer>" in read(site / "out", page) for page in PAGES)


def test_unknown_theme_names_the_built_in_ones(site, cli):
    write_site(site, {"helpgen.yml": BASIC_CONFIG + "theme:\n  name: material\n"})
    result = cli("build", site, "-o", site / "out")
    assert result.exit_code == 1
    assert "helpgen.yml:8: error: there is no built-in theme 'material'" in result.stderr
    assert "\n  hint: the built-in themes are: default, docs\n" in result.stderr
    write_site(site, {"helpgen.yml": BASIC_CONFIG + "theme:\n  name: doc\n"})
    assert "\n  hint: did you mean 'docs'?\n" in cli("build", site, "-o", site / "out").stderr


@pytest.mark.parametrize("settings, message", [
    ("extends: default\nsidebar: true\n", "'sidebar' is not a theme setting"),
    ("extends: mine\n", "theme 'mine' extends itself through 'mine'"),
])
def test_theme_yml_mistakes_are_errors_at_the_file(site, installation, settings, message):
    """A built-in theme's theme.yml gone wrong (a helpgen developer's mistake) is an error
    naming the file, not a traceback."""
    run, themes = installation, installation.folder / "themes"
    shutil.copytree(themes / "docs", themes / "mine")
    (themes / "mine/theme.yml").write_text(settings, encoding="utf-8")
    write_site(site, {"helpgen.yml": BASIC_CONFIG + "theme:\n  name: mine\n"})
    result = run("build", site, "-o", site / "out")
    assert result.returncode == 1
    assert f"{themes / 'mine/theme.yml'}: error: {message}\n" in result.stderr
    assert "Traceback" not in result.stderr


def test_template_mistake_in_custom_dir_is_reported_at_its_line(site, cli):
    write_site(site, {"helpgen.yml": BASIC_CONFIG + "theme:\n  custom_dir: overrides\n",
                      "overrides/templates/partials/footer.html":
                          "<footer>\n{{ brand.nmae }}\n</footer>\n"})
    result = cli("build", site, "-o", site / "out")
    assert result.exit_code == 1
    assert "overrides/templates/partials/footer.html:2: error: template:" in result.output
    assert "nmae" in result.output and "internal error" not in result.output


def test_readme_override_example_works(site):
    write_site(site, {"overrides/templates/base.html": readme_block("## Themes", "jinja")})
    out = built(site, BASIC_CONFIG + readme_block("## Themes", "yaml"))
    html = read(out, ARTICLE)
    assert html.index('class="site-footer"') < html.index('<p class="legal">Tallybook Ltd.')
    assert 'class="docs-sidebar"' in html


def _png(width: int, height: int) -> bytes:
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + header + struct.pack(
        ">I", zlib.crc32(b"IHDR" + header))


# The first bytes of an image of 300 × 60 in each format a logo may be (what browsers size by).
LOGOS = {
    "logo.png": _png(300, 60),
    "logo.gif": b"GIF89a" + struct.pack("<HH", 300, 60) + b"\x00\x00\x00",
    # SOI, an APP0 segment to skip, then SOF2 (progressive): precision, height, width.
    "logo.jpg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(9)
                + b"\xff\xc2\x00\x11\x08" + struct.pack(">HH", 60, 300) + bytes(12),
    "logo.webp": b"RIFF\x16\x00\x00\x00WEBPVP8X\x0a\x00\x00\x00" + bytes(4)
                 + (299).to_bytes(3, "little") + (59).to_bytes(3, "little"),
    "logo-lossy.webp": b"RIFF\x00\x00\x00\x00WEBPVP8 \x00\x00\x00\x00" + bytes(3)
                       + b"\x9d\x01\x2a" + struct.pack("<HH", 300, 60),
    "logo-lossless.webp": b"RIFF\x00\x00\x00\x00WEBPVP8L\x00\x00\x00\x00\x2f"
                          + (299 | 59 << 14).to_bytes(4, "little"),
    "logo.svg": '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 60"/>',
    "logo-px.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="300px" height="60"'
                   ' viewBox="0 0 10 10"/>',
}


@pytest.mark.parametrize("name", LOGOS)
def test_the_logo_has_its_width_and_height(site, name):
    """The logo <img>s say their size (34 px high, as wide as the image's aspect ratio makes
    it), so the header does not reflow when they load."""
    content = LOGOS[name]
    (site / "assets").mkdir(exist_ok=True)
    (site / "assets" / name).write_bytes(content.encode() if isinstance(content, str) else content)
    out = built(site, BASIC_CONFIG + f"brand:\n  logo: assets/{name}\n  logo_dark: assets/{name}\n")
    logos = re.findall(r'<img class="brand-logo[^>]*>', read(out, ARTICLE))
    assert len(logos) == 2
    for logo in logos:
        assert 'width="170" height="34"' in logo, logo


def test_a_logo_of_unknown_size_keeps_its_height_only(site):
    (site / "assets").mkdir(exist_ok=True)
    (site / "assets" / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    out = built(site, BASIC_CONFIG + "brand:\n  logo: assets/logo.svg\n")
    [logo] = re.findall(r'<img class="brand-logo[^>]*>', read(out, ARTICLE))
    assert 'height="34"' in logo and "width=" not in logo
