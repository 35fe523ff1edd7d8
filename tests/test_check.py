"""`helpgen check`: each content check (found with its file, line and code, and gone once
fixed), the three output formats, the `check:` settings in helpgen.yml and the exit codes."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from conftest import (BASIC_CONFIG, PROBE_THEME, RENDER_PROBE, ROOT, article, helpgen_failing,
                      render_marks, rendered_again, tree, write_site)
from helpgen.errors import HelpgenError, Report

REFUNDS = "articles/billing/refunds"
REQUEST = f"{REFUNDS}/request-a-refund.md"
REQUEST_ZH = f"{REFUNDS}/request-a-refund.zh-CN.md"
POLICY = f"{REFUNDS}/policy.md"
POLICY_ZH = f"{REFUNDS}/policy.zh-CN.md"
TODAY = "2026-03-01"
CHECK_CONFIG = BASIC_CONFIG + "check:\n"


class Checked:
    """One `helpgen check --format json` run: exit code and the problems it printed."""

    def __init__(self, result):
        assert "Traceback" not in result.output, result.output
        self.exit_code = result.exit_code
        self.data = json.loads(result.stdout)
        self.problems = self.data["problems"]

    def of(self, code: str) -> list[tuple[str, int | None, str]]:
        """(path, line, severity) of every problem with this code."""
        return [(p["path"], p["line"], p["severity"]) for p in self.problems if p["code"] == code]

    def one(self, code: str) -> dict:
        matches = [p for p in self.problems if p["code"] == code]
        assert len(matches) == 1, self.problems
        return matches[0]


@pytest.fixture
def check(cli, site, monkeypatch):
    """Runs `helpgen check . --format json --as-of TODAY` in the site folder."""
    monkeypatch.chdir(site)

    def run(*args: str) -> Checked:
        return Checked(cli("check", ".", "--format", "json", "--as-of", TODAY, *args))

    return run


def with_translation(site: Path) -> None:
    """Gives policy.md its zh-CN translation, so the base site has no missing translation."""
    write_site(site, {POLICY_ZH: article("退款政策")})


# --- Broken anchors ----------------------------------------------------------------------------


def test_broken_anchor_to_another_article(check, site):
    """`policy.md#fees` when policy.md has no Fees heading: reported at the link's line."""
    write_site(site, {REQUEST: article(
        "Request a refund", "## Before you start\n\nIntro.\n\nRead the [fees](policy.md#fees).",
        order=1)})
    problem = check().one("broken-anchor")
    assert (problem["path"], problem["line"], problem["severity"]) == (REQUEST, 10, "warning")
    assert "policy.md#fees" in problem["message"]
    assert POLICY in problem["hint"] and "'fees'" in problem["hint"]

    write_site(site, {POLICY: article("Refund policy", "## Fees\n\nNone.", order=2)})
    assert check().of("broken-anchor") == []


def test_broken_anchor_within_the_same_article(check, site):
    """`#befor-you-start` in the article itself; the hint suggests the real heading."""
    write_site(site, {REQUEST: article(
        "Request a refund", "## Before you start\n\nSee [below](#befor-you-start).", order=1)})
    problem = check().one("broken-anchor")
    assert (problem["path"], problem["line"]) == (REQUEST, 8)
    assert "'#befor-you-start'" in problem["message"]
    assert "did you mean '#before-you-start'?" in problem["hint"]

    write_site(site, {REQUEST: article(
        "Request a refund", "## Before you start\n\nSee [below](#before-you-start).", order=1)})
    assert check().of("broken-anchor") == []


