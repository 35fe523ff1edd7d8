"""How the commands show problems: a report's warnings and errors, an error that stops a command,
and a helpgen bug, each ending in its exit code.

Exit codes: 0 success, 1 content errors, 2 usage errors, 3 an internal error (a helpgen bug).
"""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path

import click

from helpgen.errors import HelpgenError, Report


def print_report(report: Report, relative_to: Path) -> None:
    for warning in report.warnings:
        click.echo(warning.format("warning", relative_to), err=True)
    for error in report.errors:
        click.echo(error.format("error", relative_to), err=True)


def fail(error: HelpgenError, relative_to: Path | None = None) -> None:
    click.echo(error.format("error", relative_to), err=True)
    sys.exit(1)


def internal_error() -> None:
    if os.environ.get("HELPGEN_DEBUG"):
        traceback.print_exc()
    exc = sys.exc_info()[1]
    click.echo(f"helpgen: internal error: {type(exc).__name__}: {exc}\n"
               "  hint: this is a bug in helpgen, not in your content; please report it "
               "(set HELPGEN_DEBUG=1 to see the details)", err=True)
    sys.exit(3)
