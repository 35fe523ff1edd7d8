"""Property tests: whatever names, nav and HTML an export holds, `helpgen import` either writes a
site that builds without a script from the input, or fails with a clean `path: error:` message;
never a traceback, never a file outside DEST."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import yaml
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from conftest import HOSTILE_BODY, read_html, unsafe

SETTINGS = settings(max_examples=50, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow, HealthCheck.data_too_large])

CLEAN_ERROR = re.compile(r"(^|\n)\S[^\n]*: error: \S")       # path[:line]: error: message
HOSTILE_NAMES = ["..", ".", "...", "../../../etc/passwd", "/", "/etc/passwd", "a/b", "a\\b",
                 "\x00", "nul\x00byte", "\x1b[31mred", "CON", "nul", "COM1", "LPT1.txt",
                 "aux.md", "x" * 300, "账单说明", "請求", "", " ", "index", "search", "assets", "404.html",
                 "zh-CN", "_theme", "Search", "SEARCH", "-", "#", "%2e%2e", "a\u202eb", "é"]
names = st.one_of(st.sampled_from(HOSTILE_NAMES),
                  st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40))

URLS = ["javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)",
        "java\tscript:alert(1)", "\x01javascript:alert(1)", "vbscript:msgbox(1)",
        "data:text/html;base64,PHNjcmlwdD4=", "https://www.youtube.com/embed/x",
        "https://evil.example/\" onload=\"alert(1)", "http://www.youtube.com/embed/x",
        "https://ok.example/)[y](javascript:alert(1)", "../x", "#a", "/hc/en-us/articles/1",
        "https://acme.zendesk.com/hc/en-us/articles/2-Two", "mailto:a@b.example", "x y.png",
        "https://ok.example/a\\", "{: onclick=alert(1)}", "'\"><script>alert(1)</script>",
        "http://[::1", "https://[oops/a.png"]
TEXTS = ["[x](javascript:alert(1))", "{: onclick=\"alert(1)\" }", "<script>alert(1)</script>",
         "\\", "\\[", "]", "`", "*", "_", "#", "\n", "---", "    ", "&lt;b onclick=x&gt;", "&",
         "<", ">", "![i](javascript:alert(1))", "[r]: javascript:alert(1)", "{#id}", "账单",
         "javascript:alert(1)", "<javascript:alert(1)>", "~~~", "```", "|", "1."]
ATTRIBUTES = ["href", "src", "onclick", "onerror", "onload", "class", "id", "alt", "style",
              "title", "xlink:href", "width", "action", "formaction", "srcdoc"]
TAGS = ["p", "a", "img", "iframe", "script", "div", "h2", "pre", "code", "ul", "ol", "li",
        "table", "tr", "td", "svg", "form", "style", "span", "b", "object", "embed", "math",
        "details", "summary", "blockquote", "button", "input", "noscript", "template"]

texts = st.one_of(st.sampled_from(TEXTS), st.text(max_size=20))
attribute_values = st.one_of(st.sampled_from(URLS), st.sampled_from(TEXTS),
                             st.just("language-{onclick=alert(1)}"), st.text(max_size=20))


def _escape(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;")


@st.composite
def elements(draw, children):
    tag = draw(st.sampled_from(TAGS))
    attrs = draw(st.dictionaries(st.sampled_from(ATTRIBUTES), attribute_values, max_size=3))
    quote = draw(st.sampled_from(['"', "'", ""]))
    written = "".join(f' {k}="{_escape(v)}"' if quote == '"' or "'" in v or not quote
                      else f" {k}='{v}'" for k, v in attrs.items())
    inner = "".join(draw(st.lists(children, max_size=3)))
    closed = draw(st.booleans())
    return f"<{tag}{written}>{inner}" + (f"</{tag}>" if closed else "")


html_bodies = st.recursive(texts, lambda children: elements(children), max_leaves=12)


def _files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*")}


def _run(cli, root: Path, *args) -> bool:
    """`helpgen import …` and, when it worked, `helpgen build`: exit 0, or 1/2 with a clean
    message; nothing written outside DEST (the last argument). True when the site was built."""
    dest = Path(args[-1])
    before = _files(root)
    result = cli("import", *args)
    assert result.exit_code in (0, 1, 2), result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    if result.exit_code:
        assert CLEAN_ERROR.search(result.output), result.output
        assert not dest.exists()
    built = cli("build", dest, "--quiet") if result.exit_code == 0 else None
    if built is not None:
        assert built.exit_code in (0, 1), built.output
        assert "internal error" not in built.output
        if built.exit_code:
            assert CLEAN_ERROR.search(built.output), built.output
    outside = {f for f in _files(root) - before
               if f != dest.name and not f.startswith(dest.name + "/")}
    assert not outside, outside
    event(f"import exit {result.exit_code}, build exit {built.exit_code if built else None}")
    return built is not None and built.exit_code == 0


def _reset(root: Path) -> None:
    for child in root.iterdir():
        shutil.rmtree(child) if child.is_dir() and not child.is_symlink() else child.unlink()


@st.composite
def zendesk_exports(draw):
    categories = [{"id": 10 + n, "name": draw(names), "position": n}
                  for n in range(draw(st.integers(0, 2)))]
    sections = [{"id": 100 + n, "name": draw(names), "category_id": draw(st.sampled_from(
        [c["id"] for c in categories] or [99]))} for n in range(draw(st.integers(0, 2)))]
    articles = []
    for n in range(draw(st.integers(1, 4))):
        article_id = draw(st.sampled_from([1, 2, 3, 4, "x", 1.5]))
        articles.append({
            "id": article_id, "title": draw(names), "body": draw(html_bodies),
            "locale": draw(st.sampled_from(["en-us"] * 6 + ["zh-cn", "ZH_tw", "", "en", "../.."])),
            "section_id": draw(st.sampled_from([s["id"] for s in sections] or [None])),
            "html_url": draw(st.sampled_from([
                None, f"https://acme.zendesk.com/hc/en-us/articles/{article_id}-A",
                "https://acme.zendesk.com/hc/../../etc/passwd", "javascript:alert(1)",
                "https://[oops/hc/en-us/articles/1"])),
            "label_names": draw(st.lists(names, max_size=2)),
            "draft": draw(st.booleans()), "position": draw(st.integers(-2, 3))})
    return {"categories": categories, "sections": sections, "articles": articles}


@SETTINGS
@given(export=zendesk_exports())
@example(export={"articles": [{"id": 1, "title": "x" * 300, "body": HOSTILE_BODY,
                               "label_names": ["../..", "\x00"]},
                              {"id": 2, "title": "x" * 300, "body": "<p>[x](javascript:1)"}]})
def test_zendesk_import_of_any_export_is_clean_and_contained(cli, tmp_path, export):
    root = tmp_path / "root"
    root.mkdir(exist_ok=True)
    _reset(root)
    source = root / "export.json"
    source.write_text(json.dumps(export), encoding="utf-8")
    dest = root / "help"
    if _run(cli, root, "zendesk", source, dest):
        bodies = [read_html(page).select_one(".article-body")
                  for page in (dest / "site").rglob("*.html")]
        bodies = [body for body in bodies if body is not None]
        assert bodies or all(a["draft"] for a in export["articles"])
        for body in bodies:
            assert not unsafe(str(body)), body


def _nav(draw, files: list[str], depth: int = 0) -> list:
    items = []
    for _ in range(draw(st.integers(0 if depth else 1, 3))):
        kind = draw(st.sampled_from(["page", "titled", "section", "link"] if depth < 3
                                    else ["page", "titled", "link"]))
        target = draw(st.sampled_from(files + ["../../etc/passwd", "/abs.md", "gone.md",
                                               "https://x.example/", "javascript:alert(1)"]))
        if kind == "page":
            items.append(target)
        elif kind in ("titled", "link"):
            items.append({draw(names) or "t": target})
        else:
            items.append({draw(names) or "s": _nav(draw, files, depth + 1)})
    return items


@st.composite
def mkdocs_projects(draw):
    safe_names = names.map(lambda n: n.replace("/", "").replace("\x00", "").replace("\\", ""))
    files = draw(st.lists(safe_names.filter(lambda n: n not in ("", ".", "..") and
                                            len(n.encode()) < 200), max_size=4, unique=True))
    files = [f"{name}.md" for name in files] + ["index.md"]
    folder = draw(st.sampled_from(["", "guide/", "账单/", ".hidden/", "a b/"]))
    pages = {f"{folder if n != 'index.md' else ''}{n}": draw(st.sampled_from(
        ["", "# T\n", "---\ntitle: [x\n---\n", "---\ntitle: \"../../x\"\ntags: [a, ../b]\n---\n",
         "![i](../../../../etc/passwd)\n", "[l](../../outside.md)\n", "{{ macro }}\n"]))
        + draw(texts) for n in files}
    config = {"site_name": draw(names) or "Docs",
              "nav": _nav(draw, list(pages)) if draw(st.booleans()) else None,
              "theme": {"name": "material",
                        "logo": draw(st.sampled_from([None, "../../../../etc/passwd", "/etc/x",
                                                      "index.md"]))}}
    return {k: v for k, v in config.items() if v is not None}, pages


@SETTINGS
@given(project=mkdocs_projects())
@example(project=({"site_name": "..", "nav": [{"x" * 300: "index.md"}, {"账" * 100: "a.md"}]},
                  {"index.md": "# Home\n", "a.md": "", "b.md": "[l](../../outside.md)"}))
def test_mkdocs_import_of_any_nav_and_names_is_clean_and_contained(cli, tmp_path, project):
    root = tmp_path / "root"
    root.mkdir(exist_ok=True)
    _reset(root)
    config, pages = project
    (root / "proj/docs").mkdir(parents=True)
    (root / "proj/mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True),
                                          encoding="utf-8")
    for relative, text in pages.items():
        path = root / "proj/docs" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    _run(cli, root, "mkdocs", root / "proj/mkdocs.yml", root / "help")
    if (root / "help").exists():
        assert "root:" not in (root / "help/helpgen.yml").read_text(encoding="utf-8")

