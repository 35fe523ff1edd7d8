"""Does `helpgen import mkdocs` keep every old URL, heading anchor and link of a MkDocs site?

Builds the project with the real `mkdocs build`, imports it with `helpgen import mkdocs` and
builds the import, then walks the MkDocs site's files the way a browser would walk the old site:

- every page URL (`x/index.html` is `x/`) must be served by the helpgen site, as a page or as a
  redirect page that is followed (a folder without its slash is served with it, as hosts do),
  and lead to the same article (most of its text the same);
- every element id in the page's content must be on the page it leads to, a heading's with the
  same heading text (a leading `# heading` only needs its id: helpgen shows the title instead).
  The line anchors of code blocks (pymdownx.highlight's `anchor_linenums`) are counted apart:
  helpgen does not number code lines;
- every link in the content must lead where it led on the old site: the same page (the one the
  old URL of its target leads to), at an element with the same heading text. Links are paired
  by their text, in order.

The home pages (`/`, `/zh/`) stay helpgen's home pages (their text becomes an article), so
their ids are counted apart and their links are not compared.

mkdocs-static-i18n is not installed here: a project that uses it is built language by language
as the plugin does (each language's pages, `.zh.md` or `zh/` over the default language's where
`fallback_to_default` is on, into `site/<language>/`). Other plugins that are not installed are
left out of the MkDocs build and named in the result.

    PYTHONPATH=$PWD python benchmarks/mkdocs_fidelity.py PROJECT [PROJECT…]

prints, per project, URLs kept / total, heading anchors kept / total, ids kept / total and links
kept / total, and the first misses. tests/test_import_mkdocs_fidelity.py runs it on synthetic
projects.
"""

from __future__ import annotations

import argparse
import difflib
import importlib.metadata
import os
import posixpath
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml
from bs4 import BeautifulSoup

# Pages a MkDocs theme makes by itself (its static_templates); helpgen has its own.
THEME_PAGES = ("404.html", "search.html")
LIMIT = 5                     # redirects followed before a URL counts as lost
I18N = ("i18n", "mkdocs-static-i18n")


@dataclass
class Fidelity:
    """What the helpgen site kept of the MkDocs site; each list holds what it lost."""

    urls: int = 0
    anchors: int = 0              # ids of headings h2–h6
    ids: int = 0                  # every other id in the content but code lines'
    links: int = 0
    home_ids: int = 0
    code_line_ids: int = 0        # pymdownx.highlight's anchor_linenums (`__codelineno-0-1`)
    lost_urls: list[str] = field(default_factory=list)
    lost_anchors: list[str] = field(default_factory=list)
    lost_ids: list[str] = field(default_factory=list)
    lost_links: list[str] = field(default_factory=list)
    lost_home_ids: list[str] = field(default_factory=list)
    lost_code_line_ids: list[str] = field(default_factory=list)
    left_out_plugins: list[str] = field(default_factory=list)

    def summary(self) -> str:
        def kept(total: int, lost: list) -> str:
            return f"{total - len(lost)}/{total}"
        return (f"URLs {kept(self.urls, self.lost_urls)}, heading anchors "
                f"{kept(self.anchors, self.lost_anchors)}, other ids "
                f"{kept(self.ids, self.lost_ids)}, links {kept(self.links, self.lost_links)}, "
                f"home page ids {kept(self.home_ids, self.lost_home_ids)}, code line ids "
                f"{kept(self.code_line_ids, self.lost_code_line_ids)}")

    def misses(self, limit: int = 15) -> str:
        lines = []
        for what, lost in (("URL", self.lost_urls), ("anchor", self.lost_anchors),
                           ("id", self.lost_ids), ("link", self.lost_links),
                           ("home page id", self.lost_home_ids)):
            lines += [f"  lost {what}: {item}" for item in lost[:limit]]
            if len(lost) > limit:
                lines.append(f"  … and {len(lost) - limit} more {what}s")
        return "\n".join(lines)


# --- Building both sites -------------------------------------------------------------------


def _run(*args, cwd: Path | None = None, env: dict | None = None) -> None:
    result = subprocess.run([sys.executable, *map(str, args)], cwd=cwd, capture_output=True,
                            text=True, env={**os.environ, **(env or {})}, timeout=1800)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, args))} failed:\n{result.stdout}\n"
                           f"{result.stderr}")


def _plugins(config: dict) -> list[tuple[str, object]]:
    plugins = config.get("plugins", ["search"])
    if isinstance(plugins, dict):
        plugins = [{k: v} for k, v in plugins.items()]
    return [(entry, None) if isinstance(entry, str) else next(iter(entry.items()))
            for entry in plugins or () if isinstance(entry, (str, dict))]


