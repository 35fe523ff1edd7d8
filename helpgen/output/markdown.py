"""The help center for machines: every article as Markdown beside its page
(`…/<article>/index.md`, announced by the page's `<link rel="alternate" type="text/markdown">`),
and at each locale's root `llms.txt` (the llmstxt.org index: title, description, one section per
category linking each article's Markdown) and `llms-full.txt` (every article's Markdown).

An article's Markdown is made from its converted HTML (markdownify, with the elements helpgen's
Markdown makes said as Markdown: admonitions as blockquotes, tabs as labelled blocks, icons by
name, highlighted code as fenced code with its language). Links are absolute when the site's
address is known, else relative to the file that holds the text. Only articles published in a
locale are there: an untranslated copy is the original's text, which has its own copy.
"""

from __future__ import annotations

import functools
import posixpath
import re
from collections.abc import Callable, Iterator
from itertools import chain
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup
from markdownify import MarkdownConverter

from helpgen.content.model import Article, Body, Category, Locale, Site
from helpgen.content.sanitize import flatten
from helpgen.content.urls import markdown_copy, markdown_destination, relative_url
from helpgen.infra.cache import Fingerprints, Step, StepRunner, digest
from helpgen.infra.reuse import Group, Job, Reuse
from helpgen.output.files import OutputFile
from helpgen.settings.address import SiteAddress

LLMS_TXT = "llms.txt"
LLMS_FULL_TXT = "llms-full.txt"
MAX_DEPTH = 100                  # levels of HTML nesting said as Markdown; deeper, only text

# Admonition types (Material's names and aliases) said as a GitHub alert; the others are a
# blockquote under their title.
ALERTS = {"note": "NOTE", "info": "NOTE", "tip": "TIP", "hint": "TIP", "important": "IMPORTANT",
          "warning": "WARNING", "caution": "WARNING", "attention": "WARNING",
          "danger": "CAUTION", "error": "CAUTION"}
_ICON_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)+$")
_LOOKS_LIKE_TAG = re.compile(r"<(?=[A-Za-z/!?])")
_EDGE_UNDERSCORE = re.compile(r"(?<![^\W_])_|_(?![^\W_])")   # not inside a word
_BACKTICKS = re.compile(r"`{3,}")
_CODE = re.compile(r"<code\b[^>]*>.*?</code>", re.S)
_SPAN_TAG = re.compile(r"</?span\b[^>]*>")


def markdown_files(site: Site, strings: dict[str, dict], fingerprints: Fingerprints,
                   run_steps: StepRunner, reuse: Reuse | None = None
                   ) -> Iterator[list[tuple[str, list[OutputFile]]]]:
    """Each published article's `index.md`, and each locale's `llms.txt` and `llms-full.txt`
    (`strings`: the UI strings by locale, for the names of the others), in named parts
    (files.Outputs): a category's copies, a locale's two files; a locale's parts at a time
    (made once the caller has taken the previous locale's). Each article's Markdown is a
    step of `run_steps` (kept, it is made again only when its title, URL or body changed);
    with the live preview's `reuse`, what a locale, a category or an article the edit left
    alone made is the previous build's."""
    reuse = reuse or Reuse()
    for locale in site.locales:
        others = tuple((strings[other.code].get("language_name", other.code), other.url)
                       for other in site.locales if other is not locale)
        also_in = strings[locale.code]["also_available_in"]
        yield reuse.memoized(
            "markdown", locale.url, locale, (site.address, also_in, others), _locale_files,
            locale, site.address, also_in, others, fingerprints, run_steps, reuse)


