"""Markdown to HTML, compatible with Material for MkDocs content.

Python-Markdown with pymdown-extensions does the work; what is ours is the link pass, which asks
the content model where each relative link or image points and makes the result relative to the
page, and the icon lookup in the set that mkdocs-material bundles.
"""

from __future__ import annotations

import bisect
import functools
import html
import pickle
import re
import zlib
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Callable
from urllib.parse import unquote, urlsplit

import markdown
import material
from markdown.extensions import Extension
from markdown.treeprocessors import InlineProcessor, Treeprocessor
from markdown.util import AMP_SUBSTITUTE
from material.extensions import emoji as material_emoji
from pymdownx import emoji as pymdown_emoji
from pymdownx import slugs, twemoji_db

from helpgen.content.links import WITHHELD
from helpgen.errors import UNSAFE_HTML
from helpgen.settings.config import RAW_HTML
from helpgen.content.sanitize import clean_html, runs_script
from helpgen.content.urls import relative_url

ICONS_DIR = Path(material.__file__).parent / "templates" / ".icons"
_ICON_NAME = re.compile(r"^[a-z0-9-]+(?:/[a-z0-9-]+)+$")
_LEADING_H1 = re.compile(r"\A\s*#[ \t]+[^\n]*\n?")

EXTENSIONS = (
    "abbr", "admonition", "attr_list", "def_list", "footnotes", "md_in_html", "tables", "toc",
    "pymdownx.betterem", "pymdownx.caret", "pymdownx.details", "pymdownx.emoji",
    "pymdownx.highlight", "pymdownx.inlinehilite", "pymdownx.keys", "pymdownx.mark",
    "pymdownx.smartsymbols", "pymdownx.superfences", "pymdownx.tabbed", "pymdownx.tasklist",
    "pymdownx.tilde", "helpgen.content.dialects",
)
def extension_configs(heading_ids: str = "helpgen") -> dict:
    """The extensions' settings; `heading_ids` is a value of config.HEADING_IDS (mkdocs: the toc
    extension's own slugify, which MkDocs uses unless a project sets another)."""
    toc = {"permalink": "#", "permalink_title": "", "toc_depth": "2-3"}
    if heading_ids == "helpgen":
        toc["slugify"] = slugs.slugify(case="lower")
    return {
        "toc": toc,
        "pymdownx.highlight": {"css_class": "highlight", "pygments_lang_class": True},
        "pymdownx.tabbed": {"alternate_style": True},
        "pymdownx.tasklist": {"custom_checkbox": True},
        "pymdownx.emoji": {"emoji_index": _emoji_index, "emoji_generator": _emoji},
        "footnotes": {"BACKLINK_TITLE": ""},
    }


def _emoji_index(options, md) -> dict:
    """Material's index: Twemoji's emoji and aliases, and the icons bundled with Material, which
    are looked up when a page names one. Material's own index lists the 10,000 icon files
    for every Markdown instance (0.08 s at the start of every build)."""
    return {"name": "twemoji", "emoji": _EmojiAndIcons(), "aliases": twemoji_db.aliases}


class _EmojiAndIcons:
    """The "emoji" of the index, as pymdownx.emoji and Material read it (`get`, `[]`): an emoji
    by its short name, or else an icon (`:material-account:` is `material/account.svg`, its path
    below the icons' folder with hyphens for slashes)."""

    def get(self, name: str, default=None):
        found = twemoji_db.emoji.get(name)
        if found is None and name.startswith(":") and name.endswith(":"):
            path = _icon_file(ICONS_DIR, tuple(name[1:-1].split("-")))
            found = {"name": name, "path": path} if path else None
        return default if found is None else found

    def __getitem__(self, name: str) -> dict:
        found = self.get(name)
        if found is None:
            raise KeyError(name)
        return found


@cache
def _icon_file(folder: Path, parts: tuple[str, ...]) -> str | None:
    """The icon file below `folder` named by `parts` joined with hyphens, where any hyphen may
    stand for a slash (a few folder checks instead of listing every file)."""
    for end in range(len(parts), 0, -1):
        head = "-".join(parts[:end])
        if end == len(parts):
            if (folder / f"{head}.svg").is_file():
                return str(folder / f"{head}.svg")
        elif (folder / head).is_dir():
            found = _icon_file(folder / head, parts[end:])
            if found:
                return found
    return None


