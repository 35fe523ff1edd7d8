"""`helpgen serve` builds an edit of article files from its last build (helpgen/session.py): it
reads the edited files again (for new front matter, or files added, deleted or renamed, it
places the articles again), converts the changed bodies, assembles again the sections that
show the changed articles and makes only the files that changed. Whatever the edit, what it
serves is what a cold build of the same input makes; an edit it cannot follow that way (a
folder's settings, helpgen.yml, an error) is a full build."""

from __future__ import annotations

import subprocess

import pytest

from conftest import BASIC_CONFIG, TWO_BRANDS, article, tree, write_site
from helpgen.commands.serve import LiveServer
from helpgen.content.audience import PUBLIC
from helpgen.session import Session

REFUNDS = "articles/billing/refunds"
CONFIG = BASIC_CONFIG.replace("others: [zh-CN]",
                             "others: [zh-CN, zh-TW]\n  untranslated: show_default")
FILES = {
    "helpgen.yml": CONFIG,
    "articles/billing/_category.yml": "title: {en: Billing, zh-CN: 账单, zh-TW: 帳單}\norder: 1\n",
    f"{REFUNDS}/_section.yml": "title: {en: Refunds, zh-CN: 退款, zh-TW: 退款}\n",
    # No description: each takes the start of its text, which listings show.
    f"{REFUNDS}/request-a-refund.md": article("Request a refund", "Open Billing.", order=1),
    f"{REFUNDS}/request-a-refund.zh-CN.md": article("申请退款", "打开账单。"),
    f"{REFUNDS}/policy.md": article("Refund policy", "Refunds take a week.", order=2,
                                    related="[billing/plans/upgrade.md]"),
    f"{REFUNDS}/timing.md": article("Refund timing", "See [the policy](policy.md).", order=3),
    "articles/billing/plans/_section.yml": "title: Plans\n",
    "articles/billing/plans/upgrade.md": article(
        "Upgrade your plan", "Pick a plan.", related="[billing/refunds/policy.md]"),
    "articles/account/_category.yml": "title: Account\norder: 2\n",
    "articles/account/name.md": article("Change your name", "Open your profile.",
                                        updated="2026-03-01", promoted="true"),
}
POLICY = f"{REFUNDS}/policy.md"
REQUEST = f"{REFUNDS}/request-a-refund.md"
TRANSLATION = f"{REFUNDS}/request-a-refund.zh-CN.md"


class Preview:
    """`helpgen serve`'s builds of a site, each checked against a cold build of its input."""

    def __init__(self, root, cli):
        self.root, self.cli = root, cli
        self.site = write_site(root / "site", FILES)
        self.session = Session(self.site, (root / "live").resolve(), PUBLIC)
        self.colds = 0
        self.result = self.session.build([])
        assert not self.result.report.failed

    def edit(self, written: dict[str, str], deleted=()) -> None:
        write_site(self.site, written)
        for path in deleted:
            (self.site / path).unlink()
        self.result = self.session.build([(self.site / path).resolve()
                                          for path in [*written, *deleted]])

    def matches_a_cold_build(self) -> bool:
        self.colds += 1
        cold = self.root / f"cold-{self.colds}"
        self.cli.build(self.site, "-o", cold, "--no-cache")
        return tree(self.session.out) == tree(cold)

    def warnings(self) -> list[str]:
        return [f"{w.path.relative_to(self.site).as_posix()}: {w.message}"
                for w in self.result.report.warnings]


@pytest.fixture
def preview(tmp_path, cli):
    return Preview(tmp_path, cli)


