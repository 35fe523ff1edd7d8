"""Contextual help: which pages of the product suggest an article in the help widget.

An article's front matter, or a `_category.yml` / `_section.yml` for all of its articles, lists
`contexts:`, each one of:

- a path from the product's root, `/billing/*`: matches the product page's path on any origin;
  with a `?` it also matches the page's query (`/settings?tab=billing*`), with a `#` its hash
  (`/app#/invoices/*`, a single-page app's hash route);
- a full address, `https://app.example.com/invoices/*`: the same, on that origin only;
- `label:NAME`: matches a page whose widget line says `data-context="NAME"`.

`*` matches any run of characters (`/` too), everything else itself. The widget compares a
pattern with the page as the browser writes its address, so letters outside ASCII are
percent-encoded here, as the browser does, and origins lower-cased. helpgen/client/widget.js
does the matching; `rank` orders what matched.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from helpgen.errors import FRONT_MATTER, Report
from helpgen.settings.address import url_scheme
from helpgen.settings.config import url_problem
from helpgen.settings.yamlio import KeyLines

LABEL = "label:"
LABEL_NAME = re.compile(r"[\w.-]+")
# The characters a browser leaves as they are in a page's address; the rest is percent-encoded.
_KEPT = "".join(map(chr, range(0x21, 0x7f)))
_DEFAULT_PORTS = {"http": ":80", "https": ":443"}
HINT = ("write a path of your product's pages (/billing/*), a full address "
        "(https://app.example.com/invoices/*) or label:NAME, with * for any characters")


def context_pattern(text: str) -> str:
    """The pattern `text` as the widget compares it; ValueError says what is wrong with it."""
    written = text.strip()
    if not written or written == LABEL:
        raise ValueError("is empty")
    if re.search(r"\s", written):
        raise ValueError("contains a space or line break (write %20 for a space in an address)")
    if written.startswith(LABEL):
        name = written[len(LABEL):]
        if not LABEL_NAME.fullmatch(name):
            raise ValueError("is not a label name: use letters, digits, '-', '_' and '.'")
        return LABEL + name.lower()
    if written.startswith("//"):
        raise ValueError("names another host without saying its scheme: write https:" + written)
    if written.startswith("/"):
        return quote(written, safe=_KEPT)
    scheme = url_scheme(written)
    if not scheme:
        raise ValueError(f"does not start with '/', '{LABEL}' or https://")
    if scheme not in ("http", "https") or not written.lower().startswith(scheme + "://"):
        raise ValueError("is not the address of a page of your product")
    problem = url_problem(written, "this address")
    if problem:
        raise ValueError(problem[0].removeprefix(f"'{written}' ") if
                         problem[0].startswith(f"'{written}'") else f"is refused: {problem[0]}")
    host = urlsplit(written).netloc
    origin = f"{scheme}://{host.lower().removesuffix(_DEFAULT_PORTS[scheme])}"
    rest = written[len(scheme) + 3 + len(host):]
    return origin + quote(rest if rest.startswith("/") else "/" + rest, safe=_KEPT)


def checked_contexts(patterns: list[str], path: Path, lines: KeyLines, report: Report
                     ) -> list[str]:
    """The `contexts` of a front matter or `_category.yml` as the widget compares them, each
    once; a bad one is reported at its line and left out."""
    result = []
    for index, text in enumerate(patterns):
        try:
            pattern = context_pattern(text)
        except ValueError as problem:
            report.error(f"the context '{text}' {problem}", path,
                         lines.get(("contexts", str(index))) or lines.get(("contexts",)), HINT,
                         code=FRONT_MATTER)
            continue
        if pattern not in result:
            result.append(pattern)
    return result


def rank(pattern: str) -> tuple[int, int]:
    """How well a page that `pattern` matches fits the articles it names, best (smallest)
    first: a label (the page says what it is about), then the longer the literal text of an
    address pattern, the more specific."""
    if pattern.startswith(LABEL):
        return (0, 0)
    return (1, -len(unquote(pattern).replace("*", "")))