def _read_config(path: Path) -> dict:
    # reads tags without running them
    from helpgen.importers.mkdocs.settings import _CheckingLoader
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_CheckingLoader) or {}


def build_mkdocs(config_file: Path, out: Path) -> Fidelity:
    """`mkdocs build` of the project into `out`; returns a Fidelity naming the plugins that
    were left out (not installed)."""
    config = _read_config(config_file)
    installed = {entry.name for entry in importlib.metadata.entry_points(group="mkdocs.plugins")}
    result = Fidelity()
    kept = []
    i18n = None
    for name, options in _plugins(config):
        if name in I18N:
            i18n = options or {}
        elif name in installed:
            kept.append({name: options} if options is not None else name)
        else:
            result.left_out_plugins.append(name)
    root = config_file.parent
    docs = root / str(config.get("docs_dir") or "docs")
    work = Path(tempfile.mkdtemp(prefix="mkdocs-fidelity-", dir=out.parent))
    try:
        for language, pages, site in _languages(i18n, docs, out):
            docs_dir = work / f"docs-{language or 'all'}"
            for relative, source in pages.items():
                (docs_dir / relative).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, docs_dir / relative)
            child = root / f".fidelity-{language or 'all'}.yml"
            child.write_text(yaml.safe_dump({"INHERIT": config_file.name,
                                             "docs_dir": str(docs_dir), "site_dir": str(site),
                                             "plugins": kept, "strict": False}),
                             encoding="utf-8")
            try:
                _run("-m", "mkdocs", "build", "--quiet", "-f", child, cwd=root)
            finally:
                child.unlink()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return result


def _languages(i18n: dict | None, docs: Path, out: Path):
    """(language, {docs path: file}, site folder) per language, default first, as
    mkdocs-static-i18n builds them (one language, the docs folder as it is, without it)."""
    files = {p.relative_to(docs).as_posix(): p for p in sorted(docs.rglob("*")) if p.is_file()}
    if i18n is None:
        yield None, files, out
        return
    entries = i18n.get("languages") or []
    if isinstance(entries, dict):       # 0.x: {code: name}
        default = str(i18n.get("default_language") or "en")
        entries = [{"locale": code, "default": code == default} for code in entries]
    codes = [str(e["locale"]) for e in entries if isinstance(e, dict) and e.get("build", True)]
    default = next((str(e["locale"]) for e in entries if e.get("default")), codes[0])
    folder = i18n.get("docs_structure") == "folder"
    fallback = i18n.get("fallback_to_default", True) is not False

    def split(relative: str) -> tuple[str, str | None]:
        if folder:
            first, _, rest = relative.partition("/")
            return (rest, first) if first in codes and rest else (relative, None)
        stem, ext = posixpath.splitext(relative)
        head, dot, code = stem.rpartition(".")
        return (head + ext, code) if dot and code in codes else (relative, None)

    for code in [default] + [c for c in codes if c != default]:
        chosen: dict[str, Path] = {}
        for relative, file in files.items():
            base, own = split(relative)
            if own in (None, default) and (code == default or fallback or
                                           not base.endswith(".md")):
                chosen.setdefault(base, file)
        for relative, file in files.items():            # a translation wins
            base, own = split(relative)
            if own == code != default:
                chosen[base] = file
        entry = next(e for e in entries if str(e.get("locale")) == code)
        link = str(entry.get("link") or ("/" if code == default else f"/{code}/")).strip("/")
        yield code, chosen, out / link if link else out


def import_and_build(config_file: Path, dest: Path, out: Path) -> None:
    """`helpgen import mkdocs` of the project into `dest`, built into `out`."""
    _run("-m", "helpgen", "import", "mkdocs", config_file, dest)
    _run("-m", "helpgen", "build", dest, "-o", out, "--quiet")


# --- Reading both sites --------------------------------------------------------------------


def _parse(file: Path) -> BeautifulSoup:
    return BeautifulSoup(file.read_text(encoding="utf-8", errors="replace"), "html.parser")


def _join(page_url: str, href: str) -> str:
    """`href` on the page at `page_url` as a path from the site root (fragment kept)."""
    parts = urlsplit(href)
    path = unquote(parts.path)
    if not path:
        url = page_url
    else:
        folder = page_url if page_url == "" or page_url.endswith("/") else \
            posixpath.dirname(page_url) + "/"
        url = posixpath.normpath(path if path.startswith("/") else "/" + folder + path)
        url = url.lstrip("/")
        url += "/" if url and (path.endswith("/") or path.endswith("/.")) else ""
    return url + ("#" + unquote(parts.fragment) if parts.fragment else "")


