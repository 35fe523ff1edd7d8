"""Admonitions and tabs written for GitHub, Obsidian, Docusaurus, VitePress and GitBook render as
helpgen's own: the same HTML as the Material syntax (`!!! note`, `=== "Tab"`) that the themes
style. The oracle is the page written the Material way."""

from __future__ import annotations

import re

import pytest

from helpgen.content.markup import MarkdownRenderer
from tests.conftest import article, write_site

MARKERS = re.compile(r"\[![A-Za-z]|:::|\{%")


@pytest.fixture(scope="module")
def renderer():
    return MarkdownRenderer()


def html(renderer, body: str) -> str:
    return renderer.convert(body, "page/", lambda target: None).html


@pytest.mark.parametrize("alert, material", [
    ("> [!NOTE]\n> Useful **information**.\n> More.",
     '!!! note "Note"\n    Useful **information**.\n    More.'),
    ("> [!TIP]\n> Helpful advice.", '!!! tip "Tip"\n    Helpful advice.'),
    ("> [!IMPORTANT]\n> Key information.", '!!! tip "Important"\n    Key information.'),
    ("> [!WARNING]\n> Urgent info.", '!!! warning "Warning"\n    Urgent info.'),
    ("> [!CAUTION]\n> Risks.", '!!! danger "Caution"\n    Risks.'),
    ("> [!note]\n> lazy\ncontinued", '!!! note "Note"\n    lazy\n    continued'),
    ("> [!tip]- Open me\n> hidden", '??? tip "Open me"\n    hidden'),
    ("> [!NOTE] 注意事项\n> 中文内容。", '!!! note "注意事项"\n    中文内容。'),
    ("> [!question]\n> > [!todo] Nested\n> > inner\n>\n> outer",
     '!!! note "Question"\n    !!! note "Nested"\n        inner\n\n    outer'),
])
def test_github_alerts_are_admonitions(renderer, alert, material):
    page = "Intro.\n\n" + alert + "\n\nAfter.\n"
    assert html(renderer, page) == html(renderer, "Intro.\n\n" + material + "\n\nAfter.\n")
    assert "[!" not in html(renderer, page)


def test_container_admonitions_nest(renderer):
    docusaurus = ("::::info Parent\nOuter text.\n\n:::danger[Child **title**]\nInner.\n:::\n\n"
                  "More outer.\n::::\n\n:::caution\nYellow in Docusaurus.\n:::\n\n"
                  "::: details Click me\nHidden.\n:::\n\n:::note{title=\"From attrs\"}\nx\n:::\n")
    material = ('!!! note "Parent"\n    Outer text.\n\n    !!! danger "Child **title**"\n'
                '        Inner.\n\n    More outer.\n\n!!! warning "Caution"\n'
                '    Yellow in Docusaurus.\n\n??? note "Click me"\n    Hidden.\n\n'
                '!!! note "From attrs"\n    x\n')
    assert html(renderer, docusaurus) == html(renderer, material)


def test_gitbook_hints_and_tabs(renderer):
    gitbook = ('{% hint style="warning" %}\nCareful: **this**.\n{% endhint %}\n\n'
               '{% tabs %}\n{% tab title="Windows" %}\n```\npath\\to\\app.exe\n```\n{% endtab %}\n\n'
               '{% tab title="macOS" %}\nOpen *Finder*.\n{% endtab %}\n{% endtabs %}\n\n'
               '{% tabs %}\n{% tab title="Second set" %}\nx\n{% endtab %}\n{% endtabs %}\n')
    material = ('!!! warning ""\n    Careful: **this**.\n\n'
                '=== "Windows"\n\n    ```\n    path\\to\\app.exe\n    ```\n\n'
                '=== "macOS"\n\n    Open *Finder*.\n\n'
                '===! "Second set"\n\n    x\n')
    assert html(renderer, gitbook) == html(renderer, material)
    assert html(renderer, gitbook).count('class="tabbed-set') == 2


def test_gitbook_embeds_and_files_are_links(renderer):
    page = html(renderer, '{% embed url="https://www.youtube.com/watch?v=x" %}\nA video\n'
                '{% endembed %}\n\n{% file src="../.gitbook/assets/clip one.mp3" %}\n\n'
                '{% content-ref url="other.md" %}\n[Other](other.md)\n{% endcontent-ref %}\n')
    assert '<a href="https://www.youtube.com/watch?v=x">https://www.youtube.com/watch?v=x</a>' \
        in page
    assert '<a href="../.gitbook/assets/clip one.mp3">clip one.mp3</a>' in page
    assert ">Other</a>" in page and "{%" not in page


@pytest.mark.parametrize("code", [
    "```markdown\n> [!NOTE]\n> text\n:::tip\n{% hint style=\"info\" %}\n:::\n```",
    "~~~~\n:::tip\n```\n:::\n~~~~",
    "Indented code:\n\n    :::tip\n    {% hint style=\"info\" %}\n    > [!NOTE]",
])
def test_markers_in_code_stay_as_written(renderer, code):
    page = html(renderer, code + "\n\nAfter.\n")
    assert "admonition" not in page and "tabbed" not in page
    assert page == html(renderer.__class__(), code + "\n\nAfter.\n")
    for marker in (":::tip", "[!NOTE]", "{% hint"):
        if marker in code:
            assert marker in page.replace("&quot;", '"')


