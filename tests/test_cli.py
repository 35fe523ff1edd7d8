"""The command line: all-or-nothing output, the output folder's safety rules, and the commands,
options and exit codes described in the README."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

import helpgen
from conftest import (BASIC_CONFIG, article, fill, helpgen_failing, leftovers, tree,
                      write_site)

POLICY = "articles/billing/refunds/policy.md"
POLICY_PAGE = Path("billing/refunds/policy/index.html")


def assert_clean_failure(result, exit_code: int = 1) -> None:
    output = result.stdout + result.stderr
    assert result.exit_code == exit_code, output
    assert "Traceback" not in output, output


def break_an_article(site: Path) -> None:
    write_site(site, {POLICY: article("Refund policy", order="first")})


# --- All or nothing ------------------------------------------------------------------------


def test_failed_build_leaves_previous_output_untouched(cli, site):
    """After a good build, a broken article fails the next build without touching the site."""
    out = site / "site"
    assert cli("build", site).exit_code == 0
    before = tree(out)
    assert "index.html" in before and POLICY_PAGE.as_posix() in before
    break_an_article(site)
    result = cli("build", site)
    assert_clean_failure(result)
    assert "nothing was written" in result.stderr
    assert tree(out) == before
    assert leftovers(out) == []


def test_successful_builds_leave_no_temporary_folders(cli, site, tmp_path):
    """A first build and a rebuild leave only the output folder beside it."""
    out = tmp_path / "public"
    for _ in range(2):
        assert cli("build", site, "-o", out).exit_code == 0
        assert leftovers(out) == []
        assert sorted(p.name for p in tmp_path.iterdir()) == ["public", "site"]


@pytest.mark.parametrize("leave", [0, 64, 160, 400], ids=lambda kb: f"{kb}KB-free")
def test_a_full_disk_under_the_whole_site_folder(cli, site, small_disk, leave):
    """The site folder, its cache and its output on one disk that fills up at some point of
    the next build (at once, or after some files were written): the build says so plainly, the
    previous site stays byte for byte with nothing stray beside it, and once there is room
    again the next build publishes the new site. (test_output_integrity has the output alone
    on a full disk.)"""
    site = shutil.move(site, small_disk / "site")
    out = site / "site"
    assert cli("build", site).exit_code == 0
    before = tree(out)
    write_site(site, {f"articles/billing/refunds/extra-{n}.md": article(
        f"Extra article {n}", "Words about refunds. " * 40) for n in range(20)})
    fill(small_disk, leave=leave * 1024)
    result = cli("build", site)
    assert_clean_failure(result)
    assert result.stderr.splitlines()[-3:] == [
        "site: error: could not write the site: No space left on device",
        "  hint: check free disk space and permissions; the previous site is unchanged",
        "Build failed with 1 error; nothing was written."]
    assert tree(out) == before
    assert leftovers(out) == []
    (small_disk / "filler").unlink()
    result = cli("build", site)
    assert result.exit_code == 0, result.stderr
    assert (out / "billing/refunds/extra-19/index.html").is_file()


def test_rebuild_removes_pages_of_deleted_articles(cli, site):
    """The output is replaced whole: a deleted article's page does not linger."""
    out = site / "site"
    assert cli("build", site).exit_code == 0
    assert (out / POLICY_PAGE).is_file()
    (site / POLICY).unlink()
    write_site(site, {"articles/billing/refunds/request-a-refund.md": article("Request a refund")})
    result = cli("build", site, "--strict")
    assert result.exit_code == 0, result.stderr
    assert not (out / POLICY_PAGE).exists()
    assert not (out / POLICY_PAGE.parent).exists()
    assert (out / "billing/refunds/request-a-refund/index.html").is_file()


def test_rebuild_replaces_files_added_to_the_output_by_hand(cli, site):
    """Files someone dropped into helpgen's own output folder are gone after a rebuild."""
    out = site / "site"
    assert cli("build", site).exit_code == 0
    (out / "stale.html").write_text("old")
    assert cli("build", site).exit_code == 0
    assert not (out / "stale.html").exists()


# --- The output folder's safety rules ----------------------------------------------------------