def test_anchors_of_every_kind_are_found(check, site):
    """Deep headings, {#custom} ids, raw HTML ids and footnotes are all valid targets."""
    write_site(site, {
        POLICY: article("Refund policy", "## Fees\n\n#### Deep heading\n\n"
                        "Text.\n{#custom-id}\n\n<a id=\"raw-anchor\"></a>\n\nNote[^1].\n\n"
                        "[^1]: A footnote.", order=2),
        REQUEST: article("Request a refund", "[a](policy.md#fees) [b](policy.md#deep-heading) "
                         "[c](policy.md#custom-id) [d](policy.md#raw-anchor) "
                         "[e](./policy.md#fn:1)", order=1)})
    assert check().of("broken-anchor") == []


def test_broken_anchor_in_a_translation_is_reported_at_the_translation(check, site):
    """The zh-CN article links to the zh-CN policy, whose headings have their own ids."""
    write_site(site, {
        POLICY: article("Refund policy", "## Fees\n\nNone.", order=2),
        POLICY_ZH: article("退款政策", "## 费用\n\n无。"),
        REQUEST_ZH: article("申请退款", "请阅读[费用](policy.md#fees)。")})
    assert check().of("broken-anchor") == [(REQUEST_ZH, 5, "warning")]

    write_site(site, {REQUEST_ZH: article("申请退款", "请阅读[费用](policy.md#费用)。")})
    assert check().of("broken-anchor") == []


def test_the_broken_one_of_two_links_to_the_same_anchor_is_named(check, site):
    """`policy.md#fees` works, `#fees` (this article) does not: the second link is reported."""
    write_site(site, {
        POLICY: article("Refund policy", "## Fees\n\nNone.", order=2),
        REQUEST: article("Request a refund", "[fees](policy.md#fees)\n\n[here](#fees)", order=1)})
    problem = check().one("broken-anchor")
    assert (problem["path"], problem["line"]) == (REQUEST, 8)
    assert problem["message"] == "link to a missing anchor: '#fees'"


def test_two_broken_anchors_with_the_same_text_get_their_own_lines(check, site):
    write_site(site, {REQUEST: article(
        "Request a refund", "[one](#nowhere)\n\n[two](#nowhere)", order=1)})
    assert check().of("broken-anchor") == [(REQUEST, 6, "warning"), (REQUEST, 8, "warning")]


# --- The build's own problems: broken links, missing images, front matter ----------------------


def test_broken_link(check, site):
    write_site(site, {REQUEST: article("Request a refund", "Intro.\n\nSee [the policy](polcy.md).",
                                       order=1)})
    problem = check().one("broken-link")
    assert (problem["path"], problem["line"], problem["severity"]) == (REQUEST, 8, "warning")
    assert "polcy.md" in problem["message"] and problem["hint"]

    write_site(site, {REQUEST: article("Request a refund", "See [the policy](policy.md).",
                                       order=1)})
    assert check().of("broken-link") == []


def test_a_link_to_a_page_url_keeps_its_locale_and_is_checked(check, site):
    """A link written as an article's page URL (as `helpgen import mkdocs` writes a link from a
    Chinese page to an English one) leads to that page in that locale; its #anchor is checked
    there, and a URL where no article is published is a broken link."""
    write_site(site, {
        POLICY: article("Refund policy", "## Fees\n\nNone.", order=2),
        POLICY_ZH: article("退款政策", "## 费用\n\n无。"),
        REQUEST_ZH: article("申请退款", "英文的[费用](../../../../billing/refunds/policy/#fees)，"
                            "[没有](../../../../billing/refunds/nope/)，"
                            "[锚点](../../../../billing/refunds/policy/#费用)。")})
    checked = check()
    assert checked.of("broken-link") == [(REQUEST_ZH, 5, "warning")]
    assert checked.of("broken-anchor") == [(REQUEST_ZH, 5, "warning")]
    assert "nope" in checked.one("broken-link")["message"]
    assert "#费用" in checked.one("broken-anchor")["message"]


def test_related_article_not_found_is_a_broken_link(check, site):
    write_site(site, {POLICY: article("Refund policy", order=2, related="[billing/nope.md]")})
    assert check().of("broken-link") == [(POLICY, 4, "warning")]