def test_a_body_edit_is_built_from_the_last_build_as_a_cold_build_would(preview):
    # The original of a translation and of an untranslated copy (zh-TW): its three pages.
    preview.edit({REQUEST: article("Request a refund", "Open Billing, then Refunds.", order=1)})
    assert preview.result.edited == 1
    assert preview.matches_a_cold_build()
    # The description taken from the text changed: the listings that show it did too.
    assert "Open Billing, then Refunds." in (
        preview.session.out / "billing/refunds/index.html").read_text(encoding="utf-8")
    preview.edit({TRANSLATION: article("申请退款", "打开账单，然后退款。")})
    assert preview.result.edited == 1 and preview.matches_a_cold_build()
    # Two files saved at once, one of them named as related by another article.
    preview.edit({POLICY: article("Refund policy", "Refunds take two weeks.", order=2,
                                  related="[billing/plans/upgrade.md]"),
                  "articles/account/name.md": article("Change your name", "Open Settings.",
                                                      updated="2026-03-01", promoted="true")})
    assert preview.result.edited == 2 and preview.matches_a_cold_build()


def test_a_body_edit_renders_only_its_page_when_nothing_else_shows_it(preview):
    text = article("Refund timing", "See [the policy](policy.md) for details.", order=3,
                   description="When refunds arrive.", updated="2026-03-01")
    preview.edit({f"{REFUNDS}/timing.md": text})        # its description and date: now fixed
    preview.edit({f"{REFUNDS}/timing.md": text.replace("for details", "for all details")})
    assert preview.result.edited == 1
    assert preview.result.work["page"] == 3       # its page, and its copies in zh-CN and zh-TW
    assert preview.matches_a_cold_build()


def test_warnings_follow_the_edited_file_and_stay_for_the_others(preview):
    preview.edit({f"{REFUNDS}/timing.md": article("Refund timing", "See [it](gone.md).",
                                                  order=3, tgas="[refunds]")})
    assert preview.result.edited == 1               # new front matter: placed again
    assert preview.warnings() == [
        f"{REFUNDS}/timing.md: unknown front matter key 'tgas'",
        f"{REFUNDS}/timing.md: link to a missing article or file: 'gone.md'"]
    preview.edit({POLICY: article("Refund policy", "See [plans](../plans/nowhere.md).",
                                  order=2, related="[billing/plans/upgrade.md]")})
    assert preview.result.edited == 1
    assert sorted(preview.warnings()) == sorted([
        f"{REFUNDS}/timing.md: unknown front matter key 'tgas'",
        f"{REFUNDS}/timing.md: link to a missing article or file: 'gone.md'",
        f"{POLICY}: link to a missing article or file: '../plans/nowhere.md'"])
    preview.edit({f"{REFUNDS}/timing.md": article("Refund timing", "See [it](policy.md).",
                                                  order=3, tgas="[refunds]")})
    assert preview.result.edited == 1
    assert sorted(preview.warnings()) == sorted([
        f"{REFUNDS}/timing.md: unknown front matter key 'tgas'",
        f"{POLICY}: link to a missing article or file: '../plans/nowhere.md'"])
    assert preview.matches_a_cold_build()


MOVED = "articles/account/policy.md"


@pytest.mark.parametrize("written, deleted", [
    ({POLICY: article("Refund rules", "Refunds take a week.", order=2,
                      related="[billing/plans/upgrade.md]")}, []),              # a title
    ({POLICY: article("Refund policy", "Refunds take a week.", order=5,
                      related="[billing/plans/upgrade.md]")}, []),              # its order
    ({REQUEST: article("Request a refund", "Open Billing.", order=4)}, []),   # translated
    ({POLICY: article("Refund policy", "Refunds take a week.", order=2, slug="rules",
                      aliases="[billing/refund-rules/]")}, []),         # its URL, no related
    ({POLICY: article("Refund policy", "Refunds take a week.", order=2,
                      audience="internal")}, []),                       # now internal
    ({f"{REFUNDS}/new.md": article("New article", "Fresh.", promoted="true"),
      f"{REFUNDS}/new.zh-CN.md": article("新文章", "新的。")}, []),          # added
    ({}, [POLICY]),                                                      # deleted: links break
    ({MOVED: article("Refund policy", "Refunds take a week.", order=2,
                     related="[billing/plans/upgrade.md]")}, [POLICY]),  # to another category
    ({"articles/billing/plans/policy.md": article("Refund policy", "Refunds take a week.",
                                                  order=2)}, [POLICY]),  # to another section
    ({"articles/account/name.md": article("Change your name", "Open your profile.",
                                          updated="2026-03-01")}, []),  # no longer promoted
])
def test_an_edit_of_front_matter_or_of_files_is_built_from_the_last_build(preview, written,
                                                                          deleted):
    preview.edit(written, deleted)
    assert preview.result.edited == len(written) + len(deleted)
    assert preview.matches_a_cold_build()
    # And the edits after it build from it.
    preview.edit({REQUEST: article("Request a refund", "Open Billing now.", order=1)})
    assert preview.result.edited == 1 and preview.matches_a_cold_build()


