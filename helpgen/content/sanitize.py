"""What HTML a help center publishes from writers it does not fully trust: one allow-list.

`clean_html` runs nh3 (the Rust sanitizer ammonia) over an article's final HTML: Markdown's own
output (headings, tables, tabs, task lists, highlighted code, Material's inline SVG icons…) is
allowed, as are inert HTML elements; scripts, forms, event attributes (`on…`), `style` (but
Markdown's table alignment), `javascript:` and `data:` links (but `data:image/` pictures) and
iframes other than https videos from well-known hosts are removed. `runs_script` is the one
rule for which link addresses may run script (by settings/address.url_scheme, the one reading
of a scheme).

`helpgen import` runs the same policy with `imported=True`: imported HTML has no tabs or task
lists, so it keeps no form elements, and no `data:` address at all (`safe_url`).
"""

from __future__ import annotations

import collections
import html
import re
from urllib.parse import urlsplit

import nh3

from helpgen.settings.address import LINK_SCHEMES, url_scheme

# Hosts (and their subdomains) whose https iframes are kept: video players.
VIDEO_HOSTS = ("youtube.com", "youtube-nocookie.com", "vimeo.com", "wistia.com", "wistia.net",
               "loom.com")

# In an article, links may also use `data:`, for pictures only (see _allowed_value).
URL_SCHEMES = {*LINK_SCHEMES, "data"}
SCRIPT_SCHEMES = ("javascript", "vbscript", "data")

TAGS = {
    # text and structure
    "a", "abbr", "address", "article", "aside", "b", "bdi", "bdo", "blockquote", "br", "caption",
    "center", "cite", "code", "col", "colgroup", "dd", "del", "details", "dfn", "div", "dl",
    "dt", "em", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hr", "i", "ins", "kbd", "li", "main", "mark", "nav", "ol", "p", "pre", "q", "rp", "rt",
    "ruby", "s", "samp", "section", "small", "span", "strike", "strong", "sub", "summary", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "tt", "u", "ul", "var", "wbr",
    # media
    "audio", "iframe", "img", "picture", "source", "track", "video",
    # tabs (radio buttons and their labels) and task lists (check boxes)
    "input", "label",
    # Material's icons, inline
    "svg", "path", "g", "circle", "ellipse", "line", "polygon", "polyline", "rect", "title",
    "defs",
}
# What imported HTML cannot hold (see the module's docstring).
FORM_TAGS = {"input", "label"}
GLOBAL_ATTRIBUTES = {"id", "class", "title", "lang", "dir", "align", "valign", "width", "height",
                     "role", "hidden"}