def _emoji(index, shortname, alias, uc, alt, title, category, options, md):
    """`:material-…:` and the other icons bundled with Material as inline SVG, as Material
    does; an emoji (`:smile:`) as its Unicode character, where Material would load Twemoji's
    picture from a CDN: the site makes no request to another host. An icon keeps its name
    (`data-icon="material-cog"`): the article's Markdown copy says it in words."""
    if not uc:
        icon = material_emoji.to_svg(index, shortname, alias, uc, alt, title, category, options,
                                     md)
        icon.set("data-icon", shortname.strip(":"))
        return icon
    return pymdown_emoji.to_alt(index, shortname, alias, uc, alt, title, category, options, md)


Resolver = Callable[[str], "str | None"]
"""Maps a relative link target (path part, unquoted) to a site-root URL, or None if missing, or
WITHHELD if it is a page the site leaves out on purpose (an internal article in the public site):
that link loses its address."""


@dataclass(frozen=True, slots=True)
class TocItem:
    title: str
    anchor: str
    children: tuple["TocItem", ...]


@dataclass(frozen=True, slots=True)
class BrokenLink:
    target: str
    is_image: bool
    line: int
    withheld: bool = False       # to a page left out on purpose (WITHHELD): its address removed


@dataclass(frozen=True, slots=True)
class BodyWarning:
    """Something the conversion removed from an article, said where the writer wrote it."""

    message: str
    line: int
    hint: str
    code: str                    # of errors.CODES


@dataclass(frozen=True, slots=True)
class BodyParts:
    """A converted body's HTML, its plain text (for search) and its headings, compressed
    together (zlib). They are most of what a site's model holds for the whole build, and each
    is read a few times only (its page, its Markdown copy, the search index): packed, they take
    a sixth of the memory or less (the text repeats the HTML's words), and a str would also
    keep a UTF-8 copy of itself once pickled to the build cache."""

    packed: bytes

    @classmethod
    def of(cls, html_text: str, text: str, toc: tuple[TocItem, ...]) -> BodyParts:
        return cls(zlib.compress(pickle.dumps((html_text, text, toc), pickle.HIGHEST_PROTOCOL)))

    def unpacked(self) -> tuple[str, str, tuple[TocItem, ...]]:
        """(HTML, text, headings)."""
        return _unpacked(self.packed)

    html = property(lambda self: self.unpacked()[0])
    text = property(lambda self: self.unpacked()[1])
    toc = property(lambda self: self.unpacked()[2])


@functools.lru_cache(maxsize=16)
def _unpacked(packed: bytes) -> tuple[str, str, tuple[TocItem, ...]]:
    """Remembered for the few bodies last read: a page reads its body's HTML and headings
    several times."""
    return pickle.loads(zlib.decompress(packed))


@dataclass(frozen=True, slots=True)
class RenderedMarkdown:
    parts: BodyParts             # the HTML, its plain text and its headings
    broken_links: tuple[BrokenLink, ...]
    resolved: tuple[tuple[str, str], ...]    # (link target, URL) pairs the link pass used
    warnings: tuple[BodyWarning, ...] = ()

    html = property(lambda self: self.parts.html)
    text = property(lambda self: self.parts.text)
    toc = property(lambda self: self.parts.toc)


_SETTING = {mode: written for written, mode in RAW_HTML.items()}     # for messages
UNSAFE_HINT = ("with this setting only safe HTML is published: no scripts, forms, on… event "
               "attributes, style attributes, javascript: or data: links, and iframes only for "
               "https videos from YouTube, Vimeo, Wistia or Loom")
SCRIPT_LINK_HINT = ("link to a page, a file or a web address; a javascript: or data: address "
                    "is never published (a data:image/ picture is)")