def test_refuses_to_replace_a_folder_helpgen_did_not_make(cli, site, tmp_path):
    """-o pointing at a user's non-empty folder is an error, and their files stay as they were."""
    mine = tmp_path / "my-documents"
    write_site(mine, {"notes.txt": "do not lose me", "drafts/plan.md": "# Plan"})
    before = tree(mine)
    result = cli("build", site, "-o", mine)
    assert_clean_failure(result)
    assert "my-documents" in result.stderr
    assert "not made by helpgen" in result.stderr or "not empty" in result.stderr
    assert "hint:" in result.stderr
    assert tree(mine) == before
    assert leftovers(mine) == []


def test_builds_into_an_empty_existing_folder(cli, site, tmp_path):
    """An empty folder is a fine output folder (the hint for the error above suggests one)."""
    empty = tmp_path / "empty"
    empty.mkdir()
    result = cli("build", site, "-o", empty)
    assert result.exit_code == 0, result.stderr
    assert (empty / "index.html").is_file()


@pytest.mark.parametrize("output, message", [
    (".", "contains the site folder"),
    ("..", "contains the site folder"),
    ("articles", "inside articles/"),
    ("articles/billing/out", "inside articles/"),
    ("assets", "inside assets/"),
    ("helpgen.yml", "is a file"),
    ("helpgen.yml/out", "helpgen.yml"),
], ids=["site-folder", "parent-of-site", "articles", "inside-articles", "assets", "a-file",
        "below-a-file"])
def test_refuses_output_folders_that_would_lose_data(cli, site, output, message):
    """-o must never be the site folder, a folder holding it, articles/, assets/ or a file."""
    (site / "assets").mkdir(exist_ok=True)
    (site / "assets" / "logo.svg").write_text("<svg/>")
    before = tree(site.parent)
    result = cli("build", site, "-o", site / output)
    assert result.exit_code == 1, result.stdout + result.stderr          # an error, not usage
    assert "Traceback" not in result.stdout + result.stderr
    assert "internal error" not in result.stderr
    assert message in result.stderr
    assert tree(site.parent) == before


# --- Commands, options and exit codes -----------------------------------------------------------


def test_version(cli):
    """`helpgen --version` prints the version."""
    result = cli("--version")
    assert result.exit_code == 0
    assert "helpgen" in result.stdout and helpgen.__version__ in result.stdout


def test_new_creates_a_starter_that_builds_strictly(cli, tmp_path):
    """`helpgen new DIR` makes a bilingual starter that passes `build --strict`."""
    starter = tmp_path / "my-help"
    result = cli("new", starter)
    assert result.exit_code == 0, result.stderr
    assert (starter / "helpgen.yml").is_file()
    built = cli("build", starter, "--strict")
    assert built.exit_code == 0, built.stderr
    assert built.stderr == ""
    assert (starter / "site" / "index.html").is_file()
    assert (starter / "site" / "zh-CN" / "index.html").is_file()


def test_new_refuses_a_non_empty_folder(cli, tmp_path):
    """`helpgen new` never overwrites: exit 1, a hint, and the folder unchanged."""
    folder = write_site(tmp_path / "taken", {"helpgen.yml": "site:\n  title: Mine\n",
                                             "notes.txt": "keep"})
    before = tree(folder)
    result = cli("new", folder)
    assert_clean_failure(result)
    assert "not empty" in result.stderr and "hint:" in result.stderr
    assert tree(folder) == before


def test_build_without_helpgen_yml_points_to_helpgen_new(cli, tmp_path):
    """Building a folder that is not a site fails with a hint to run `helpgen new`."""
    folder = write_site(tmp_path / "notes", {"readme.md": "# Notes"})
    result = cli("build", folder)
    assert_clean_failure(result)
    assert "helpgen.yml" in result.stderr
    assert "helpgen new" in result.stderr
    assert not (folder / "site").exists()


@pytest.mark.parametrize("base_url", ["ftp:/x", "help", "https://", "help.example.com/docs/"])
def test_bad_base_url_is_a_usage_error(cli, site, base_url):
    """A --base-url that is neither an http(s) URL nor a /path exits 2 without building."""
    result = cli("build", site, "--base-url", base_url)
    assert_clean_failure(result, exit_code=2)
    assert "--base-url" in result.stderr
    assert not (site / "site").exists()


