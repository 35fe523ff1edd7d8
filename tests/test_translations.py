"""Translations that fall behind their original: `helpgen check`'s outdated-translation, the
notice readers see, and `helpgen translations` (status page, JSON, GitHub annotations, --pin).

Git tests make real repositories with real commits in tmp_path."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import article, write_site

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

ORIGINAL = "articles/billing/refunds/request-a-refund.md"
TRANSLATION = "articles/billing/refunds/request-a-refund.zh-CN.md"
PAGE = "site/zh-CN/billing/refunds/request-a-refund/index.html"


def git(site: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=Writer", "-c", "user.email=w@example.com",
                           *args], cwd=site, check=True, capture_output=True, text=True).stdout


def committed(site: Path) -> Path:
    """The site as a repository with everything committed."""
    git(site, "init", "-q")
    git(site, "add", ".")
    git(site, "commit", "-q", "-m", "First")
    return site


def edit(site: Path, relative: str, sentence: str = "A new paragraph.") -> None:
    with open(site / relative, "a", encoding="utf-8") as file:
        file.write(f"\n{sentence}\n")


def outdated(cli, site: Path) -> list[str]:
    result = cli("check", site)
    return [line for line in result.stdout.splitlines() if "[outdated-translation]" in line]


@needs_git
def test_an_original_changed_in_a_later_commit_makes_its_translation_outdated(site, cli):
    committed(site)
    assert outdated(cli, site) == []
    edit(site, ORIGINAL)
    git(site, "commit", "-q", "-am", "Refunds take 5 days now")
    assert outdated(cli, site) == [
        f"{TRANSLATION}:2: warning: out of date: request-a-refund.md changed after this "
        "translation [outdated-translation]"]
    first = git(site, "rev-list", "--max-parents=0", "HEAD").strip()
    hint = cli("check", site).stdout.split(f"{TRANSLATION}:2:")[1].splitlines()[1]
    assert f"git diff {first[:10]} -- request-a-refund.md" in hint
    edit(site, TRANSLATION, "新的段落。")                       # translated again
    git(site, "commit", "-q", "-am", "Translate the change")
    assert outdated(cli, site) == []


@needs_git
def test_a_commit_marked_translation_not_needed_does_not_count(site, cli):
    committed(site)
    edit(site, ORIGINAL, "Fix a typo.")
    git(site, "commit", "-q", "-am", "Fix a typo\n\nTranslation: not-needed")
    assert outdated(cli, site) == []
    edit(site, ORIGINAL)                          # a later change without it counts again
    git(site, "commit", "-q", "-am", "New paragraph")
    assert len(outdated(cli, site)) == 1


@needs_git
def test_an_uncommitted_edit_to_the_original_counts(site, cli):
    committed(site)
    edit(site, ORIGINAL)
    assert len(outdated(cli, site)) == 1
    git(site, "checkout", "-q", "--", ORIGINAL)
    assert outdated(cli, site) == []


@needs_git
def test_a_translation_committed_after_its_original_is_current(site, cli):
    git(site, "init", "-q")
    git(site, "add", "helpgen.yml", "articles/billing/_category.yml", ORIGINAL)
    git(site, "commit", "-q", "-m", "English first")
    git(site, "add", ".")
    git(site, "commit", "-q", "-m", "Then the translation")
    assert outdated(cli, site) == []


def test_without_git_a_pin_says_what_the_translation_was_made_from(site, cli):
    assert outdated(cli, site) == []              # nothing tells: taken as current
    result = cli("translations", site, "--pin")
    assert result.exit_code == 0, result.output
    assert "Pinned 1 translation" in result.stdout
    pinned = (site / TRANSLATION).read_text(encoding="utf-8")
    assert re.search(r'^translated_from: "[0-9a-f]{12}"$', pinned, re.M)
    assert outdated(cli, site) == []
    edit(site, ORIGINAL)
    found = cli("check", site).stdout
    assert f"{TRANSLATION}:3: warning: out of date: request-a-refund.md changed since this " \
           "translation was made" in found
    new = re.search(r'set  (translated_from: "[0-9a-f]{12}")', found).group(1)
    (site / TRANSLATION).write_text(re.sub(r"^translated_from: .*$", new, pinned, flags=re.M),
                                    encoding="utf-8")
    assert outdated(cli, site) == []
    # The original's order or tags are not what translators translate.
    (site / ORIGINAL).write_text((site / ORIGINAL).read_text().replace("order: 1", "order: 3"))
    assert outdated(cli, site) == []


@needs_git
def test_a_pin_wins_over_git_and_git_missing_leaves_pins_working(site, cli, monkeypatch):
    committed(site)
    cli("translations", site, "--pin")
    git(site, "commit", "-q", "-am", "Pin")
    edit(site, ORIGINAL.replace("request-a-refund", "policy"))   # another article
    git(site, "commit", "-q", "-am", "Elsewhere")
    assert outdated(cli, site) == []
    edit(site, ORIGINAL)
    git(site, "commit", "-q", "-am", "Change")
    assert len(outdated(cli, site)) == 1
    monkeypatch.setenv("PATH", "")                # no git at all: the pin alone tells
    assert len(outdated(cli, site)) == 1


@needs_git
def test_readers_of_an_outdated_translation_are_told_and_led_to_the_original(site, cli):
    write_site(site, {"articles/billing/refunds/policy.zh-CN.md": article("退款政策")})
    committed(site)
    cli.build(site)
    assert "outdated-notice" not in (site / PAGE).read_text()
    edit(site, ORIGINAL)
    git(site, "commit", "-q", "-am", "Change")
    cli.build(site)                               # the commit is noticed: a real build
    page = (site / PAGE).read_text()
    notice = re.search(r'<p class="outdated-notice" role="note">(.*?)</p>', page).group(1)
    assert notice == ('本译文可能已过时。 <a href="../../../../billing/refunds/request-a-refund/" '
                      'hreflang="en">阅读原文（English）</a>')
    assert "outdated-notice" not in (site / "site/billing/refunds/request-a-refund/index.html"
                                     ).read_text()
    assert "outdated-notice" not in (site / "site/zh-CN/billing/refunds/policy/index.html"
                                     ).read_text()
    (site / "helpgen.yml").write_text((site / "helpgen.yml").read_text()
                                      + "translations:\n  outdated_notice: false\n")
    cli.build(site)
    assert "outdated-notice" not in (site / PAGE).read_text()


@pytest.mark.parametrize("theme, locale, notice", [
    ("default", "zh-TW", "本譯文可能已過時。"),
    ("docs", "ja", "この翻訳は最新ではない可能性があります。"),
    ("docs", "zh-CN", "本译文可能已过时。")])
def test_the_notice_is_in_each_locale_and_theme(site, cli, theme, locale, notice):
    (site / TRANSLATION).unlink()
    write_site(site, {
        "helpgen.yml": f"locales: {{default: en, others: [{locale}]}}\ntheme: {{name: {theme}}}\n",
        TRANSLATION.replace("zh-CN", locale): article("Traduit", translated_from='"0"'),
    })
    cli.build(site)
    page = (site / PAGE.replace("zh-CN", locale)).read_text()
    assert f'<p class="outdated-notice" role="note">{notice} <a href=' in page


@needs_git
def test_the_status_page_lists_each_locales_current_outdated_and_missing(site, cli, tmp_path):
    write_site(site, {"helpgen.yml": "site: {title: {en: Acme Help, zh-CN: Acme 帮助中心}}\n"
                                     "locales: {default: zh-CN, others: [en, zh-TW]}\n"})
    os.rename(site / ORIGINAL, site / ORIGINAL.replace(".md", ".en.md"))
    os.rename(site / TRANSLATION, site / ORIGINAL)
    write_site(site, {"articles/billing/refunds/policy.zh-TW.md": article("退款政策")})
    committed(site)
    git(site, "remote", "add", "origin", "https://user:secret@github.com/acme/help.git")
    original = "articles/billing/refunds/request-a-refund.md"        # now zh-CN, the default
    edit(site, original, "新的段落。")
    git(site, "commit", "-q", "-am", "Change")
    first, head = git(site, "rev-list", "--reverse", "HEAD").split()
    out = tmp_path / "status"
    result = cli("translations", site, "-o", out)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:4] == [
        "en: 0 up to date, 1 out of date, 1 missing",
        "  out of date: articles/billing/refunds/request-a-refund.en.md",
        "  missing: articles/billing/refunds/policy.en.md",
        "zh-TW: 1 up to date, 0 out of date, 1 missing"]
    doc = json.loads((out / "status.json").read_text(encoding="utf-8"))
    assert doc["site"] == "Acme 帮助中心" and doc["default_locale"] == "zh-CN"
    assert doc["articles"] == 2 and doc["commit"] == head
    en = doc["locales"]["en"]
    assert en["counts"] == {"translated": 0, "outdated": 1, "missing": 1}
    stale = en["outdated"][0]
    blob = f"https://github.com/acme/help/blob/{head}/"
    assert stale["path"] == "articles/billing/refunds/request-a-refund.en.md"
    assert stale["url"] == blob + stale["path"]
    assert stale["original"] == {"title": "申请退款", "path": original,
                                 "url": blob + original}
    assert stale["since"] == first
    assert stale["diff_url"] == f"https://github.com/acme/help/compare/{first}...{head}"
    assert stale["diff_command"] == f"git diff {first} -- {original}"
    assert en["missing"] == [{"title": "Refund policy",
                              "expected": "articles/billing/refunds/policy.en.md",
                              "original": {"path": "articles/billing/refunds/policy.md",
                                           "url": blob + "articles/billing/refunds/policy.md"}}]
    assert doc["locales"]["zh-TW"]["translated"][0]["title"] == "退款政策"
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "<title>Translation status – Acme 帮助中心</title>" in page
    assert '<html lang="en">' in page and "secret" not in page + json.dumps(doc)
    assert f'href="https://github.com/acme/help/compare/{first}...{head}"' in page
    assert not re.search(r"<(script|link|img)\b|\bsrc=|url\(", page)   # no requests
    assert '<li lang="zh-TW">退款政策 – ' in page
    assert json.loads(cli("translations", site, "--format", "json").stdout) == doc


def test_without_a_repository_the_status_page_links_files_by_path(site, cli, tmp_path):
    out = tmp_path / "report"
    edit(site, TRANSLATION)
    result = cli("translations", site, "-o", out)
    assert result.exit_code == 0, result.output
    doc = json.loads((out / "status.json").read_text(encoding="utf-8"))
    item = doc["locales"]["zh-CN"]["translated"][0]
    assert item["url"] == f"../site/{TRANSLATION}" and item["known_by"] is None
    assert doc["commit"] is None
    page = (out / "index.html").read_text(encoding="utf-8")
    assert f'<a href="../site/{TRANSLATION}">{TRANSLATION}</a>' in page
    assert '<li lang="zh-CN">申请退款 – ' in page


@needs_git
def test_github_annotations_and_exit_codes_follow_check(site, cli, monkeypatch):
    committed(site)
    edit(site, ORIGINAL)
    git(site, "commit", "-q", "-am", "Change")
    monkeypatch.chdir(site)
    result = cli("translations", "--format", "github")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == ("::warning file=articles/billing/refunds/policy.md,line=2,"
                        "title=missing-translation::no translation for zh-CN%0Ahint: add "
                        "policy.zh-CN.md beside it")
    assert lines[1].startswith(f"::warning file={TRANSLATION},line=2,title=outdated-translation"
                               "::out of date: request-a-refund.md changed after this "
                               "translation%0Ahint: see what changed with  git diff ")
    assert len(lines) == 2 and cli("check", ".", "--format", "github").stdout.splitlines() == lines
    assert cli("translations", "--strict").exit_code == 1
    (site / "helpgen.yml").write_text((site / "helpgen.yml").read_text()
                                      + "check:\n  errors: [outdated-translation]\n")
    errors = cli("translations", "--format", "github")
    assert errors.exit_code == 1 and errors.stdout.splitlines()[1].startswith(
        f"::error file={TRANSLATION},line=2,title=outdated-translation::")
    assert cli("check", ".").exit_code == 1


@needs_git
def test_a_build_with_nothing_changed_notices_a_commit_that_outdates_a_translation(site, cli,
                                                                                    settled):
    committed(site)
    cli.build(site)
    assert cli.build(site) is None                # nothing changed: no build
    edit(site, ORIGINAL)
    cli.build(site)
    git(site, "commit", "-q", "-am", "Change")
    cli.build(site)                               # the commit changes no file: still noticed
    assert "outdated-notice" in (site / PAGE).read_text()
    git(site, "commit", "-q", "--amend", "-m", "Change\n\nTranslation: not-needed")
    cli.build(site)
    assert "outdated-notice" not in (site / PAGE).read_text()
    assert cli.build(site) is None
