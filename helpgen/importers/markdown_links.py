"""Finding and replacing link targets in Markdown text, outside code.

Used by the MkDocs importer to move relative links and images to the articles' new places.
`rewrite_links(text, replace)` calls `replace(target, kind)` for every link target — kind is
"link", "image", "reference" or "html" (a `src`/`href` attribute in raw HTML) — and puts back
whatever it returns (None keeps the target as written).
"""

from __future__ import annotations

import re
from typing import Callable
from urllib.parse import SplitResult

from helpgen.importers.common import (UNSAFE_HTML, ImportReport, describe_removals, outside_code,
                                      split_url, unsafe_url)
from helpgen.content.sanitize import clean_html, safe_url

# [text](target "title") and ![alt](target); the text may hold one level of brackets.
_INLINE = re.compile(
    r"(?P<open>(?P<bang>!?)\[(?:\\.|[^\[\]\\\n]|\[(?:\\.|[^\[\]\\\n])*\])*\]\(\s*)"
    r"(?P<target><[^<>\n]*>|(?:[^\s()\\]|\\.|\([^\s()]*\))+)"
    r"(?P<rest>(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\)))?\s*\))")
# A footnote definition (`[^note]: text`) looks alike but holds text, not a target.
_REFERENCE = re.compile(
    r"^(?P<open> {0,3}\[(?!\^)[^\]\n]+\]:[ \t]*)(?P<target><[^<>\n]*>|\S+)", re.MULTILINE)
_HTML_ATTR = re.compile(r"(?P<open><(?:img|a|source|video|audio|iframe)\b[^<>]*?\b(?:src|href)"
                        r"\s*=\s*(?P<quote>[\"']))(?P<target>[^\"'<>]*)(?P=quote)",
                        re.IGNORECASE)
_CODE_SPAN = re.compile(r"(`+)(?:.|\n)*?(?<!`)\1(?!`)")
# Python-Markdown's autolinks, <https://…> and <name@host>: links, not HTML elements.
_AUTOLINK = re.compile(r"<(?:(?:[Ff]|[Hh][Tt])[Tt][Pp][Ss]?://[^<>]*|[^<> !]+@[^@<> ]+)>")
_MACRO = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)

Replace = Callable[[str, str], "str | None"]


def rewrite_links(text: str, replace: Replace) -> str:
    out = []
    for is_code, chunk in outside_code(text):
        out.append(chunk if is_code else _rewrite_prose(chunk, replace))
    return "".join(out)


def rewrite_page_links(text: str, source: str, report: ImportReport,
                       resolve: Callable[[str, SplitResult, str], "str | None"]) -> str:
    """An imported page's Markdown `text` with its links moved: an address that could run
    script becomes `#` (listed under UNSAFE_HTML), one on another host or a bare `#anchor` stays,
    any other is what `resolve(target, parts, kind)` gives (None keeps it as written). Raw HTML
    that runs script is listed for the writer to check; `source` names the page in the report."""
    removed: list[str] = []

    def replace(target: str, kind: str) -> str | None:
        if not safe_url(target):
            removed.append(unsafe_url(target, "image" if kind == "image" else "link"))
            return "#"
        parts = split_url(target)
        if parts.scheme or parts.netloc or not parts.path:
            return None
        return resolve(target, parts, kind)

    text = rewrite_links(text, replace)
    if removed:
        report.skip(UNSAFE_HTML, f"{source}: {describe_removals(removed)}")
    risky = unsafe_html(text)
    if risky:
        report.check("Raw HTML in pages that runs script or embeds other sites (kept as "
                     "written: remove or rewrite it)",
                     f"{source}: {describe_removals(risky, 'has')}")
    return text


def _rewrite_prose(chunk: str, replace: Replace) -> str:
    # Code spans are masked (same length, no brackets) so that nothing inside them is taken for a
    # link, while a link whose text holds a code span (`[`x`](y.md)`) is still found.
    masked = _CODE_SPAN.sub(
        lambda m: m.group(1) + "\0" * (len(m.group(0)) - 2 * len(m.group(1))) + m.group(1),
        chunk)
    edits: dict[int, tuple[int, str]] = {}
    for pattern, kind in ((_INLINE, None), (_REFERENCE, "reference"), (_HTML_ATTR, "html")):
        for match in pattern.finditer(masked):
            start, end = match.span("target")
            if "\0" in masked[start:end] or start in edits:
                continue
            link_kind = kind or ("image" if match.group("bang") else "link")
            new = _replacement(chunk[start:end], link_kind, replace)
            if new is not None:
                edits[start] = (end, new)
    for start in sorted(edits, reverse=True):
        end, new = edits[start]
        chunk = chunk[:start] + new + chunk[end:]
    return chunk


def _replacement(target: str, kind: str, replace: Replace) -> str | None:
    angle = target.startswith("<") and target.endswith(">")
    bare = target[1:-1] if angle else target
    new = replace(bare, kind)
    if new is None or new == bare:
        return None
    if angle or (kind != "html" and re.search(r"\s", new)):
        new = f"<{new}>"
    return new


def uses_macros(text: str) -> bool:
    """True when Jinja syntax (`{{ … }}`, `{% … %}`) appears outside code."""
    return any(not is_code and _MACRO.search(_CODE_SPAN.sub("", chunk))
               for is_code, chunk in outside_code(text))


def unsafe_html(text: str) -> list[str]:
    """What the sanitizer would remove from the raw HTML in Markdown `text` (code and
    autolinks left out), in words."""
    html = "".join(_AUTOLINK.sub("", _CODE_SPAN.sub("", chunk))
                   for is_code, chunk in outside_code(text) if not is_code)
    return [what for what, _ in clean_html(html, imported=True)[1]]


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