def test_missing_image(check, site):
    write_site(site, {REQUEST: article("Request a refund",
                                       "Text.\n\n![Form](../../../assets/form.png)", order=1)})
    problem = check().one("missing-image")
    assert (problem["path"], problem["line"], problem["severity"]) == (REQUEST, 8, "warning")
    assert "form.png" in problem["message"]

    (site / "assets").mkdir()
    (site / "assets" / "form.png").write_bytes(b"\x89PNG")
    assert check().of("missing-image") == []


def test_front_matter_problems_keep_their_severity(check, site):
    """A value of the wrong type is an error, a likely typo in a key a warning."""
    write_site(site, {POLICY: article("Refund policy", order="second"),
                      REQUEST: article("Request a refund", order=1, tagz="[a]")})
    checked = check()
    assert sorted(checked.of("front-matter")) == [(POLICY, 3, "error"), (REQUEST, 4, "warning")]
    assert checked.exit_code == 1

    write_site(site, {POLICY: article("Refund policy", order=2),
                      REQUEST: article("Request a refund", order=1, tags="[a]")})
    checked = check()
    assert checked.of("front-matter") == [] and checked.exit_code == 0


def test_category_file_problem_is_front_matter(check, site):
    write_site(site, {"articles/billing/_category.yml": "title: Billing\nicom: material/cog\n"})
    assert check().of("front-matter") == [("articles/billing/_category.yml", 2, "error")]


def test_config_and_structure_problems(check, site):
    write_site(site, {"helpgen.yml": BASIC_CONFIG + "brand:\n  primary_colour: '#0e7490'\n"})
    (site / "articles" / "billing" / "refunds" / "photo.png").write_bytes(b"\x89PNG")
    checked = check()
    assert checked.of("config") == [("helpgen.yml", 8, "error")]
    assert checked.of("structure") == [(f"{REFUNDS}/photo.png", None, "warning")]


# --- Orphan assets ----------------------------------------------------------------------------


def add_assets(site: Path, *names: str) -> None:
    for name in names:
        path = site / "assets" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"<svg/>")


def test_orphan_asset(check, site):
    add_assets(site, "images/form.svg", "images/unused.svg")
    write_site(site, {REQUEST: article("Request a refund",
                                       "![Form](../../../assets/images/form.svg)", order=1)})
    problem = check().one("orphan-asset")
    assert (problem["path"], problem["line"], problem["severity"]) == (
        "assets/images/unused.svg", None, "warning")

    write_site(site, {POLICY: article(
        "Refund policy", '<img src="../../../assets/images/unused.svg" alt="">', order=2)})
    assert check().of("orphan-asset") == []


@pytest.mark.parametrize("files", [
    {"helpgen.yml": BASIC_CONFIG + "brand:\n  logo: assets/x.svg\n"},
    {"helpgen.yml": BASIC_CONFIG + "brand:\n  favicon: assets/x.svg\n"},
    {"helpgen.yml": BASIC_CONFIG + "brand:\n  logo_dark: assets/x.svg\n"},
    {"helpgen.yml": BASIC_CONFIG + "brands:\n  - {id: b, brand: {logo: assets/x.svg}}\n"},
    {"helpgen.yml": BASIC_CONFIG + "brand:\n  custom_css: assets/css/brand.css\n",
     "assets/css/brand.css": "@font-face { font-family: X; src: url('../x.svg'); }\n"},
    {"articles/billing/_category.yml":
        'title: Billing\ndescription: \'<img src="/assets/x.svg">\'\n'},
    {POLICY: article("Refund policy", "[x]: ../../../assets/x.svg\n\nSee the [file][x].")},
    {POLICY: article("Refund policy", "[Download](/assets/x.svg)")},
    {POLICY: article("Refund policy", '<picture><source srcset="../../../assets/x.svg 2x">'
                     '</picture>')},
    {"articles/billing/drafts/note.md": article("Note", "![](../../../assets/x.svg)",
                                                draft="true")},
], ids=["logo", "favicon", "logo-dark", "brand-logo", "custom-css-url", "category-file", "reference-link", "site-root-path", "srcset",
        "draft"])
