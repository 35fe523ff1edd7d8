"""The output folder under stress: builds killed while writing, two builds at once, a full disk,
and links that lead out of the site folder.

Builds run as real processes (`python -m helpgen build`). The test hook HELPGEN_TEST_PAUSE_AT
stops a build at a named step of writing (it says so on stderr) until its standard input is
closed, so a test can kill it there with SIGKILL, or let it go on.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, article, fill, leftovers, tree, write_site

POLICY = "articles/billing/refunds/policy.md"
REQUEST = "articles/billing/refunds/request-a-refund.md"
BROKEN = "articles/billing/broken.md"
NO_SUCH_STEP = "never"
CACHE_FILES = {"cache.sqlite", "cache.sqlite-wal", "cache.sqlite-shm"}


def start(site: Path, out: Path, pause: str = NO_SUCH_STEP) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HELPGEN_TEST_PAUSE_AT": pause}
    env.pop("CI", None)
    return subprocess.Popen([sys.executable, "-m", "helpgen", "build", str(site), "-o", str(out),
                             "--quiet"], cwd=ROOT, env=env, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for(process: subprocess.Popen, text: str) -> str:
    """Read the process's stderr up to a line containing `text`; fails if it ends first."""
    seen = ""
    for line in process.stderr:
        seen += line
        if text in line:
            return seen
    process.wait(60)
    pytest.fail(f"the build ended (exit code {process.returncode}) without saying "
                f"{text!r}:\n{seen}")


def finish(process: subprocess.Popen) -> tuple[int, str]:
    """Let a paused (or running) build go on; its exit code and the rest of its stderr."""
    _, rest = process.communicate(timeout=300)
    return process.returncode, rest


def kill(process: subprocess.Popen) -> None:
    os.kill(process.pid, signal.SIGKILL)
    process.communicate(timeout=60)


def edit(site: Path) -> None:
    """The second version of the `site` fixture: a page changed, one deleted, one added with
    its folder, an image added."""
    write_site(site, {POLICY: article("Refund rules", "Refunds take a week.", order=2),
                      "articles/billing/refunds/cancel.md": article("Cancel a refund", order=3),
                      "assets/form.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>\n"})
    (site / "articles/billing/refunds/request-a-refund.zh-CN.md").unlink()


@pytest.fixture
def versions(cli, site, tmp_path):
    """The site built (version 1) into OUT, and the trees of its two versions built afresh."""
    out = tmp_path / "public"
    assert cli("build", site, "-o", out).exit_code == 0
    old = tree(out)
    edit(site)
    result = cli("build", site, "-o", tmp_path / "fresh")
    assert result.exit_code == 0, result.stderr
    new = tree(tmp_path / "fresh")
    assert old != new
    return site, out, old, new


# --- A build killed while writing ----------------------------------------------------------


@pytest.mark.parametrize("step, outcome", [
    ("spooled", "old"),         # the first files made and set aside, the rest to be made
    ("write", "old"),           # everything rendered, nothing written yet
    ("staging", "old"),         # the journal names the temporary files, none written yet
    ("staged", "old"),          # every temporary file written, the update not committed
    ("renames", "new"),         # committed; half of the files renamed into place
    ("deletions", "new"),       # every file renamed; unwanted files partly deleted
])
def test_a_build_killed_while_updating_leaves_the_old_site_or_the_new_one(cli, versions, step,
                                                                         outcome):
    """Whatever step of an update a build is killed at, the next build that touches the output
    (here one that fails on an article, so writes nothing of its own) leaves exactly the old
    site or exactly the new one, and nothing stray; a good build after it leaves the new site."""
    site, out, old, new = versions
    build = start(site, out, pause=step)
    wait_for(build, f"paused at {step}")
    kill(build)
    write_site(site, {BROKEN: "---\ntitle: [unclosed\n---\n\nText.\n"})
    failed = cli("build", site, "-o", out)
    assert failed.exit_code == 1 and "nothing was written" in failed.stderr, failed.stderr
    assert tree(out) == (old if outcome == "old" else new)
    assert leftovers(out) == []
    (site / BROKEN).unlink()
    result = cli("build", site, "-o", out)
    assert result.exit_code == 0, result.stderr
    assert tree(out) == new
    assert leftovers(out) == []