def _locale_files(locale: Locale, address: SiteAddress, also_in: str,
                  others: tuple[tuple[str, str], ...], fingerprints: Fingerprints,
                  run_steps: StepRunner, reuse: Reuse) -> list[tuple[str, list[OutputFile]]]:
    """The Markdown files of one locale: its articles' copies (a part per category),
    llms.txt and llms-full.txt."""
    def step(article: Article) -> Step:
        return Step(digest("markdown", article.title, article.url, fingerprints.of(article.body),
                           address, locale.url),
                    functools.partial(article_files, article.title, article.url, article.body,
                                      address, locale.url))

    def jobs(category: Category) -> list[Job]:
        return [Job(article.url, article, (address, locale.url), functools.partial(step, article))
                for article in published(a for section in category.sections
                                         for a in section.articles)]

    made = reuse.group_results("markdown", [
        Group(category.url, category, (address, locale.url), functools.partial(jobs, category))
        for category in locale.categories], run_steps)
    # Each category's copies and texts: the previous build's lists when its articles' are.
    split = [reuse.joined("markdown split", category.url, pairs, None, _split, pairs)
             for category, pairs in zip(locale.categories, made)]
    at, heading = locale.url + LLMS_TXT, _heading(locale)
    links = {category.url: reuse.memoized("llms.txt", category.url, category, (at, address),
                                           _category_links, category, at, address, reuse)
             for category in locale.categories}
    texts = [texts for _, texts in split]
    # Both made again only when a part of them is new (llms-full.txt is tens of megabytes).
    return [*((f"markdown {category.url}", files)
              for category, (files, _) in zip(locale.categories, split)),
            (f"llms {locale.url}", [
                reuse.joined("llms.txt file", at, list(links.values()),
                             (heading, address, also_in, others), lambda: OutputFile(
                                 at, llms_txt(locale, address, also_in, others,
                                              lambda category: links[category.url]).encode())),
                reuse.joined(LLMS_FULL_TXT, locale.url, texts, heading, lambda: OutputFile(
                    locale.url + LLMS_FULL_TXT,
                    b"\n".join(chain([heading.encode()], *texts))))])]


def _split(pairs: list[tuple[OutputFile, bytes]]) -> tuple[list[OutputFile], list[bytes]]:
    """An article's copy and its text in llms-full.txt, for each of `pairs`: both lists."""
    return [file for file, _ in pairs], [text for _, text in pairs]


def published(articles) -> list[Article]:
    """Those of a locale's `articles` published in it: not the untranslated copies of its
    default locale's (as the sitemap has it)."""
    return [article for article in articles if not article.original_url]


def llms_txt(locale: Locale, address: SiteAddress, also_in: str,
             others: tuple[tuple[str, str], ...],
             category_links: Callable[[Category], str | None] | None = None) -> str:
    """The locale's llms.txt (llmstxt.org): its title, description, the llms.txt of each other
    locale (`others`: name and URL, introduced by `also_in`) and, per category, a link to each
    of its articles' Markdown with the article's description (`category_links`, if given,
    makes a category's part as _category_links does)."""
    at = locale.url + LLMS_TXT
    parts = [_heading(locale)]
    if others:
        parts.append(f"{_text(also_in)} " + ", ".join(
            f"[{_text(name)}]({_address(url + LLMS_TXT, at, address)})" for name, url in others)
            + "\n")
    for category in locale.categories:
        part = category_links(category) if category_links else \
            _category_links(category, at, address)
        if part:
            parts.append(part)
    return "\n".join(parts)


def _category_links(category: Category, at: str, address: SiteAddress,
                    reuse: Reuse | None = None) -> str | None:
    """A category's part of llms.txt (at `at`): its title, then a link to each of its published
    articles' Markdown with the article's description; None without any. With the live
    preview's `reuse`, an article's line is made again only when the article changed."""
    reuse = reuse or Reuse()
    lines = [reuse.memoized("llms.txt line", article.url, article, (at, address), _article_link,
                            article, at, address)
             for article in published(article for section in category.sections
                                      for article in section.articles)]
    return f"## {_text(category.title)}\n\n" + "\n".join(lines) + "\n" if lines else None


def _article_link(article: Article, at: str, address: SiteAddress) -> str:
    return (f"- [{_text(article.title)}]({_address(markdown_copy(article.url), at, address)})"
            + (f": {_text(article.description)}" if article.description.strip() else ""))


def _heading(locale: Locale) -> str:
    """A file's `# title` and `> description`."""
    description = _text(locale.description)
    return f"# {_text(locale.title)}\n" + (f"\n> {description}\n" if description else "")


def article_files(title: str, url: str, body: Body, address: SiteAddress, locale_url: str
                  ) -> tuple[OutputFile, bytes]:
    """The article's Markdown as its `index.md` (the file) and as the locale's `llms-full.txt`
    holds it (the same text when links are absolute; there it also says where the page is),
    encoded: llms-full.txt is joined from them."""
    copy = article_markdown(title, url, body, address, markdown_copy(url))
    at = locale_url + LLMS_FULL_TXT
    in_full = copy if address.origin else article_markdown(title, url, body, address, at)
    heading, rest = in_full.split("\n", 1)
    return (OutputFile(markdown_copy(url), copy.encode()),
            f"{heading}\n\nSource: {_address(url, at, address)}\n{rest}".encode())


