"""The code `helpgen check` gives each problem the build reports: users list these codes under
`check.ignore` and `check.errors`, so a problem keeps its code from one release to the next.

Each case breaks the small site of conftest.py one way and names the problem it must cause (its
file, a piece of its message and its code)."""

from __future__ import annotations

import json
import os
import shutil

import pytest

from conftest import BASIC_CONFIG, article, write_site

CATEGORY = "articles/billing/_category.yml"
SECTION = "articles/billing/refunds/_section.yml"
REFUNDS = "articles/billing/refunds"
POLICY = f"{REFUNDS}/policy.md"
REQUEST = f"{REFUNDS}/request-a-refund.md"
NOT_UTF8 = b"---\ntitle: caf\xe9\n---\n"


def checked(cli, site, monkeypatch) -> list[dict]:
    monkeypatch.chdir(site)
    result = cli("check", ".", "--format", "json", "--as-of", "2026-03-01")
    assert "Traceback" not in result.output and result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)["problems"]


def found(problems: list[dict], path: str | None, message: str) -> dict:
    """The one problem at `path` (None: anywhere) whose message says `message`."""
    matches = [p for p in problems if path in (None, p["path"]) and message in p["message"]]
    assert len(matches) == 1, problems
    return matches[0]


# (files written over the site: text, bytes, or None to delete; the problem's path, a piece of
# its message, its code)
CASES = {
    # helpgen.yml
    "unknown helpgen.yml key": (
        {"helpgen.yml": BASIC_CONFIG + "sitee: {}\n"}, "helpgen.yml", "unknown key", "config"),
    "helpgen.yml value of the wrong type": (
        {"helpgen.yml": BASIC_CONFIG + "check: {stale_after_days: soon}\n"}, "helpgen.yml",
        "must be a whole number", "config"),
    "malformed helpgen.yml": (
        {"helpgen.yml": BASIC_CONFIG + "site: [\n"}, "helpgen.yml", "malformed YAML", "config"),
    "helpgen.yml not UTF-8": (
        {"helpgen.yml": b"site: {title: caf\xe9}\n"}, "helpgen.yml", "not UTF-8", "config"),
    "no helpgen.yml": ({"helpgen.yml": None}, ".", "no helpgen.yml", "config"),
    "unknown check code": (
        {"helpgen.yml": BASIC_CONFIG + "check: {ignore: [stail]}\n"}, "helpgen.yml",
        "unknown problem code", "config"),
    "a secret in helpgen.yml": (
        {"helpgen.yml": BASIC_CONFIG + "feedback: {endpoint: /api/fb, token: abc}\n"},
        "helpgen.yml", "looks like a secret", "config"),
    "brand logo not in assets": (
        {"helpgen.yml": BASIC_CONFIG + "brand: {logo: logo.svg}\n"}, "helpgen.yml",
        "is not a file in the assets/ folder", "config"),
    "brand locale not the site's": (
        {"helpgen.yml": BASIC_CONFIG + "brands: [{id: acme, locales: [en, fr]}]\n"},
        "helpgen.yml", "is not one of the site's locales", "config"),
    # an article's front matter
    "front matter value of the wrong type": (
        {POLICY: article("Refund policy", order="second")}, POLICY, "'order' must be",
        "front-matter"),
    "unknown front matter key": (
        {POLICY: article("Refund policy", ordre=2)}, POLICY, "unknown front matter key",
        "front-matter"),
    "not a date": ({POLICY: article("Refund policy", updated="soon")}, POLICY,
                   "must be a date", "front-matter"),
    "no title": ({POLICY: "---\ndescription: Fees\n---\n\nText.\n"}, POLICY, "has no title",
                 "front-matter"),
    "missing front matter": ({POLICY: "Text.\n"}, POLICY, "missing front matter",
                             "front-matter"),
    "front matter not closed": ({POLICY: "---\ntitle: Policy\n"}, POLICY, "is not closed",
                                "front-matter"),
    "front matter not key: value lines": (
        {POLICY: "---\n- title\n---\n"}, POLICY, "must be 'key: value' lines", "front-matter"),
    "malformed front matter": (
        {POLICY: "---\ntitle: [Policy\n---\n"}, POLICY, "malformed YAML", "front-matter"),
    "duplicate front matter key": (
        {POLICY: "---\ntitle: A\ntitle: B\n---\n"}, POLICY, "duplicate key", "front-matter"),
    "YAML alias in front matter": (
        {POLICY: "---\ntitle: &t Policy\ndescription: *t\n---\n"}, POLICY, "anchors",
        "front-matter"),
    "slug that cannot be a URL": (
        {POLICY: article("Refund policy", slug='"a/b"')}, POLICY, "cannot be used in a URL",
        "front-matter"),
    "alias that cannot be a URL": (
        {POLICY: article("Refund policy", aliases="[/a/../b/]")}, POLICY, "the alias",
        "front-matter"),
    "unknown brand in front matter": (
        {"helpgen.yml": BASIC_CONFIG + "brands: [{id: acme}]\n",
         POLICY: article("Refund policy", brands="[acne]")}, POLICY, "there is no brand",
        "front-matter"),
    "brand in front matter without brands": (
        {POLICY: article("Refund policy", brands="[acme]")}, POLICY, "names a brand",
        "front-matter"),
    "unknown audience": ({POLICY: article("Refund policy", audience="internl")}, POLICY,
                         "'audience' must be one of", "front-matter"),
    "public article in an internal folder": (
        {SECTION: "title: Refunds\naudience: internal\n",
         POLICY: article("Refund policy", audience="public")}, POLICY,
        "'audience: public' cannot apply here", "front-matter"),
    # _category.yml and _section.yml
    "unknown _category.yml key": (
        {CATEGORY: "title: Billing\nicn: x\n"}, CATEGORY, "unknown key", "front-matter"),
    "_section.yml value of the wrong type": (
        {SECTION: "title: Refunds\norder: first\n"}, SECTION, "must be a whole number",
        "front-matter"),
    "malformed _section.yml": ({SECTION: "title: [Refunds\n"}, SECTION, "malformed YAML",
                               "front-matter"),
    "unknown icon": ({CATEGORY: "title: Billing\nicon: material/credit-cardd\n"}, CATEGORY,
                     "unknown icon", "front-matter"),
    "_category.yml not UTF-8": ({CATEGORY: b"title: caf\xe9\n"}, CATEGORY, "not UTF-8",
                                "structure"),
    # files, folders, names and URLs
    "article not UTF-8": ({POLICY: NOT_UTF8}, POLICY, "not UTF-8", "structure"),
    "locale suffix that is not a locale code": (
        {f"{REFUNDS}/fees.fr_FR.md": article("Fees")}, f"{REFUNDS}/fees.fr_FR.md",
        "is not a locale code", "structure"),
    "locale suffix of another site": (
        {f"{REFUNDS}/policy.fr.md": article("Politique")}, f"{REFUNDS}/policy.fr.md",
        "is not one of this site's locales", "structure"),
    "two files of one article and locale": (
        {f"{REFUNDS}/policy.en.md": article("Policy again")}, POLICY,
        "the same article in the same locale", "structure"),
    "two file names with one URL": (
        {f"{REFUNDS}/Policy.md": article("Policy again")}, f"{REFUNDS}/policy.md",
        "is already taken", "structure"),
    "folder too deep": ({f"{REFUNDS}/old/fees.md": article("Fees")}, f"{REFUNDS}/old",
                        "two levels deep", "structure"),
    "article outside a category": ({"articles/fees.md": article("Fees")}, "articles/fees.md",
                                   "inside a category folder", "structure"),
    "_section.yml in a category folder": (
        {"articles/billing/_section.yml": "title: Billing\n"}, "articles/billing/_section.yml",
        "does not belong here", "structure"),
    "unknown settings file": (
        {"articles/billing/_categories.yml": "title: Billing\n"},
        "articles/billing/_categories.yml", "unknown settings file", "structure"),
    "stray file": ({f"{REFUNDS}/photo.png": "png"}, f"{REFUNDS}/photo.png", "not an article",
                   "structure"),
    "folder name without a URL": ({"articles/!!!/fees.md": article("Fees")}, "articles/!!!",
                                  "cannot make a URL", "structure"),
    "two folders with one URL": (
        {"articles/Billing/fees.md": article("Fees")}, "articles/billing", "is already taken",
        "structure"),
    "file name that cannot be a slug": (
        {f"{REFUNDS}/!!!.md": article("Bangs")}, f"{REFUNDS}/!!!.md",
        "cannot be used in a URL", "structure"),
    "no articles folder": ({"articles": None}, ".", "no articles/ folder", "structure"),
    # what the model finds in the bodies
    "broken link": ({POLICY: article("Refund policy", "See [fees](fees.md).")}, POLICY,
                    "link to a missing article", "broken-link"),
    "related article not found": ({POLICY: article("Refund policy", related="[fees.md]")},
                                  POLICY, "related article not found", "broken-link"),
    "missing image": ({POLICY: article("Refund policy", "![chart](chart.png)")}, POLICY,
                      "link to a missing image", "missing-image"),
    "link to an internal article": (
        {POLICY: article("Refund policy", "See [fees](fees.md)."),
         f"{REFUNDS}/fees.md": article("Fees", audience="internal")}, POLICY,
        "link to an internal article", "internal-link"),
    "related article that is internal": (
        {POLICY: article("Refund policy", related="[fees.md]"),
         f"{REFUNDS}/fees.md": article("Fees", audience="internal")}, POLICY,
        "related article is internal", "internal-link"),
    "removed HTML": (
        {"helpgen.yml": BASIC_CONFIG + "markdown: {raw_html: sanitize}\n",
         POLICY: article("Refund policy", "<p onclick=\"x()\">Hi</p>")}, POLICY,
        "removed", "unsafe-html"),
}


