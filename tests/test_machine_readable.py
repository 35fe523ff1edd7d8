"""The help center read by machines (issue 16): each article as Markdown beside its page, announced
in the page's head, and each locale's llms.txt and llms-full.txt (llmstxt.org)."""

from __future__ import annotations

import gzip
import re
from urllib.parse import unquote, urlsplit

import pytest

from helpgen.output.host_files import headers_for

from conftest import BASIC_CONFIG, article, built, read_html, target_file, write_site

TALLYBOOK = "https://help.tallybook.example/"
LINK_LINE = re.compile(r"^- \[(?P<title>(?:[^\]\\]|\\.)+)\]\((?P<url>[^)\s]+)\)(?:: (?P<description>.+))?$")

RICH = """\
Press :material-cog: to open settings :smile: and read [the policy](policy.md#fees).

![The form](../../../assets/form.png)

## Steps

1. Open **Billing**
    - then *Refunds*
2. Select `Request`

!!! tip "Save time"
    Saved items are **reused**.

!!! warning
    Refunds take 5 days.

!!! example "A case"
    One refund.

> [!CAUTION]
> Refunds are final.

??? question "Can I cancel?"
    Yes.

=== "Web"
    Use the browser.

=== "Mobile"
    Use the app.

    ```bash
    acme refund --id 42
    ```

```python title="refund.py"
def refund(order):
    return api.post(f"/refunds/{order}")  # a | pipe
```

| Plan | Days |
|------|-----:|
| Basic \\| Plus | 14 |
| `pro` | [policy](policy.md) |

Text with a note[^1] and <b>raw</b> &lt;div&gt; text.

[^1]: The note.
"""

RICH_MARKDOWN = """\
# Request a refund

Press :material-cog: to open settings 😄 and read [the policy](../policy/#fees).

![The form](../../../assets/form.png)

## Steps

1. Open **Billing**
   - then *Refunds*
2. Select `Request`

> [!TIP]
> **Save time**
>
> Saved items are **reused**.

> [!WARNING]
> Refunds take 5 days.

> **A case**
>
> One refund.

> [!CAUTION]
> Refunds are final.

> **Can I cancel?**
>
> Yes.

**Web**

Use the browser.

**Mobile**

Use the app.

```bash
acme refund --id 42
```

```python title="refund.py"
def refund(order):
    return api.post(f"/refunds/{order}")  # a | pipe
```

| Plan | Days |
| --- | --- |
| Basic \\| Plus | 14 |
| `pro` | [policy](../policy/) |

Text with a note[^1] and **raw** &lt;div> text.

[^1]: The note.
"""


def lines_of(path):
    return path.read_text(encoding="utf-8").splitlines()


def llms_links(path) -> list[tuple[str, str, str | None]]:
    """(category heading, link URL, description) of each article line of an llms.txt."""
    category, links = None, []
    for line in lines_of(path):
        if line.startswith("## "):
            category = line[3:]
        elif line.startswith("- "):
            match = LINK_LINE.match(line)
            assert match and category, line
            links.append((category, match["url"], match["description"]))
    return links


@pytest.fixture
def rich_site(site):
    (site / "assets").mkdir()
    (site / "assets" / "form.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    write_site(site, {"articles/billing/refunds/request-a-refund.md": article(
        "Request a refund", RICH, order=1)})
    return site


def test_an_article_as_markdown_says_everything_its_page_shows(cli, rich_site):
    """Without site.url, links stay relative to the copy (beside the page, so as on the page);
    admonitions, tabs, icons, emoji, code, tables and footnotes are Markdown, not HTML."""
    config = BASIC_CONFIG.replace("  url: https://help.acme.example/\n", "")
    write_site(rich_site, {"helpgen.yml": config})
    out = built(cli, rich_site, "--strict")
    copy = out / "billing/refunds/request-a-refund/index.md"
    assert copy.read_text(encoding="utf-8") == RICH_MARKDOWN
    for target in re.findall(r"\]\(([^)\s]+)\)", RICH_MARKDOWN):
        assert target_file(out, copy, target).is_file(), target