ATTRIBUTES = {
    "a": {"href", "name", "target", "hreflang", "download"},
    "img": {"src", "alt", "srcset", "sizes", "loading", "decoding"},
    "video": {"src", "poster", "controls", "autoplay", "loop", "muted", "playsinline",
              "preload"},
    "audio": {"src", "controls", "loop", "muted", "preload"},
    "source": {"src", "srcset", "type", "media", "sizes"},
    "track": {"src", "kind", "label", "srclang", "default"},
    "iframe": {"src", "allow", "allowfullscreen", "frameborder", "loading", "referrerpolicy"},
    "input": {"checked", "disabled", "name"},
    "span": {"data-icon"},                       # an icon's name (content/markup.py)
    "label": {"for"},
    "ol": {"start", "reversed", "type"}, "li": {"value"},
    "td": {"colspan", "rowspan", "headers"}, "th": {"colspan", "rowspan", "headers", "scope"},
    "col": {"span"}, "colgroup": {"span"},
    "details": {"open"}, "time": {"datetime"}, "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"}, "blockquote": {"cite"}, "q": {"cite"},
    "svg": {"xmlns", "viewBox", "fill", "stroke", "stroke-width", "aria-hidden", "focusable",
            "preserveAspectRatio", "version"},
    **{shape: {"d", "fill", "stroke", "stroke-width", "stroke-linecap", "stroke-linejoin",
               "fill-rule", "clip-rule", "transform", "cx", "cy", "r", "rx", "ry", "x", "y",
               "x1", "y1", "x2", "y2", "points", "opacity"}
       for shape in ("path", "g", "circle", "ellipse", "line", "polygon", "polyline", "rect")},
}
# Attributes allowed with these values only: check boxes (task lists) and radio buttons (tabs),
# no text fields or buttons; no `style` but the table alignment Markdown writes (CSS can cover
# the page with a look-alike of something else).
ALIGNED = {"style": {f"text-align: {side};" for side in ("left", "right", "center")}}
ATTRIBUTE_VALUES = {"input": {"type": {"checkbox", "radio"}}, "td": ALIGNED, "th": ALIGNED}
_URL_ATTRIBUTES = {"href", "src", "poster", "cite", "srcset"}
# Attributes a browser acts on (beside on… event handlers): a removed one is worth a warning,
# while an attribute no browser knows (`{% endhint %}` read by attr_list) is left alone.
BEHAVIOUR_ATTRIBUTES = {
    "href", "src", "srcset", "srcdoc", "action", "formaction", "form", "data", "poster",
    "background", "ping", "xlink:href", "codebase", "archive", "classid", "lowsrc", "dynsrc",
    "http-equiv", "content", "type", "style", "rel", "target", "sandbox", "allow", "is",
    "popover", "popovertarget", "popovertargetaction", "command", "commandfor",
    "contenteditable", "autofocus", "tabindex", "accesskey", "usemap", "name", "for", "value",
    "checked", "disabled", "download", "open", "hidden",
}
_TAG_NAME = re.compile(r"<([a-zA-Z][^\s/>\x00]*)")
_HANDLER = re.compile(r"on[a-z-]+")


def runs_script(tag: str, attribute: str, url: str) -> bool:
    """Whether the address `url` in `tag`'s `attribute` can run script or show a page of its
    own (`javascript:`, `data:`); a `data:image/` picture cannot."""
    scheme = url_scheme(url)
    if scheme == "data":
        return not (tag == "img" and attribute == "src"
                    and html.unescape(url).strip().lower().startswith("data:image/"))
    return scheme in SCRIPT_SCHEMES


def flatten(soup, levels: int) -> bool:
    """Replace each element of a BeautifulSoup tree nested more than `levels` deep by its text:
    markdownify and Python-Markdown take stack for each level. True if there were any."""
    depth, deepest = {id(soup): 0}, []
    for element in soup.find_all(True):
        depth[id(element)] = depth[id(element.parent)] + 1
        if depth[id(element)] == levels + 1:
            deepest.append(element)
    for element in deepest:
        element.replace_with(element.get_text())
    return bool(deepest)


def safe_url(url: str) -> bool:
    """Whether an import keeps the link `url`: relative, or with one of LINK_SCHEMES, and
    readable as a URL (not `http://[oops`)."""
    try:
        urlsplit(url)
    except ValueError:
        return False
    return url_scheme(url) in ("", *LINK_SCHEMES)


def video_host(url: str) -> str | None:
    """The host of `url` when an iframe may show it (https, from VIDEO_HOSTS), or None."""
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    allowed = parts.scheme == "https" and any(host == h or host.endswith("." + h)
                                              for h in VIDEO_HOSTS)
    return host if allowed else None


def _allowed_value(tag: str, attribute: str, value: str) -> str | None:
    if attribute in _URL_ATTRIBUTES and any(runs_script(tag, attribute, url.split()[0])
                                            for url in value.split(",") if url.split()):
        return None
    if tag == "iframe" and attribute == "src" and not video_host(value):
        return None
    return value


# Without iframes and data: URLs, nothing needs _allowed_value, which nh3 would call for every
# attribute (0.15 s for a page of highlighted code); a page that may hold either gets it.
_STRICT = dict(tags=TAGS - {"iframe"}, clean_content_tags={"script", "style"},
               attributes={"*": GLOBAL_ATTRIBUTES, **ATTRIBUTES},
               tag_attribute_values=ATTRIBUTE_VALUES, generic_attribute_prefixes={"data-", "aria-"},
               url_schemes=URL_SCHEMES - {"data"}, link_rel=None)
