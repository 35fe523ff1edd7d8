"""The command line: `helpgen build`, `new`, `schemas` and `import`; `check`, `serve`,
`translations`, `collect` and `report` are in their own modules, loaded when they run. Problems
are shown, and exit codes chosen, by present.py."""

from __future__ import annotations

import contextlib
import gc
import importlib
import os
import shutil
import sys
from pathlib import Path

import click

import helpgen
from helpgen.content.audience import AUDIENCES, PUBLIC
from helpgen.pipeline import build as run_build
from helpgen.commands.present import (build_outcome, created, fail, imported, internal_error,
                                      waiting)
from helpgen.errors import HelpgenError, Report
from helpgen.infra.progress import Progress
from helpgen.settings.config import load_config, url_problem

STARTER = Path(__file__).parent.parent / "starter"


def _check_base_url(ctx, param, value):
    """--base-url is published as site.url is (canonical links, the sitemap): the same rule,
    with a path from the root allowed too."""
    problem = None if value is None else url_problem(value, "--base-url", path_example="/help/")
    if problem is not None:
        raise click.BadParameter("; ".join(problem))
    return value


class _Commands(click.Group):
    """helpgen's commands; those defined in other modules are imported when they run (or help
    lists them), not for every command: a build with nothing to do takes a tenth of a second,
    and importing them took a third of that."""

    ELSEWHERE = {"check": "helpgen.commands.check:check_command",
                 "serve": "helpgen.commands.serve:serve_command",
                 "translations": "helpgen.commands.translations:translations_command",
                 "collect": "helpgen.commands.collect:collect_command",
                 "report": "helpgen.commands.report:report_command"}

    def list_commands(self, ctx):
        return sorted([*super().list_commands(ctx), *self.ELSEWHERE])

    def get_command(self, ctx, name):
        if name not in self.ELSEWHERE:
            return super().get_command(ctx, name)
        module, command = self.ELSEWHERE[name].split(":")
        return getattr(importlib.import_module(module), command)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(helpgen.__version__, prog_name="helpgen")
def main():
    """Compile a folder of Markdown articles into a static help center."""


