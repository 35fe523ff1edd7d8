"""Files that MkDocs pages include, inlined into the pages at import time.

helpgen has no include directive, so what `markdown_include` (`{!file.md!}`) and
`pymdownx.snippets` (`--8<-- "file.md"`, block lists, `auto_append`) put into a page when MkDocs
built it is written into the article instead. Snippets are expanded by pymdownx's own
preprocessor; both read only files inside the project (after following symbolic links), and
never download anything.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable

MARKDOWN_INCLUDE = "markdown_include.include"
SNIPPETS = "pymdownx.snippets"
# {!file.md!} or {!file.md!lines=1-3 6!}, as markdown-include writes it.
_INCLUDE = re.compile(r"{!\s*(.+?)\s*!((\blines\b)=([0-9 -]+))?\}")
MAX_DEPTH = 20

Inside = Callable[[Path, str], "Path | None"]      # the file resolved if inside the project
Missing = Callable[[str, str], None]               # (directive, file as written) not found


class Includes:
    """The include extensions a project enables, ready to expand pages' Markdown."""

    def __init__(self, root: Path, extensions: list[tuple[str, dict]], inside: Inside,
                 missing: Missing):
        self.root, self.inside, self.missing = root, inside, missing
        self.used: set[Path] = set()                 # every file included somewhere
        self.include = next((options for name, options in extensions
                             if name == MARKDOWN_INCLUDE), None)
        snippets = next((options for name, options in extensions if name == SNIPPETS), None)
        self.snippets = _snippets(root, snippets, self) if snippets is not None else None

    def expand(self, text: str) -> str:
        """`text` with what the project's include extensions would insert, inlined."""
        if self.include is not None:
            text = "\n".join(self._markdown_include(text.split("\n"), []))
        if self.snippets is not None:
            text = "\n".join(self.snippets.run(text.split("\n")))
        return text

    def _file(self, path: Path, directive: str, written: str) -> Path | None:
        """The included file, resolved inside the project; a missing one is reported."""
        real = self.inside(path, directive)
        if real is None:
            return None
        if not real.is_file():
            self.missing(directive, written)
            return None
        self.used.add(real)
        return real

    def _markdown_include(self, lines: list[str], stack: list[Path]) -> list[str]:
        base = self.root / str(self.include.get("base_path") or ".")
        out: list[str] = []
        for line in lines:
            match = _INCLUDE.search(line)
            if match is None:
                out.append(line)
                continue
            file = self._file(base / match.group(1), MARKDOWN_INCLUDE, match.group(1))
            if file is None or file in stack or len(stack) >= MAX_DEPTH:
                out.extend(self._markdown_include([line[:match.start()] + line[match.end():]],
                                                  stack))
                continue
            text = file.read_text(encoding="utf-8-sig", errors="replace").split("\n")
            if text and text[-1] == "":
                text.pop()
            if match.group(4):
                text = [text[index] for span in match.group(4).split()
                        for index in _line_range(span, len(text))]
            text = self._markdown_include(text, stack + [file]) or [""]
            text[0] = line[:match.start()] + text[0]
            last = text.pop() + line[match.end():]
            out.extend(text)
            out.extend(self._markdown_include([last], stack))    # the rest of the line
        return out


def _line_range(span: str, count: int) -> range:
    """markdown-include's `lines=` item: `3` or `2-5` (from 1, both ends included)."""
    first, dash, last = span.partition("-")
    start = max(int(first or 1), 1)
    end = int(last or count) if dash else start
    return range(start - 1, min(end, count))


def _snippets(root: Path, options: dict, includes: Includes):
    """pymdownx.snippets' own preprocessor with the project's options, its base paths taken
    from the project folder (where `mkdocs build` runs), reading only files inside it."""
    import markdown
    from pymdownx.snippets import SnippetExtension, SnippetPreprocessor

    class Snippets(SnippetPreprocessor):
        def get_snippet_path(self, path):
            found = super().get_snippet_path(path)
            if found is None:
                includes.missing(SNIPPETS, path)
                return None
            file = includes._file(Path(found), SNIPPETS, path)
            return str(file) if file is not None else None

    config = SnippetExtension().getConfigs()
    for key in ("base_path", "auto_append", "encoding", "dedent_subsections",
                "restrict_base_path"):
        if options.get(key) is not None:
            config[key] = options[key]
    bases = config["base_path"]
    config["base_path"] = [str(root / str(base)) for base in
                           (bases if isinstance(bases, list) else [bases])]
    config["auto_append"] = [str(name) for name in config["auto_append"] or ()]
    config["url_download"] = False           # an import reads the project, nothing else
    config["check_paths"] = False
    return Snippets(config, markdown.Markdown())
