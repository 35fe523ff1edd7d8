"""Hostile and messy settings and front matter: YAML that would exhaust the machine, secrets in
published URLs, one mistake reported as many, locale codes, and what `helpgen new` makes."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time

import pytest

from conftest import BASIC_CONFIG, ROOT, article, problems, write_site

REFUNDS = "articles/billing/refunds"
POLICY = f"{REFUNDS}/policy.md"


# --- YAML that would exhaust the machine ------------------------------------------------------


def billion_laughs() -> str:
    """Nine levels of nine aliases: 9**9 (387 million) strings once expanded."""
    lines = ['lol0: &lol0 "lol"']
    lines += [f"lol{level}: &lol{level} [" + ", ".join([f"*lol{level - 1}"] * 9) + "]"
              for level in range(1, 10)]
    return "\n".join(lines) + "\n"


def _limit_memory():
    gib = 1 << 30
    resource.setrlimit(resource.RLIMIT_AS, (gib, gib))


def run_helpgen(*args) -> subprocess.CompletedProcess:
    """`python -m helpgen ARGS` in a process that may use at most 1 GiB and 30 seconds."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "helpgen", *map(str, args)], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=30,
                          preexec_fn=_limit_memory)


def front_matter(yaml_text: str) -> str:
    return "---\ntitle: Refund policy\n" + yaml_text + "---\n\nText.\n"


BOMBS = {
    "front matter": (POLICY, front_matter(billion_laughs()), 3),
    "category file": ("articles/billing/_category.yml", "title: Billing\n" + billion_laughs(), 2),
    "section file": (f"{REFUNDS}/_section.yml", billion_laughs(), 1),
    "settings": ("helpgen.yml", BASIC_CONFIG + billion_laughs(), 7),
}


@pytest.mark.parametrize("command", ["build", "check"])
@pytest.mark.parametrize("where", BOMBS)
def test_an_alias_bomb_is_refused_at_its_first_anchor(site, command, where):
    relative, text, line = BOMBS[where]
    write_site(site, {relative: text})
    result = run_helpgen(command, site)
    output = result.stdout + result.stderr      # check prints its findings on stdout
    assert result.returncode == 1, output
    assert "Traceback" not in output and "internal error" not in output
    found = [p for p in problems(output) if p.severity == "error"]
    assert [p.where for p in found] == [f"{relative}:{line}"], output
    assert "anchors and aliases" in found[0].message and "write the value out" in found[0].hint


def test_a_bomb_in_the_themes_ui_strings_is_refused(site):
    """A custom_dir's i18n/<locale>.yml is the writer's file too."""
    write_site(site, {"helpgen.yml": BASIC_CONFIG + "theme: {custom_dir: overrides}\n",
                      "overrides/i18n/en.yml": billion_laughs()})
    result = run_helpgen("build", site)
    assert result.returncode == 1, result.stderr
    assert "overrides/i18n/en.yml:1: error: YAML anchors and aliases" in result.stderr


@pytest.mark.parametrize("value, line, message", [
    ("[" * 100_000 + "]" * 100_000, 3, "nested more than 64 levels"),
    ("\n" + "".join(" " * level + "- x\n" for level in range(1, 200)).replace("- x\n", "-\n", 198),
     67, "nested more than 64 levels"),
    ("1" * 5000, 3, "'tags' cannot be read"),
])
def test_yaml_too_deep_or_too_large_is_an_error_at_its_line(cli, site, value, line, message):
    write_site(site, {POLICY: front_matter(f"tags: {value}\n")})
    result = cli("build", site)
    assert result.exit_code == 1
    assert f"{POLICY}:{line}: error: " in result.stderr and message in result.stderr, \
        result.stderr
    assert "hint: " in result.stderr


def test_a_control_character_in_front_matter_is_an_error_at_its_line(cli, site):
    write_site(site, {POLICY: front_matter("description: a\x01b\n")})
    result = cli("build", site)
    assert result.exit_code == 1
    assert f"{POLICY}:3: error: the character U+0001 is not allowed" in result.stderr


