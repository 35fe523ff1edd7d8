"""`helpgen translations`: what each locale is missing, and which translations are out of date.

Reads the articles as every command does (content/sources.py; no Markdown is converted), asks
content/translations.py which translations are out of date, and says so: a summary on the
terminal, `-o DIR` a status page (`index.html`, readable offline) and `status.json`,
`--format json` that document, `--format github` one annotation per outdated or missing
translation (as `helpgen check --format github` does, with its exit codes). `--pin` records in
every current translation what it was translated from (`translated_from:`), for sites without git.

Links to the files and to what changed since a translation was made point at the repository
when its `origin` is on GitHub or GitLab (the commit checked out), else are paths from DIR and
`git diff` commands.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

import click

from helpgen.commands.check import FORMATS, WARNING, CheckResult, Problem, _finish
from helpgen.commands.present import check_outcome, fail, internal_error, plural, problem_text
from helpgen.content.sources import ArticleSource, load_sources
from helpgen.content.translations import (PIN, TranslationState, original_hash,
                                          outdated_problem, translation_states)
from helpgen.errors import MISSING_TRANSLATION, HelpgenError, Report
from helpgen.infra.cache import CACHE_DIR, BuildCache
from helpgen.report.page import translations_page
from helpgen.settings.config import Config, load_config
from helpgen.settings.locales import article_file, localize

STATUS_JSON, STATUS_HTML = "status.json", "index.html"


@dataclass(frozen=True)
class Repository:
    """Where the site's files are in git: the checkout's top folder, its commit, and the web
    address of its `origin` on GitHub or GitLab (None elsewhere)."""

    top: Path
    head: str
    web: str | None
    gitlab: bool = False

    @classmethod
    def of(cls, folder: Path) -> Repository | None:
        def git(*args: str) -> str:
            return subprocess.run(["git", "-C", str(folder), *args], capture_output=True,
                                  text=True, check=True).stdout.strip()
        try:
            top = Path(git("rev-parse", "--show-toplevel")).resolve()
            head = git("rev-parse", "HEAD")
        except (OSError, subprocess.CalledProcessError):
            return None
        try:
            remote = git("remote", "get-url", "origin")
        except subprocess.CalledProcessError:
            remote = ""
        web = _web_address(remote)
        return cls(top, head, web, bool(web) and "gitlab" in urlsplit(web).netloc)

    def file_url(self, path: Path) -> str | None:
        if not self.web:
            return None
        kind = "-/blob" if self.gitlab else "blob"
        return f"{self.web}/{kind}/{self.head}/{quote(path.relative_to(self.top).as_posix())}"

    def diff_url(self, since: str) -> str | None:
        if not self.web:
            return None
        return f"{self.web}/{'-/' if self.gitlab else ''}compare/{since}...{self.head}"


def _web_address(remote: str) -> str | None:
    """https://host/owner/repo for a GitHub or GitLab remote (https, ssh or scp-like), without
    the credentials an https remote may carry."""
    match = re.match(r"^(?:[\w.+-]+://)?(?:[^@/]+@)?([^/:]+)(?::\d+)?[:/](.+?)(?:\.git)?/?$",
                     remote)
    if not match:
        return None
    host, path = match.groups()
    if host not in ("github.com", "gitlab.com") and not host.startswith("gitlab."):
        return None
    return f"https://{host}/{path.strip('/')}"


@dataclass
class Status:
    """Every locale's translations: current, outdated and missing."""

    config: Config
    states: list[TranslationState]
    missing: dict[str, list[ArticleSource]]        # locale -> originals without a translation
    originals: int                                 # published default-locale articles
    repository: Repository | None

    def problems(self) -> list[HelpgenError]:
        found = [outdated_problem(state) for state in self.states if state.outdated]
        for locale, originals in self.missing.items():
            found += [HelpgenError(f"no translation for {locale}", source.path,
                                   source.line_of("title"),
                                   f"add {article_file(source.name, locale)} beside it",
                                   code=MISSING_TRANSLATION) for source in originals]
        return found

    def document(self, out: Path | None) -> dict:
        """status.json: paths from the site folder; links from `out` (or the site folder)."""
        config, root = self.config, self.config.root
        base = out or root

        def where(path: Path) -> dict:
            url = self.repository.file_url(path) if self.repository else None
            return {"path": path.relative_to(root).as_posix(),
                    "url": url or Path(os.path.relpath(path, base)).as_posix()}

        def entry(state: TranslationState) -> dict:
            item = {"title": state.source.meta["title"], **where(state.source.path),
                    "original": {"title": state.original.meta["title"],
                                 **where(state.original.path)},
                    "known_by": state.known_by}
            if state.outdated:
                item["original_hash"] = original_hash(state.original)
                item["since"] = state.since
                original = state.original.path.relative_to(
                    self.repository.top if self.repository else root).as_posix()
                item["diff_command"] = f"git diff {state.since} -- {original}" if state.since \
                    else None
                item["diff_url"] = self.repository.diff_url(state.since) \
                    if self.repository and state.since else None
            return item

        locales = {}
        for locale in config.other_locales:
            states = [s for s in self.states if s.source.locale == locale]
            current = [entry(s) for s in states if not s.outdated]
            outdated = [entry(s) for s in states if s.outdated]
            missing = [{"title": s.meta["title"], "expected": (s.path.parent / article_file(
                s.name, locale)).relative_to(root).as_posix(), "original": where(s.path)}
                for s in self.missing[locale]]
            locales[locale] = {"counts": {"translated": len(current), "outdated": len(outdated),
                                          "missing": len(missing)},
                               "translated": current, "outdated": outdated, "missing": missing}
        return {"site": localize(config.title, config.default_locale, config.default_locale),
                "default_locale": config.default_locale, "articles": self.originals,
                "commit": self.repository.head if self.repository else None,
                "locales": locales}