def article_markdown(title: str, url: str, body: Body, address: SiteAddress, at: str) -> str:
    """`# title` and the body as Markdown, its links made for a file served at `at`."""
    soup = BeautifulSoup(_CODE.sub(_plain_code, body.html), "html.parser")
    flatten(soup, MAX_DEPTH)
    text = _Converter(url, at, address, shift="<h1" in body.html).convert_soup(soup).strip("\n")
    return f"# {_text(title)}\n\n" + (text + "\n" if text else "")


def _plain_code(match: re.Match) -> str:
    """Code without the spans that color it: the text is the same, and a long highlighted
    block is thousands of elements fewer to read."""
    return _SPAN_TAG.sub("", match.group(0))


def _address(target: str, at: str, address: SiteAddress) -> str:
    """A site-root URL (`target`, with any #fragment) as written in a file served at `at`."""
    return address.absolute(target) or relative_url(at, target)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _text(text: str) -> str:
    """A title or description on one line, as Markdown text: what Markdown would read as
    markup (emphasis, a link, code, an HTML tag) escaped."""
    text = re.sub(r"([\\*\[\]`])", r"\\\1", _one_line(text))
    return _LOOKS_LIKE_TAG.sub("&lt;", _EDGE_UNDERSCORE.sub(r"\\_", text))


