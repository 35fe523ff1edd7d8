"""Content errors and warnings as a writer sees them on the command line.

Every problem must read `path:line: error: message` followed by a `  hint:` line, all problems of
one run must be listed together, the run must end with the "Build failed" summary and exit 1, and
nothing may be written. Warnings let the build through, except under --strict.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import BASIC_CONFIG, Problem, article, problems, write_site

REFUNDS = "articles/billing/refunds"
POLICY = f"{REFUNDS}/policy.md"
SUMMARY = re.compile(r"Build failed with (\d+) errors?; nothing was written\.\Z")
def write_files(root: Path, files: dict[str, str | bytes]) -> None:
    """Like `write_site`, but bytes are written as they are (for encoding tests)."""
    for relative, content in files.items():
        if isinstance(content, bytes):
            (root / relative).parent.mkdir(parents=True, exist_ok=True)
            (root / relative).write_bytes(content)
        else:
            write_site(root, {relative: content})


def assert_build_failed(result, site: Path) -> list[Problem]:
    """Exit 1, no traceback, every error has a hint, the summary counts them, nothing written."""
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output
    assert result.exit_code == 1, output
    errors = [p for p in problems(result.stderr) if p.severity == "error"]
    assert errors, output
    for error in errors:
        assert error.hint, f"error without a hint: {error}"
    summary = SUMMARY.search(result.stderr.rstrip())
    assert summary, f"stderr does not end with the 'Build failed' summary:\n{result.stderr}"
    assert int(summary[1]) == len(errors), result.stderr
    assert not (site / "site").exists(), "a failed build wrote its output folder"
    assert not [p.name for p in site.glob(".site.*")], "a failed build left a temporary folder"
    return errors


def the_problem(found: list[Problem], where: str, message: str, severity: str = "error") -> Problem:
    """The one problem at `where` whose message contains `message`."""
    matches = [p for p in found if p.severity == severity and p.where == where
               and message in p.message]
    assert len(matches) == 1, (f"expected one {severity} at {where!r} containing {message!r}; "
                               f"got: {found}")
    return matches[0]


# --- Every error case: (files to add or replace, where, message, hint) -------------------------

WRONG_TYPE_CONFIG = BASIC_CONFIG.replace("  url: https://help.acme.example/\n", "  url: 5\n")

ERROR_CASES = {
    # Front matter
    "malformed-yaml-front-matter": (
        {POLICY: "---\ntitle: Refund policy\ndescription: Refunds: how: they work\n---\n\nText.\n"},
        f"{POLICY}:3", "malformed YAML", "quot"),
    "missing-title": (
        {POLICY: "---\norder: 2\n---\n\nText.\n"},
        f"{POLICY}:1", "no title", "title:"),
    "front-matter-not-closed": (
        {POLICY: "---\ntitle: Refund policy\n\nText.\n"},
        f"{POLICY}:1", "front matter is not closed", "---"),
    "no-front-matter": (
        {POLICY: "# Refund policy\n\nText.\n"},
        f"{POLICY}:1", "missing front matter", "title"),
    "order-not-a-number": (
        {POLICY: article("Refund policy", order="first")},
        f"{POLICY}:3", "'order' must be a whole number", "order: 2"),
    "tags-a-string": (
        {POLICY: article("Refund policy", tags="billing")},
        f"{POLICY}:3", "'tags' must be a list", "tags: ["),
    "updated-not-a-date": (
        {POLICY: article("Refund policy", updated="yesterday")},
        f"{POLICY}:3", "'updated' must be a date", "YYYY-MM-DD"),
    "updated-impossible-date": (
        {POLICY: article("Refund policy", updated="2026-02-30")},
        f"{POLICY}:3", "updated", "YYYY-MM-DD"),
    "description-not-a-string": (
        {POLICY: article("Refund policy", description="42")},
        f"{POLICY}:3", "'description' must be a string", "put the value in quotes"),
    "duplicate-front-matter-key": (
        {POLICY: "---\ntitle: Refund policy\norder: 2\ntitle: Refunds\n---\n\nText.\n"},
        f"{POLICY}:4", "duplicate key 'title'", "remove"),
    "not-utf-8": (
        {POLICY: "---\ntitle: Politique de remboursement, café\n---\n".encode("latin-1")},
        POLICY, "not UTF-8", "UTF-8"),
    "unconfigured-locale-suffix": (
        {f"{REFUNDS}/policy.ja.md": article("返金ポリシー")},
        f"{REFUNDS}/policy.ja.md", "'ja' is not one of this site's locales", "locales.others"),
    # Slugs, URLs and aliases
    "duplicate-slug-in-section": (
        {f"{REFUNDS}/a.md": article("A", slug="same"), f"{REFUNDS}/b.md": article("B", slug="same")},
        f"{REFUNDS}/b.md:3", f"already taken by {REFUNDS}/a.md", "slug"),
    "article-slug-clashes-with-section": (
        {"articles/billing/refunds.md": article("Refunds overview")},
        "articles/billing/refunds.md", f"'/billing/refunds/' is already taken by {REFUNDS}",
        "slug"),
    "slug-with-dotdot": (
        {f"{REFUNDS}/a.md": article("A", slug="../../etc")},
        f"{REFUNDS}/a.md:3", "the slug '../../etc' cannot be used", "'..'"),
    "slug-with-slash": (
        {f"{REFUNDS}/a.md": article("A", slug="refunds/a")},
        f"{REFUNDS}/a.md:3", "the slug 'refunds/a' cannot be used", "'/'"),
    "duplicate-alias": (
        {f"{REFUNDS}/a.md": article("A", aliases="[/old/]"),
         f"{REFUNDS}/b.md": article("B", aliases="[/old/]")},
        f"{REFUNDS}/b.md:3", f"'/old/' is already taken by {REFUNDS}/a.md", "one page"),
    "alias-with-dotdot": (
        {f"{REFUNDS}/a.md": article("A", aliases="[/fine/, ../../outside]")},
        f"{REFUNDS}/a.md:3", "'../../outside' would leave the output folder", "'..'"),
    "alias-with-host": (
        {f"{REFUNDS}/a.md": article("A", aliases="['https://evil.example/x']")},
        f"{REFUNDS}/a.md:3", "'https://evil.example/x' would leave the output folder",
        "host name"),
    "alias-replacing-home-page": (
        {f"{REFUNDS}/a.md": article("A", aliases="[/index.html]")},
        f"{REFUNDS}/a.md:3", "index.html", "remove this alias"),
    "alias-replacing-category-page": (
        {f"{REFUNDS}/a.md": article("A", aliases="[/billing/index.html]")},
        f"{REFUNDS}/a.md:3", "billing/index.html", "remove this alias"),
    # Folders
    "category-named-search": (
        {"articles/search/a.md": article("A")},
        "articles/search", "already taken by a page helpgen makes", "reserved"),
    "category-named-like-a-locale": (
        {"articles/zh-CN/a.md": article("A")},
        "articles/zh-CN", "already taken by the zh-CN home page", "zh-CN"),
    "folder-too-deep": (
        {f"{REFUNDS}/archive/old.md": article("Old")},
        f"{REFUNDS}/archive", "two levels deep", "billing/refunds"),
    "article-directly-in-articles": (
        {"articles/stray.md": article("Stray")},
        "articles/stray.md", "inside a category folder", "articles/<category>/"),
    "section-file-in-category-folder": (
        {"articles/billing/_section.yml": "title: Billing\n"},
        "articles/billing/_section.yml", "_section.yml does not belong here", "section folder"),
    "unknown-key-in-category-file": (
        {"articles/billing/_category.yml": "title: Billing\nicom: material/credit-card\n"},
        "articles/billing/_category.yml:2", "unknown key 'icom'", "did you mean 'icon'"),
    "unknown-key-in-section-file": (
        {f"{REFUNDS}/_section.yml": "titel: Refunds\n"},
        f"{REFUNDS}/_section.yml:1", "unknown key 'titel'", "did you mean 'title'"),
    "wrong-type-in-category-file": (
        {"articles/billing/_category.yml": "title: Billing\norder: first\n"},
        "articles/billing/_category.yml:2", "'order' must be a whole number",
        "write a whole number"),
    # helpgen.yml
    "malformed-helpgen-yml": (
        {"helpgen.yml": "site:\n  title: Acme Help\n   url: https://help.acme.example/\n"},
        "helpgen.yml:3", "malformed YAML", "indentation"),
    "duplicate-key-in-helpgen-yml": (
        {"helpgen.yml": BASIC_CONFIG + "site:\n  title: Acme\n"},
        "helpgen.yml:7", "duplicate key 'site'", "remove"),
    "unknown-brand-key-in-helpgen-yml": (
        {"helpgen.yml": BASIC_CONFIG + "brand:\n  primary_colour: '#0e7490'\n"},
        "helpgen.yml:8", "unknown key 'brand.primary_colour'", "did you mean 'primary_color'"),
    "unknown-top-level-key-in-helpgen-yml": (
        {"helpgen.yml": BASIC_CONFIG + "sit:\n  title: Acme\n"},
        "helpgen.yml:7", "unknown key 'sit'", "did you mean 'site'"),
    "wrong-type-in-helpgen-yml": (
        {"helpgen.yml": WRONG_TYPE_CONFIG},
        "helpgen.yml:3", "'site.url' must be a string", "put the value in quotes"),
}


@pytest.mark.parametrize("files, where, message, hint", ERROR_CASES.values(),
                         ids=ERROR_CASES.keys())
def test_content_error_is_reported_with_location_and_hint(cli, site, files, where, message, hint):
    """Each kind of bad input fails the build with `path:line: error:`, a hint, and no output."""
    write_files(site, files)
    errors = assert_build_failed(cli("build", site), site)
    error = the_problem(errors, where, message)
    assert hint in error.hint


def test_typo_in_title_key_suggests_title(cli, site):
    """`titel:` fails the build as an article without a title, and the hint names `title`."""
    write_site(site, {POLICY: "---\ntitel: Refund policy\n---\n\nText.\n"})
    errors = assert_build_failed(cli("build", site), site)
    error = next(e for e in errors if e.where.startswith(POLICY) and "no title" in e.message)
    assert re.fullmatch(rf"{re.escape(POLICY)}:[12]", error.where)
    assert "'title'" in error.hint and "'titel'" in error.hint


def test_case_only_difference_in_file_names_is_a_clash(cli, site, tmp_path):
    """`Reset.md` and `reset.md` would be the same URL (and the same file on many disks)."""
    probe = tmp_path / "CaseProbe"
    probe.write_text("")
    if (tmp_path / "caseprobe").exists():
        pytest.skip("the file system is case-insensitive")
    write_site(site, {f"{REFUNDS}/Reset.md": article("Reset A"),
                      f"{REFUNDS}/reset.md": article("Reset B")})
    errors = assert_build_failed(cli("build", site), site)
    error = next(e for e in errors if "already taken" in e.message)
    assert {error.where, error.message.rsplit(" ", 1)[-1]} == {
        f"{REFUNDS}/Reset.md", f"{REFUNDS}/reset.md"}


def test_all_errors_of_one_run_are_reported_together(cli, site):
    """Problems in helpgen.yml, a category file, a folder and two articles all show in one run."""
    write_site(site, {
        "helpgen.yml": BASIC_CONFIG + "brand:\n  primary_colour: '#0e7490'\n",
        "articles/billing/_category.yml": "title: Billing\nicom: material/credit-card\n",
        f"{REFUNDS}/archive/old.md": article("Old"),
        POLICY: article("Refund policy", order="first"),
        "articles/account/security/2fa.md": article("Two-factor", tags="security"),
    })
    errors = assert_build_failed(cli("build", site), site)
    for where, message in [("helpgen.yml:8", "primary_colour"),
                           ("articles/billing/_category.yml:2", "icom"),
                           (f"{REFUNDS}/archive", "two levels deep"),
                           (f"{POLICY}:3", "'order'"),
                           ("articles/account/security/2fa.md:3", "'tags'")]:
        the_problem(errors, where, message)
    assert len(errors) == 5


# --- Warnings, and --strict ------------------------------------------------------------------

A_MD = f"{REFUNDS}/a.md"
WARNING_CASES = {
    # (files, where, message, hint)
    "link-to-missing-article": (
        {A_MD: "---\ntitle: A\n---\n\nIntro.\n\nSee [the guide](no-such-guide.md).\n"},
        f"{A_MD}:7", "link to a missing article", "relative to this file"),
    "missing-image": (
        {A_MD: "---\ntitle: A\n---\n\n![Screenshot](../../../assets/missing.png)\n"},
        f"{A_MD}:5", "link to a missing image", "relative to this file"),
    "unknown-icon": (
        {"articles/billing/_category.yml": "title: Billing\nicon: material/credit-crd\n"},
        "articles/billing/_category.yml:2", "unknown icon 'material/credit-crd'",
        "did you mean 'material/credit-card'"),
    "likely-typo-in-front-matter-key": (
        {A_MD: article("A", promted="true")},
        f"{A_MD}:3", "unknown front matter key 'promted'", "did you mean 'promoted'"),
}


@pytest.mark.parametrize("files, where, message, hint", WARNING_CASES.values(),
                         ids=WARNING_CASES.keys())
def test_warning_lets_the_build_through(cli, site, files, where, message, hint):
    """Without --strict, a warning names file:line and a hint, and the site is still written."""
    write_site(site, files)
    result = cli("build", site)
    assert result.exit_code == 0, result.stderr
    warning = the_problem(problems(result.stderr), where, message, severity="warning")
    assert hint in warning.hint
    assert (site / "site" / "index.html").is_file()
    assert "1 warning" in result.stdout


@pytest.mark.parametrize("files, where, message, hint", WARNING_CASES.values(),
                         ids=WARNING_CASES.keys())
def test_strict_turns_warning_into_error(cli, site, files, where, message, hint):
    """With --strict, the same problem is an error: exit 1 and nothing written."""
    write_site(site, files)
    errors = assert_build_failed(cli("build", site, "--strict"), site)
    assert hint in the_problem(errors, where, message).hint


def test_strict_failure_keeps_previous_output(cli, site):
    """A --strict failure after a good build leaves the published site as it was."""
    assert cli("build", site).exit_code == 0
    before = (site / "site" / "index.html").read_bytes()
    write_site(site, WARNING_CASES["link-to-missing-article"][0])
    result = cli("build", site, "--strict")
    assert result.exit_code == 1, result.stderr
    assert (site / "site" / "index.html").read_bytes() == before
    assert not (site / "site" / "billing" / "refunds" / "a").exists()


def test_foreign_front_matter_keys_are_accepted_silently(cli, site):
    """Keys from other tools (`summary:`) neither warn nor fail, even under --strict."""
    write_site(site, {A_MD: article("A", summary="A short summary.", hide="[toc]")})
    result = cli("build", site, "--strict")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert (site / "site" / "billing" / "refunds" / "a" / "index.html").is_file()


def test_strict_fails_on_a_warning_about_a_whole_file(cli, site):
    """A stray photo.png in articles/ is a warning about the file itself (no line number):
    --strict fails on it like on any other warning."""
    write_files(site, {f"{REFUNDS}/photo.png": b"\x89PNG\r\n\x1a\n"})
    where, message = f"{REFUNDS}/photo.png", "not an article; ignored"
    lenient = cli("build", site, "-o", site.parent / "lenient")
    assert lenient.exit_code == 0, lenient.stderr
    the_problem(problems(lenient.stderr), where, message, severity="warning")
    errors = assert_build_failed(cli("build", site, "--strict"), site)
    assert "assets/" in the_problem(errors, where, message).hint
