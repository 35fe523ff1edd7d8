"""`helpgen collect`: run the collector (helpgen/collect/) for a site, with uvicorn."""

from __future__ import annotations

import logging
import socket
from pathlib import Path
from urllib.parse import urlsplit

import click

from helpgen.commands.present import fail, print_report, serve_cannot_listen
from helpgen.errors import HelpgenError, Report
from helpgen.settings.collect import origin_of
from helpgen.settings.config import CONFIG_FILE, Config, load_config


@click.command("collect")
@click.argument("site_dir", metavar="[SITE]", default=".",
                type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--host", default="127.0.0.1", show_default=True,
              help="The address to listen on (behind a reverse proxy, keep 127.0.0.1).")
@click.option("--port", default=8787, show_default=True, type=click.IntRange(0, 65535),
              help="The port to listen on (0 picks a free one).")
@click.option("--database", metavar="URL", envvar="HELPGEN_DATABASE_URL",
              help="postgresql://user@host/db or sqlite:///file.db (also read from "
                   "HELPGEN_DATABASE_URL, which keeps a password out of the process list); "
                   "default: SITE/.helpgen-collect/collect.db.")
def collect_command(site_dir: Path, host: str, port: int, database: str | None):
    """Receive the contact submissions, feedback and searches the built site sends."""
    import uvicorn

    from helpgen.collect.app import Collector, create_app
    from helpgen.collect.store import database_url, open_database

    report = Report()
    try:
        config = load_config(site_dir, report)
    except HelpgenError as error:
        fail(error)
    print_report(report, Path.cwd())
    if report.errors:
        raise SystemExit(1)
    if config.collect is None:
        fail(HelpgenError("helpgen.yml has no collect section", config.root / CONFIG_FILE, None,
                          "add  collect:  with  url: https://support-api.example.com/  — where "
                          "this collector is reachable from your readers' browsers"))
    origins = allowed_origins(config)
    if not origins - {"null"}:
        fail(HelpgenError("the collector does not know which site may send to it",
                          config.root / CONFIG_FILE, None, "set site.url, or list the help "
                          "center's address under collect.origins"))
    try:
        url = database_url(config.root, database)
        engine = open_database(url)
    except HelpgenError as error:
        fail(error)
    fields, required = contact_fields(config)
    app = create_app(Collector(engine, _path_of(config.collect.url), frozenset(origins),
                               config.collect.rate_limit, config.collect.retention_days,
                               fields, required, config.collect.forward))
    try:
        listener = socket.create_server((host, port), family=socket.AF_INET6 if ":" in host
                                        else socket.AF_INET, reuse_port=False)
    except OSError as exc:
        serve_cannot_listen(host, port, exc)
    logging.basicConfig(format="%(asctime)s %(levelname)s %(message)s", level=logging.INFO)
    bound = listener.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"Collecting for {config.root.name} at http://{shown}:{bound}/ into "
               f"{engine.url.render_as_string(hide_password=True)} (Ctrl-C to stop)", err=True)
    server = uvicorn.Server(uvicorn.Config(
        app, proxy_headers=True, forwarded_allow_ips=list(config.collect.trusted_proxies),
        access_log=False, log_config=None, server_header=False, timeout_graceful_shutdown=10,
        limit_concurrency=1000, h11_max_incomplete_event_size=16 * 1024))
    server.run(sockets=[listener])
    engine.dispose()


def allowed_origins(config: Config) -> set[str]:
    """The browser origins that may send: the site's and its brands', collect.origins, and
    `null` (pages opened from file://) when collect.allow_file_origin says so."""
    origins = {origin_of(url) for url in (config.url, *(brand.url for brand in config.brands))
               if url} | set(config.collect.origins)
    return origins | ({"null"} if config.collect.allow_file_origin else set())


def contact_fields(config: Config) -> tuple[frozenset[str], frozenset[str]]:
    """The contact form's field names in any brand's form, and those every form requires."""
    forms = [config.contact, *(brand.contact for brand in config.brands if brand.contact)]
    forms = [form for form in forms if form is not None]
    names = frozenset(field.name for form in forms for field in form.fields)
    required = frozenset.intersection(*(frozenset(field.name for field in form.fields
                                                  if field.required) for form in forms)) \
        if forms else frozenset()
    return names, required


def _path_of(url: str) -> str:
    return urlsplit(url).path or "/"