def test_referenced_assets_are_not_orphans(check, site, files):
    add_assets(site, "x.svg")
    assert check().of("orphan-asset") == [("assets/x.svg", None, "warning")]
    write_site(site, files)
    assert check().of("orphan-asset") == []


def test_an_asset_named_through_a_symbolic_link_is_used(check, site):
    """Paths are compared as written first; one that goes through a linked folder still
    counts for the file it reaches."""
    add_assets(site, "images/form.svg")
    (site / "articles/billing/pictures").symlink_to(site / "assets/images")
    write_site(site, {POLICY: article("Refund policy", "![Form](../pictures/form.svg)",
                                      order=2)})
    assert check().of("orphan-asset") == []


# --- Missing translations ---------------------------------------------------------------------


def test_missing_translation(check, site):
    """policy.md has no zh-CN file: one warning at its title."""
    problem = check().one("missing-translation")
    assert (problem["path"], problem["line"], problem["severity"]) == (POLICY, 2, "warning")
    assert "zh-CN" in problem["message"] and "policy.zh-CN.md" in problem["hint"]

    with_translation(site)
    assert check().of("missing-translation") == []


def test_missing_translations_are_listed_in_one_problem(check, site):
    write_site(site, {"helpgen.yml": BASIC_CONFIG.replace("[zh-CN]", "[zh-CN, zh-TW]")})
    checked = check()
    by_path = {p["path"]: p["message"] for p in checked.problems
               if p["code"] == "missing-translation"}
    assert by_path == {POLICY: "no translation for zh-CN, zh-TW",
                       REQUEST: "no translation for zh-TW"}


def test_drafts_need_no_translation(check, site):
    write_site(site, {POLICY: article("Refund policy", order=2, draft="true")})
    assert check().of("missing-translation") == []


# --- Stale articles ---------------------------------------------------------------------------


def test_review_by_passed(check, site):
    with_translation(site)
    write_site(site, {POLICY: article("Refund policy", order=2, review_by="2026-02-28")})
    problem = check().one("stale")     # inherited by the translation: reported once
    assert (problem["path"], problem["line"], problem["severity"]) == (POLICY, 4, "warning")
    assert "2026-02-28" in problem["message"]

    write_site(site, {POLICY: article("Refund policy", order=2, review_by="2026-03-01")})
    assert check().of("stale") == []


def test_updated_too_long_ago(check, site):
    write_site(site, {POLICY: article("Refund policy", order=2, updated="2025-02-28")})
    problem = check().one("stale")
    assert (problem["path"], problem["line"]) == (POLICY, 4)
    assert "366 days ago" in problem["message"]

    write_site(site, {POLICY: article("Refund policy", order=2, updated="2025-03-01")})
    assert check().of("stale") == []


def test_stale_after_days_setting(check, site):
    write_site(site, {POLICY: article("Refund policy", order=2, updated="2026-01-01")})
    assert check().of("stale") == []
    write_site(site, {"helpgen.yml": CHECK_CONFIG + "  stale_after_days: 30\n"})
    assert check().of("stale") == [(POLICY, 4, "warning")]


def test_as_of_sets_the_day_staleness_is_measured_on(check, site):
    """`--as-of` shows what will be stale by a date (and makes CI runs reproducible)."""
    write_site(site, {POLICY: article("Refund policy", order=2, review_by="2026-02-28")})
    assert check("--as-of", "2026-02-28").of("stale") == []
    assert check("--as-of", "2026-03-01").of("stale") == [(POLICY, 4, "warning")]