def read_status(config: Config, report: Report) -> Status:
    cache = BuildCache(config.root / CACHE_DIR)
    sources = load_sources(config, report, cache)
    try:
        cache.save(forget_unused=False)
    except (OSError, sqlite3.Error):
        pass                              # the cache only spares reading front matter again
    articles = sources.articles
    states = translation_states(articles, config.default_locale)
    have = {(s.key, s.locale) for s in articles}
    originals = [s for s in articles if s.locale == config.default_locale
                 and not s.meta.get("draft")]
    missing = {locale: [s for s in originals if (s.key, locale) not in have]
               for locale in config.other_locales}
    return Status(config, states, missing, len(originals), Repository.of(config.articles_dir))


def pin(states: list[TranslationState]) -> list[Path]:
    """Write `translated_from:` into every translation that is current and has none; returns
    the files written."""
    written = []
    for state in states:
        if state.outdated or PIN in state.source.meta:
            continue
        path = state.source.path
        text = path.read_text(encoding="utf-8")
        lines = text.split("\n")
        end = next(i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "..."))
        lines.insert(end, f'{PIN}: "{original_hash(state.original)}"'
                     + ("\r" if lines[0].endswith("\r") else ""))
        path.write_text("\n".join(lines), encoding="utf-8")
        written.append(path)
    return written


def _summary(doc: dict) -> str:
    lines = []
    for locale, status in doc["locales"].items():
        counts = status["counts"]
        lines.append(f"{locale}: {counts['translated']} up to date, {counts['outdated']} out "
                     f"of date, {counts['missing']} missing")
        lines += [f"  out of date: {item['path']}" for item in status["outdated"]]
        lines += [f"  missing: {item['expected']}" for item in status["missing"]]
    return "\n".join(lines) or "The site has one locale: there is nothing to translate."


@click.command("translations")
@click.argument("site_dir", metavar="[SITE]", default=".",
                type=click.Path(file_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path),
              help="Write the status page (index.html and status.json) into this folder.")
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="text",
              show_default=True, help="text for people, json for tools (status.json), github "
              "for GitHub Actions annotations.")
@click.option("--strict", is_flag=True,
              help="Count outdated and missing translations as errors (exit 1).")
@click.option("--pin", "write_pins", is_flag=True,
              help="Write translated_from: into each current translation that has none (for "
              "sites without git).")
def translations_command(site_dir: Path, output: Path | None, output_format: str, strict: bool,
                         write_pins: bool):
    """Show which translations of SITE (default: the current folder) are missing or out of
    date. Exits 1 when outdated or missing translations count as errors (--strict, or
    check.errors in helpgen.yml)."""
    site_dir = site_dir.resolve()
    report = Report()
    try:
        config = load_config(site_dir, report)
        status = read_status(config, report)
    except HelpgenError as error:
        fail(error, site_dir)
    except Exception:  # noqa: BLE001 - bugs become a readable message, as in build
        internal_error()
    if report.failed:
        for error in report.errors:
            click.echo(problem_text(error, "error", site_dir, error.code), err=True)
        fail(HelpgenError("the articles could not all be read, so their translations cannot "
                          "be counted", site_dir, None, "fix the errors above, or run "
                          "helpgen check"))
    if write_pins:
        written = pin(status.states)
        click.echo(f"Pinned {plural(len(written), 'translation')} to the text of their "
                   "original (translated_from:).")
        status = read_status(config, Report())
    doc = status.document(output.resolve() if output else None)
    if output is not None:
        output.mkdir(parents=True, exist_ok=True)
        (output / STATUS_JSON).write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n",
                                          encoding="utf-8")
        (output / STATUS_HTML).write_text(translations_page(doc, STATUS_JSON), encoding="utf-8")
    problems = _finish([Problem(p, WARNING) for p in status.problems()], config, strict)
    result = CheckResult(problems, len(status.states) + status.originals, len(config.locales),
                         True)
    if output_format == "github":
        check_outcome(result, output_format, site_dir)
    if output_format == "json":
        click.echo(json.dumps(doc, ensure_ascii=False, indent=2))
    else:
        click.echo(_summary(doc))
        if output is not None:
            click.echo(f"Wrote {output / STATUS_HTML} and {STATUS_JSON}.")
    raise SystemExit(1 if result.errors else 0)