class _Converter(MarkdownConverter):
    """markdownify, knowing the HTML helpgen's Markdown makes. Built for one article: `url` is
    its page (what the body's relative links start from), `at` the file the text goes to."""

    def __init__(self, url: str, at: str, address: SiteAddress, shift: bool):
        super().__init__(heading_style="ATX", bullets="-", escape_underscores=False,
                         newline_style="backslash", keep_inline_images_in=["td", "th"])
        self.url, self.at, self.address, self.shift = url, at, address, shift

    def link(self, href: str) -> str:
        """`href` of the body (relative to the article's page) for the file at `at`."""
        try:
            parts = urlsplit(href)
        except ValueError:               # not a URL a browser could follow either
            return href
        if not href or parts.scheme or parts.netloc:
            return href
        if href.startswith("/"):        # written for the host: only the origin is added
            return (self.address.origin or "") + href
        target = posixpath.normpath(posixpath.join(self.url, unquote(parts.path)))
        if target.startswith(".."):
            return href
        target = "" if target == "." else target
        if (parts.path == "" or parts.path.endswith("/")) and target:
            target += "/"
        return _address(target, self.at, self.address) + \
            (f"?{parts.query}" if parts.query else "") + \
            (f"#{parts.fragment}" if "#" in href else "")

    def escape(self, text, parent_tags):
        text = super().escape(text, parent_tags)
        if "_noformat" in parent_tags:
            return text
        text = _EDGE_UNDERSCORE.sub(r"\\_", text)
        return _LOOKS_LIKE_TAG.sub("&lt;", text)

    # Links and pictures

    def convert_a(self, el, text, parent_tags):
        classes = _classes(el)
        if "headerlink" in classes or "footnote-backref" in classes:
            return ""
        if "footnote-ref" in classes:
            return f"[^{str(el.get('href', '')).removeprefix('#fn:')}]"
        if el.get("href"):
            el["href"] = markdown_destination(self.link(str(el["href"])))
        return super().convert_a(el, text, parent_tags)

    def convert_img(self, el, text, parent_tags):
        if el.get("src"):
            el["src"] = markdown_destination(self.link(str(el["src"])))
        el["alt"] = _text(str(el.get("alt") or ""))
        return super().convert_img(el, text, parent_tags)

    def convert_video(self, el, text, parent_tags):
        for element in (el, *el.find_all("source")):
            for name in ("src", "poster"):
                if element.get(name):
                    element[name] = markdown_destination(self.link(str(element[name])))
        return super().convert_video(el, text, parent_tags)

    def convert_audio(self, el, text, parent_tags):
        """A link to the recording, named by its file."""
        source = el if el.get("src") else el.find("source", src=True)
        if source is None:
            return text
        src = str(source["src"])
        name = _text(unquote(posixpath.basename(urlsplit(src).path)) or src)
        return f"[{name}]({markdown_destination(self.link(src))})"

    def convert_iframe(self, el, text, parent_tags):
        src = markdown_destination(self.link(str(el.get("src") or "")))
        title = _text(str(el.get("title") or ""))
        return "" if not src else f"[{title}]({src})" if title else f"<{src}>"

    # Blocks helpgen's Markdown makes

    def convert_hN(self, n, el, text, parent_tags):
        return super().convert_hN(n + self.shift, el, text, parent_tags)

    def convert_div(self, el, text, parent_tags):
        classes = _classes(el)
        if "admonition" in classes:
            return self._admonition(el, text, classes)
        if "highlight" in classes:
            return self._code(el)
        if "tabbed-labels" in classes:
            return ""
        if "tabbed-block" in classes:       # its label is the tab set's label of its place
            tabs = el.parent.parent
            labels = tabs.select(":scope > .tabbed-labels > label") if tabs else []
            place = el.parent.find_all(class_="tabbed-block", recursive=False).index(el)
            title = f"**{_text(labels[place].get_text())}**\n\n" if place < len(labels) else ""
            return f"\n\n{title}{text.strip()}\n\n"
        return super().convert_div(el, text, parent_tags)

    def convert_details(self, el, text, parent_tags):
        return self._admonition(el, text, _classes(el))

    def convert_summary(self, el, text, parent_tags):
        return ""                       # said by _admonition

    def convert_p(self, el, text, parent_tags):
        if "admonition-title" in _classes(el):
            return ""                   # said by _admonition
        return super().convert_p(el, text, parent_tags)

    def _admonition(self, el, text, classes) -> str:
        """A blockquote: a GitHub alert (`> [!TIP]`) when the type or the title is one (a
        GitHub `[!CAUTION]` is a danger admonition titled "Caution"), and the title in bold
        unless it only names the alert."""
        title_element = el.find(["p", "summary"], recursive=False)
        title = _one_line(title_element.get_text()) if title_element is not None and (
            title_element.name == "summary" or "admonition-title" in _classes(title_element)) \
            else ""
        alert = title.upper() if title.upper() in ALERTS.values() else next(
            (ALERTS[name] for name in classes if name in ALERTS), None)
        lines = [f"[!{alert}]"] if alert else []
        if title and title.upper() != alert:
            lines += [f"**{_text(title)}**", ""]
        quoted = "\n".join(lines + text.strip().split("\n")).strip("\n")
        if not quoted:
            return ""
        return "\n\n" + "\n".join(f"> {line}" if line else ">" for line in
                                  quoted.split("\n")) + "\n\n"

    def _code(self, el) -> str:
        """A highlighted code block as fenced code with its language (and file name)."""
        code = el.find("td", class_="code") or el
        text = (code.find("code") or code).get_text().rstrip("\n")
        language = next((name.removeprefix("language-") for name in _classes(el)
                         if name.startswith("language-")), "")
        filename = el.find(class_="filename", recursive=False)
        info = language + (f' title="{_one_line(filename.get_text()).replace(chr(34), "")}"'
                           if filename is not None else "")
        fence = "`" * max([3, *(len(run) + 1 for run in _BACKTICKS.findall(text))])
        return f"\n\n{fence}{info}\n{text}\n{fence}\n\n"

    # Inline elements helpgen's Markdown makes

    def convert_span(self, el, text, parent_tags):
        classes = _classes(el)
        if "twemoji" in classes:
            name = str(el.get("data-icon") or "")
            return f":{name}:" if _ICON_NAME.match(name) else ""
        if "task-list-indicator" in classes:
            return ""
        return text

    def convert_input(self, el, text, parent_tags):
        if el.get("type") == "checkbox":
            return "[x]" if el.has_attr("checked") else "[ ]"
        return ""

    def convert_li(self, el, text, parent_tags):
        note = str(el.get("id") or "")
        if note.startswith("fn:") and el.find_parent(class_="footnote"):
            lines = text.strip().split("\n")
            return f"[^{note[3:]}]: " + "\n".join(
                [lines[0]] + [f"    {line}" if line else "" for line in lines[1:]]) + "\n\n"
        return super().convert_li(el, text, parent_tags)

    def convert_hr(self, el, text, parent_tags):
        if "footnote" in _classes(el.parent):
            return ""
        return super().convert_hr(el, text, parent_tags)

    def convert_td(self, el, text, parent_tags):
        return super().convert_td(el, _table_cell(text), parent_tags)

    def convert_th(self, el, text, parent_tags):
        return super().convert_th(el, _table_cell(text), parent_tags)


def _classes(el) -> list[str]:
    value = el.get("class") if el is not None else None
    return value.split() if isinstance(value, str) else list(value or ())


def _table_cell(text: str) -> str:
    """A cell's text with its pipes escaped (GitHub tables end a cell at any `|`)."""
    return re.sub(r"(?<!\\)\|", r"\\|", text)