def test_media_queries_and_anchors_lead_where_the_page_leads(cli, site):
    """A video, a recording, a link with a query and one to a section of the page itself."""
    write_site(site, {
        "helpgen.yml": BASIC_CONFIG.replace("  url: https://help.acme.example/\n", ""),
        "assets/clip.mp4": "video", "assets/sound.mp3": "audio",
        "articles/billing/refunds/policy.md": article("Refund policy", (
            '<video src="../../../assets/clip.mp4" controls>The clip</video>\n\n'
            '<audio controls><source src="../../../assets/sound.mp3"></audio>\n\n'
            "See [fees](#fees) and [this search](../../../search/?q=fee).\n\n## Fees\n"))})
    out = built(cli, site)
    copy = out / "billing/refunds/policy/index.md"
    assert copy.read_text(encoding="utf-8") == (
        "# Refund policy\n\n[The clip](../../../assets/clip.mp4)\n\n"
        "[sound.mp3](../../../assets/sound.mp3)\n\n"
        "See [fees](./#fees) and [this search](../../../search/?q=fee).\n\n## Fees\n")
    for target in ("../../../assets/clip.mp4", "../../../assets/sound.mp3", "./",
                   "../../../search/"):
        assert target_file(out, copy, target).is_file(), target


def test_with_a_site_url_every_link_of_the_copy_is_absolute(cli, rich_site):
    out = built(cli, rich_site)
    text = (out / "billing/refunds/request-a-refund/index.md").read_text(encoding="utf-8")
    assert "[the policy](https://help.acme.example/billing/refunds/policy/#fees)" in text
    assert "![The form](https://help.acme.example/assets/form.png)" in text
    assert "[policy](https://help.acme.example/billing/refunds/policy/)" in text


def test_the_page_head_announces_its_markdown_copy_under_a_base_path(cli, site):
    """An untranslated copy has no Markdown of its own: its head names the original's."""
    write_site(site, {"helpgen.yml": BASIC_CONFIG + "  untranslated: show_default\n"})
    out = built(cli, site, "--base-url", "/help/")
    for page, copy in [("billing/refunds/policy/index.html", "billing/refunds/policy/index.md"),
                       ("zh-CN/billing/refunds/request-a-refund/index.html",
                        "zh-CN/billing/refunds/request-a-refund/index.md"),
                       ("zh-CN/billing/refunds/policy/index.html",
                        "billing/refunds/policy/index.md")]:
        links = read_html(out / page).select('head link[rel="alternate"][type="text/markdown"]')
        assert len(links) == 1, page
        assert target_file(out, out / page, links[0]["href"]) == (out / copy).resolve(), page
        assert (out / copy).is_file()
    assert not (out / "zh-CN/billing/refunds/policy/index.md").exists()
    chinese = (out / "zh-CN/billing/refunds/request-a-refund/index.md").read_text(
        encoding="utf-8")
    assert chinese.startswith("# 申请退款\n\n## 开始之前\n\n申请退款流程很简单。")


def test_llms_txt_lists_every_published_article_by_category(example_build):
    """llmstxt.org: `# title`, `> description`, then per category its articles' Markdown
    copies with their descriptions; drafts never appear."""
    lines = lines_of(example_build / "llms.txt")
    assert lines[:3] == ["# Tallybook Help Center", "",
                         "> Guides, answers and troubleshooting for Tallybook — online invoicing, "
                         "expenses and payments for small businesses."]
    links = llms_links(example_build / "llms.txt")
    articles = {page.parent.relative_to(example_build).as_posix() + "/": page
                for page in example_build.rglob("index.html")
                if 'class="page-article"' in page.read_text(encoding="utf-8")
                and not page.relative_to(example_build).parts[0] in ("zh-CN", "zh-TW")}
    listed = [unquote(url.removeprefix(TALLYBOOK).removesuffix("index.md"))
              for _, url, _ in links]
    assert sorted(listed) == sorted(articles) and len(articles) > 30
    headings = [line[3:] for line in lines if line.startswith("## ")]
    assert len(headings) == len(set(headings)) == 6
    for category, url, description in links:
        assert (example_build / unquote(url.removeprefix(TALLYBOOK))).is_file(), url
        page = read_html(articles[unquote(url.removeprefix(TALLYBOOK).removesuffix("index.md"))])
        assert page.select("nav.breadcrumbs a")[1].get_text(strip=True) == category
        assert description == page.find("meta", attrs={"name": "description"})["content"]
    text = (example_build / "llms.txt").read_text(encoding="utf-8") + \
        (example_build / "llms-full.txt").read_text(encoding="utf-8")
    assert "sign-in loop" not in text.lower()
    assert not (example_build / "troubleshooting/sign-in/mobile-app-sign-in-loop").exists()