class Site:
    """A built site's files, read as a host serves them and a browser follows redirects."""

    def __init__(self, root: Path):
        self.root = root
        self._pages: dict[str, BeautifulSoup | None] = {}

    def file(self, url: str) -> tuple[str, Path] | None:
        path = url.split("#")[0]
        candidates = [(path, self.root / path / "index.html")] if path == "" or \
            path.endswith("/") else [(path, self.root / path),
                                     (path + "/", self.root / path / "index.html")]
        return next(((u, f) for u, f in candidates if f.is_file()), None)

    def page(self, url: str) -> BeautifulSoup | None:
        if url not in self._pages:
            found = self.file(url)
            self._pages[url] = _parse(found[1]) if found and found[1].suffix == ".html" \
                else None
        return self._pages[url]

    def follow(self, url: str) -> str | None:
        """The URL of the page `url` ends at, after redirects; None when nothing is there."""
        for _ in range(LIMIT):
            found = self.file(url)
            if found is None:
                return None
            url = found[0]
            soup = self.page(url)
            refresh = soup.find("meta", attrs={"http-equiv": re.compile("^refresh$", re.I)}) \
                if soup is not None else None
            if refresh is None:
                return url
            target = re.split(r"url=", str(refresh.get("content", "")), maxsplit=1,
                              flags=re.I)[-1].strip().strip("'\"")
            url = _join(url, target).split("#")[0]
        return None


def _content(soup: BeautifulSoup):
    """The part of a page written in Markdown: MkDocs themes' and helpgen's."""
    return soup.select_one("div.article-body") or soup.select_one("article.md-content__inner") \
        or soup.select_one("[role=main]") or soup.body or soup


def _text(element) -> str:
    texts = [t for t in element.find_all(string=True)
             if not any(p.get("class") and "headerlink" in p.get("class")
                        for p in t.parents if p is not element and p.name == "a")]
    return " ".join("".join(texts).split())


def _same_text(old, new) -> bool:
    """Whether two pages show the same article: most of their text (headings of level 1, the
    title, left out) is the same."""
    def words(soup) -> str:
        content = _content(soup)
        return " ".join(" ".join(t.split()) for t in content.find_all(string=True)
                        if not any(p.name == "h1" for p in t.parents))[:3000]
    if new is None:
        return False
    old_words, new_words = words(old), words(new)
    return old_words == new_words or \
        difflib.SequenceMatcher(None, old_words, new_words, autojunk=False).ratio() >= 0.6


def _ids(soup: BeautifulSoup) -> dict[str, object]:
    return {element["id"]: element for element in _content(soup).find_all(id=True)}


def _links(soup: BeautifulSoup) -> list[tuple[str, str]]:
    """(text, href) of every link in the content to a page or file of the site."""
    found = []
    for anchor in _content(soup).find_all("a", href=True):
        href = str(anchor["href"])
        if "headerlink" in (anchor.get("class") or []) or href.startswith("#") or \
                urlsplit(href).scheme or href.startswith("//"):
            continue
        found.append((_text(anchor), href))
    return found


def _pairs(old_links: list, new_links: list):
    """Each old link with the new page's link of the same text, in order (None when it has
    none): the two pages may differ in what else is a link (helpgen's extensions render
    admonitions, for one, that a project without them showed as code)."""
    start = 0
    for text, href in old_links:
        index = next((i for i in range(start, len(new_links)) if new_links[i][0] == text),
                     None)
        if index is None:
            yield href, None
        else:
            start = index + 1
            yield href, new_links[index][1]


def _is_heading(element, levels: str = "23456") -> bool:
    return element.name and len(element.name) == 2 and element.name[0] == "h" and \
        element.name[1] in levels


# --- The comparison ------------------------------------------------------------------------


def compare(old_root: Path, new_root: Path, homes: tuple[str, ...] = ("",),
            result: Fidelity | None = None) -> Fidelity:
    """What the helpgen site at `new_root` keeps of the MkDocs site at `old_root`; `homes` are
    the URLs of the old site's home pages."""
    result = result or Fidelity()
    old, new = Site(old_root), Site(new_root)
    urls = sorted(_url_of(p.relative_to(old_root).as_posix()) for p in old_root.rglob("*.html")
                  if p.name not in THEME_PAGES)
    for url in urls:
        result.urls += 1
        target = new.follow(url)
        new_soup = new.page(target) if target is not None else None
        if target is None:
            result.lost_urls.append(f"/{url}")
        soup = old.page(url)
        if old.follow(url) != url or soup is None:
            continue                    # an old redirect page: its target is counted itself
        if target is not None and url not in homes and not _same_text(soup, new_soup):
            result.lost_urls.append(f"/{url} (leads to /{target}, another page)")
        _compare_ids(result, url, soup, new_soup, home=url in homes)
        if url not in homes:
            _compare_links(result, old, new, url, target)
    return result