@main.command()
@click.argument("site_dir", metavar="[SITE]", default=".",
                type=click.Path(file_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Output folder (default: SITE/site). Written only if the build succeeds; "
              "files it no longer has are deleted.")
@click.option("--strict", is_flag=True, help="Treat warnings (e.g. broken links) as errors.")
@click.option("--base-url", callback=_check_base_url,
              help="Where the site will be served: a URL or a path such as /help/.")
@click.option("-q", "--quiet", is_flag=True, help="Print only warnings and errors.")
@click.option("--no-cache", is_flag=True,
              help="Ignore and do not update SITE/.helpgen-cache (a cold build).")
@click.option("--precompress", is_flag=True,
              help="Also write .gz and .br files beside text files, for hosts that serve them.")
@click.option("--brand", "brand", metavar="ID",
              help="Build only this brand (from 'brands:' in helpgen.yml) into OUTPUT/ID.")
@click.option("-v", "--verbose", is_flag=True,
              help="Also say what was made anew rather than reused from the cache.")
@click.option("--audience", type=click.Choice(AUDIENCES), default=PUBLIC, show_default=True,
              help="internal: the agents' help center, with the 'audience: internal' articles, "
              "hidden from search engines (default output: SITE/internal-site).")
def build(site_dir: Path, output: Path | None, strict: bool, base_url: str | None, quiet: bool,
          no_cache: bool, precompress: bool, brand: str | None, verbose: bool, audience: str):
    """Build the help center in SITE (default: the current folder)."""
    site_dir = site_dir.resolve()
    progress = _progress_bar(quiet)
    try:
        with _cycle_collector_paused():
            result = run_build(site_dir, output, strict=strict, base_url=base_url,
                               use_cache=not no_cache, progress=progress,
                               precompress=precompress, brand=brand, waiting=waiting,
                               audience=audience)
    except HelpgenError as error:
        result = None
        report = Report(errors=[error])
    except Exception:  # noqa: BLE001 - the one place that turns bugs into a readable message
        progress.close()
        internal_error()
    else:
        report = result.report
    progress.close()
    build_outcome(report, result, site_dir, quiet, verbose)


@contextlib.contextmanager
def _cycle_collector_paused():
    """A build is one pass whose objects mostly live until it ends: the cyclic garbage
    collector's full passes over them took about 4% of it and freed nearly nothing (the peak
    memory is the same without them)."""
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


class _RichProgress(Progress):
    """A progress bar on the terminal, for builds long enough to need one."""

    def __init__(self):
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, SpinnerColumn, TextColumn
        from rich.progress import Progress as Bar
        self.bar = Bar(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                       MofNCompleteColumn(), console=Console(stderr=True), transient=True)
        self.task = None
        self.bar.start()

    def stage(self, name: str, total: int | None = None) -> None:
        if self.task is not None:
            self.bar.remove_task(self.task)
        self.task = self.bar.add_task(name, total=total)

    def advance(self, steps: int = 1) -> None:
        self.bar.advance(self.task, steps)

    def close(self) -> None:
        self.bar.stop()


def _progress_bar(quiet: bool) -> Progress:
    """A bar on an interactive terminal; nothing when quiet, piped, or in CI."""
    if quiet or os.environ.get("CI") or not sys.stderr.isatty():
        return Progress()
    return _RichProgress()


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def new(directory: Path):
    """Create a starter help center in DIRECTORY."""
    if directory.exists() and any(directory.iterdir()):
        fail(HelpgenError("the folder is not empty", directory, None,
                          "choose a new folder name; helpgen new never overwrites files"))
    # shutil.copy, not copy2: the articles are new, not as old as helpgen's installed files (an
    # article's date is its file's without git, and a year later it would be stale).
    shutil.copytree(STARTER, directory, dirs_exist_ok=True, copy_function=shutil.copy,
                    ignore=shutil.ignore_patterns("__pycache__"))
    _write_schemas(directory)
    created(directory)


@main.command()
@click.argument("site_dir", metavar="[SITE]", default=".",
                type=click.Path(exists=True, file_okay=False, path_type=Path))
def schemas(site_dir: Path):
    """Write this helpgen's JSON Schemas into SITE/.helpgen/schemas/ (after an upgrade)."""
    try:
        load_config(site_dir, Report())         # a site folder (its settings' problems aside)
    except HelpgenError as error:
        fail(error)
    click.echo(f"Wrote the JSON Schemas of helpgen {helpgen.__version__} to "
               f"{_write_schemas(site_dir)}")


def _write_schemas(site_dir: Path) -> Path:
    """The JSON Schemas a site's YAML files name in their `# yaml-language-server: $schema=`
    lines, as this helpgen ships them: in the site, editors find them offline. Returns their
    folder."""
    from helpgen.content.json_schema import IN_SITE, SHIPPED
    return Path(shutil.copytree(SHIPPED, site_dir / IN_SITE, copy_function=shutil.copy,
                                dirs_exist_ok=True))


@main.group("import")
def import_group():
    """Create a help center from another tool's content (MkDocs, GitBook, Docusaurus, Zendesk)."""


def _run_import(function, source: Path, dest: Path) -> None:
    try:
        report = function(source, dest)
    except HelpgenError as error:
        fail(error)
    except Exception:  # noqa: BLE001 - bugs become a readable message, as in build
        internal_error()
    imported(report, dest)


@import_group.command("mkdocs")
@click.argument("config", metavar="MKDOCS_YML", type=click.Path(exists=True, path_type=Path))
@click.argument("dest", type=click.Path(file_okay=False, path_type=Path))
def import_mkdocs(config: Path, dest: Path):
    """Import the MkDocs project MKDOCS_YML into a new site folder DEST."""
    from helpgen.importers.mkdocs import import_mkdocs as run
    _run_import(run, config, dest)


@import_group.command("docusaurus")
@click.argument("site", metavar="DOCUSAURUS_DIR",
                type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("dest", type=click.Path(file_okay=False, path_type=Path))
def import_docusaurus(site: Path, dest: Path):
    """Import the docs of the Docusaurus site in DOCUSAURUS_DIR (docs/, _category_.json,
    i18n/) into a new site folder DEST."""
    from helpgen.importers.docusaurus import import_docusaurus as run
    _run_import(run, site, dest)


@import_group.command("gitbook")
@click.argument("space", metavar="GITBOOK_DIR",
                type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("dest", type=click.Path(file_okay=False, path_type=Path))
def import_gitbook(space: Path, dest: Path):
    """Import the GitBook space in GITBOOK_DIR (SUMMARY.md, .gitbook/assets) into a new site
    folder DEST."""
    from helpgen.importers.gitbook import import_gitbook as run
    _run_import(run, space, dest)


@import_group.command("zendesk")
@click.argument("export", type=click.Path(exists=True, path_type=Path))
@click.argument("dest", type=click.Path(file_okay=False, path_type=Path))
def import_zendesk(export: Path, dest: Path):
    """Import a Zendesk Help Center export (JSON file or folder) into a new site folder DEST."""
    from helpgen.importers.zendesk import import_zendesk as run
    _run_import(run, export, dest)