def test_staleness_is_measured_on_today_by_default(cli, site):
    today = dt.date.today()
    write_site(site, {POLICY: article("Refund policy", order=2,
                                      review_by=today - dt.timedelta(days=2)),
                      REQUEST: article("Request a refund", order=1,
                                       review_by=today + dt.timedelta(days=2))})
    problems = json.loads(cli("check", site, "--format", "json").stdout)["problems"]
    assert [p["path"] for p in problems if p["code"] == "stale"] == [
        (site / POLICY).resolve().as_posix()]


@pytest.mark.parametrize("date", ["2026-02-30", "03/01/2026", "tomorrow"])
def test_as_of_takes_a_date(cli, site, date):
    result = cli("check", site, "--as-of", date)
    assert result.exit_code == 2
    assert "--as-of" in result.stderr and date in result.stderr


# --- Duplicate titles -------------------------------------------------------------------------


def test_duplicate_title_in_a_section(check, site):
    write_site(site, {POLICY: article("Request a Refund", order=2)})
    problem = check().one("duplicate-title")
    assert (problem["path"], problem["line"], problem["severity"]) == (POLICY, 2, "warning")
    assert REQUEST in problem["hint"]

    write_site(site, {POLICY: article("Refund policy", order=2)})
    assert check().of("duplicate-title") == []


def test_same_title_in_other_sections_or_locales_is_fine(check, site):
    write_site(site, {
        "articles/billing/plans/request-a-refund.md": article("Request a refund"),
        POLICY_ZH: article("Request a refund")})   # in zh-CN, beside 申请退款
    assert check().of("duplicate-title") == []


# --- Settings: check.errors, check.ignore, unknown keys -----------------------------------------


def test_errors_setting_makes_warnings_errors(check, site):
    checked = check()
    assert checked.of("missing-translation") == [(POLICY, 2, "warning")]
    assert checked.exit_code == 0
    write_site(site, {"helpgen.yml": CHECK_CONFIG + "  errors: [missing-translation]\n"})
    checked = check()
    assert checked.of("missing-translation") == [(POLICY, 2, "error")]
    assert checked.exit_code == 1


def test_ignore_setting_drops_warnings(check, site):
    write_site(site, {"helpgen.yml": CHECK_CONFIG + "  ignore: [missing-translation]\n"})
    checked = check()
    assert checked.problems == [] and checked.exit_code == 0


def test_ignore_does_not_hide_errors(check, site):
    write_site(site, {"helpgen.yml": CHECK_CONFIG + "  ignore: [front-matter]\n",
                      POLICY: article("Refund policy", order="second")})
    checked = check()
    assert checked.of("front-matter") == [(POLICY, 3, "error")] and checked.exit_code == 1


@pytest.mark.parametrize("setting, line, message, hint", [
    ("  stale_after_day: 30\n", 8, "unknown key 'check.stale_after_day'",
     "did you mean 'stale_after_days'?"),
    ("  errors: [broken-links]\n", 8, "unknown problem code 'broken-links'",
     "did you mean 'broken-link'?"),
    ("  ignore:\n    - stale\n    - zzz\n", 10, "unknown problem code 'zzz'", "the codes are:"),
    ("  stale_after_days: thirty\n", 8, "'check.stale_after_days' must be a whole number",
     "write a whole number, e.g. 3"),
    ("  stale_after_days: 0\n", 8, "at least 1", "stale_after_days: 365"),
    ("  errors: [stale]\n  ignore: [stale]\n", 9, "under both", "one of the two"),
])
def test_check_settings_are_validated(check, site, setting, line, message, hint):
    write_site(site, {"helpgen.yml": CHECK_CONFIG + setting})
    checked = check()
    problem = checked.one("config")
    assert (problem["path"], problem["line"], problem["severity"]) == ("helpgen.yml", line, "error")
    assert message in problem["message"] and hint in problem["hint"]
    assert checked.exit_code == 1