class _LinkPass(Treeprocessor):
    """Rewrites relative `href`/`src` through the resolver; records the ones that lead nowhere,
    and takes out addresses that would run script (`javascript:`), whatever raw_html says."""

    page_url = ""
    resolve: Resolver = staticmethod(lambda target: None)

    broken: list[tuple[str, bool, bool]] = []    # target, is an image, withheld
    resolved: list[tuple[str, str]] = []
    unsafe: list[str] = []

    def run(self, root):
        for element in root.iter():
            attribute = {"a": "href", "img": "src"}.get(element.tag)
            if attribute and element.get(attribute):
                self._rewrite(element, attribute)

    def _rewrite(self, element, attribute):
        # An email autolink's address is hidden in entities (`&#109;&#97;…`, as placeholders).
        value = element.get(attribute)
        if AMP_SUBSTITUTE in value:
            value = html.unescape(value.replace(AMP_SUBSTITUTE, "&"))
        if runs_script(element.tag, attribute, value):
            del element.attrib[attribute]
            self.unsafe.append(value)
            return
        try:
            parts = urlsplit(value)
        except ValueError:
            return                                    # `http://[host]:port/`: not a path here
        if parts.scheme or parts.netloc or not parts.path:
            return                                    # external, mailto:, or a same-page anchor
        if parts.path.startswith("/") and not parts.path.endswith(".md"):
            return                                    # a host path the writer chose on purpose
        target = self.resolve(unquote(parts.path))
        if target is None or target == WITHHELD:
            if target == WITHHELD:
                del element.attrib[attribute]
            self.broken.append((value, element.tag == "img", target == WITHHELD))
            return
        self.resolved.append((unquote(parts.path), target))
        if parts.fragment:
            target += "#" + unquote(parts.fragment)
        element.set(attribute, relative_url(self.page_url, target))


class _TitleId(Treeprocessor):
    """With `heading_ids: mkdocs`, the leading `# heading` (which the page's title replaces)
    still takes its id first, as on the MkDocs page: the id stays on an empty element where the
    heading was, and a later heading with the same text gets `_1` as it did there."""

    pending = False             # whether this page starts with such a heading

    def run(self, root):
        first = next(iter(root), None)
        if self.pending and first is not None and first.tag == "h1":
            anchor = first.get("id", "")
            tail = first.tail
            first.clear()
            first.tag, first.tail = "span", tail
            first.set("id", anchor)


class _LinkExtension(Extension):
    def extendMarkdown(self, md):
        self.link_pass = _LinkPass(md)
        md.treeprocessors.register(self.link_pass, "helpgen-links", 1)


# What an inline pattern of Python-Markdown or pymdown-extensions cannot match without (any of
# these strings in the page's text), by the name it registers; unlisted patterns are always tried.
_TRIGGERS = {
    "backtick": ("`",), "keys-custom": ("+",), "keys": ("+",), "escape": ("\\",),
    "footnote": ("[^",), "reference": ("[",), "link": ("[",), "short_reference": ("[",),
    "image_link": ("![",), "image_reference": ("![",), "short_image_ref": ("![",),
    "autolink": ("<",), "automail": ("<",), "html": ("<",), "linebreak": ("  \n",),
    "entity": ("&",), "emoji": (":",), "delimiter": ("*", "_", "^", "=", "~"),
}


# pymdownx.smartsymbols' patterns, likewise.
_SMART_TRIGGERS = {
    "smart-trademark": ("(tm)",), "smart-copyright": ("(c)",), "smart-registered": ("(r)",),
    "smart-plus-minus": ("+/-",), "smart-arrows": ("--",), "smart-not-equal": ("=/=",),
    "smart-fractions": ("/",), "smart-care-of": ("c/o",),
    "smart-ordinal-numbers": ("st", "nd", "rd", "th"),
}