def _apply(site, files: dict) -> None:
    for relative, content in files.items():
        path = site / relative
        if content is None:
            shutil.rmtree(path) if path.is_dir() else path.unlink()
        elif isinstance(content, bytes):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        else:
            write_site(site, {relative: content})


@pytest.mark.parametrize("files, path, message, code", CASES.values(), ids=CASES.keys())
def test_each_problem_has_its_code(cli, site, monkeypatch, files, path, message, code):
    _apply(site, files)
    assert found(checked(cli, site, monkeypatch), path, message)["code"] == code


def test_links_outside_the_site_are_structure(cli, site, monkeypatch, tmp_path):
    outside = write_site(tmp_path / "outside", {"secret.md": article("Secret")})
    os.symlink(outside / "secret.md", site / REFUNDS / "secret.md")
    problems = checked(cli, site, monkeypatch)
    assert found(problems, None, "outside the site")["code"] == "structure"


def test_unreadable_files_are_structure(cli, site, monkeypatch):
    """Broken links where an article and a _section.yml should be."""
    os.symlink("missing.md", site / REFUNDS / "gone.md")
    (site / SECTION).unlink()
    os.symlink("missing.yml", site / SECTION)
    problems = checked(cli, site, monkeypatch)
    problems = [p for p in problems if "not a file helpgen can read" in p["message"]]
    assert [p["code"] for p in problems] == ["structure", "structure"]