def test_a_first_build_killed_while_filling_its_folder_leaves_nothing(cli, site, tmp_path):
    """A killed first build leaves its half-filled folder beside OUT; the next build removes it
    (before, `.public.new-*` folders stayed for good)."""
    out = tmp_path / "public"
    build = start(site, out, pause="filled")
    wait_for(build, "paused at filled")
    kill(build)
    assert [p.name for p in tmp_path.glob(".public.new-*")]       # what the kill left
    write_site(site, {BROKEN: "---\ntitle: [unclosed\n---\n\nText.\n"})
    assert cli("build", site, "-o", out).exit_code == 1
    assert not out.exists() and leftovers(out) == []
    (site / BROKEN).unlink()
    assert cli("build", site, "-o", out).exit_code == 0
    assert leftovers(out) == []


def test_a_first_build_killed_with_files_set_aside_leaves_nothing(cli, site, tmp_path):
    """The files a build has made wait on disk until the write stage (not in memory): a build
    killed once some are set aside, the rest still to be made, leaves no output folder,
    nothing beside it, and nothing in the site's folder but its cache."""
    out = tmp_path / "public"
    sources = tree(site)
    build = start(site, out, pause="spooled")
    wait_for(build, "paused at spooled")
    kill(build)
    assert not out.exists() and leftovers(out) == []
    cache = site / ".helpgen-cache"
    assert {name for name in tree(site) if not name.startswith(".helpgen-cache")} == \
        set(sources)
    assert {p.name for p in cache.iterdir()} <= {".gitignore", "build.lock", *CACHE_FILES}
    assert cli("build", site, "-o", out).exit_code == 0
    assert tree(out) == tree_of_fresh_build(cli, site, tmp_path)


def tree_of_fresh_build(cli, site: Path, tmp_path: Path) -> dict:
    fresh = tmp_path / "fresh-build"
    result = cli("build", site, "-o", fresh, "--no-cache")
    assert result.exit_code == 0, result.stderr
    return tree(fresh)


@pytest.mark.parametrize("step", ["filled", "swap"])
def test_a_build_killed_while_replacing_the_folder_leaves_the_old_site_or_the_new_one(
        cli, versions, step):
    """When a file takes the place of a folder, the new site is filled beside OUT and swapped
    in with two renames: killed between them, OUT is briefly missing; the next build puts the
    new site in place."""
    site, out, old, _ = versions
    write_site(site, {"assets/guide/step.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>\n"})
    assert cli("build", site, "-o", out).exit_code == 0
    old = tree(out)
    (site / "assets/guide/step.svg").unlink()
    (site / "assets/guide").rmdir()
    write_site(site, {"assets/guide": "now a file\n"})
    fresh = out.with_name("fresh2")
    assert cli("build", site, "-o", fresh).exit_code == 0
    new = tree(fresh)
    build = start(site, out, pause=step)
    wait_for(build, f"paused at {step}")
    kill(build)
    write_site(site, {BROKEN: "---\ntitle: [unclosed\n---\n\nText.\n"})
    assert cli("build", site, "-o", out).exit_code == 1
    assert tree(out) == (old if step == "filled" else new)
    assert leftovers(out) == []
    (site / BROKEN).unlink()
    assert cli("build", site, "-o", out).exit_code == 0
    assert tree(out) == new and leftovers(out) == []


# --- Two builds at once --------------------------------------------------------------------


def test_a_second_build_of_the_same_site_waits_for_the_first(versions):
    """Two builds into one folder at once: the second says it waits, and starts only when the
    first is done; both succeed and OUT is exactly a fresh build's. Before, they interleaved
    (one said "may be partly updated" and "nothing was written" at once)."""
    site, out, _, new = versions
    first = start(site, out, pause="staged")
    wait_for(first, "paused at staged")
    second = start(site, out)
    wait_for(second, f"waiting for another build of {site} to finish…")
    first_code, first_rest = finish(first)
    second_code, second_rest = finish(second)
    assert (first_code, second_code) == (0, 0), first_rest + second_rest
    for text in (first_rest, second_rest):
        assert "partly updated" not in text and "nothing was written" not in text
    assert tree(out) == new
    assert leftovers(out) == []