def test_a_title_edit_renders_the_pages_that_show_the_title_and_no_others(preview):
    preview.edit({"articles/account/name.md": article(
        "Change your name", "Open your profile.", updated="2026-03-01", promoted="true",
        aliases="[profile/name/]")})
    pages = preview.result.pages
    preview.edit({"articles/account/name.md": article(
        "Change your full name", "Open your profile.", updated="2026-03-01", promoted="true",
        aliases="[profile/name/]")})
    assert preview.result.edited == 1 and preview.matches_a_cold_build()
    rendered = preview.result.work["page"]
    # Its page, its category's, and the home page that promotes it, in three locales; not the
    # billing pages.
    assert 9 <= rendered < pages / 2
    for page in ("index.html", "profile/name/index.html"):      # the alias's redirect too
        assert "Change your full name" in (preview.session.out / page).read_text(
            encoding="utf-8")


@pytest.mark.parametrize("written, deleted", [
    ({"articles/billing/_category.yml": "title: Money\norder: 1\n"}, []),      # a folder's
    ({"helpgen.yml": CONFIG.replace("Acme Help", "Acme Support")}, []),         # settings
    ({"articles/billing/new/fresh.md": article("Fresh", "New.")}, []),          # a new folder
])
def test_an_edit_of_folders_or_settings_is_a_full_build(preview, written, deleted):
    preview.edit(written, deleted)
    assert preview.result.edited == 0
    assert preview.matches_a_cold_build()
    preview.edit({REQUEST: article("Request a refund", "Open Billing now.", order=1)})
    assert preview.result.edited == 1                # and the next edit builds from it
    assert preview.matches_a_cold_build()


def test_after_an_error_the_next_build_is_a_full_build(preview):
    preview.edit({POLICY: "---\ntitle: Refund policy\norder: [2\n---\n\nText.\n"})
    assert preview.result.report.failed
    preview.edit({REQUEST: article("Request a refund", "Open Billing now.", order=1)})
    assert preview.result.report.failed             # the broken file is still broken
    preview.edit({POLICY: article("Refund policy", "Refunds take a week.", order=2,
                                  related="[billing/plans/upgrade.md]")})
    assert not preview.result.report.failed and preview.result.edited == 0
    assert preview.matches_a_cold_build()


def test_an_edit_of_an_original_outdates_its_translation_as_in_a_cold_build(preview, cli):
    """The translation's page shows the notice once its original changed (pinned here with
    `helpgen translations --pin`; in git, by the original's uncommitted edit)."""
    assert cli("translations", preview.site, "--pin").exit_code == 0
    preview.edit({TRANSLATION: (preview.site / TRANSLATION).read_text(encoding="utf-8")})
    page = preview.session.out / "zh-CN/billing/refunds/request-a-refund/index.html"
    assert "outdated-notice" not in page.read_text(encoding="utf-8")
    preview.edit({REQUEST: article("Request a refund", "Open Billing, then ask.", order=1)})
    assert preview.result.edited == 1
    assert "outdated-notice" in page.read_text(encoding="utf-8")
    assert preview.matches_a_cold_build()