@pytest.mark.parametrize("base_url, message", [
    ("http://[::1", "'http://[::1' cannot be read as an address"),
    ("//evil.example/help/", "'//evil.example/help/' names another host without saying its "
     "scheme"),
    ("https://user:pw@help.example/", "carries credentials (a user name or password"),
    ("https://", "'https://' names no host"),
])
def test_base_url_follows_the_rule_of_site_url(cli, site, base_url, message):
    """--base-url is published as site.url is (canonical links, the sitemap): what one may not
    be, the other may not either, in the same words; --base-url's is a usage error."""
    result = cli("build", site, "--base-url", base_url)
    assert_clean_failure(result, exit_code=2)
    assert "'--base-url'" in result.stderr and message in result.stderr
    assert not (site / "site").exists()
    write_site(site, {"helpgen.yml": BASIC_CONFIG.replace("https://help.acme.example/",
                                                          f"'{base_url}'")})
    result = cli("build", site)
    assert_clean_failure(result)
    assert "helpgen.yml:3: error: " in result.stderr and message in result.stderr


@pytest.mark.parametrize("base_url", ["/docs/", "https://help.example.com/docs/"])
def test_good_base_url_builds(cli, site, base_url):
    """The two forms the README documents are accepted and end up in the sitemap."""
    result = cli("build", site, "--base-url", base_url)
    assert result.exit_code == 0, result.stderr
    assert "/docs/" in (site / "site" / "sitemap.xml").read_text(encoding="utf-8")


@pytest.mark.parametrize("args", [["build", "--no-such-option"], ["frobnicate"]],
                         ids=["unknown-option", "unknown-command"])
def test_unknown_option_or_command_is_a_usage_error(cli, site, args):
    """Typos on the command line exit 2 and build nothing."""
    result = cli(*args, site)
    assert_clean_failure(result, exit_code=2)
    assert not (site / "site").exists()


def test_success_line_mentions_pages_and_locales(cli, site):
    """A clean build says how many pages in how many locales it wrote, on stdout."""
    result = cli("build", site)
    assert result.exit_code == 0, result.stderr
    match = re.search(r"Built (\d+) pages in (\d+) locales", result.stdout)
    assert match, result.stdout
    # Per locale a home, search, 404, category and section page, plus the articles (two in
    # English, one in Chinese), and the widget's embed page: 7 + 6 + 1, one HTML file each.
    assert int(match[1]) == 14 == sum(1 for p in (site / "site").rglob("*.html"))
    assert int(match[2]) == 2
    assert result.stderr == ""


def test_quiet_prints_nothing_for_a_clean_build(cli, site):
    """--quiet keeps stdout empty when there is nothing to report, and still builds."""
    result = cli("build", site, "--quiet")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr == ""
    assert (site / "site" / "index.html").is_file()


def test_quiet_still_shows_warnings(cli, site):
    """--quiet hides the success line, not the problems."""
    write_site(site, {"articles/billing/refunds/a.md": article("A", "See [x](gone.md).")})
    result = cli("build", site, "--quiet")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert "articles/billing/refunds/a.md:5: warning:" in result.stderr


def test_content_errors_go_to_stderr(cli, site):
    """Errors and the summary are on stderr, so `helpgen build > log` still shows them."""
    break_an_article(site)
    result = cli("build", site)
    assert_clean_failure(result)
    assert result.stdout == ""
    assert f"{POLICY}:3: error:" in result.stderr


def test_internal_error_exits_3_and_leaves_the_previous_site(cli, site, tmp_path):
    """A bug in helpgen (here: opening the third file it writes raises) exits 3 with a short
    message asking for a report, not a traceback, and the previous site stays as it was."""
    out = tmp_path / "www" / "public"
    assert cli("build", site, "-o", out).exit_code == 0
    before = tree(out)
    write_site(site, {POLICY: article("Refund rules", "Refunds take a week.", order=2)})
    result = helpgen_failing(out.parent, "w", 2, "build", site, "-o", out)
    assert (result.returncode, result.stdout) == (3, ""), result.stderr
    assert result.stderr == (
        "helpgen: internal error: RuntimeError: boom\n"
        "  hint: this is a bug in helpgen, not in your content; please report it "
        "(set HELPGEN_DEBUG=1 to see the details)\n")
    assert tree(out) == before
    assert leftovers(out) == []


def test_helpgen_debug_shows_the_traceback(site, tmp_path):
    """HELPGEN_DEBUG=1 shows the details of an internal error (still exit 3, still nothing
    written)."""
    out = tmp_path / "www" / "public"
    result = helpgen_failing(out.parent, "w", 0, "build", site, "-o", out, debug=True)
    assert result.returncode == 3
    assert "Traceback" in result.stderr and "RuntimeError: boom" in result.stderr
    assert "helpgen: internal error: RuntimeError: boom" in result.stderr
    assert list(out.parent.iterdir()) == []