def test_builds_started_together_both_succeed_with_one_complete_site(versions):
    site, out, _, new = versions
    builds = [start(site, out) for _ in range(3)]
    for build in builds:
        code, errors = finish(build)
        assert code == 0, errors
        assert "partly updated" not in errors and "nothing was written" not in errors
    assert tree(out) == new and leftovers(out) == []


# --- A full disk ---------------------------------------------------------------------------


@pytest.mark.parametrize("first_build", [False, True])
def test_a_disk_that_fills_up_midway_leaves_the_previous_site(cli, site, small_disk,
                                                              first_build):
    """A real ENOSPC after some files were written: the previous site (or none) stays byte for
    byte, with nothing stray beside or inside it."""
    out = small_disk / "public"
    if not first_build:
        assert cli("build", site, "-o", out).exit_code == 0
    before = tree(out) if out.exists() else None
    write_site(site, {f"articles/billing/refunds/extra-{n}.md": article(
        f"Extra article {n}", "Words about refunds. " * 200) for n in range(60)})
    fill(small_disk, leave=96 * 1024)
    result = cli("build", site, "-o", out)
    assert result.exit_code == 1, result.stderr
    assert "could not write the site: No space left on device" in result.stderr
    assert "Traceback" not in result.stderr
    assert (tree(out) if out.exists() else None) == before
    assert leftovers(out) == []
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler"] + ["public"] * bool(before)


def test_a_full_disk_under_the_site_folder_still_builds_the_whole_site(cli, site, small_disk,
                                                                      tmp_path):
    """The files a build makes wait on the site's disk (in its cache folder) until written:
    when that disk fills up, the rest wait in memory, and the whole site is written all the
    same, leaving nothing on that disk."""
    moved = shutil.copytree(site, small_disk / "site")
    write_site(moved, {f"articles/billing/refunds/extra-{n}.md": article(
        f"Extra article {n}", "Words about refunds. " * 100) for n in range(30)})
    expected = tree_of_fresh_build(cli, moved, tmp_path)
    on_disk = tree(small_disk)
    fill(small_disk, leave=64 * 1024)
    out = tmp_path / "public"
    result = cli("build", moved, "-o", out, "--precompress")
    assert result.exit_code == 0, result.stderr
    assert "Traceback" not in result.stderr
    (small_disk / "filler").unlink()
    assert {name: data for name, data in tree(out).items()
            if not name.endswith((".gz", ".br"))} == expected
    assert {Path(name).name for name in set(tree(small_disk)) - set(on_disk)} <= CACHE_FILES


# --- Links out of the site folder ----------------------------------------------------------


@pytest.fixture
def secret(tmp_path):
    """A file and a folder outside the site folder that a hostile site links to."""
    folder = tmp_path / "outside"
    write_site(folder, {"secret.txt": "TOP-SECRET-TOKEN\n",
                        "templates/partials/footer.html": "TOP-SECRET-TOKEN\n",
                        "category/_category.yml": "title: Secret\n",
                        "category/leak.md": article("Leak", "TOP-SECRET-TOKEN")})
    return folder


@pytest.mark.parametrize("link, target, kind", [
    ("assets/secret.txt", "secret.txt", "file"),
    ("articles/billing/refunds/leak.md", "category/leak.md", "file"),
    ("articles/secrets", "category", "folder"),
    ("overrides/templates/partials/footer.html", "templates/partials/footer.html", "file"),
    ("assets", "category", "folder"),
])
def test_a_link_out_of_the_site_folder_is_refused(cli, site, tmp_path, secret, link, target,
                                                  kind):
    """A pull request can add a symbolic link to the build machine's secrets: the build fails
    naming the link, and what it points to is neither read nor published."""
    write_site(site, {"helpgen.yml": (site / "helpgen.yml").read_text() +
                      "theme:\n  custom_dir: overrides\n",
                      "overrides/templates/.keep": ""})
    path = site / link
    if path.exists():
        for child in sorted(path.rglob("*"), reverse=True):
            child.unlink() if child.is_file() else child.rmdir()
        path.rmdir()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(secret / target)
    out = tmp_path / "public"
    result = cli("build", site, "-o", out)
    assert result.exit_code == 1, result.stderr
    assert f"\n{link}: error: a link to a {kind} outside the site folder\n" in f"\n{result.stderr}"
    assert "hint:" in result.stderr and "Traceback" not in result.stderr
    assert "TOP-SECRET-TOKEN" not in result.stderr + result.stdout
    assert not out.exists()