def test_in_git_an_uncommitted_edit_of_an_original_outdates_its_translation(preview):
    """Even in a repository made after the preview started (git's history is read again)."""
    site = preview.site
    for command in (["init", "-q"], ["add", "-A"],
                    ["-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qm",
                     "first"]):
        subprocess.run(["git", *command], cwd=site, check=True)
    preview.edit({POLICY: article("Refund policy", "Refunds take a week or so.", order=2,
                                  related="[billing/plans/upgrade.md]")})
    assert preview.matches_a_cold_build()
    preview.edit({REQUEST: article("Request a refund", "Open Billing, then ask.", order=1)})
    page = preview.session.out / "zh-CN/billing/refunds/request-a-refund/index.html"
    assert "outdated-notice" in page.read_text(encoding="utf-8")
    assert preview.matches_a_cold_build()


def test_an_edit_of_an_article_two_brands_show_updates_both(tmp_path, cli):
    site = write_site(tmp_path / "site", {
        "helpgen.yml": TWO_BRANDS,
        "articles/devices/_category.yml": "title: {en: Devices, zh-CN: 设备}\n",
        "articles/devices/pair.md": article("Pair a device", "Hold the button."),
        "articles/devices/pair.zh-CN.md": article("配对设备", "按住按钮。"),
        "articles/devices/reset.md": article("Reset a device", "Unplug it."),
        "articles/billing/_category.yml": "title: Billing\n",
        "articles/billing/refund.md": article("Get a refund", "Write to us.")})
    session = Session(site, (tmp_path / "live").resolve(), PUBLIC)
    assert not session.build([]).report.failed
    for path, text in (("articles/devices/pair.md", article("Pair a device", "Hold it down.")),
                       ("articles/billing/refund.md", article("Get a refund", "Call us."))):
        write_site(site, {path: text})
        assert session.build([(site / path).resolve()]).edited == 1
        cli.build(site, "-o", tmp_path / path, "--no-cache")
        assert tree(session.out) == tree(tmp_path / path)
    assert "Hold it down." in (session.out / "bolt/devices/pair/index.html").read_text(
        encoding="utf-8")


def test_the_preview_serves_an_edit_built_from_its_last_build(tmp_path, cli):
    """Through `helpgen serve` itself: the save is watched, the page reloads with the edit, the
    terminal says the build started from the last one, and the served folder is a cold build."""
    site = write_site(tmp_path / "site", FILES)
    said = []
    server = LiveServer(site, "127.0.0.1", 0, echo=lambda message="", **_: said.append(message))
    server.start()
    events = server.hub.subscribe()
    try:
        write_site(site, {POLICY: article("Refund policy", "Refunds take nine days.", order=2,
                                          related="[billing/plans/upgrade.md]")})
        while True:
            event = events.get(timeout=60)
            if b"event: reload" in event or b"event: error" in event:
                break
        assert b"event: reload" in event
        assert "Refunds take nine days." in (
            server.out / "billing/refunds/policy/index.html").read_text(encoding="utf-8")
        assert any("from the last build (1 article file changed)" in line for line in said)
        cli.build(site, "-o", tmp_path / "cold", "--no-cache")
        assert tree(server.out) == tree(tmp_path / "cold")
    finally:
        server.stop()


def test_an_article_replaced_by_a_link_to_a_file_outside_the_site_is_not_read(preview,
                                                                              tmp_path):
    secret = tmp_path / "secret.md"
    secret.write_text(article("Secret", "The password is hunter2."), encoding="utf-8")
    for path in (POLICY, f"{REFUNDS}/linked.md"):      # an article's file, and a new one
        link = preview.site.resolve() / path
        link.unlink(missing_ok=True)
        link.symlink_to(secret)
        preview.result = preview.session.build([link])
        assert preview.result.report.failed
        assert any("outside" in error.message for error in preview.result.report.errors)
        assert not any("hunter2" in file.read_text(encoding="utf-8", errors="replace")
                       for file in preview.session.out.rglob("*") if file.is_file())
        link.unlink()
