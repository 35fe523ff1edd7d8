"""What the commands print, and their exit codes: problems, what build, check, serve, new and
import did, an error that stops a command, and a helpgen bug. The commands compute; this module
says.

Exit codes: 0 success, 1 content errors, 2 usage errors, 3 an internal error (a helpgen bug).
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from pathlib import Path
from typing import TYPE_CHECKING

import click

from helpgen.errors import HelpgenError, Report
from helpgen.output.write import UNFINISHED

if TYPE_CHECKING:
    from helpgen.commands.check import CheckResult
    from helpgen.importers.common import ImportReport
    from helpgen.pipeline import BuildResult

BUG_HINT = ("this is a bug in helpgen, not in your content; please report it "
            "(set HELPGEN_DEBUG=1 to see the details)")


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' * (count != 1)}"


def display(path: Path, here: str | None = ".") -> str:
    """`path` relative to the current folder; the current folder itself as `here` (None: the
    full path), a path outside it in full."""
    try:
        relative = path.relative_to(Path.cwd())
    except ValueError:
        return str(path)
    if str(relative) == ".":
        return str(path) if here is None else here
    return str(relative)


# --- problems ------------------------------------------------------------------------------------


def problem_text(error: HelpgenError, severity: str, relative_to: Path | None,
                 code: str | None = None) -> str:
    """A problem as the terminal shows it (and the live preview's overlay quotes)."""
    return error.format(severity, relative_to, code)


def print_report(report: Report, relative_to: Path, echo=click.echo) -> None:
    for warning in report.warnings:
        echo(problem_text(warning, "warning", relative_to), err=True)
    for error in report.errors:
        echo(problem_text(error, "error", relative_to), err=True)


def fail(error: HelpgenError, relative_to: Path | None = None, exit_code: int = 1) -> None:
    """Show the error that stops the command, and exit (1: the content's; 2: a usage error)."""
    click.echo(problem_text(error, "error", relative_to), err=True)
    sys.exit(exit_code)


def internal_error() -> None:
    if os.environ.get("HELPGEN_DEBUG"):
        traceback.print_exc()
    exc = sys.exc_info()[1]
    click.echo(f"helpgen: internal error: {type(exc).__name__}: {exc}\n  hint: {BUG_HINT}",
               err=True)
    sys.exit(3)


def build_failed(report: Report, then: str, echo=click.echo) -> None:
    """The line closing a failed build's problems; `then` says what became of the output."""
    echo(f"Build failed with {plural(len(report.errors), 'error')}; {then}", err=True)


# --- helpgen build -------------------------------------------------------------------------------


# What `build --verbose` counts, by BuildCache kind (or tally): (verb, one, many).
WORK = {"body": ("converted", "article", "articles"), "page": ("rendered", "page", "pages"),
        "markdown": ("wrote", "Markdown copy", "Markdown copies"),
        "terms": ("indexed", "article", "articles"),
        "scored": ("scored", "search term", "search terms"),
        "compressed": ("compressed", "file", "files")}


def build_outcome(report: Report, result: BuildResult | None, site_dir: Path, quiet: bool,
                  verbose: bool) -> None:
    """The build's problems, then why it failed (exit 1) or what it made."""
    print_report(report, site_dir)
    if result is not None and result.unsaved_cache is not None:
        click.echo(problem_text(result.unsaved_cache, "warning", site_dir), err=True)
    if report.failed:
        unfinished = any(error.code == UNFINISHED for error in report.errors)
        build_failed(report, "the site may be partly updated until the next build."
                     if unfinished else "nothing was written.")
        sys.exit(1)
    if quiet:
        return
    warnings = len(result.report.warnings)
    brands = f" for {result.brands} brands" if result.brands > 1 else ""
    notes = [f"search index {result.index_bytes / 1e6:.1f} MB"]
    if warnings:
        notes.append(plural(warnings, "warning"))
    if not result.changed:
        notes.append("nothing changed")
    click.echo(f"Built {result.pages} pages{brands} in {plural(result.locales, 'locale')} "
               f"in {result.seconds:.1f}s → {display(result.out)} ({', '.join(notes)})")
    if verbose:
        click.echo(_work_done(result))
    click.echo(f"Open {result.out / 'index.html'} in a browser to see it.")


def _work_done(result: BuildResult) -> str:
    """One line saying how much of the build was made anew (the rest came from the cache)."""
    if result.up_to_date:
        return "Nothing built: no input changed since the last build, and its output is intact."
    done = [f"{verb} {count} {one if count == 1 else many}"
            for kind, (verb, one, many) in WORK.items()
            if (count := result.work.get(kind, 0)) or kind != "compressed"]
    return "Not from the cache: " + ", ".join(done) + "."


def waiting(site_dir: Path) -> None:
    click.echo(f"waiting for another build of {display(site_dir)} to finish…", err=True)


# --- helpgen new and import ---------------------------------------------------------------------


def created(directory: Path) -> None:
    click.echo(f"Created a starter help center in {directory}.\n"
               f"Next: helpgen build {directory}  — then open "
               f"{directory / 'site' / 'index.html'}")


def imported(report: ImportReport, dest: Path) -> None:
    """What an importer carried and what it left, then the next step."""
    click.echo(report.summary())
    click.echo(f"Wrote {dest} (see {dest / 'IMPORT-REPORT.md'} for what was not carried).\n"
               f"Next: helpgen build {dest}")


# --- helpgen check -------------------------------------------------------------------------------


def check_outcome(result: CheckResult, output_format: str, site_dir: Path) -> None:
    """The check's problems in `output_format` and its summary; exits 1 when there are errors."""
    cwd = Path.cwd()
    if output_format == "json":
        click.echo(_check_json(result, cwd))
    elif output_format == "github":
        annotations = _check_github(result, cwd)
        if annotations:
            click.echo(annotations)
        click.echo(check_summary(result), err=True)
    else:
        click.echo("\n".join([*(problem_text(p.error, p.severity, site_dir, p.code)
                                for p in result.problems), check_summary(result)]))
    sys.exit(1 if result.errors else 0)


def check_summary(result: CheckResult) -> str:
    counts = " and ".join(plural(n, word) for n, word in
                          ((result.errors, "error"), (result.warnings, "warning")) if n)
    if not result.checked:
        return f"Found {counts}; the articles could not be checked."
    scope = f"{plural(result.articles, 'article')} ({plural(result.locales, 'locale')})"
    return f"Found {counts} in {scope}." if counts else f"No problems found in {scope}."


def _check_json(result: CheckResult, cwd: Path) -> str:
    return json.dumps({
        "problems": [{"path": p.error.shown_path(cwd) or None, "line": p.error.line,
                      "severity": p.severity, "code": p.code, "message": p.error.message,
                      "hint": p.error.hint} for p in result.problems],
        "errors": result.errors, "warnings": result.warnings,
    }, ensure_ascii=False, indent=2)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _check_github(result: CheckResult, cwd: Path) -> str:
    """GitHub Actions workflow commands: one ::error or ::warning annotation per problem."""
    lines = []
    for problem in result.problems:
        error = problem.error
        properties = []
        if error.path is not None:
            properties.append(f"file={_escape_property(error.shown_path(cwd))}")
            if error.line:
                properties.append(f"line={error.line}")
        properties.append(f"title={_escape_property(problem.code)}")
        message = error.message + (f"\nhint: {error.hint}" if error.hint else "")
        lines.append(f"::{problem.severity} {','.join(properties)}::{_escape_data(message)}")
    return "\n".join(lines)


# --- helpgen serve -------------------------------------------------------------------------------


def serve_changed(paths: list[Path], site_dir: Path, themes_dir: Path | None,
                  echo=click.echo) -> None:
    """The files whose change starts a rebuild (the first five, and how many more), each
    relative to the site folder or the themes."""
    names = sorted({_changed_name(path, site_dir, themes_dir) for path in paths})
    echo("Changed: " + ", ".join(names[:5])
         + (f" and {len(names) - 5} more" if len(names) > 5 else ""))


def _changed_name(path: Path, site_dir: Path, themes_dir: Path | None) -> str:
    for root, prefix in ((site_dir, ""), (themes_dir, "theme: ")):
        try:
            parts = path.relative_to(root.resolve()).parts if root else ()
        except ValueError:
            continue
        if parts:
            return prefix + "/".join(parts)
    return str(path)


def serve_built(report: Report, result: BuildResult, rebuilt: bool, same: bool,
                echo=click.echo) -> None:
    warnings = len(report.warnings)
    echo(f"{'Rebuilt' if rebuilt else 'Built'} {result.pages} pages in {result.seconds:.1f}s"
         + (f" from the last build ({plural(result.edited, 'article file')} changed)"
            if result.edited else "")
         + (" (no page changed)" if same else "")
         + (f" ({plural(warnings, 'warning')})" if warnings else ""))


def serve_failed(report: Report, has_site: bool, echo=click.echo) -> None:
    build_failed(report, "still serving the last good version." if has_site
                 else "nothing to serve until it builds.", echo)


def serve_watch_failed(site_dir: Path, exc: Exception, polling: bool, echo=click.echo) -> None:
    echo(f"warning: watching {site_dir} failed ({exc})"
         + ("; polling for changes instead" if polling else "; changes are no longer picked up"),
         err=True)


def serve_cannot_listen(host: str, port: int, exc: OSError) -> None:
    """Exits 2: the address is a usage error, not the content's."""
    error = HelpgenError(f"cannot listen on {host}:{port}: {exc.strerror or exc}", None, None,
                         "choose another port with --port (--port 0 picks a free one)")
    fail(error, exit_code=2)


def serve_exposed(host: str) -> None:
    click.echo(f"warning: listening on {host}: other computers can open this preview", err=True)


def serve_serving(site_dir: Path, url: str) -> None:
    click.echo(f"Serving {display(site_dir, here=None)} at {url} (Ctrl-C to stop)")


def serve_stopped() -> None:
    click.echo("Stopped.")
