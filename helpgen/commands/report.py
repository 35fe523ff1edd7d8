"""`helpgen report`: the collector's data over a period as DIR/report.json and DIR/index.html
(helpgen/report/)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import click

from helpgen.commands.present import fail, print_report
from helpgen.errors import HelpgenError, Report

DEFAULT_FOLDER = "report"


@click.command("report")
@click.argument("site_dir", metavar="[SITE]", default=".",
                type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--database", metavar="URL", envvar="HELPGEN_DATABASE_URL",
              help="The collector's database (default: SITE/.helpgen-collect/collect.db).")
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path),
              help=f"Where to write index.html and report.json (default: SITE/{DEFAULT_FOLDER}).")
@click.option("--since", type=click.IntRange(1, 3650), default=30, show_default=True,
              metavar="DAYS", help="The days to report on, up to now.")
@click.option("--language", type=click.Choice(("en", "zh-CN", "zh-TW")),
              help="The report page's language (default: from the site's default locale).")
def report_command(site_dir: Path, database: str | None, output: Path | None, since: int,
                   language: str | None):
    """Report what customers searched and did not find, which articles failed them and how
    many tickets the help center deflected."""
    from helpgen.collect.store import existing_database
    from helpgen.infra.cache import BuildCache
    from helpgen.pipeline import read_site
    from helpgen.report.data import Period, brand_origins, report_data
    from helpgen.report.page import report_language, report_page
    from helpgen.settings.config import load_config
    from helpgen.settings.locales import localize

    problems = Report()
    try:
        config = load_config(site_dir, problems)
        content = read_site(config, problems, BuildCache.disabled())
        engine = existing_database(config.root, database)
    except HelpgenError as error:
        fail(error)
    print_report(problems, Path.cwd())     # the site's own problems do not stop its report
    try:
        data = report_data(engine, Period.last(since), content.sites, brand_origins(config))
    finally:
        engine.dispose()
    language = language or report_language(config.default_locale)
    title = localize(config.title, config.default_locale, config.default_locale)
    folder = (output or config.root / DEFAULT_FOLDER).resolve()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _replace(folder / "report.json", json.dumps(data, ensure_ascii=False, indent=2))
        _replace(folder / "index.html", report_page(data, title, language))
    except OSError as error:
        fail(HelpgenError(f"could not write the report: {error.strerror or error}", folder,
                          None, "choose another folder with -o, or check its permissions"))
    searches = data["searches"]
    click.echo(f"Reported {since} days: {data['contact']['submitted']} contact submissions, "
               f"{searches['total']} searches ({searches['zero_total']} found nothing), "
               f"{len(data['feedback'])} articles voted on → {folder / 'index.html'}")


def _replace(path: Path, text: str) -> None:
    """Write `path` whole or not at all."""
    temporary = path.with_name(f".{path.name}.new")
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