_POLICY = {**_STRICT, "tags": TAGS, "url_schemes": URL_SCHEMES,
           "attribute_filter": _allowed_value}
_IMPORTED = {**_POLICY, "tags": TAGS - FORM_TAGS, "url_schemes": set(LINK_SCHEMES)}


def clean_html(text: str, imported: bool = False) -> tuple[str, list[tuple[str, str]]]:
    """`text` with what the allow-list does not allow removed, and what was removed: in words
    ("the onclick attribute of <b>") and the text to look for where the writer wrote it
    (`<script`, `onerror`…). `imported`: the policy for `helpgen import`.

    When nothing that matters is removed, `text` is returned as it is, byte for byte: nh3
    would write the same document a little differently (`checked=""`, `<path></path>`).
    That is when every element the text names is allowed, and nh3's own reading of the HTML
    (a browser's) is the same with a pass that also allows the attributes browsers act on,
    every on… name in the text and the schemes that run script. (What neither keeps, such as an
    attribute no browser knows or an `ftp:` link, is harmless, and stays.)
    """
    lower = text.lower()
    policy = _IMPORTED if imported else _POLICY if "<iframe" in lower or "data:" in lower \
        else _STRICT
    clean = nh3.clean(text, **policy)
    tags = {name.lower() for name in _TAG_NAME.findall(text)}
    attributes = {*GLOBAL_ATTRIBUTES, *BEHAVIOUR_ATTRIBUTES, *ATTRIBUTE_VALUES["td"],
                  *_HANDLER.findall(lower), *(name for names in ATTRIBUTES.values()
                                              for name in names)}
    everything = nh3.clean(text, tags=TAGS | tags, clean_content_tags=set(),
                           attributes={"*": attributes}, url_schemes=URL_SCHEMES | {
                               *SCRIPT_SCHEMES}, generic_attribute_prefixes={"data-", "aria-"},
                           link_rel=None)
    allowed = policy["tags"]
    if clean == everything and tags <= allowed:   # nh3 drops some elements (SVG's <animate>)
        return text, []                            # even when allowed: those never stay
    removed = _removed(everything, clean)
    said = {needle for _, needle in removed}
    return clean, removed + [(f"<{tag}>", f"<{tag}") for tag in sorted(tags - allowed)
                             if f"<{tag}" not in said]


# A start tag and its attributes as nh3 writes them: `<name a="v" b="">`.
_START_TAG = re.compile(r"<([a-zA-Z][^\s/>]*)((?:\s+[^\s=>]+(?:=\"[^\"]*\")?)*)\s*/?>")
_ATTRIBUTE = re.compile(r"([^\s=>]+)(?:=\"([^\"]*)\")?")


class _Inventory:
    """The elements and attributes of a document nh3 wrote, counted."""

    def __init__(self, text: str):
        self.tags: collections.Counter = collections.Counter()
        self.attributes: collections.Counter = collections.Counter()
        for tag, attributes in _START_TAG.findall(text):
            self.tags[tag] += 1
            self.attributes.update((tag, name, html.unescape(value))
                                   for name, value in _ATTRIBUTE.findall(attributes))


def _removed(before: str, after: str) -> list[tuple[str, str]]:
    old, new = _Inventory(before), _Inventory(after)
    gone = old.tags - new.tags
    removed = [(f"<{tag}>", f"<{tag}") for tag, count in gone.items()
               for _ in range(count)]
    for (tag, name, value), count in (old.attributes - new.attributes).items():
        if tag in gone:
            continue                                 # said with the element
        if name in _URL_ATTRIBUTES:
            shown = value if len(value) <= 60 else value[:57] + "..."
            why = ", not an allowed video host" if (tag, name) == ("iframe", "src") else ""
            entry = (f"the address '{shown}' ({name} of <{tag}>{why})", value)
        else:
            entry = (f"the {name} attribute of <{tag}>", name)
        removed += [entry] * count
    return removed
