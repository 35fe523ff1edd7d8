"""`helpgen import gitbook`: a GitBook space (SUMMARY.md, .gitbook/assets, GitBook blocks)
becomes a site that builds with --strict, keeps its old URLs, and has no `{%` left."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import yaml
from conftest import CORPORA, built, copy_tree, write_site

PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f9d0000000049454e44ae426082")

SPACE = {
    "SUMMARY.md": """\
        # Table of contents

        * [Welcome](README.md)

        ## Getting started

        * [Install](getting-started/install.md)
        * [Setup](getting-started/setup/README.md)
          * [On Linux](getting-started/setup/linux.md)
            * [Deep page](getting-started/setup/deep.md)
        * [GitHub](https://github.com/example)

        ## Reference

        * [API](reference/api.md)
        """,
    "README.md": "# Welcome\n\nStart with [installing](getting-started/install.md).\n",
    "getting-started/install.md": """\
        ---
        description: Install the app.
        layout: wide
        ---

        # Install

        {% hint style="warning" %}
        Back up first. See [setup](setup/README.md#before).
        {% endhint %}

        {% tabs %}
        {% tab title="Windows" %}
        ![Installer](<../.gitbook/assets/installer (1).png>)
        {% endtab %}

        {% tab title="macOS" %}
        <figure><img src="../.gitbook/assets/mac.png" alt="Mac"><figcaption></figcaption></figure>
        {% endtab %}
        {% endtabs %}

        {% file src="../.gitbook/assets/notes.txt" %}

        {% embed url="https://www.youtube.com/watch?v=abc" %}
        A video
        {% endembed %}

        ```text
        {% hint style="info" %}
        shown as written
        {% endhint %}
        ```
        """,
    "getting-started/setup/README.md": "# Setup\n\n## Before\n\nText.\n",
    "getting-started/setup/linux.md": "# On Linux\n\n[Deep](deep.md)\n",
    "getting-started/setup/deep.md": "# Deep page\n\nDeep.\n",
    "reference/api.md": "# API\n\n[Evil](javascript:alert(1))\n",
    "reference/orphan.md": "# Orphan\n\nNot in the summary.\n",
    ".gitbook/assets/notes.txt": "notes\n",
    ".gitbook.yaml": "redirects:\n  old/install-guide: getting-started/install.md\n",
}


def make_space(root: Path) -> Path:
    write_site(root, SPACE)
    (root / ".gitbook/assets/installer (1).png").write_bytes(PNG)
    (root / ".gitbook/assets/mac.png").write_bytes(PNG)
    return root


def built_pages(out: Path) -> dict[str, str]:
    return {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8")
            for p in out.rglob("*.html")}


def test_gitbook_import_builds_with_its_nav_assets_blocks_and_old_urls(cli, tmp_path):
    space = make_space(tmp_path / "space")
    dest = tmp_path / "help"
    result = cli("import", "gitbook", space, dest)
    assert result.exit_code == 0, result.output
    assert "IMPORT-REPORT.md" in result.output
    files = sorted(p.relative_to(dest / "articles").as_posix()
                   for p in (dest / "articles").rglob("*.md"))
    assert files == ["getting-started/install.md", "getting-started/setup/deep.md",
                     "getting-started/setup/linux.md", "getting-started/setup/setup.md",
                     "more/orphan.md", "overview/welcome.md", "reference/api.md"]
    section = yaml.safe_load((dest / "articles/getting-started/setup/_section.yml").read_text())
    assert section["title"] == "Setup"
    install = (dest / "articles/getting-started/install.md").read_text(encoding="utf-8")
    assert "description: Install the app." in install
    assert "- /old/install-guide" in install      # its own old URL is its new one

    out = built(cli, dest, "--strict")
    pages = built_pages(out)
    assert not [name for name, html in pages.items()
                if "{%" in re.sub(r"<code>.*?</code>", "", html, flags=re.DOTALL)]
    page = pages["getting-started/install/index.html"]
    assert '<div class="admonition warning">' in page and 'class="tabbed-set' in page
    assert 'href="../setup/setup/#before"' in page
    assert '<img alt="Installer" src="../../assets/installer%20%281%29.png"' in page
    assert 'src="../../assets/mac.png"' in page and 'href="../../assets/notes.txt"' in page
    assert '{% hint style="info" %}\nshown as written' in page      # in a code block: as written
    assert (out / "assets/mac.png").read_bytes() == PNG
    for old in ("getting-started/install", "old/install-guide", "getting-started/setup"):
        assert (out / old / "index.html").is_file(), old
    assert "javascript:" not in pages["reference/api/index.html"]

    report = (dest / "IMPORT-REPORT.md").read_text(encoding="utf-8")
    for expected in ("# Import report: GitBook", "GitHub: https://github.com/example",
                     "layout (getting-started/install.md)", "reference/orphan.md",
                     "a javascript: link"):
        assert expected in report, expected


def test_gitbook_without_summary_uses_the_folder_tree(cli, tmp_path):
    space = write_site(tmp_path / "space", {
        "README.md": "# Home\n",
        "guides/README.md": "# All guides\n",
        "guides/first.md": "# First\n\n> [!TIP]\n> GitHub alert too.\n",
        "guides/advanced/more.md": "# More\n",
    })
    dest = tmp_path / "help"
    assert cli("import", "gitbook", space, dest).exit_code == 0
    files = sorted(p.relative_to(dest / "articles").as_posix()
                   for p in (dest / "articles").rglob("*.md"))
    assert files == ["guides/advanced/more.md", "guides/all-guides.md", "guides/first.md",
                     "overview/home.md"]
    out = built(cli, dest, "--strict")
    assert '<div class="admonition tip">' in (out / "guides/first/index.html").read_text()


def test_gitbook_errors(cli, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = cli("import", "gitbook", empty, tmp_path / "a")
    assert result.exit_code == 1 and "no Markdown pages found" in result.output
    assert not (tmp_path / "a").exists()
    space = write_site(tmp_path / "space", {"README.md": "# Hi\n",
                                            ".gitbook.yaml": "root: ../elsewhere\n"})
    result = cli("import", "gitbook", space, tmp_path / "b")
    assert result.exit_code == 1 and ".gitbook.yaml:1: error: root names a folder" in \
        result.output
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "x").write_text("x")
    result = cli("import", "gitbook", make_space(tmp_path / "space2"), tmp_path / "c")
    assert result.exit_code == 1 and "not empty" in result.output


AUDACITY = CORPORA / "audacity-en"


@pytest.mark.skipif(not AUDACITY.is_dir(), reason=f"no corpora at {CORPORA}")
def test_audacity_gitbook_export_imports_with_no_block_left(cli, tmp_path):
    """The real GitBook export (its pages, in their folders): every hint, tab, embed, file,
    content-ref and swagger block becomes helpgen Markdown."""
    dest = tmp_path / "audacity"
    result = cli("import", "gitbook", AUDACITY / "articles", dest)
    assert result.exit_code == 0, result.output
    sources = [p.read_text(encoding="utf-8") for p in (dest / "articles").rglob("*.md")]
    assert len(sources) == sum(1 for _ in (AUDACITY / "articles").rglob("*.md"))
    out = tmp_path / "out"
    result = cli("build", dest, "-o", out)
    assert result.exit_code == 0, result.output
    # The export's own broken links (GitBook's `broken-reference`, paths the export flattened)
    # and the images it left out of .gitbook/assets are the only warnings: the same ones as
    # when the export is built as it is.
    as_it_is = cli("build", copy_tree(AUDACITY, tmp_path / "as-is"), "-o", tmp_path / "out2")
    assert sorted(_warnings(result.output)) == sorted(_warnings(as_it_is.output))
    pages = built_pages(out)
    assert len(pages) > 100
    assert not [name for name, html in pages.items() if "{%" in html]


def _warnings(output: str) -> list[str]:
    """The warnings of a build, without the file and line they are at."""
    return [line.split(": ", 1)[1] for line in output.splitlines() if ": warning:" in line]


def test_gitbook_hostile_space_reads_nothing_outside_and_ends(cli, tmp_path):
    """A SUMMARY.md nested two thousand levels deep, links and a symlink leading outside the
    space, a page of unclosed blocks: the import ends, reads only the space, and builds."""
    (tmp_path / "secret.md").write_text("# Secret\n\nsecret text\n")
    levels = "".join("  " * level + f"* [Level {level}](page.md)\n" for level in range(2_000))
    space = write_site(tmp_path / "space", {
        "SUMMARY.md": "## Group\n\n* [Top](top.md)\n" + levels.replace("(page.md)", "(top.md)")
                      + "* [Escape](../secret.md)\n",
        "top.md": "# Top\n\n[out](../secret.md) ![x](../../etc/passwd)\n\n"
                  + '{% hint style="info" %}\n' * 10_000 + "{% tabs %}\n{% tab title=\"x\" %}\n",
    })
    os.symlink(tmp_path / "secret.md", space / "linked.md")
    dest = tmp_path / "help"
    result = cli("import", "gitbook", space, dest)
    assert result.exit_code == 0, result.output
    imported = "".join(p.read_text() for p in dest.rglob("*") if p.is_file())
    assert "secret text" not in imported and "{%" not in imported
    report = (dest / "IMPORT-REPORT.md").read_text(encoding="utf-8")
    assert "linked.md" in report and "Escape: ../secret.md" in report
    assert cli("build", dest).exit_code == 0