class _PatternsThatCanMatch(InlineProcessor):
    """An inline pass that tries on each page only the patterns that can match there.

    A pass tries every pattern at every text of the page: Python-Markdown's 18 here, then
    pymdownx.smartsymbols' 9 in a second pass, which took as long as the first to find nothing
    on most pages. A pattern whose trigger (a backtick, a bracket, "<", "&", ":"…) is nowhere in
    the page's texts cannot match there: a pass only ever replaces matched text with
    placeholders, never adds such characters. With `whole`, the pass runs only on a page where
    one of the patterns is found whole first (smartsymbols' are slow to look for, most starting
    with a lookbehind or a word boundary). Then all of them run: a symbol replaced by its
    placeholder makes a word boundary for the one beside it ("2nd1/2"), so a pattern not found
    whole before the pass may match during it.
    """

    def __init__(self, md, patterns, triggers: dict, whole: bool = False):
        super().__init__(md)
        self.every_pattern = self.inlinePatterns = patterns
        self.patterns = _with_triggers(patterns, triggers)
        self.whole = whole

    def run(self, tree, ancestors=None):
        texts = _texts(tree)
        self.inlinePatterns = [pattern for triggers, pattern in self.patterns
                               if triggers is None or any(t in texts for t in triggers)]
        if self.whole and not any(pattern.compiled_re.search(texts)
                                  for pattern in self.inlinePatterns):
            self.inlinePatterns = []
        if not self.inlinePatterns:                     # nothing can change on this page
            self.inlinePatterns = self.every_pattern
            return None
        try:
            return super().run(tree, ancestors)
        finally:
            self.inlinePatterns = self.every_pattern


def _with_triggers(patterns, triggers: dict) -> list[tuple[tuple[str, ...] | None, object]]:
    """Each pattern of the registry `patterns`, in order, with its triggers (None: unknown)."""
    names = {patterns.get_index_for_name(name): name for name in triggers if name in patterns}
    return [(triggers[names[index]] if index in names else None, pattern)
            for index, pattern in enumerate(patterns)]


def _texts(root) -> str:
    """All the texts of a page's tree, for a quick look at what its inline passes may find."""
    return "\n".join(text for element in root.iter()
                     for text in (element.text, element.tail) if text)


class MarkdownRenderer:
    """One configured Markdown converter, reused for every article; `raw_html` is a mode of
    config.RAW_HTML, `heading_ids` a value of config.HEADING_IDS."""

    def __init__(self, raw_html: str = "keep", heading_ids: str = "helpgen"):
        self.raw_html = raw_html
        self.keep_title_id = heading_ids == "mkdocs"
        self._links = _LinkExtension()
        self._md = markdown.Markdown(extensions=[*EXTENSIONS, self._links],
                                     extension_configs=extension_configs(heading_ids),
                                     output_format="html")
        self._title_id = _TitleId(self._md)
        if self.keep_title_id:          # after the toc pass (5) has given every heading its id
            self._md.treeprocessors.register(self._title_id, "helpgen-title-id", 2)
        if raw_html == "escape":       # raw HTML, blocks and inline, is then text like any other
            self._md.preprocessors.deregister("html_block")
            self._md.inlinePatterns.deregister("html")
        passes = self._md.treeprocessors
        passes.register(_PatternsThatCanMatch(self._md, self._md.inlinePatterns, _TRIGGERS),
                        "inline", 20)
        if "smart-symbols" in passes:                   # pymdownx.smartsymbols' own name
            smart_symbols = passes["smart-symbols"].inlinePatterns
            passes.register(_PatternsThatCanMatch(self._md, smart_symbols, _SMART_TRIGGERS,
                                                  whole=True), "smart-symbols", 6.1)

    def convert(self, body: str, page_url: str, resolve: Resolver, body_line: int = 1
                ) -> RenderedMarkdown:
        """Convert an article body for the page at `page_url`.

        A leading `# heading` is dropped: the page shows the front matter title as its heading.
        """
        dropped = _LEADING_H1.match(body)
        self._title_id.pending = bool(dropped) and self.keep_title_id
        if dropped and not self.keep_title_id:
            body = body[dropped.end():]
            body_line += dropped.group(0).count("\n")
        link_pass = self._links.link_pass
        link_pass.page_url, link_pass.resolve = page_url, resolve
        link_pass.broken, link_pass.resolved, link_pass.unsafe = [], [], []
        self._md.reset()
        html_text = self._md.convert(body)
        places = _Places(body, body_line)
        broken = tuple(BrokenLink(target, is_image, places.link(target), withheld)
                       for target, is_image, withheld in link_pass.broken)
        warnings = [BodyWarning(f"removed the link to '{target}': it could run script",
                                places.link(target), SCRIPT_LINK_HINT, UNSAFE_HTML)
                    for target in link_pass.unsafe]
        if self.raw_html != "keep":
            html_text, removed = clean_html(html_text)
            warnings += [BodyWarning(f"removed {what} from the article's HTML (markdown.raw_html: "
                                     f"{_SETTING[self.raw_html]})", places.text(needle),
                                     UNSAFE_HINT, UNSAFE_HTML) for what, needle in removed]
        toc = tuple(_toc(token) for token in self._md.toc_tokens)
        return RenderedMarkdown(BodyParts.of(html_text, text_of(html_text), toc), broken,
                                tuple(link_pass.resolved), tuple(warnings))