def _url_of(file: str) -> str:
    if file == "index.html":
        return ""
    return file[:-len("index.html")] if file.endswith("/index.html") else file


def _compare_ids(result: Fidelity, url: str, soup, new_soup, home: bool) -> None:
    new_ids = _ids(new_soup) if new_soup is not None else {}
    for anchor, element in _ids(soup).items():
        where = f"/{url}#{anchor}"
        found = new_ids.get(anchor)
        if home or anchor.startswith("__codelineno-"):
            total, lost = ("home_ids", result.lost_home_ids) if home else \
                ("code_line_ids", result.lost_code_line_ids)
            setattr(result, total, getattr(result, total) + 1)
            if found is None:
                lost.append(where)
            continue
        heading = _is_heading(element)
        total, lost = ("anchors", result.lost_anchors) if heading else ("ids", result.lost_ids)
        setattr(result, total, getattr(result, total) + 1)
        same = found is not None and (not heading or (_is_heading(found, "123456") and
                                                      _text(found) == _text(element)))
        if not same:
            lost.append(f"{where} ({_text(element)!r}" + (
                f", now {_text(found)!r})" if found is not None else ", missing)"))


def _compare_links(result: Fidelity, old: Site, new: Site, url: str,
                   new_url: str | None) -> None:
    old_links = _links(old.page(url))
    new_links = _links(new.page(new_url)) if new_url is not None else []
    for old_href, new_href in _pairs(old_links, new_links):
        written = _join(url, old_href)
        path, _, fragment = written.partition("#")
        old_target = old.follow(path)
        if old_target is None:
            continue                    # broken on the old site already
        result.links += 1
        if new_href is None:
            result.lost_links.append(f"/{url}: {old_href} (no such link on /{new_url})")
            continue
        expected = new.follow(old_target)
        actual_path, _, actual_fragment = _join(new_url, new_href).partition("#")
        actual = new.follow(actual_path)
        ok = expected is not None and actual == expected
        if ok and old.page(old_target) is None:          # a file: the same bytes
            ok = old.file(old_target)[1].read_bytes() == new.file(actual)[1].read_bytes()
        elif ok and fragment:
            element = _ids(old.page(old_target)).get(fragment)
            found = _ids(new.page(actual)).get(actual_fragment)
            ok = element is None or (found is not None and _text(found) == _text(element))
        if not ok:
            result.lost_links.append(f"/{url}: {old_href} (now {new_href} → /{actual})")


def measure(config_file: Path, work: Path) -> Fidelity:
    """Build the project with MkDocs and with helpgen (in `work`) and compare the two."""
    work.mkdir(parents=True, exist_ok=True)
    result = build_mkdocs(config_file, work / "mkdocs-site")
    import_and_build(config_file, work / "import", work / "helpgen-site")
    config = _read_config(config_file)
    i18n = next((options or {} for name, options in _plugins(config) if name in I18N), None)
    homes = ("",) + tuple(f"{code}/" for code in _language_links(i18n))
    return compare(work / "mkdocs-site", work / "helpgen-site", homes, result)


def _language_links(i18n: dict | None) -> list[str]:
    if not i18n:
        return []
    entries = i18n.get("languages") or []
    if isinstance(entries, dict):
        return [code for code in entries if code != i18n.get("default_language")]
    return [str(e.get("link") or f"/{e['locale']}/").strip("/") for e in entries
            if isinstance(e, dict) and not e.get("default")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("projects", nargs="+", type=Path, help="mkdocs.yml files or folders")
    parser.add_argument("--misses", type=int, default=10, help="misses shown per kind")
    parser.add_argument("--keep", type=Path, help="build in this folder and keep the sites")
    args = parser.parse_args()
    for index, project in enumerate(args.projects):
        config = project / "mkdocs.yml" if project.is_dir() else project
        with tempfile.TemporaryDirectory(prefix="fidelity-") as work:
            try:
                result = measure(config.resolve(), args.keep / str(index) if args.keep
                                 else Path(work))
            except RuntimeError as error:
                print(f"{project}: could not build: {str(error)[:2000]}")
                continue
        print(f"{project}: {result.summary()}")
        if result.left_out_plugins:
            print(f"  plugins not installed, left out of the MkDocs build: "
                  f"{', '.join(result.left_out_plugins)}")
        misses = result.misses(args.misses)
        if misses:
            print(misses)


if __name__ == "__main__":
    main()
