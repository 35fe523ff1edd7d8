"""helpgen converts Markdown as Python-Markdown and pymdown-extensions do, with the extensions it
configures: its shortcuts (on each page, the inline patterns whose trigger is nowhere in the text
are skipped; Material's icons are looked up by name) must not change a page. The libraries
themselves, run without those shortcuts, are the oracle."""

from __future__ import annotations

import random
import re
import string

import markdown
import pytest
from material.extensions import emoji as material_emoji
from pymdownx import twemoji_db

from helpgen.content.markup import EXTENSIONS, ICONS_DIR, MarkdownRenderer, extension_configs

ALPHABET = string.ascii_letters + string.digits + string.punctuation + " \n\t" + "退款申请流程。，"

# A piece of each inline syntax of the configured extensions, and words around them.
SYNTAX = (
    "`code`", "``a ` b``", "++ctrl+alt+del++", "++enter++", r"\*not em\*", "[^1]\n\n[^1]: A note.",
    "[a link](page.md)", "[a ref][r]\n\n[r]: https://example.org", "[r]", "![a picture](a.png)",
    "![alt][r]", "<https://example.org>", "<me@example.org>", "<b>bold</b>", "line  \nbreak",
    "&amp; &copy; &#169;", ":smile:", ":material-account:", "*em*", "**strong**", "_em_",
    "__strong__", "^sup^", "^^ins^^", "==mark==", "~~del~~", "~sub~", "(tm)", "(c)", "(r)",
    "+/-", "-->", "<--", "<-->", "=/=", "1/2", "3/4", "c/o", "1st", "2nd", "3rd", "4th",
    "退款申请", "word", "x", "\n\n", " ",
)


def _texts():
    """Texts of random characters (a pattern that matched without its trigger would show
    there) and of random runs of syntax pieces (each pattern with its trigger, in company;
    apart, see test_smart_symbols_side_by_side)."""
    rng = random.Random(20)
    for _ in range(1500):
        yield "".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 40)))
    for _ in range(1500):
        yield "".join(rng.choice(SYNTAX) + rng.choice((" ", "\n", " x ", "\n\n"))
                      for _ in range(rng.randint(1, 8)))


def _reference() -> markdown.Markdown:
    """The configured extensions, as the libraries run them."""
    return markdown.Markdown(extensions=list(EXTENSIONS), output_format="html",
                             extension_configs=extension_configs())


def test_pages_convert_as_the_extensions_convert_them():
    """Skipping the patterns that cannot match a page (a backtick, a bracket, "<", "&", ":",
    "(tm)"… nowhere in it) leaves every page as the extensions alone would make it."""
    renderer, reference = MarkdownRenderer(), _reference()
    differing = []
    for text in _texts():
        body = "Text " + text           # a leading "# title" is the page's own title: not here
        reference.reset()
        expected = reference.convert(body)
        if renderer.convert(body, "page/", lambda target: None).html != expected:
            differing.append(body)
    assert not differing, differing[:5]


@pytest.mark.parametrize("body", ["the 2nd1/2 mile", "Text 1/2c/o"])
def test_smart_symbols_side_by_side(body):
    """An ordinal or c/o right after a fraction, or before one, is converted too."""
    reference = _reference()
    assert MarkdownRenderer().convert(body, "page/", lambda target: None).html == \
        reference.convert(body)


def test_every_icon_bundled_with_material_renders_by_its_name(monkeypatch):
    """`:fontawesome-brands-github:` and the rest: helpgen looks an icon up by its name (hyphens
    standing for folders) instead of listing Material's 10,000 files for each build; each name
    must give the picture Material's own index gives (first found wins there), and keep its
    name (for the Markdown copy). Emoji are written as their character (no picture from
    another host)."""
    names = sorted(":" + path.relative_to(ICONS_DIR).with_suffix("").as_posix().replace("/", "-")
                   + ":" for path in ICONS_DIR.rglob("*.svg"))
    icons = [name for name in names if name not in twemoji_db.aliases
             and "unicode" not in twemoji_db.emoji.get(name, {})]
    assert len(icons) > 5000 and ":fontawesome-brands-github:" in icons
    body = " ".join(icons)
    rendered = MarkdownRenderer().convert(body, "page/", lambda target: None).html
    # Material's index adds every icon to pymdownx's emoji table, where helpgen would then
    # find them too: it gets a copy, and only once helpgen's page is made.
    monkeypatch.setattr(twemoji_db, "emoji", dict(twemoji_db.emoji))
    material = markdown.Markdown(extensions=["pymdownx.emoji"], extension_configs={
        "pymdownx.emoji": {"emoji_index": material_emoji.twemoji,       # as Material's docs
                           "emoji_generator": material_emoji.to_svg}})  # configure it
    assert re.findall(r'<span class="twemoji" data-icon="([^"]+)">', rendered) == \
        [name.strip(":") for name in icons]
    assert re.sub(r' data-icon="[^"]*"', "", rendered) == material.convert(body)
    smile = "".join(chr(int(code, 16)) for code in twemoji_db.emoji[":smile:"]["unicode"].split("-"))
    page = MarkdownRenderer().convert(
        ":smile: :material-no-such-icon: :no-such-set-cog:", "page/", lambda target: None).html
    assert page == f"<p>{smile} :material-no-such-icon: :no-such-set-cog:</p>"
