"""HTML and Material's shortcodes as the plain one-line text that helpgen's titles and
plain-text brand settings want."""

from __future__ import annotations

import re

_SHORTCODE = re.compile(r":([a-z0-9_+]+(?:-[a-z0-9_+]+)*):")


def _soup(html: str):
    """`html` parsed, with each <br> a space, for `_text`."""
    from bs4 import BeautifulSoup
    soup = BeautifulSoup(html, "html.parser")
    for br in soup.find_all("br"):
        br.replace_with(" ")
    return soup


def _text(soup) -> str:
    """The text of HTML on one line, as helpgen's plain-text brand settings want it."""
    return " ".join(soup.get_text().split())


def _title_icon(text: str | None) -> str | None:
    """The bundled icon (`material/cellphone-link`) of the first icon shortcode in a title
    (`:material-cellphone-link: Graphical clients`): helpgen shows it as the article's or
    category's `icon`, before the title, where `_plain_title` leaves it out."""
    from helpgen.content.markup import shortcode_icon
    return next(filter(None, (shortcode_icon(match.group(0))
                              for match in _SHORTCODE.finditer(text or "")
                              if "-" in match.group(1))), None)


def _plain_title(text: str) -> str:
    """A title as helpgen shows it, plain text: HTML (`The&nbsp;<samp>pihole</samp> Command`)
    as its text, an emoji shortcode (`:smile:`) as the emoji, and the icon shortcodes of Material
    (`:material-home:`) left out: a title is text in lists, tabs and URLs."""
    from pymdownx import twemoji_db

    def shortcode(match: re.Match) -> str:
        emoji = twemoji_db.emoji.get(twemoji_db.aliases.get(match.group(0), match.group(0)))
        if emoji is None:
            return match.group(0) if "-" not in match.group(1) else ""
        return "".join(chr(int(code, 16)) for code in emoji["unicode"].split("-"))

    text = _SHORTCODE.sub(shortcode, text)
    return _text(_soup(text)) if "<" in text or "&" in text else " ".join(text.split())