def test_valid_check_settings_are_accepted_by_build(cli, site):
    write_site(site, {"helpgen.yml": CHECK_CONFIG + "  stale_after_days: 90\n"
                      "  errors: [broken-link, broken-anchor]\n  ignore: [orphan-asset]\n"})
    assert cli("build", site, "--quiet").exit_code == 0


# --- Output formats ---------------------------------------------------------------------------


def broken_site(site: Path) -> None:
    """One error (front matter) and one warning (a broken anchor) besides the translation."""
    with_translation(site)
    write_site(site, {POLICY: article("Refund policy", order="second"),
                      REQUEST: article("Request a refund", "See [below](#nowhere).", order=1)})


def test_text_format(cli, site, monkeypatch):
    broken_site(site)
    monkeypatch.chdir(site.parent)
    result = cli("check", site.name)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{POLICY}:3: error: 'order' must be a whole number [front-matter]",
        "  hint: write a whole number, e.g.  order: 2",
        f"{REQUEST}:6: warning: link to a missing anchor: '#nowhere' [broken-anchor]",
        "  hint: this article has no heading with the id 'nowhere'",
        "Found 1 error and 1 warning in 4 articles (2 locales).",
    ]


def test_text_format_without_problems(cli, site):
    with_translation(site)
    result = cli("check", site)
    assert result.exit_code == 0
    assert result.stdout == "No problems found in 4 articles (2 locales).\n"


def test_json_format(cli, site, monkeypatch):
    broken_site(site)
    monkeypatch.chdir(site)
    result = cli("check", "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {
        "problems": [
            {"path": POLICY, "line": 3, "severity": "error", "code": "front-matter",
             "message": "'order' must be a whole number",
             "hint": "write a whole number, e.g.  order: 2"},
            {"path": REQUEST, "line": 6, "severity": "warning", "code": "broken-anchor",
             "message": "link to a missing anchor: '#nowhere'",
             "hint": "this article has no heading with the id 'nowhere'"},
        ],
        "errors": 1, "warnings": 1,
    }


def test_json_paths_outside_the_current_folder_are_absolute(cli, site, tmp_path, monkeypatch):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    problem = json.loads(cli("check", site, "--format", "json").stdout)["problems"][0]
    assert problem["path"] == (site / POLICY).resolve().as_posix()


def test_github_format(cli, site, monkeypatch):
    """Paths relative to the repository root (the current folder); summary on stderr."""
    broken_site(site)
    monkeypatch.chdir(site.parent)
    result = cli("check", site.name, "--format", "github")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"::error file=site/{POLICY},line=3,title=front-matter::'order' must be a whole number"
        "%0Ahint: write a whole number, e.g.  order: 2",
        f"::warning file=site/{REQUEST},line=6,title=broken-anchor::link to a missing anchor: "
        "'#nowhere'%0Ahint: this article has no heading with the id 'nowhere'",
    ]
    assert result.stderr == "Found 1 error and 1 warning in 4 articles (2 locales).\n"


def test_github_format_escapes_data_and_properties(cli, site, monkeypatch):
    """`,` `:` `%` in a file name and `%`, a carriage return and a line break in a message or
    hint are escaped, so each annotation stays one line that GitHub reads back as written."""
    odd = f"{REFUNDS}/a,b:c%.md"
    write_site(site, {odd: article("Odd", "See [x](100%.md) and [y](#a%0Db).")})
    monkeypatch.chdir(site)
    lines = cli("check", "--format", "github").stdout.splitlines()
    where = "file=articles/billing/refunds/a%2Cb%3Ac%25.md,line=5"
    assert f"::warning {where},title=broken-link::link to a missing article or file: " \
           "'100%25.md'%0Ahint: check the path; it is relative to this file, and drafts are " \
           "not published" in lines
    assert f"::warning {where},title=broken-anchor::link to a missing anchor: '#a%250Db'" \
           "%0Ahint: this article has no heading with the id 'a%0Db'" in lines