_FENCE = re.compile(r"[ \t]*(`{3,}|~{3,})")
_TICKS = re.compile(r"`+")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_DEFINITION = re.compile(r"^[ ]{0,3}\[([^\]\n^][^\]\n]*)\]:[ \t]*(?:<([^>\n]*)>|(\S+))", re.M)
_LINK = re.compile(
    r"\]\(\s*(?:<([^>\n]*)>|((?:[^\s()]|\([^\s()]*\))*))"          # [text](target)
    r"|\[([^\[\]\n]*)\]\s?\[([^\]\n]*)\]"                           # [text][label], [label][]
    r"|\[([^\[\]\n^][^\[\]\n]*)\](?![\[(:])"                        # [label]
    r"""|\b(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)     # <a href="target">
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")


def link_places(body: str) -> list[tuple[str, int]]:
    """Every link and image of a Markdown body in the order they appear: the target as Markdown
    reads it, and the offset a writer would edit (that of the definition for a reference link).
    """
    text = _without_code(body)
    definitions = {_label(m.group(1)): (m.group(2) if m.group(2) is not None else m.group(3),
                                        m.start()) for m in reversed(list(
                                            _DEFINITION.finditer(text)))}
    places = []
    for match in _LINK.finditer(text):
        inline = next((g for g in (match.group(1), match.group(2), match.group(6),
                                   match.group(7)) if g is not None), None)
        if inline is not None:
            places.append((_unescape(inline), match.start()))
            continue
        label = match.group(4) or match.group(3) or match.group(5) or ""
        definition = definitions.get(_label(label))
        if definition:
            places.append((_unescape(definition[0]), definition[1]))
    return places


def _without_code(body: str) -> str:
    """`body` with what holds no links blanked out, newlines kept: fenced code blocks, code
    spans and HTML comments. One pass over the text, however hostile (no regex backtracking)."""
    chars = list(body)

    def blank(start: int, end: int) -> None:
        chars[start:end] = [c if c == "\n" else " " for c in chars[start:end]]

    offset, fence = 0, ""
    for line in body.splitlines(keepends=True):
        opening = _FENCE.match(line)
        if fence or opening:
            blank(offset, offset + len(line))
            if not fence:
                fence = opening.group(1)
            elif opening and opening.group(1)[0] == fence[0] and \
                    len(opening.group(1)) >= len(fence):
                fence = ""
        offset += len(line)
    text = "".join(chars)
    start = 0
    for end in [m.start() for m in _PARAGRAPH_BREAK.finditer(text)] + [len(text)]:
        runs = [(m.start(), m.end()) for m in _TICKS.finditer(text, start, end)]
        closers: dict[int, list[int]] = {}
        for index, (a, b) in enumerate(runs):
            closers.setdefault(b - a, []).append(index)
        index = 0
        while index < len(runs):
            same = closers[runs[index][1] - runs[index][0]]
            after = bisect.bisect_right(same, index)
            if after < len(same):
                blank(runs[index][0], runs[same[after]][1])
                index = same[after]
            index += 1
        start = end
    text = "".join(chars)
    position = text.find("<!--")
    while position >= 0:
        close = text.find("-->", position + 4)
        end = len(text) if close < 0 else close + 3
        blank(position, end)
        position = text.find("<!--", end)
    return "".join(chars)


def _label(label: str) -> str:
    return " ".join(label.split()).casefold()


def _unescape(target: str) -> str:
    return html.unescape(_ESCAPED.sub(r"\1", target.strip()))


class _Places:
    """Lines in a body: of each link in turn (a second link to the same target is on the line
    of the second), and of a piece of text, in turn."""

    def __init__(self, body: str, body_line: int):
        self.body, self.body_line = body, body_line
        self.after: dict[str, int] = {}

    @functools.cached_property
    def offsets(self) -> dict[str, list[int]]:
        """Where each link target is written: read only for an article with a broken or unsafe
        link (1.6 s for the 1,206 articles of a 15 MB corpus, nearly all of them fine)."""
        offsets: dict[str, list[int]] = {}
        for written, offset in link_places(self.body):
            offsets.setdefault(written, []).append(offset)
        return offsets

    @functools.cached_property
    def lower(self) -> str:
        return self.body.lower()

    def line_at(self, offset: int) -> int:
        return self.body_line + self.body.count("\n", 0, max(offset, 0))

    def link(self, target: str) -> int:
        """The line of the next link to `target` (of the last one when all were used)."""
        offsets = self.offsets.get(target)
        if not offsets:
            return self.text(target)
        return self.line_at(offsets.pop(0) if len(offsets) > 1 else offsets[0])

    def text(self, needle: str) -> int:
        """The line of the next occurrence of `needle` (any case), else of the body's start."""
        found = self.lower.find(needle.lower(), self.after.get(needle, 0))
        if found < 0:
            return self.body_line
        self.after[needle] = found + 1
        return self.line_at(found)


def _toc(token: dict) -> TocItem:
    return TocItem(html.unescape(token["name"]), token["id"],
                   tuple(_toc(child) for child in token["children"]))


class _TextExtractor(HTMLParser):
    """Plain text of rendered HTML, for search and descriptions; skips permalinks and scripts.

    Block elements separate words; inline ones do not, so Chinese text stays unbroken.
    """

    SKIP = {"script", "style", "svg"}
    BLOCKS = {"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "table",
              "tr", "td", "th", "blockquote", "dt", "dd", "br", "hr", "details", "summary",
              "label", "figcaption"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping: list[str] = []

    def handle_starttag(self, tag, attrs):
        if self._skipping or tag in self.SKIP or ("class", "headerlink") in attrs:
            self._skipping.append(tag)
        elif tag in self.BLOCKS:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if self._skipping and self._skipping[-1] == tag:
            self._skipping.pop()
        elif tag in self.BLOCKS:
            self.parts.append(" ")

    def handle_data(self, data):
        if not self._skipping:
            self.parts.append(data)


def text_of(html_text: str) -> str:
    extractor = _TextExtractor()
    extractor.feed(html_text)
    extractor.close()
    return " ".join("".join(extractor.parts).split())


@cache
def icon_svg(name: str) -> str | None:
    """The SVG markup of a bundled icon such as `material/credit-card`, or None if unknown."""
    if not _ICON_NAME.match(name):
        return None
    path = ICONS_DIR / f"{name}.svg"
    if not path.is_file():
        return None
    svg = path.read_text(encoding="utf-8").strip()
    return svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)


def shortcode_icon(shortcode: str) -> str | None:
    """The bundled icon (`material/cellphone-link`) a shortcode such as
    `:material-cellphone-link:` names, or None."""
    path = _icon_file(ICONS_DIR, tuple(shortcode.strip(":").split("-")))
    return Path(path).relative_to(ICONS_DIR).with_suffix("").as_posix() if path else None


def icon_names(icon_set: str) -> list[str]:
    folder = ICONS_DIR / icon_set
    if not folder.is_dir():
        return []
    return sorted(p.relative_to(ICONS_DIR).with_suffix("").as_posix() for p in folder.rglob("*.svg"))