# --- One mistake, one error -------------------------------------------------------------------


def errors_of(result) -> list:
    return [p for p in problems(result.stderr) if p.severity == "error"]


@pytest.mark.parametrize("config, where, message", [
    (BASIC_CONFIG.replace("locales:", "brand: {name: Acme}\nlocales:")
     + "brand: {name: Acme 2}\n", "helpgen.yml:8", "duplicate key 'brand'"),
    (BASIC_CONFIG.replace("others: [zh-CN]", "others: [en, zh-CN]"), "helpgen.yml:6",
     "a locale is listed twice"),
    (BASIC_CONFIG.replace("others: [zh-CN]", "others: [zh-CN, zh-cn]"), "helpgen.yml:6",
     "a locale is listed twice"),
    (BASIC_CONFIG.replace("others: [zh-CN]", "others: zh-CN"), "helpgen.yml:6",
     "'locales.others' must be a list of strings"),
])
def test_a_settings_mistake_is_reported_once(cli, site, config, where, message):
    """Not again as "'zh-CN' is not one of this site's locales" for every translation, nor as
    folders that clash with themselves."""
    write_site(site, {"helpgen.yml": config})
    result = cli("build", site)
    assert [(p.where, message in p.message) for p in errors_of(result)] == [(where, True)], \
        result.stderr


# --- Locale codes -----------------------------------------------------------------------------


@pytest.mark.parametrize("name, meant", [("zh_cn", "'zh-CN'"), ("xx-INVALID", None),
                                         ("ZH-CN", "'zh-CN'")])
def test_a_file_suffix_that_is_almost_a_locale_is_a_warning(cli, site, name, meant):
    relative = f"{REFUNDS}/policy.{name}.md"
    write_site(site, {relative: article("退款政策")})
    result = cli("build", site)
    assert result.exit_code == 0, result.stderr
    [warning] = [p for p in problems(result.stderr) if p.severity == "warning"]
    assert warning.where == relative and f"'{name}' is not a locale code" in warning.message
    assert (f"did you mean {meant}? Rename the file policy.zh-CN.md" if meant
            else "a translation is named <name>.<locale>.md") in warning.hint
    assert "en, zh-CN" in warning.hint
    assert cli("build", site, "--strict").exit_code == 1
    checked = cli("check", site, "--format", "json")
    assert '"code": "structure"' in checked.stdout and name in checked.stdout


def test_dotted_names_that_are_no_locale_attempt_are_articles(cli, site):
    write_site(site, {f"{REFUNDS}/v1.2.md": article("Version 1.2"),
                      f"{REFUNDS}/notes.draft.md": article("Draft notes")})
    result = cli("build", site, "--strict")
    assert result.exit_code == 0, result.stderr
    assert (site / "site/billing/refunds/notes-draft/index.html").is_file()


def test_one_locale_rule_for_settings_and_file_names(cli, site):
    """es-419 (a region of 3 digits) and zh-Hant-TW (a script) are locales everywhere."""
    write_site(site, {f"{REFUNDS}/policy.es-419.md": article("Política de reembolso")})
    result = cli("build", site)
    assert result.exit_code == 1
    assert f"{REFUNDS}/policy.es-419.md: error: 'es-419' is not one of this site's locales" \
        in result.stderr
    write_site(site, {"helpgen.yml": BASIC_CONFIG.replace("[zh-CN]", "[zh-CN, es-419, zh-Hant-TW]"),
                      f"{REFUNDS}/policy.zh-Hant-TW.md": article("退款政策")})
    result = cli("build", site)
    assert result.exit_code == 0, result.stderr
    assert "Política de reembolso" in (
        site / "site/es-419/billing/refunds/policy/index.html").read_text(encoding="utf-8")
    assert (site / "site/zh-Hant-TW/billing/refunds/policy/index.html").is_file()


