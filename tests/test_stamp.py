"""A rebuild with nothing changed returns at once (helpgen/infra/stamp.py); any change to what the
output depends on, or to the output itself, still gets a real build that shows it. Whether a
build was real is what `helpgen build --verbose` says ("Nothing built: …" or what it made)."""

from __future__ import annotations

import os
import shutil
import subprocess
import time

import pytest

from conftest import BASIC_CONFIG, article, held_in_memory, write_site

POLICY = "articles/billing/refunds/policy.md"
REFUND = "articles/billing/refunds/request-a-refund.md"
POLICY_PAGE = "billing/refunds/policy/index.html"


# Files the tests wrote a moment ago count as settled; test_an_edit_racing_the_build… sets a
# window again.
pytestmark = pytest.mark.usefixtures("settled")


def html(site, page: str = POLICY_PAGE) -> str:
    return (site / "site" / page).read_text(encoding="utf-8")


def snapshot(folder):
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def summary(output: str) -> str:
    """The summary line of `helpgen build` without its duration."""
    line = next(line for line in output.splitlines() if line.startswith("Built "))
    head, _, tail = line.partition(" in ")
    locales, _, rest = tail.partition(" in ")
    return f"{head} in {locales} →{rest.partition('→')[2]}"


def test_a_rebuild_with_nothing_changed_reads_and_writes_nothing(site, installation):
    """Each build a process of its own, as on the command line (the cache file is closed when
    it ends)."""
    first = installation("build", site, "--verbose")
    assert first.returncode == 0 and "Not from the cache: converted 3 articles" in first.stdout
    output, cache_file = snapshot(site / "site"), site / ".helpgen-cache/cache.sqlite"
    cache_time = cache_file.stat().st_mtime_ns
    second = installation("build", site, "--verbose")
    assert second.returncode == 0 and "Nothing built: no input changed" in second.stdout
    assert summary(second.stdout) == summary(first.stdout).replace(
        ")", ", nothing changed)")
    assert "in 2 locales" in summary(first.stdout) and "search index" in first.stdout
    assert snapshot(site / "site") == output
    assert cache_file.stat().st_mtime_ns == cache_time


# A warning at a line of an article, and one about a file (no line)
WARNINGS = {"broken link": (REFUND, article("Request a refund", "See [the form](form.md)."),
                            "form.md"),
            "stray file": ("articles/billing/refunds/photo.png", "not an image", "photo.png")}


@pytest.mark.parametrize("warning", WARNINGS)
def test_the_cli_repeats_its_summary_and_warnings_and_strict_still_fails(site, cli, warning):
    path, text, named = WARNINGS[warning]
    write_site(site, {path: text})
    first, second = cli("build", site, "-v"), cli("build", site, "-v")
    assert "Not from the cache" in first.stdout and "Nothing built" in second.stdout
    assert first.exit_code == second.exit_code == 0
    assert named in first.stderr and second.stderr == first.stderr
    assert summary(second.stdout) == summary(first.stdout).replace(")", ", nothing changed)")
    assert "1 warning, nothing changed)" in second.stdout
    for _ in range(2):
        strict = cli("build", site, "--strict")
        assert strict.exit_code == 1 and named in strict.stderr
        assert "nothing was written" in strict.stderr


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
    "article": ({}, lambda site: write_site(site, {POLICY: article("Refund rules")}),
                lambda site: "Refund rules" in html(site)),
    "article, same size and time": (
        {}, lambda site: edit_keeping_size_and_time(site / POLICY, "policy", "POLICY"),
        lambda site: "Refund POLICY" in html(site)),
    "asset": ({"assets/note.txt": "version 1"},
              lambda site: write_site(site, {"assets/note.txt": "version 2"}),
              lambda site: (site / "site/assets/note.txt").read_text() == "version 2"),
    "config": ({}, lambda site: write_site(site, {"helpgen.yml": BASIC_CONFIG.replace(
        "Acme Help", "Acme Support")}), lambda site: "Acme Support" in html(site)),
    "custom theme file": (CUSTOM_THEME, lambda site: write_site(
        site, {FOOTER: "<footer>Version 2</footer>\n"}), lambda site: "Version 2" in html(site)),
    "new article": ({}, lambda site: write_site(
        site, {"articles/billing/refunds/form.md": article("Refund form")}),
        lambda site: (site / "site/billing/refunds/form/index.html").is_file()),
    "deleted article": ({}, lambda site: (site / POLICY).unlink(),
                        lambda site: not (site / "site" / POLICY_PAGE).exists()),
}