def test_llms_full_txt_holds_every_article_of_its_locale(example_build):
    for locale in ("", "zh-CN/"):
        links = llms_links(example_build / locale / "llms.txt")
        full = (example_build / locale / "llms-full.txt").read_text(encoding="utf-8")
        sources = re.findall(r"^Source: (\S+)$", full, re.M)
        assert sources == [url.removesuffix("index.md") for _, url, _ in links]
        for _, url, _ in links:
            copy = (example_build / unquote(url.removeprefix(TALLYBOOK))).read_text(
                encoding="utf-8")
            heading, body = copy.split("\n", 1)
            assert f"{heading}\n\nSource: {url.removesuffix('index.md')}\n{body}" in full
    chinese = (example_build / "zh-CN/llms-full.txt").read_text(encoding="utf-8")
    assert chinese.startswith("# Tallybook 帮助中心\n\n> Tallybook 使用指南")
    assert "# 申请退款" in chinese


def test_a_locale_lists_only_its_own_articles(cli, site):
    """Untranslated copies shown in zh-CN are the English articles: not published in zh-CN, so
    neither its llms.txt nor its llms-full.txt has them."""
    write_site(site, {"helpgen.yml": BASIC_CONFIG + "  untranslated: show_default\n"})
    out = built(cli, site)
    assert lines_of(out / "zh-CN/llms.txt") == [
        "# Acme 帮助中心", "", "其他语言版本： [English](https://help.acme.example/llms.txt)", "",
        "## 账单", "",
        "- [申请退款](https://help.acme.example/zh-CN/billing/refunds/request-a-refund/index.md)"
        ": 开始之前 申请退款流程很简单。"]
    assert "Refund policy" not in (out / "zh-CN/llms-full.txt").read_text(encoding="utf-8")
    assert [url for _, url, _ in llms_links(out / "llms.txt")] == [
        "https://help.acme.example/billing/refunds/request-a-refund/index.md",
        "https://help.acme.example/billing/refunds/policy/index.md"]


def test_without_a_site_url_llms_links_are_relative_to_the_file(cli, site):
    write_site(site, {"helpgen.yml": BASIC_CONFIG.replace(
        "  url: https://help.acme.example/\n", "")})
    out = built(cli, site)
    for locale in ("", "zh-CN/"):
        for _, url, _ in llms_links(out / locale / "llms.txt"):
            assert not urlsplit(url).scheme
            assert (out / locale / unquote(url)).is_file(), url
    assert "\nAlso available in: [简体中文](zh-CN/llms.txt)\n" in \
        (out / "llms.txt").read_text(encoding="utf-8")
    assert "\n其他语言版本： [English](../llms.txt)\n" in \
        (out / "zh-CN/llms.txt").read_text(encoding="utf-8")
    full = (out / "llms-full.txt").read_text(encoding="utf-8")
    assert "Read the [policy](billing/refunds/policy/)." in full
    assert (out / "billing/refunds/policy/index.html").is_file()


def test_each_brand_has_its_own_llms_txt(cli, site):
    write_site(site, {
        "helpgen.yml": BASIC_CONFIG + "brands:\n  - id: acme\n    name: Acme Help\n"
                       "  - id: bolt\n    name: Bolt Support\n    categories: [devices]\n",
        "articles/devices/_category.yml": "title: {en: Devices, zh-CN: 设备}\n",
        "articles/devices/pair.md": article("Pair a device", "Hold the button.",
                                            brands="[bolt]"),
        "articles/devices/reset.md": article("Reset a device", "Unplug it."),
    })
    out = built(cli, site)
    acme = llms_links(out / "acme/llms.txt")
    bolt = llms_links(out / "bolt/llms.txt")
    assert lines_of(out / "bolt/llms.txt")[0] == "# Bolt Support"
    assert [(category, url.rsplit("/", 2)[-2]) for category, url, _ in bolt] == [
        ("Devices", "pair"), ("Devices", "reset")]
    assert [url.rsplit("/", 2)[-2] for _, url, _ in acme] == [
        "request-a-refund", "policy", "reset"]
    for brand, links in (("acme", acme), ("bolt", bolt)):
        for _, url, _ in links:
            assert url.startswith(f"https://help.acme.example/{brand}/")
            assert (out / brand / unquote(url.split(f"/{brand}/", 1)[1])).is_file()