def test_a_settings_locale_in_another_spelling_names_the_right_one(cli, site):
    write_site(site, {"helpgen.yml": BASIC_CONFIG.replace("[zh-CN]", "[zh_CN]")})
    result = cli("build", site)
    error = next(p for p in errors_of(result) if p.where == "helpgen.yml:6")
    assert "'zh_CN' is not a locale code" in error.message
    assert "did you mean 'zh-CN'?" in error.hint


def test_a_locale_without_ui_strings_in_the_theme_is_a_warning(cli, site):
    write_site(site, {"helpgen.yml": BASIC_CONFIG.replace("[zh-CN]", "[zh-CN, fr]")})
    result = cli("build", site)
    assert result.exit_code == 0, result.stderr
    [warning] = [p for p in problems(result.stderr) if p.severity == "warning"]
    assert warning.where == "helpgen.yml:6"
    assert "the theme has no UI strings for 'fr'" in warning.message
    assert "overrides/i18n/fr.yml" in warning.hint and "theme.custom_dir" in warning.hint
    write_site(site, {"helpgen.yml": BASIC_CONFIG.replace("[zh-CN]", "[zh-CN, fr]")
                      + "theme: {custom_dir: overrides}\n",
                      "overrides/i18n/fr.yml": "search_placeholder: Rechercher\n"})
    assert cli("build", site, "--strict").exit_code == 0


# --- Secrets in published URLs ----------------------------------------------------------------

JWT = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl"


@pytest.mark.parametrize("setting, url, found", [
    ("contact:\n  endpoint: {url}\n", "https://forms.example.com/t?key=abc", "'key'"),
    ("contact:\n  endpoint: {url}\n", "https://forms.example.com/t?sig=abc", "'sig'"),
    ("contact:\n  endpoint: {url}\n", "https://forms.example.com/t?code=abc", "'code'"),
    ("contact:\n  endpoint: {url}\n", "https://forms.example.com/t#token=abc", "'token'"),
    ("contact:\n  endpoint: {url}\n", "https://forms.example.com/t?X-Amz-Signature=abc",
     "'X-Amz-Signature'"),
    ("contact:\n  endpoint: {url}\n", "https://forms.example.com/t?clientSecret=abc",
     "'clientSecret'"),
    ("contact:\n  endpoint: {url}\n", "https://bot:s3cret@forms.example.com/t", "password"),
    ("feedback:\n  endpoint: {url}\n", f"https://x.example/f?state={JWT}", "looks like a key"),
    ("analytics:\n  endpoint: {url}\n", "https://x.example/a?id=wJalrXUtnFEMI7K7MDENGbPxRfiCY9",
     "looks like a key"),
    ("brand:\n  banner: {{text: Hi, url: '{url}'}}\n", "https://x.example/?access_token=1",
     "'access_token'"),
    ("brand:\n  footer_links:\n    - {{title: Map, url: '{url}'}}\n",
     "https://maps.example.com/?apiKey=1", "'apiKey'"),
])
def test_a_credential_in_a_published_url_is_one_error(cli, tmp_path, setting, url, found):
    site = write_site(tmp_path / "s", {"helpgen.yml": setting.format(url=url),
                                       POLICY: article("Refund policy")})
    result = cli("build", site)
    [error] = errors_of(result)
    assert error.where == f"helpgen.yml:{setting.count(chr(10))}", result.stderr
    assert "carries credentials" in error.message and found in error.message
    assert "every visitor" in error.message and "keep secrets on the backend's side" in error.hint
    assert not (site / "site").exists()


@pytest.mark.parametrize("url", [
    "https://forms.example.com/f/abc123?ref=help-center-footer",
    "https://x.example/t?country_code=US&lang=en&page=2",
    "https://x.example/t?utm_campaign=spring_sale_2026_newsletter#section-2",
    "/api/contact?keyword=refund",
])
def test_ordinary_parameters_are_no_credentials(cli, tmp_path, url):
    site = write_site(tmp_path / "s", {"helpgen.yml": f"contact:\n  endpoint: '{url}'\n",
                                       POLICY: article("Refund policy")})
    result = cli("build", site, "--strict")
    assert result.exit_code == 0, result.stderr
    assert url.replace("&", "&amp;") in (site / "site/contact/index.html").read_text("utf-8")