# --- Codes the guess from the file path got wrong --------------------------------------------


def test_a_url_clash_is_structure_even_at_a_slug_line(cli, site, monkeypatch):
    """`slug: policy` takes another article's URL: a URL clash (structure), though reported at
    the front matter's `slug:` line (it was front-matter)."""
    write_site(site, {REQUEST: article("Request a refund", slug="policy")})
    problem = found(checked(cli, site, monkeypatch), None, "is already taken")
    assert (problem["line"], problem["code"]) == (3, "structure")


def test_an_alias_clash_is_structure(cli, site, monkeypatch):
    """Two articles claim the same old URL, or an alias claims an article's URL."""
    write_site(site, {REQUEST: article("Request a refund", aliases="[/old/]"),
                      POLICY: article("Refund policy", aliases="[/old/, /billing/]")})
    problems = [p for p in checked(cli, site, monkeypatch) if "is already taken" in p["message"]]
    assert [(p["line"], p["code"]) for p in problems] == [(3, "structure"), (3, "structure")]


def test_a_settings_file_that_is_not_a_mapping_is_front_matter(cli, site, monkeypatch):
    """A _category.yml that is a list is a problem of the folder's settings (it was
    structure, having no line)."""
    write_site(site, {CATEGORY: "- Billing\n"})
    problem = found(checked(cli, site, monkeypatch), CATEGORY, "must be a mapping")
    assert problem["code"] == "front-matter"


def test_a_bad_settle_time_is_config(cli, site, monkeypatch):
    """HELPGEN_SETTLE_SECONDS, a setting of the run, is not a file of the site (it was
    structure)."""
    checked(cli, site, monkeypatch)                       # a cache to judge files against
    monkeypatch.setenv("HELPGEN_SETTLE_SECONDS", "soon")
    problems = checked(cli, site, monkeypatch)
    assert [(p["path"], p["code"]) for p in problems if "SETTLE" in p["message"]] == \
        [(None, "config")]