def test_code_inside_a_container_stays_as_written(renderer):
    page = html(renderer, ":::note\n```md\n:::warning\nnot a box\n:::\n```\n:::\n")
    assert page.count('class="admonition ') == 1
    assert ":::warning\nnot a box\n:::" in page


def test_containers_in_list_items(renderer):
    page = html(renderer, "1. Step one\n\n    :::tip\n    In the list.\n    :::\n\n"
                "    > [!NOTE]\n    > Also.\n\n2. Step two\n")
    assert re.search(r"<li>\s*<p>Step one</p>\s*<div class=\"admonition tip\">.*In the list.*"
                     r"<div class=\"admonition note\">.*Also.*</li>\s*<li>", page, re.DOTALL)


def test_unknown_types_are_notes_titled_by_type(renderer):
    page = html(renderer, ":::foo-bar\nx\n:::\n\n> [!WHATEVER]\n> y\n\n:::警告\nz\n:::\n\n"
                '{% hint style="sparkly" %}\nw\n{% endhint %}\n')
    assert page.count('<div class="admonition note">') == 4
    for title in ("Foo bar", "Whatever", "警告"):
        assert f'<p class="admonition-title">{title}</p>' in page
    assert not MARKERS.search(page)


@pytest.mark.parametrize("body", [
    ":::note\n" * 10_000 + "deep\n" + ":::\n" * 10_000,
    ":::note\n" * 10_000 + "unclosed\n",
    "".join("> " * level + "[!NOTE]\n" for level in range(1, 2_001)) + "deep\n",
    "> [!NOTE]\n" + "> " * 10_000 + "[!TIP]\n",
    '{% hint style="info" %}\n' * 10_000 + "deep\n" + "{% endhint %}\n" * 10_000,
    '{% tabs %}\n{% tab title="t" %}\n' * 5_000 + "unclosed\n",
    "{% endhint %}\n{% endtabs %}\n" * 1_000 + ":::\n",
    ":::tip\n> [!NOTE]\n{% hint %}\n" * 3_000,
])
def test_hostile_nesting_is_bounded(renderer, body):
    """Ten thousand nested or unclosed containers: no recursion error, no hang, no marker left
    as text (containers nested too deep keep their content at the deepest level)."""
    page = html(renderer, body)
    assert page.count("<div") <= 2 * 20 + 2
    assert not re.search(r"\[!NOTE\]|:::[a-z]|\{%", page)
    if "[!TIP]" in body:            # inside a plain quote, as on GitHub: not an alert
        assert page.count('<div class="admonition note">') == 1


def test_a_built_page_shows_them_as_the_theme_admonitions(cli, site):
    write_site(site, {
        "articles/guide/alerts.md": article("Alerts", "> [!WARNING]\n> Back up first.\n\n"
                                            ":::tip Try this\nShortcuts.\n:::\n"),
    })
    assert cli("build", site, "--strict").exit_code == 0
    page = (site / "site" / "guide" / "alerts" / "index.html").read_text(encoding="utf-8")
    assert '<div class="admonition warning">\n<p class="admonition-title">Warning</p>' in page
    assert '<p class="admonition-title">Try this</p>' in page
    assert not MARKERS.search(page)


def test_indented_code_inside_a_container_stays_as_written(renderer):
    page = html(renderer, ":::note\nAn example:\n\n    :::tip\n    not a box\n    :::\n:::\n")
    assert page.count('class="admonition ') == 1 and ":::tip\nnot a box\n:::" in page
    nested = html(renderer, "- item\n    - sub item\n\n        :::tip\n        In the sub item.\n"
                  "        :::\n")
    assert re.search(r"<li>\s*<p>sub item</p>\s*<div class=\"admonition tip\">", nested)


def test_markers_indented_by_one_to_three_spaces(renderer):
    page = html(renderer, '  {% tabs %}\n  {% tab title="A" %}\n\nText A.\n\n  {% endtab %}\n'
                '  {% tab title="B" %}\nText B.\n  {% endtab %}\n  {% endtabs %}\n\n'
                "   :::tip\n   Indented.\n   :::\n")
    assert '<label for="__tabbed_1_1">A</label><label for="__tabbed_1_2">B</label>' in page
    assert "<p>Text A.</p>" in page and '<div class="admonition tip">' in page


def test_gitbook_code_titles_and_api_blocks_are_blocks_of_their_own(renderer):
    page = html(renderer, 'Intro\n{% code title="setup.py" %}\n```python\nprint(1)\n```\n'
                '{% endcode %}\n{% swagger method="get" path="/x" baseUrl="https://e.com" '
                'summary="Get x" %}\n{% swagger-response status="200: OK" description="Fine" %}'
                '\n```json\n{}\n```\n{% endswagger-response %}\n{% endswagger %}\n')
    assert "<p>Intro</p>\n<p><strong>setup.py</strong></p>\n<div class=\"language-python" in page
    assert "<p><strong>GET</strong> <code>https://e.com/x</code> Get x</p>" in page
    assert "<p><strong>200: OK</strong> Fine</p>\n<div class=\"language-json" in page
    assert "{%" not in page and "<p><div" not in page.replace("\n", "")
