"""Finding and replacing link targets in Markdown text, outside code.

Used by the MkDocs importer to move relative links and images to the articles' new places.
`rewrite_links(text, replace)` calls `replace(target, kind)` for every link target — kind is
"link", "image", "reference" or "html" (a `src`/`href` attribute in raw HTML) — and puts back
whatever it returns (None keeps the target as written).
"""

from __future__ import annotations

import re
from typing import Callable

from helpgen.importers.common import outside_code

# [text](target "title") and ![alt](target); the text may hold one level of brackets.
_INLINE = re.compile(
    r"(?P<open>(?P<bang>!?)\[(?:\\.|[^\[\]\\\n]|\[(?:\\.|[^\[\]\\\n])*\])*\]\(\s*)"
    r"(?P<target><[^<>\n]*>|(?:[^\s()\\]|\\.|\([^\s()]*\))+)"
    r"(?P<rest>(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\)))?\s*\))")
_REFERENCE = re.compile(r"^(?P<open> {0,3}\[[^\]\n]+\]:[ \t]*)(?P<target><[^<>\n]*>|\S+)",
                        re.MULTILINE)
_HTML_ATTR = re.compile(r"(?P<open><(?:img|a|source|video|audio|iframe)\b[^<>]*?\b(?:src|href)"
                        r"\s*=\s*(?P<quote>[\"']))(?P<target>[^\"'<>]*)(?P=quote)",
                        re.IGNORECASE)
_CODE_SPAN = re.compile(r"(`+)(?:.|\n)*?(?<!`)\1(?!`)")
_MACRO = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)

Replace = Callable[[str, str], "str | None"]


def rewrite_links(text: str, replace: Replace) -> str:
    out = []
    for is_code, chunk in outside_code(text):
        out.append(chunk if is_code else _rewrite_prose(chunk, replace))
    return "".join(out)


def _rewrite_prose(chunk: str, replace: Replace) -> str:
    # Keep `code spans` untouched: rewrite only the text between them.
    pieces, last = [], 0
    for match in _CODE_SPAN.finditer(chunk):
        pieces.append(_rewrite_text(chunk[last:match.start()], replace))
        pieces.append(match.group(0))
        last = match.end()
    pieces.append(_rewrite_text(chunk[last:], replace))
    return "".join(pieces)


def _rewrite_text(text: str, replace: Replace) -> str:
    def inline(match):
        return _swap(match, "image" if match.group("bang") else "link", replace)

    text = _INLINE.sub(inline, text)
    text = _REFERENCE.sub(lambda m: _swap(m, "reference", replace), text)
    return _HTML_ATTR.sub(lambda m: _swap(m, "html", replace, quoted=True), text)


def _swap(match, kind: str, replace: Replace, quoted: bool = False) -> str:
    target = match.group("target")
    angle = target.startswith("<") and target.endswith(">")
    bare = target[1:-1] if angle else target
    new = replace(bare, kind)
    if new is None or new == bare:
        return match.group(0)
    if angle or (not quoted and re.search(r"\s", new)):
        new = f"<{new}>"
    start, end = match.span("target")
    whole_start = match.start()
    text = match.group(0)
    return text[:start - whole_start] + new + text[end - whole_start:]


def uses_macros(text: str) -> bool:
    """True when Jinja syntax (`{{ … }}`, `{% … %}`) appears outside code."""
    return any(not is_code and _MACRO.search(_CODE_SPAN.sub("", chunk))
               for is_code, chunk in outside_code(text))


def uses_snippets(text: str) -> bool:
    """True when pymdownx.snippets includes (`--8<--`) appear."""
    return "--8<--" in text or ";--8<--" in text


def first_heading(text: str) -> str | None:
    """The text of the first level-1 heading (`# Title` or `Title` + `===`) outside code."""
    for is_code, chunk in outside_code(text):
        if is_code:
            continue
        lines = chunk.split("\n")
        for index, line in enumerate(lines):
            match = re.match(r"^ {0,3}#[ \t]+(.+?)[ \t]*#*[ \t]*$", line)
            if not match and index + 1 < len(lines) and line.strip() and \
                    re.match(r"^ {0,3}=+[ \t]*$", lines[index + 1]) and \
                    not line.startswith(("    ", "\t")):
                match = re.match(r"^\s*(.+?)\s*$", line)
            if match:
                return _plain(match.group(1)) or None
    return None


def _plain(heading: str) -> str:
    text = re.sub(r"\s*\{[^{}]*\}\s*$", "", heading)            # { #id .class }
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)      # links and images
    text = re.sub(r"(\*\*|\*|`|~~|==)(.+?)\1", r"\2", text)
    return " ".join(text.split())
