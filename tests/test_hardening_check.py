"""Errors a writer can trust (links reported where they are written, with a did-you-mean, no
false alarms for email links), and `markdown.raw_html`: raw HTML kept, shown as text, or
sanitized, with Markdown's own output published untouched."""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import BASIC_CONFIG, EXAMPLE_SITE, article, write_site

REFUNDS = "articles/billing/refunds"
REQUEST = f"{REFUNDS}/request-a-refund.md"
PAGE = "site/billing/refunds/request-a-refund/index.html"
WARNINGS = re.compile(r"^(\S+?):(\d+): (?:warning|error): (.*)$", re.M)


def check_json(cli, site, monkeypatch) -> list[dict]:
    monkeypatch.chdir(site)
    result = cli("check", ".", "--format", "json")
    assert "Traceback" not in result.output, result.output
    return json.loads(result.stdout)["problems"]


def body(site: Path) -> str:
    """The article part of the built request-a-refund page."""
    page = (site / PAGE).read_text(encoding="utf-8")
    return page[page.index("<article"):page.index("</article>")]


def with_setting(site: Path, value: str) -> None:
    write_site(site, {"helpgen.yml": BASIC_CONFIG + f"markdown:\n  raw_html: {value}\n"})


# --- A. Errors a writer can trust ----------------------------------------------------------


def test_email_tel_and_mailto_links_are_not_broken_and_are_published(cli, site, monkeypatch):
    write_site(site, {REQUEST: article("Request a refund", "Write to <support@example.com>, "
                                       "[call us](tel:+15550100) or [mail](mailto:a@b.example).")})
    problems = check_json(cli, site, monkeypatch)
    assert [p for p in problems if p["code"] == "broken-link"] == []
    result = cli("build", ".", "--strict")
    assert result.exit_code == 0, result.output
    hrefs = [html.unescape(h) for h in re.findall(r'href="([^"]*)"', body(site))]
    assert {"mailto:support@example.com", "tel:+15550100", "mailto:a@b.example"} <= set(hrefs)


def test_each_broken_link_is_reported_on_its_own_line(cli, site, monkeypatch):
    text = "\n".join([
        "The file missing.md is mentioned in prose and `[x](missing.md)` in code.",  # line 5
        "",
        "See [the guide](missing.md).",                                              # line 7
        "",
        "Again: [guide](missing.md) and ![shot](shot.png) ![shot](shot.png).",       # line 9
        "",
        "Read [the notes][notes].",                                                  # line 11
        "",
        "[notes]: gone.md",                                                          # line 13
    ])
    write_site(site, {REQUEST: article("Request a refund", text)})
    problems = check_json(cli, site, monkeypatch)
    lines = sorted((p["code"], p["line"]) for p in problems
                   if p["code"] in ("broken-link", "missing-image"))
    assert lines == [("broken-link", 7), ("broken-link", 9), ("broken-link", 13),
                     ("missing-image", 9)]
    messages = [p["message"] for p in problems if p["code"] == "broken-link"]
    assert all(m.isprintable() for m in messages), messages


def test_broken_anchor_is_reported_on_the_line_of_the_link(cli, site, monkeypatch):
    text = "Prose about policy.md#fees and #fees here.\n\nThe [fees](policy.md#fees) apply."
    write_site(site, {REQUEST: article("Request a refund", text)})
    anchors = [p for p in check_json(cli, site, monkeypatch) if p["code"] == "broken-anchor"]
    assert [(p["line"], p["message"]) for p in anchors] == [
        (7, "link to a missing anchor: 'policy.md#fees'")]


def test_broken_link_to_an_article_in_another_folder_says_where_it_is(cli, site, monkeypatch):
    write_site(site, {"articles/account/login/sign-in.md": article(
        "Sign in", "See [refunds](request-a-refund.md#before-you-start) and "
        "[the policy](polcy.md).")})
    problems = check_json(cli, site, monkeypatch)
    hints = {p["hint"].split("?")[0] for p in problems if p["code"] == "broken-link"}
    assert hints == {"did you mean '../../billing/refunds/request-a-refund.md#before-you-start'",
                     "did you mean '../../billing/refunds/policy.md'"}
    text = "\n".join(f"{p['message']} {p['hint']}" for p in problems)
    assert str(site) not in text and str(site.resolve()) not in text


def test_links_with_a_bracketed_host_do_not_crash_build_or_check(cli, site, monkeypatch):
    write_site(site, {REQUEST: article("Request a refund",
                                       "Open [the dashboard](http://[host]:2379/dashboard).")})
    check_json(cli, site, monkeypatch)
    result = cli("build", ".", "--strict")
    assert result.exit_code == 0, result.output


# --- B. markdown.raw_html ----------------------------------------------------------------------