def test_github_format_without_a_line(cli, site, monkeypatch):
    add_assets(site, "x.svg")
    monkeypatch.chdir(site)
    assert "::warning file=assets/x.svg,title=orphan-asset::no article uses this file%0Ahint: " \
           "link it from an article, or delete it; the build copies every file in assets/ to " \
           "the site" in cli("check", "--format", "github").stdout.splitlines()


# --- Exit codes -------------------------------------------------------------------------------


def test_warnings_exit_0_and_strict_makes_them_errors(check, site):
    checked = check()
    assert checked.of("missing-translation") == [(POLICY, 2, "warning")]
    assert checked.exit_code == 0
    checked = check("--strict")
    assert checked.of("missing-translation") == [(POLICY, 2, "error")]
    assert checked.data["errors"] == 1 and checked.data["warnings"] == 0
    assert checked.exit_code == 1


def test_usage_error_exits_2(cli, site):
    result = cli("check", site, "--format", "xml")
    assert result.exit_code == 2
    assert "xml" in result.stderr


def test_no_site_folder_exits_1(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli("check", "--format", "json")
    assert result.exit_code == 1
    problem, = json.loads(result.stdout)["problems"]
    assert problem["code"] == "config" and "no helpgen.yml" in problem["message"]
    assert problem["hint"]


def test_no_articles_folder_exits_1(cli, tmp_path):
    write_site(tmp_path, {"helpgen.yml": BASIC_CONFIG})
    result = cli("check", tmp_path)
    assert result.exit_code == 1
    assert "error: no articles/ folder [structure]" in result.stdout
    assert result.stdout.rstrip().endswith("the articles could not be checked.")


def test_internal_error_exits_3(site):
    """A bug in helpgen (here: reading the first file of the site raises) exits 3 with a
    short message, not a traceback nor a partial report."""
    result = helpgen_failing(site, "r", 0, "check", site)
    assert (result.returncode, result.stdout) == (3, "")
    assert result.stderr.startswith("helpgen: internal error: RuntimeError: boom\n  hint: ")
    assert "Traceback" not in result.stderr


def test_check_writes_nothing_but_the_build_cache(cli, site):
    before = sorted(p.relative_to(site) for p in site.rglob("*"))
    broken_site(site)
    cli("check", site, "--no-cache")
    with_translation(site)
    cli("check", site, "--no-cache")
    after = sorted(p.relative_to(site) for p in site.rglob("*"))
    assert after == sorted(set(before) | {Path(POLICY_ZH)})
    cli("check", site)
    added = {p.relative_to(site) for p in site.rglob("*")} - set(after)
    assert added and all(path.parts[0] == ".helpgen-cache" for path in added)


def test_a_site_folder_check_cannot_write_to_is_still_checked(cli, site):
    broken_site(site)
    expected = cli("check", site, "--no-cache")
    (site / ".helpgen-cache").write_text("a file where the cache folder goes")
    result = cli("check", site)
    assert (result.exit_code, result.stdout) == (expected.exit_code, expected.stdout)
    assert "Traceback" not in result.output and "internal error" not in result.output


def test_example_site_passes(cli, monkeypatch, example_site):
    """The bundled example exits 0; its warnings are only missing zh-TW translations and
    review dates that depend on today's date."""
    monkeypatch.chdir(example_site.parent)
    result = cli("check", "example-site", "--format", "json")
    assert result.exit_code == 0, result.stdout
    data = json.loads(result.stdout)
    assert data["errors"] == 0
    assert {p["code"] for p in data["problems"]} <= {"missing-translation", "stale"}


# --- The build cache ---------------------------------------------------------------------------


def test_check_and_build_convert_each_article_once(cli, check, site):
    """CI checks, then builds: the build reuses what the check converted; a check after a
    build keeps what the build left (the next build has nothing to do)."""
    write_site(site, {**RENDER_PROBE, "helpgen.yml": BASIC_CONFIG + PROBE_THEME,
                      REQUEST: article("Request a refund", "Read the [policy](nope.md).",
                                       order=1)})
    out = site / "site"
    first = check()
    assert first.of("broken-link")
    assert cli.build(site)["converted"] == 0            # all three, converted by the check
    assert check().problems == first.problems
    built, marks = tree(out), render_marks(out)
    assert "(search index 0.0 MB, 1 warning, nothing changed)" in cli("build", site).stdout
    assert tree(out) == built
    # A check of an edit keeps the build's pages: the next build renders only what it changes.
    write_site(site, {POLICY: article("Refund rules", "Refunds take a week.", order=2)})
    check()
    assert cli.build(site)["converted"] == 0            # the edited article: by the check
    # Only the English pages showing the policy's title: home, Billing, Refunds, the policy
    # and its neighbour (the "next" link); no Chinese page, no search or 404 page.
    assert rendered_again(marks, out) == [
        "billing/index.html", "billing/refunds/index.html", "billing/refunds/policy/index.html",
        "billing/refunds/request-a-refund/index.html", "index.html"]


def test_check_without_the_cache_neither_reads_nor_writes_it(cli, check, site):
    first = check("--no-cache")
    assert not (site / ".helpgen-cache").exists()
    assert check().data == first.data                   # a cache is made…
    cache = tree(site / ".helpgen-cache")
    assert check("--no-cache").data == first.data       # …and left as it is
    assert tree(site / ".helpgen-cache") == cache
    assert cli.build(site)["converted"] == 0            # what the cached check converted


# --- Every problem of a site has its code ------------------------------------------------------


def test_a_problem_without_a_code_is_refused():
    """An error that stops another command (an import) may have no code; a problem of the site
    needs one where it is found: a Report refuses one without (nothing guesses it later)."""
    error = HelpgenError("message", "file.md", 3, "hint")
    assert (error.message, error.line, error.hint, error.code) == ("message", 3, "hint", None)
    report = Report()
    report.warn("careful", "a.md", 1, "look", code="stale")
    report.error("wrong", "a.md", 2, code="front-matter")
    assert [e.code for e in report.warnings + report.errors] == ["stale", "front-matter"]
    with pytest.raises(TypeError):
        report.error("wrong", "a.md", 2)
    for wrong in (None, "front matter"):
        with pytest.raises(ValueError):
            report.warn("careful", "b.md", 1, code=wrong)
        with pytest.raises(ValueError):
            report.add(HelpgenError("unreadable", "c.md", code=wrong))
    assert len(report.warnings + report.errors) == 2


def test_readme_check_settings_are_valid(tmp_path, cli):
    """The `check:` example in the README's "Checking content" section is accepted."""
    text = (ROOT / "README.md").read_text(encoding="utf-8").split("### Checking content", 1)[1]
    settings = text.split("```yaml\n", 1)[1].split("```", 1)[0]
    assert settings.startswith("check:\n")
    site = write_site(tmp_path / "s", {"helpgen.yml": BASIC_CONFIG + settings,
                                       "articles/billing/refunds/refund.md": article("Refund"),
                                       "articles/billing/refunds/refund.zh-CN.md": article("退款")})
    result = cli("check", site, "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["problems"] == []


def test_every_format_names_a_symbolic_link_as_the_writer_does(cli, site, monkeypatch):
    """A problem at a symbolic link names the link in text, JSON and GitHub output alike, not
    the file it points to."""
    monkeypatch.chdir(site)
    (site / "articles/billing/refunds/gone.md").symlink_to("missing.md")
    shown = {}
    for format in ("text", "json", "github"):
        output = cli("check", ".", "--format", format).output
        shown[format] = "articles/billing/refunds/gone.md" in output, "missing.md" in output
    assert shown == {format: (True, False) for format in ("text", "json", "github")}, shown