@pytest.mark.parametrize("change", CHANGES)
def test_a_change_to_an_input_gets_a_real_build(site, cli, change):
    before, make_change, shows = CHANGES[change]
    write_site(site, before)
    cli.build(site)
    assert cli.build(site) is None                    # settled: the next build is answered
    make_change(site)
    result = cli("build", site, "-v")
    assert "Not from the cache" in result.stdout and "nothing changed" not in result.stdout
    assert shows(site)
    assert cli.build(site) is None


def test_an_edit_of_a_built_in_theme_gets_a_real_build(site, installation):
    """helpgen's own themes are inputs too (a development checkout, an upgrade)."""
    installation.build(site)
    assert installation.build(site) is None
    footer = installation.folder / "themes/default/templates/partials/footer.html"
    footer.write_text("<footer>Edited theme</footer>\n", encoding="utf-8")
    assert installation.build(site) is not None
    assert "Edited theme" in html(site)
    assert installation.build(site) is None


def git(site, *args: str, date: str) -> None:
    subprocess.run(["git", "-c", "user.name=Writer", "-c", "user.email=writer@example.com",
                    *args], cwd=site, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date})


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_a_commit_gets_a_real_build_with_the_articles_new_dates(site, cli):
    """Committing leaves the articles' files as they are, but their dates come from git."""
    git(site, "init", "-q", date="2020-01-02T12:00:00Z")
    git(site, "add", "articles", date="2020-01-02T12:00:00Z")
    git(site, "commit", "-q", "-m", "First", date="2020-01-02T12:00:00Z")
    cli.build(site)
    assert '<time datetime="2020-01-02">' in html(site)
    assert cli.build(site) is None                    # git's own files do not count
    git(site, "commit", "-q", "--amend", "--no-edit", date="2021-03-04T12:00:00Z")
    assert cli.build(site) is not None
    assert '<time datetime="2021-03-04">' in html(site)


OPTIONS = {
    "base_url": (["--base-url", "/help/"], "site", lambda out: "https://help.acme.example/help/"
                 in (out / "sitemap.xml").read_text()),
    "precompress": (["--precompress"], "site", lambda out: (out / "index.html.gz").is_file()),
    "output": (["-o", "elsewhere"], "elsewhere", lambda out: (out / "index.html").is_file()),
}


@pytest.mark.parametrize("option", OPTIONS)
def test_other_options_get_a_real_build(site, cli, option, monkeypatch):
    options, out, shows = OPTIONS[option]
    monkeypatch.chdir(site)
    cli.build(site)
    assert cli.build(site) is None
    assert cli.build(site, *options) is not None and shows(site / out)
    assert cli.build(site, *options) is None


def test_each_brand_built_alone_has_its_own_stamp(site, cli, tmp_path):
    write_site(site, {"helpgen.yml": BASIC_CONFIG + "brands:\n  - {id: acme, name: Acme Help}\n"
                      "  - {id: bolt, name: Bolt Support}\n"})
    assert "for 2 brands" in cli("build", site).stdout
    again = cli("build", site, "-v")
    assert "for 2 brands" in again.stdout and "Nothing built" in again.stdout
    out = tmp_path / "out"
    assert cli.build(site, "-o", out, "--brand", "bolt") is not None
    assert (out / "bolt/index.html").is_file() and not (out / "acme").exists()
    alone = cli("build", site, "-o", out, "--brand", "bolt", "-v")
    assert "Nothing built" in alone.stdout and "brands" not in alone.stdout
    assert f"→ {out / 'bolt'} " in alone.stdout
    # every brand, into the folder the brand alone was built in
    assert cli.build(site, "-o", out / "bolt") is not None
    assert (out / "bolt/acme/index.html").is_file()


def edit_after_a_tick(path, old: str, new: str) -> None:
    """edit_keeping_size_and_time once the file system's clock has moved on from the file's
    last change (timestamps have a granularity: an edit in the same tick cannot be seen)."""
    time.sleep(0.05)
    edit_keeping_size_and_time(path, old, new)


