"""Admonitions and tabs written for other tools, rendered as helpgen's own.

GitHub alerts (`> [!NOTE]`, also DocFX's and Obsidian's callouts, `> [!tip]- Title`),
Docusaurus and VitePress containers (`:::tip Title`, `:::note[Title]`, `::: details`) and
GitBook blocks (`{% hint style="info" %}`, `{% tabs %}` / `{% tab title="…" %}`, `{% embed %}`,
`{% file %}`, `{% content-ref %}`, `{% code %}`, `{% swagger… %}`) are rewritten, before
Python-Markdown parses the page, into the syntax pymdownx already renders: `!!! type "Title"`
admonitions, `??? type "Title"` collapsible blocks and `=== "Tab"` tabs, with the content
indented under them. So the HTML is exactly that of an admonition or tab written the Material
way, which the themes style.

One pass over the lines, with an explicit stack (no recursion): fenced code stays as written
(a marker there is text), a marker indented as code is text, unknown types become a `note`
with the type as its title, an unclosed container ends with the page, and containers nested
deeper than MAX_NESTING keep their content at the deepest level.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

MAX_NESTING = 16      # Python-Markdown parses each level of a block by recursion

# Admonition types the themes style (themes/default/static/helpgen.css), kept as written.
STYLED = {"note", "tip", "hint", "success", "warning", "caution", "attention", "danger",
          "error", "failure", "bug"}
# Types of the other tools that helpgen shows as one of its own: (type, title).
RENAMED = {"info": ("note", "Info"), "important": ("tip", "Important")}
# `caution` is GitHub's red alert and Docusaurus' yellow one.
CAUTION = {"github": ("danger", "Caution"), "docusaurus": ("warning", "Caution")}
# GitBook hints have no title; their styles.
HINT = {"info": "note", "success": "success", "tip": "tip", "warning": "warning",
        "danger": "danger"}

_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
_LIST_OR_BLOCK = re.compile(r"^(?:[-*+][ \t]|\d{1,9}[.)][ \t]|!!!|\?\?\?|===)")
_ALERT = re.compile(r"^>[ ]?\[!([^\W\d_][\w-]*)\]([+-]?)[ \t]*(.*)$")
_COLONS_OPEN = re.compile(r"^(:{3,})[ \t]*([^\W\d_][\w-]*)[ \t]*(.*)$")
_COLONS_CLOSE = re.compile(r"^(:{3,})[ \t]*$")
# The GitBook tags helpgen knows; any other `{% … %}` is text (as a template tag may be).
GITBOOK_TAGS = ("hint", "tabs", "tab", "embed", "file", "content-ref", "code", "swagger",
                "swagger-description", "swagger-parameter", "swagger-response", "stepper",
                "step", "columns", "column", "updates", "update")
_GITBOOK = re.compile(r"^\{%-?[ \t]*(end)?(" + "|".join(
    sorted(map(re.escape, GITBOOK_TAGS), key=len, reverse=True)) + r")\b(.*?)-?%\}[ \t]*$")
_ATTRIBUTE = re.compile(r"""([\w-]+)[ \t]*=[ \t]*(?:"([^"]*)"|'([^']*)')""")
_MARKERS = (":::", "[!", "{%")


@dataclass
class _Frame:
    """An open container: how its lines are recognized (`kind`, `depth` of colons) and
    re-indented (`indent` removed from each line, `prefix` put in front)."""

    kind: str                       # "alert", "colons", a GitBook tag, or "root"
    indent: int = 0
    prefix: str = ""
    colons: int = 0
    fence: str = ""                 # the fence of the code block open inside it
    context: int | None = None      # indentation of the list item or block its lines are in
    tabs_started: bool = False      # for a GitBook `tabs`: a tab was written
    deeper: list = field(default_factory=list)   # containers past MAX_NESTING, flattened
    after_text: bool = False        # an alert's last line was text (a lazy line may follow)


def _title(dialect: str, name: str) -> tuple[str, str]:
    """helpgen's admonition type and the default title for a type of another tool."""
    folded = name.lower()
    if folded == "caution" and dialect in CAUTION:
        return CAUTION[dialect]
    if folded in RENAMED:
        return RENAMED[folded]
    if folded in STYLED:
        return folded, folded.capitalize()
    return "note", name.replace("-", " ").replace("_", " ").capitalize()


def _quoted(title: str) -> str:
    return '"' + " ".join(title.split()) + '"'


def _attributes(text: str) -> dict[str, str]:
    return {m.group(1).lower(): m.group(2) if m.group(2) is not None else m.group(3)
            for m in _ATTRIBUTE.finditer(text)}