HOSTILE = "\n".join([
    "Intro with <b onclick=\"alert(1)\">bold</b> inline.",        # line 5
    "",
    "<script>alert(2)</script>",                                   # line 7
    "",
    "<img src=\"x.png\" onerror=\"alert(3)\">",                     # line 9
    "",
    "<iframe src=\"https://www.youtube.com/embed/abc\"></iframe>",   # line 11
    "",
    "<iframe src=\"https://evil.example/\"></iframe>",               # line 13
    "",
    "Paragraph with a handler.",                                   # line 15
    "{: onmouseover=\"alert(4)\" }",
    "",
    "!!! note",
    "    An admonition.",
])


def test_raw_html_true_is_the_default_and_keeps_html(cli, site):
    write_site(site, {REQUEST: article("Request a refund", HOSTILE)})
    assert cli("build", str(site)).exit_code == 0
    assert "<script>alert(2)</script>" in body(site)


def test_raw_html_false_shows_html_as_text(cli, site, monkeypatch):
    with_setting(site, "false")
    write_site(site, {REQUEST: article("Request a refund", HOSTILE)})
    monkeypatch.chdir(site)
    result = cli("build", ".")
    assert result.exit_code == 0, result.output
    page = body(site)
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in page
    assert "<script>alert" not in page and "<b " not in page and "<iframe" not in page
    assert "onmouseover" not in page                         # set with attr_list
    assert 'class="admonition note"' in page                 # Markdown's own HTML still works
    assert re.search(r"request-a-refund\.md:16: warning: removed the onmouseover attribute of "
                     r"<p> .*\(markdown\.raw_html: false\)", result.output), result.output


def test_raw_html_sanitize_removes_what_can_run_script_and_says_where(cli, site, monkeypatch):
    with_setting(site, "sanitize")
    write_site(site, {REQUEST: article("Request a refund", HOSTILE)})
    monkeypatch.chdir(site)
    result = cli("build", ".")
    assert result.exit_code == 0, result.output
    page = body(site)
    assert "<b>bold</b>" in page and '<img src="../../../assets/x.png"' not in page
    assert "<script" not in page and "onclick" not in page and "onerror" not in page
    assert "onmouseover" not in page and "evil.example" not in page
    assert '<iframe src="https://www.youtube.com/embed/abc">' in page
    assert 'class="admonition note"' in page
    found = {(int(line), message.split(" from ")[0])
             for _, line, message in WARNINGS.findall(result.output) if "removed" in message}
    assert found == {(5, "removed the onclick attribute of <b>"), (7, "removed <script>"),
                     (9, "removed the onerror attribute of <img>"),
                     (13, "removed the address 'https://evil.example/' (src of <iframe>, "
                         "not an allowed video host)"),
                     (16, "removed the onmouseover attribute of <p>")}, result.output
    assert "(markdown.raw_html: sanitize)" in result.output
    assert cli("build", ".", "--strict").exit_code == 1


@pytest.mark.parametrize("value", ["true", "false", "sanitize"])
def test_script_links_are_never_published(cli, site, monkeypatch, value):
    with_setting(site, value)
    write_site(site, {REQUEST: article(
        "Request a refund", "A [link](javascript:alert(1)) and [another](JavaScript&#58;alert(2))"
        "\nand [data](data:text/html,<b>x</b>) and ![pic](javascript:alert(3)).")})
    monkeypatch.chdir(site)
    result = cli("build", ".")
    assert result.exit_code == 0, result.output
    hrefs = re.findall(r'(?:href|src)="([^"]*)"', body(site))
    assert not [h for h in hrefs if re.match(r"\s*(javascript|data):", html.unescape(h), re.I)]
    assert "request-a-refund.md:5: warning: removed the link to 'javascript:alert(1)'" in \
        result.output


@pytest.mark.parametrize("value, hint", [("sanitise", "did you mean 'sanitize'?"),
                                         ("1", "write one of: false, sanitize, true"),
                                         ("[a]", "write one of")])
def test_invalid_raw_html_is_a_config_error_with_line_and_hint(cli, site, value, hint):
    write_site(site, {"helpgen.yml": BASIC_CONFIG + f"markdown:\n  raw_html: {value}\n"})
    result = cli("build", str(site))
    assert result.exit_code == 1
    assert "helpgen.yml:8: error: markdown.raw_html must be true, false or sanitize" in \
        result.output, result.output
    assert hint in result.output


def test_changing_raw_html_converts_articles_again(cli, site):
    write_site(site, {REQUEST: article("Request a refund", "<script>alert(1)</script>")})
    assert cli("build", str(site)).exit_code == 0
    assert "<script>alert(1)</script>" in body(site)
    with_setting(site, "false")
    assert cli("build", str(site)).exit_code == 0
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body(site)
    with_setting(site, "true")
    assert cli("build", str(site)).exit_code == 0
    assert "<script>alert(1)</script>" in body(site)