def test_links_inside_the_site_folder_still_work(cli, site, tmp_path):
    write_site(site, {"shared/logo.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>\n"})
    (site / "assets").mkdir(exist_ok=True)
    (site / "assets/logo.svg").symlink_to(site / "shared/logo.svg")
    (site / "articles/billing/refunds/alias.md").symlink_to(site / POLICY)
    out = tmp_path / "public"
    result = cli("build", site, "-o", out)
    assert result.exit_code == 0, result.stderr
    assert (out / "assets/logo.svg").read_bytes() == (site / "shared/logo.svg").read_bytes()
    assert (out / "billing/refunds/alias/index.html").is_file()


def make_unreadable(path: Path, kind: str) -> None:
    """Put at `path` something that is not an ordinary file."""
    if kind == "looping link":
        path.symlink_to(path.name)
    elif kind == "broken link":
        path.symlink_to("no-such-file.md")
    else:
        os.mkfifo(path)


@pytest.mark.parametrize("command", ["build", "check"])
@pytest.mark.parametrize("name, kind", [
    ("articles/billing/refunds/loop.md", "looping link"),
    ("articles/billing/refunds/gone.md", "broken link"),
    ("articles/billing/refunds/pipe.md", "pipe"),
    ("articles/billing/refunds/_section.yml", "pipe"),
    ("overrides/templates/partials/footer.html", "pipe"),
])
def test_an_article_that_is_not_a_file_is_an_error_not_a_hang(site, tmp_path, name, kind,
                                                             command):
    """A link that loops or leads nowhere, or a named pipe (reading one waits for a writer
    forever), where helpgen expects an article or a settings file: an error naming it, in a
    subprocess that must end on its own."""
    write_site(site, {"helpgen.yml": (site / "helpgen.yml").read_text() +
                      "theme:\n  custom_dir: overrides\n"})
    (site / name).parent.mkdir(parents=True, exist_ok=True)
    (site / name).unlink(missing_ok=True)
    make_unreadable(site / name, kind)
    out = tmp_path / "public"
    args = ["-o", str(out)] if command == "build" else []
    result = subprocess.run([sys.executable, "-m", "helpgen", command, str(site), *args],
                            capture_output=True, text=True, timeout=120, cwd=tmp_path,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)))
    printed = result.stdout + result.stderr         # check reports on stdout
    assert result.returncode == 1, printed
    assert f"{name}: error: not a file helpgen can read" in printed
    assert "hint: replace it with an ordinary text file" in printed
    assert "Traceback" not in printed and "internal error" not in printed
    assert not out.exists()


def test_a_link_planted_in_the_output_folder_is_never_written_through(cli, site, tmp_path):
    """Nothing a build writes lands outside OUT, even where a folder inside it was replaced by
    a link to somewhere else."""
    out = tmp_path / "public"
    assert cli("build", site, "-o", out).exit_code == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for child in sorted((out / "billing").rglob("*"), reverse=True):
        child.unlink() if child.is_file() else child.rmdir()
    (out / "billing").rmdir()
    (out / "billing").symlink_to(elsewhere)
    assert cli("build", site, "-o", out).exit_code == 0
    assert list(elsewhere.iterdir()) == []
    assert (out / "billing").is_dir() and not (out / "billing").is_symlink()


@pytest.mark.parametrize("journal", ["{not json", '{"state": "commit", "delete": ["../../x"]}'])
def test_a_damaged_journal_stops_the_build_with_a_hint(cli, site, tmp_path, journal):
    """A journal helpgen cannot read (or one naming paths outside its folder) is never acted
    on: the build says which file it is and how to start over."""
    out = tmp_path / "public"
    assert cli("build", site, "-o", out).exit_code == 0
    before = tree(out)
    (tmp_path / ".public.helpgen-journal").write_text(journal)
    write_site(site, {POLICY: article("Refund rules", order=2)})
    result = cli("build", site, "-o", out)
    assert result.exit_code == 1
    assert "error: an interrupted build left a journal helpgen cannot read" in result.stderr
    assert ".public.helpgen-journal" in result.stderr and "hint: delete it" in result.stderr
    assert tree(out) == before