def test_hosts_send_the_copies_as_utf8_text(cli, site):
    out = built(cli, site, "--base-url", "/help/")
    rules = (out / "_headers").read_text(encoding="utf-8")
    assert headers_for(rules, "/help/zh-CN/billing/refunds/request-a-refund/index.md")[-1] == \
        ("Content-Type", "text/markdown; charset=utf-8")
    assert headers_for(rules, "/help/zh-CN/llms.txt")[-1] == \
        ("Content-Type", "text/plain; charset=utf-8")
    assert not any(name == "Content-Type" for name, _ in headers_for(rules, "/help/"))


def test_a_body_heading_of_the_first_level_goes_below_the_title(cli, site):
    write_site(site, {"articles/billing/refunds/policy.md": article(
        "Refund policy", "Intro.\n\n# Part one\n\n## Detail\n\nText.")})
    out = built(cli, site)
    assert (out / "billing/refunds/policy/index.md").read_text(encoding="utf-8") == \
        "# Refund policy\n\nIntro.\n\n## Part one\n\n### Detail\n\nText.\n"


def test_html_nested_hundreds_deep_keeps_its_text(cli, site):
    """Each level of HTML takes stack to say as Markdown: past a hundred, only the text."""
    write_site(site, {"articles/billing/refunds/policy.md": article(
        "Refund policy", "<div>" * 800 + "<b>Deep</b> text" + "</div>" * 800)})
    out = built(cli, site)
    assert (out / "billing/refunds/policy/index.md").read_text(encoding="utf-8") == \
        "# Refund policy\n\nDeep text\n"


def test_raw_html_dressed_as_tabs_keeps_its_text(cli, site):
    write_site(site, {"articles/billing/refunds/policy.md": article("Refund policy", (
        '<div class="tabbed-block">Lone tab</div>\n\n<div class="tabbed-set">'
        '<div class="tabbed-labels"><label>One</label></div><div class="tabbed-content">'
        '<div class="tabbed-block">First</div><div class="tabbed-block">Second</div>'
        '</div></div>\n'))})
    out = built(cli, site)
    assert (out / "billing/refunds/policy/index.md").read_text(encoding="utf-8") == \
        "# Refund policy\n\nLone tab\n\n**One**\n\nFirst\n\nSecond\n"


def test_precompressed_copies_for_hosts_that_serve_them(cli, site):
    write_site(site, {"articles/billing/refunds/policy.md": article(
        "Refund policy", "Refunds are paid back to the card you used. " * 100)})
    out = built(cli, site, "--precompress")
    copy = out / "billing/refunds/policy/index.md"
    assert gzip.decompress((out / "billing/refunds/policy/index.md.gz").read_bytes()) == \
        copy.read_bytes()


MARKDOWN_WORK = re.compile(r"wrote (\d+) Markdown cop")


def test_unchanged_articles_are_not_converted_to_markdown_again(cli, site, settled):
    first = cli("build", site, "--verbose")
    assert MARKDOWN_WORK.search(first.stdout)[1] == "3"
    write_site(site, {"notes.txt": "a file of the site folder that is not published"})
    again = cli("build", site, "--verbose")
    assert MARKDOWN_WORK.search(again.stdout)[1] == "0"
    write_site(site, {"articles/billing/refunds/policy.md": article(
        "Refund policy", "New text about refund windows.", order=2)})
    edited = cli("build", site, "--verbose")
    assert MARKDOWN_WORK.search(edited.stdout)[1] == "1"
    out = site / "site"
    assert "New text about refund windows." in (out / "llms-full.txt").read_text(
        encoding="utf-8")
    assert (out / "billing/refunds/policy/index.md").read_text(encoding="utf-8") == \
        "# Refund policy\n\nNew text about refund windows.\n"
    write_site(site, {"articles/billing/refunds/policy.md": article(
        "Refund rules", "New text about refund windows.", order=2)})
    assert MARKDOWN_WORK.search(cli("build", site, "--verbose").stdout)[1] == "1"
    assert "[Refund rules](" in (out / "llms.txt").read_text(encoding="utf-8")