EVERY_EXTENSION = r"""
## Heading {: #custom-id .special }

*em* **strong** ^^insert^^ ~~delete~~ ==mark== H~2~O x^2^ ++ctrl+alt+del++ (c) (tm) --> 1/2

The HTML spec is maintained by the W3C.

*[HTML]: Hyper Text Markup Language

Term
:   Definition.

| left | center | right |
|:-----|:------:|------:|
| a    | b      | c     |

- [x] done
- [ ] to do

Text with a footnote.[^1]

[^1]: The note.

!!! warning "Careful"
    Admonition text.

??? tip "Details"
    Hidden text.

=== "First"
    One.

=== "Second"
    Two.

```python hl_lines="1"
def f(x):
    return x  # comment
```

Inline `#!python print("hi")` code. :material-account: :smile: :fontawesome-solid-book:

<div markdown>
**inside HTML**
</div>

![picture](../../assets/logo.svg){ width="40" }
"""


def test_sanitize_leaves_markdown_output_byte_for_byte(cli, tmp_path):
    """The example site, and an article using every Markdown extension, build to the same
    pages with `raw_html: sanitize` as with `true`, without a warning."""
    pages = {}
    for value in ("true", "sanitize"):
        root = tmp_path / value
        shutil.copytree(EXAMPLE_SITE, root,
                        ignore=shutil.ignore_patterns("site", ".helpgen-cache"))
        config = root / "helpgen.yml"
        config.write_text(config.read_text(encoding="utf-8")
                          + f"\nmarkdown:\n  raw_html: {value}\n", encoding="utf-8")
        folder = next(p for p in sorted((root / "articles").iterdir()) if p.is_dir())
        write_site(folder, {"every-extension.md": article("Every extension", EVERY_EXTENSION)})
        result = cli("build", str(root), "--strict")
        assert result.exit_code == 0, result.output
        pages[value] = {p.relative_to(root / "site"): p.read_bytes()
                        for p in (root / "site").rglob("*.html")}
    assert pages["true"].keys() == pages["sanitize"].keys()
    changed = [p for p in pages["true"] if pages["true"][p] != pages["sanitize"][p]]
    assert changed == []
    every = next(v for p, v in pages["true"].items() if "every-extension" in str(p)).decode()
    for made in ("tabbed-set", "task-list", "footnote", "<abbr", "<svg", "<kbd", "<mark",
                 "highlight", "admonition", "<details", "<dl>", 'style="text-align: right;"'):
        assert made in every, made


@pytest.mark.parametrize("vector", [
    '<svg><a><animate attributeName="href" values="javascript:alert(1)"/><text>x</text></a></svg>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    '<!--><script>alert(1)</script>-->',
    '<a href="&#x6a;avascript&colon;alert(1)">x</a>',
    '<div x="1"onclick=alert(1)>x</div>',
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
    '<form action="https://evil.example/"><input type="password" name="p"></form>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
])
def test_sanitize_stops_known_tricks(cli, site, vector):
    with_setting(site, "sanitize")
    write_site(site, {REQUEST: article("Request a refund", f"Before.\n\n{vector}\n\nAfter.")})
    result = cli("build", str(site))
    assert result.exit_code == 0, result.output
    tags = " ".join(re.findall(r"<[^>]+>", body(site).lower()))      # text may say anything
    for bad in ("<script", "onerror", "onclick", "javascript", "<animate", "<form", "<meta",
                'type="password"'):
        assert bad not in tags, (bad, tags)
    assert "(markdown.raw_html: sanitize)" in result.output


def test_messages_and_hints_name_files_relative_to_the_site(cli, site, monkeypatch):
    write_site(site, {f"{REFUNDS}/policy.en.md": article("Refund policy again"),
                      REQUEST: article("Request a refund", "[x](gone.md) [y](policy.md#nowhere)")})
    problems = check_json(cli, site, monkeypatch)
    assert {"structure", "broken-link", "broken-anchor"} <= {p["code"] for p in problems}
    text = "\n".join(f"{p['message']} {p['hint']}" for p in problems)
    assert str(site.resolve()) not in text and "/tmp/" not in text, text


def test_check_reports_removed_html_with_its_code(cli, site, monkeypatch):
    with_setting(site, "sanitize")
    write_site(site, {REQUEST: article("Request a refund", HOSTILE)})
    problems = [p for p in check_json(cli, site, monkeypatch) if p["code"] == "unsafe-html"]
    assert (REQUEST, 7, "warning") in {(p["path"], p["line"], p["severity"]) for p in problems}
    write_site(site, {"helpgen.yml": BASIC_CONFIG + "markdown: {raw_html: sanitize}\n"
                      "check: {ignore: [unsafe-html]}\n"})
    assert [p for p in check_json(cli, site, monkeypatch) if p["code"] == "unsafe-html"] == []