def rewrite(lines: list[str]) -> list[str]:
    """The lines of a page with its blocks of other tools in pymdownx syntax (tabs expanded, as
    Python-Markdown does first); the importers write pages so."""
    if not any(marker in line for line in lines for marker in _MARKERS):
        return lines
    return _Rewriter().rewrite(lines)


class DialectPreprocessor(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        return rewrite(lines)


class _Rewriter:
    def __init__(self):
        self.stack = [_Frame("root")]
        self.out: list[str] = []

    def rewrite(self, lines: list[str]) -> list[str]:
        for line in lines:
            self.line(line)
        return self.out

    # One line, through the open containers

    def line(self, line: str) -> None:
        start = 0                   # where the line starts inside the open containers
        for position, frame in enumerate(self.stack[1:], start=1):
            if frame.kind != "alert":
                start = _skip_spaces(line, start, frame.indent)
                continue
            inside = self._alert_line(frame, line, start)
            if inside is None:
                self._close(position)
                break
            start = inside
        inner = line[start:]
        frame = self.stack[-1]
        if frame.fence:
            self._code(frame, inner)
            return
        if not inner.strip():
            frame.after_text = False
            self.out.append("")
            return
        indent = len(inner) - len(inner.lstrip(" "))
        text = inner.lstrip(" ")
        if indent >= 4 and (frame.context is None or indent >= frame.context + 8):
            self._emit(frame, inner)            # indented code: text
            frame.after_text = False
            return
        if _LIST_OR_BLOCK.match(text):
            frame.context = indent
        elif indent < 4:
            frame.context = None
        if self._marker(frame, indent, text):
            return
        fence = _FENCE.match(inner)
        if fence:
            frame.fence = fence.group(1)
        frame.after_text = not fence
        self._emit(frame, inner)

    def _alert_line(self, frame: _Frame, line: str, start: int) -> int | None:
        """Where `line` goes on inside the alert's `>` (from `start`), or None when the alert
        has ended (a lazy continuation of its last paragraph stays in it)."""
        quote = _skip_spaces(line, start, frame.indent + 3)
        if line.startswith(">", quote):
            return quote + 2 if line.startswith(" ", quote + 1) else quote + 1
        text = line[start:].strip()
        if frame is self.stack[-1] and frame.after_text and text and not frame.fence \
                and not self._starts_marker(text):
            return len(line) - len(line[start:].lstrip(" "))
        return None

    @staticmethod
    def _starts_marker(text: str) -> bool:
        return bool(_COLONS_OPEN.match(text) or _COLONS_CLOSE.match(text)
                    or _GITBOOK.match(text) or _FENCE.match(text))

    def _code(self, frame: _Frame, inner: str) -> None:
        closing = _FENCE.match(inner)
        if closing and closing.group(1)[0] == frame.fence[0] and \
                len(closing.group(1)) >= len(frame.fence) and \
                not inner.strip().strip(frame.fence[0]):
            frame.fence = ""
        self._emit(frame, inner)

    def _emit(self, frame: _Frame, inner: str) -> None:
        self.out.append(frame.prefix + inner if inner.strip() else "")

    # Markers

    def _marker(self, frame: _Frame, indent: int, text: str) -> bool:
        """Handle `text` if it opens or closes a container; True if it did."""
        alert = _ALERT.match(text)
        if alert:
            name, fold, title = alert.groups()
            kind, default = _title("github", name)
            opener = ("???+" if fold == "+" else "???") if fold else "!!!"
            self._open(_Frame("alert", indent), f'{opener} {kind} {_quoted(title or default)}',
                       plain=f"**{title or default}**")
            self.stack[-1].after_text = False
            return True
        colons = _COLONS_CLOSE.match(text)
        if colons:
            return self._close_colons(len(colons.group(1)))
        colons = _COLONS_OPEN.match(text)
        if colons:
            count, name, rest = colons.groups()
            title = _colon_title(rest)
            if name.lower() == "details":
                line = f'??? note {_quoted(title or "Details")}'
            else:
                kind, default = _title("docusaurus", name)
                line = f"!!! {kind} {_quoted(title or default)}"
            self._open(_Frame("colons", indent, colons=len(count)), line)
            return True
        tag = _GITBOOK.match(text)
        if tag:
            self._gitbook(frame, indent, bool(tag.group(1)), tag.group(2),
                          _attributes(tag.group(3)))
            return True
        return False

    def _gitbook(self, frame: _Frame, indent: int, end: bool, name: str, attrs: dict) -> None:
        if end:
            if name in ("hint", "tabs", "tab"):
                self._close_named(name)
            self.out.append("")                 # the end of a block that is not a container
            return
        if name == "hint":
            self._open(_Frame("hint", indent),
                       f'!!! {HINT.get(attrs.get("style", "").lower(), "note")} ""')
        elif name == "tabs":
            self._open(_Frame("tabs", indent), None)
        elif name == "tab":
            parent = self.stack[-1]
            opener = "===" if parent.kind == "tabs" and parent.tabs_started else "===!"
            if parent.kind == "tabs":
                parent.tabs_started = True
            self._open(_Frame("tab", indent), f'{opener} {_quoted(attrs.get("title") or "Tab")}',
                       plain=f'**{attrs.get("title") or "Tab"}**')
        else:                                   # a block of its own, then its content
            line = _gitbook_line(name, attrs)
            if line and self.out and self.out[-1]:
                self.out.append("")
            self._emit(frame, " " * indent + line)
            self.out.append("")

    def _open(self, frame: _Frame, line: str | None, plain: str | None = None) -> None:
        """Open `frame` with its first line (`line`, None for none); past MAX_NESTING its
        content stays where it is, `plain` written instead of `line`."""
        parent = self.stack[-1]
        # Python-Markdown reads a block indented by 1 to 3 spaces as not indented.
        written = " " * frame.indent if frame.indent >= 4 else ""
        if len(self.stack) > MAX_NESTING:
            if plain is not None:
                self._emit(parent, written + plain)
            if frame.kind == "alert":           # its lines still start with `>`
                frame.prefix = parent.prefix + written
                self.stack.append(frame)
            else:
                parent.deeper.append(frame)
            return
        if self.out and self.out[-1]:
            self.out.append("")
        frame.prefix = parent.prefix + written + ("" if line is None else "    ")
        if line is not None:
            self.out.append(parent.prefix + written + line)
        self.stack.append(frame)

    def _close(self, position: int) -> None:
        """Close the container at `position` of the stack and those inside it."""
        del self.stack[position:]

    def _close_colons(self, count: int) -> bool:
        deeper = self.stack[-1].deeper
        if deeper and deeper[-1].kind == "colons" and deeper[-1].colons <= count:
            deeper.pop()
            return True
        for position in range(len(self.stack) - 1, 0, -1):
            frame = self.stack[position]
            if frame.kind == "colons" and frame.colons <= count:
                self._close(position)
                self.out.append("")
                return True
        return False                            # a line of colons and nothing open: text

    def _close_named(self, name: str) -> None:
        deeper = self.stack[-1].deeper
        if deeper and deeper[-1].kind == name:
            deeper.pop()
            return
        for position in range(len(self.stack) - 1, 0, -1):
            if self.stack[position].kind == name:
                self._close(position)
                return


def _skip_spaces(line: str, start: int, most: int) -> int:
    """The position after up to `most` spaces of `line` from `start`."""
    end = start
    while end < len(line) and end - start < most and line[end] == " ":
        end += 1
    return end


def _colon_title(rest: str) -> str:
    """The title of `:::type Title`, `:::type[Title]` or `:::type{title="Title"}`."""
    rest = rest.strip()
    if rest.startswith("[") and "]" in rest:
        return rest[1:rest.index("]")]
    if rest.startswith("{"):
        return _attributes(rest).get("title", "")
    return rest


def _gitbook_line(name: str, attrs: dict) -> str:
    """A GitBook block that is not a container, as a line of Markdown: an embed or a file as
    a link, an API method as its name and path, the rest as nothing (their content stays)."""
    url = (attrs.get("url") or attrs.get("src") or "").replace("<", "%3C").replace(">", "%3E")
    if name in ("embed", "file") and url:
        text = attrs.get("caption") or (url if name == "embed" else url.rsplit("/", 1)[-1])
        return "[" + re.sub(r"([\\\[\]])", r"\\\1", text) + f"](<{url}>)"
    if name == "code" and attrs.get("title"):
        return f"**{attrs['title']}**"
    if name == "swagger":
        return f"**{attrs.get('method', '').upper()}** `{attrs.get('baseurl', '')}" \
            f"{attrs.get('path', '')}` {attrs.get('summary', '')}".strip()
    if name == "swagger-parameter":
        facts = ", ".join(v for v in (attrs.get("in"), attrs.get("type"),
                                      "required" if attrs.get("required") == "true" else "")
                          if v)
        return f"`{attrs.get('name', '')}` ({facts})" if facts else f"`{attrs.get('name', '')}`"
    if name == "swagger-response":
        return f"**{attrs.get('status', '')}** {attrs.get('description', '')}".strip()
    if name in ("step", "update") and attrs.get("date"):
        return f"**{attrs['date']}**"
    return ""


class DialectExtension(Extension):
    def extendMarkdown(self, md):
        # After normalize_whitespace (30, tabs expanded), before fenced code (25) and raw HTML
        # (20), so the rewritten blocks are read as if written so.
        md.preprocessors.register(DialectPreprocessor(md), "helpgen-dialects", 28)


def makeExtension(**kwargs):
    return DialectExtension(**kwargs)