def test_a_secret_in_a_brands_contact_section_is_reported(cli, site):
    write_site(site, {"helpgen.yml": BASIC_CONFIG + "brands:\n  - id: acme\n    contact:\n"
                      "      endpoint: https://forms.example.com/t\n      api_key: abc\n"})
    [error] = errors_of(cli("build", site))
    assert error.where == "helpgen.yml:11"
    assert "'brands.0.contact.api_key' looks like a secret" in error.message


# --- Links that leave the site or run code ----------------------------------------------------


@pytest.mark.parametrize("setting", [
    "brand:\n  header_links:\n    - {{title: X, url: '{url}'}}\n",
    "brand:\n  footer_links:\n    - {{title: X, url: '{url}'}}\n",
    "brand:\n  banner: {{text: Hi, url: '{url}'}}\n",
    "contact:\n  endpoint: '{url}'\n",
    "feedback:\n  endpoint: '{url}'\n",
    "site:\n  url: '{url}'\n",
    "brands:\n  - {{id: acme, url: '{url}'}}\n",
])
@pytest.mark.parametrize("url, message, hint", [
    ("//evil.example.com/x", "names another host without saying its scheme",
     "https://evil.example.com/x"),
    ("/\\evil.example.com/x", "names another host without saying its scheme",
     "https://evil.example.com/x"),
    ("javascript:alert(1)", "is not a link helpgen can publish", "https:"),
    ("JaVaScRiPt:alert(1)", "is not a link helpgen can publish", "https:"),
    ("data:text/html,<script>alert(1)</script>", "is not a link helpgen can publish", "https:"),
    ("vbscript:msgbox(1)", "is not a link helpgen can publish", "https:"),
    ("https://", "names no host", "https://help.example.com/"),
])
def test_every_link_setting_refuses_hostless_and_script_urls(cli, tmp_path, setting, url,
                                                             message, hint):
    site = write_site(tmp_path / "s", {"helpgen.yml": setting.format(url=url),
                                       POLICY: article("Refund policy")})
    result = cli("build", site)
    [error] = errors_of(result)
    assert error.where == f"helpgen.yml:{setting.count(chr(10))}", result.stderr
    assert f"'{url}' {message}" in error.message and hint in error.hint
    assert not (site / "site").exists()


# --- The starter ------------------------------------------------------------------------------


def test_the_starter_passes_strict_check_and_build(cli, tmp_path):
    started = time.time()
    starter = tmp_path / "my-help"
    assert cli("new", starter).exit_code == 0
    checked = cli("check", starter, "--strict")
    assert checked.exit_code == 0, checked.stdout + checked.stderr
    assert "No problems found" in checked.stdout
    built = cli("build", starter, "--strict")
    assert built.exit_code == 0, built.stderr
    assert not built.stderr
    # Its articles are dated the day they were created, not the day helpgen was installed: they
    # would be stale a year later (`check` measures `updated`, a file's time without git).
    articles = list((starter / "articles").rglob("*.md"))
    assert articles and all(path.stat().st_mtime >= started - 1 for path in articles)


# --- Messages name the site's own paths -------------------------------------------------------


def test_settings_messages_name_site_relative_paths(cli, site, tmp_path, monkeypatch):
    write_site(site, {"helpgen.yml": BASIC_CONFIG.replace("[zh-CN]", "[zh-CN, fr]") + """\
brand:
  logo: logo.png
  fonts:
    files:
      - {family: Inter, file: assets/none.woff2}
theme:
  custom_dir: overrides
"""})
    result = cli("build", site)
    assert result.exit_code == 1
    assert "the site's assets/ folder" in result.stderr and "overrides/" in result.stderr
    assert str(tmp_path) not in result.stderr, result.stderr
    monkeypatch.chdir(tmp_path)
    result = cli("build", tmp_path / "nowhere")
    assert "no helpgen.yml in the site folder" in result.stderr
    assert str(tmp_path) not in result.stderr, result.stderr
