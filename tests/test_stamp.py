"""A rebuild with nothing changed returns at once (helpgen/stamp.py); any change to what the
output depends on, or to the output itself, still gets a real build that shows it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from helpgen import pipeline as build_module
from helpgen.content import sources as load
from helpgen.output import theme_folders as builtin
from helpgen.pipeline import build

from conftest import BASIC_CONFIG, article, rewrite_keeping_stat, write_site

POLICY = "articles/billing/refunds/policy.md"
REFUND = "articles/billing/refunds/request-a-refund.md"
POLICY_PAGE = "billing/refunds/policy/index.html"


@pytest.fixture(autouse=True)
def settled(monkeypatch):
    """Files the tests wrote a moment ago count as settled; test_an_edit_racing_the_build...
    puts the real window back."""
    monkeypatch.setattr(load, "RACY_NANOSECONDS", 0)


@pytest.fixture
def real_builds(monkeypatch):
    """One item per build that read the articles (a real build, not the stamp's answer)."""
    calls = []
    original = build_module.load_sources

    def counting(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(build_module, "load_sources", counting)
    return calls


def html(site, page: str = POLICY_PAGE) -> str:
    return (site / "site" / page).read_text(encoding="utf-8")


def snapshot(folder):
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_rebuild_with_nothing_changed_reads_and_writes_nothing(site, real_builds):
    first = build(site)
    output, cache_file = snapshot(site / "site"), site / ".helpgen-cache/cache.sqlite"
    cache_time = cache_file.stat().st_mtime_ns
    second = build(site)
    assert len(real_builds) == 1
    assert second.up_to_date and second.written and not second.changed
    numbers = [(r.pages, r.locales, r.brands, r.index_bytes, r.base_path, r.out)
               for r in (first, second)]
    assert numbers[0] == numbers[1] == (first.pages, 2, 0, first.index_bytes, "/", site / "site")
    assert first.pages > 10 and first.index_bytes > 1000
    assert snapshot(site / "site") == output
    assert cache_file.stat().st_mtime_ns == cache_time


def test_a_build_with_nothing_to_do_loads_no_markdown_or_templates(site):
    """What keeps `helpgen build` with nothing changed at a tenth of a second: it does not
    import the libraries that convert and render (a third of its time was importing them)."""
    build(site)
    program = (
        "import sys; from helpgen.content import sources as load; load.RACY_NANOSECONDS = 0\n"
        "from helpgen.commands.cli import main\n"
        f"try: main(['build', {str(site)!r}], standalone_mode=False)\n"
        "finally: print(sorted(set(sys.modules) & {'markdown', 'jinja2', 'lunr', 'pygments',"
        " 'pymdownx', 'material', 'helpgen.output.render', 'helpgen.commands.check', 'helpgen.commands.serve'}))")
    run = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "nothing changed" in run.stdout
    assert run.stdout.strip().endswith("[]")


def test_the_cli_repeats_its_summary_and_warnings_and_strict_still_fails(site, cli, real_builds):
    write_site(site, {REFUND: article("Request a refund", "See [the form](form.md).")})
    first, second = cli("build", site), cli("build", site)
    assert len(real_builds) == 1
    assert first.exit_code == second.exit_code == 0
    assert "form.md" in first.stderr and second.stderr == first.stderr
    summary = first.stdout.split(" in ")
    assert second.stdout.split(" in ")[:2] == summary[:2]            # pages, brands, locales
    assert "1 warning, nothing changed)" in second.stdout
    for _ in range(2):
        strict = cli("build", site, "--strict")
        assert strict.exit_code == 1 and "form.md" in strict.stderr
        assert "nothing was written" in strict.stderr
    assert len(real_builds) == 3


@pytest.fixture
def themes(tmp_path, monkeypatch):
    """The built-in themes, in a copy the test may edit."""
    root = shutil.copytree(builtin.themes_root(), tmp_path / "themes")
    monkeypatch.setattr(builtin, "themes_root", lambda: root)
    return root


def edit_keeping_size_and_time(path, old: str, new: str) -> None:
    before = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size


FOOTER = "overrides/templates/partials/footer.html"
CUSTOM_THEME = {"helpgen.yml": BASIC_CONFIG + "theme: {custom_dir: overrides}\n",
                FOOTER: "<footer>Version 1</footer>\n"}

# (files written before the first build, the change, what the page shows after it)
CHANGES = {
    "article": ({}, lambda site, themes: write_site(site, {POLICY: article("Refund rules")}),
                lambda site: "Refund rules" in html(site)),
    "article, same size and time": (
        {}, lambda site, themes: edit_keeping_size_and_time(site / POLICY, "policy", "POLICY"),
        lambda site: "Refund POLICY" in html(site)),
    "asset": ({"assets/note.txt": "version 1"},
              lambda site, themes: write_site(site, {"assets/note.txt": "version 2"}),
              lambda site: (site / "site/assets/note.txt").read_text() == "version 2"),
    "config": ({}, lambda site, themes: write_site(site, {"helpgen.yml": BASIC_CONFIG.replace(
        "Acme Help", "Acme Support")}), lambda site: "Acme Support" in html(site)),
    "custom theme file": (CUSTOM_THEME, lambda site, themes: write_site(
        site, {FOOTER: "<footer>Version 2</footer>\n"}), lambda site: "Version 2" in html(site)),
    "built-in theme file": ({}, lambda site, themes: (
        themes / "default/templates/partials/footer.html").write_text(
            "<footer>Edited theme</footer>\n"), lambda site: "Edited theme" in html(site)),
    "new article": ({}, lambda site, themes: write_site(
        site, {"articles/billing/refunds/form.md": article("Refund form")}),
        lambda site: (site / "site/billing/refunds/form/index.html").is_file()),
    "deleted article": ({}, lambda site, themes: (site / POLICY).unlink(),
                        lambda site: not (site / "site" / POLICY_PAGE).exists()),
}


@pytest.mark.parametrize("change", CHANGES)
def test_a_change_to_an_input_gets_a_real_build(site, themes, real_builds, change):
    before, make_change, shows = CHANGES[change]
    write_site(site, before)
    build(site)
    assert build(site).up_to_date                      # settled: the next build is answered
    make_change(site, themes)
    result = build(site)
    assert not result.up_to_date and result.changed and len(real_builds) == 2
    assert shows(site)
    assert build(site).up_to_date


def git(site, *args: str, date: str) -> None:
    subprocess.run(["git", "-c", "user.name=Writer", "-c", "user.email=writer@example.com",
                    *args], cwd=site, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date})


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_a_commit_gets_a_real_build_with_the_articles_new_dates(site, real_builds):
    """Committing leaves the articles' files as they are, but their dates come from git."""
    git(site, "init", "-q", date="2020-01-02T12:00:00Z")
    git(site, "add", "articles", date="2020-01-02T12:00:00Z")
    git(site, "commit", "-q", "-m", "First", date="2020-01-02T12:00:00Z")
    build(site)
    assert '<time datetime="2020-01-02">' in html(site)
    assert build(site).up_to_date                      # git's own files do not count
    git(site, "commit", "-q", "--amend", "--no-edit", date="2021-03-04T12:00:00Z")
    assert not build(site).up_to_date
    assert '<time datetime="2021-03-04">' in html(site)


OPTIONS = {
    "base_url": ({"base_url": "/help/"},
                 lambda out: "https://help.acme.example/help/" in (out / "sitemap.xml").read_text()),
    "precompress": ({"precompress": True}, lambda out: (out / "index.html.gz").is_file()),
    "output": ({"out": "elsewhere"}, lambda out: (out / "index.html").is_file()),
}


@pytest.mark.parametrize("option", OPTIONS)
def test_other_options_get_a_real_build(site, real_builds, option):
    options, shows = OPTIONS[option]
    if "out" in options:
        options = {"out": site / options["out"]}
    build(site)
    assert build(site).up_to_date
    result = build(site, **options)
    assert not result.up_to_date and len(real_builds) == 2 and shows(result.out)
    assert build(site, **options).up_to_date


def test_each_brand_built_alone_has_its_own_stamp(site, cli, real_builds, tmp_path):
    write_site(site, {"helpgen.yml": BASIC_CONFIG + "brands:\n  - {id: acme, name: Acme Help}\n"
                      "  - {id: bolt, name: Bolt Support}\n"})
    assert "for 2 brands" in cli("build", site).stdout
    again = cli("build", site)
    assert "for 2 brands" in again.stdout and "nothing changed" in again.stdout
    alone = build(site, tmp_path / "out", brand="bolt")
    assert not alone.up_to_date and alone.out == tmp_path / "out/bolt"
    again = build(site, tmp_path / "out", brand="bolt")
    assert again.up_to_date and again.brands == 1 and again.out == tmp_path / "out/bolt"
    whole = build(site, tmp_path / "out/bolt")       # every brand, into the same folder
    assert not whole.up_to_date and (whole.out / "acme/index.html").is_file()
    assert len(real_builds) == 3


TAMPERING = {
    "edited": lambda out: (out / POLICY_PAGE).write_text("hacked", encoding="utf-8"),
    "deleted": lambda out: (out / POLICY_PAGE).unlink(),
    "added": lambda out: (out / "stray.html").write_text("stray", encoding="utf-8"),
}


@pytest.mark.parametrize("tampering", TAMPERING)
def test_a_change_to_the_output_gets_a_real_build_that_undoes_it(site, real_builds, tampering):
    build(site)
    output = snapshot(site / "site")
    TAMPERING[tampering](site / "site")
    result = build(site)
    assert not result.up_to_date and result.changed and len(real_builds) == 2
    assert {path: content for path, (content, _) in snapshot(site / "site").items()} == {
        path: content for path, (content, _) in output.items()}


def test_no_cache_always_builds_and_the_next_build_sees_what_it_wrote(site, real_builds):
    build(site)
    assert not build(site, use_cache=False, base_url="/help/").up_to_date
    assert len(real_builds) == 2
    result = build(site)                 # the stamp is as before, the output is not
    assert not result.up_to_date and result.changed
    assert "https://help.acme.example/help/" not in (site / "site/sitemap.xml").read_text()


def test_an_edit_racing_the_build_is_never_missed(site, monkeypatch):
    """Two writes of the same length within one timestamp tick leave a file's stat as it was.
    The first build comes moments after the fixture wrote the site, so it stores no stamp: the
    next one is a real build, which sees the edit."""
    monkeypatch.setattr(load, "RACY_NANOSECONDS", 3_000_000_000)
    build(site)
    rewrite_keeping_stat(monkeypatch, site / POLICY, "policy", "POLICY")
    result = build(site)
    assert not result.up_to_date and "Refund POLICY" in html(site)