TAMPERING = {   # (the output folder, a folder outside the site) -> None
    "edited": lambda out, _: (out / POLICY_PAGE).write_text("hacked", encoding="utf-8"),
    "edited, same size and time": lambda out, _: edit_after_a_tick(out / POLICY_PAGE, "<html",
                                                                   "<HTML"),
    "deleted": lambda out, _: (out / POLICY_PAGE).unlink(),
    "added": lambda out, _: (out / "stray.html").write_text("stray", encoding="utf-8"),
    "added in a folder": lambda out, _: (out / "billing/refunds/stray.html").write_text("stray"),
    "a folder for a file": lambda out, _: (out / POLICY_PAGE).unlink() or
    (out / POLICY_PAGE).mkdir(),
    "a link for a file": lambda out, elsewhere: (out / POLICY_PAGE).rename(elsewhere / "page") or
    (out / POLICY_PAGE).symlink_to(elsewhere / "page"),
    "a link for a folder": lambda out, elsewhere: (out / "billing").rename(elsewhere / "folder") or
    (out / "billing").symlink_to(elsewhere / "folder"),
}


@pytest.mark.parametrize("tampering", TAMPERING)
def test_a_change_to_the_output_gets_a_real_build_that_undoes_it(site, cli, tampering, tmp_path):
    """Files are looked at one by one, folders by their signatures only (output/write.py), which
    a file added, removed or renamed, or a folder swapped for a link, changes too."""
    cli.build(site)
    output = snapshot(site / "site")
    TAMPERING[tampering](site / "site", tmp_path)
    result = cli("build", site, "-v")
    assert "Not from the cache" in result.stdout and "nothing changed" not in result.stdout
    assert {path: content for path, (content, _) in snapshot(site / "site").items()} == {
        path: content for path, (content, _) in output.items()}
    assert not any(path.is_symlink() for path in (site / "site").rglob("*"))


def test_a_build_moments_after_the_last_one_is_answered_and_still_sees_the_output(site, cli,
                                                                                  monkeypatch):
    """The folders a build wrote just before it ended could take a file within the same tick of
    the file system's clock without their signatures changing: the next builds list them
    instead of trusting their signatures (and are still answered)."""
    monkeypatch.setenv("HELPGEN_SETTLE_SECONDS", "1")
    time.sleep(1.1)                      # the articles settle, the output the build writes not
    cli.build(site)
    assert cli.build(site) is None
    (site / "site/billing/stray.html").write_text("stray", encoding="utf-8")
    assert cli.build(site) is not None
    assert not (site / "site/billing/stray.html").exists()


def test_no_cache_always_builds_and_the_next_build_sees_what_it_wrote(site, cli):
    cli.build(site)
    assert cli.build(site, "--no-cache", "--base-url", "/help/") is not None
    result = cli("build", site, "-v")    # the stamp is as before, the output is not
    assert "Not from the cache" in result.stdout and "nothing changed" not in result.stdout
    assert "https://help.acme.example/help/" not in (site / "site/sitemap.xml").read_text()


def test_an_edit_racing_the_build_is_never_missed(site, cli, monkeypatch):
    """A second write within one timestamp tick leaves a file's size, times and inode as they
    were (here: through a shared memory map, see held_in_memory). The first build comes moments
    after the file changed, so it stores no stamp: the next one is a real build, which sees
    the edit. (A window of a minute: the first build may come seconds late on a busy machine.)"""
    monkeypatch.setenv("HELPGEN_SETTLE_SECONDS", "60")
    with held_in_memory(site / POLICY) as rewrite:
        cli.build(site)
        rewrite("Refund policy", "Refund POLICY")
        assert cli.build(site) is not None
    assert "Refund POLICY" in html(site)


def test_a_wrong_settle_time_is_an_error(site, cli, monkeypatch):
    monkeypatch.setenv("HELPGEN_SETTLE_SECONDS", "soon")
    result = cli("build", site)
    assert result.exit_code == 1
    assert "error: HELPGEN_SETTLE_SECONDS must be a number of seconds, not 'soon'" in \
        result.stderr
