"""The suite's own rules for CI (tests/conftest.py): a skip fails the run unless expected."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SKIPPING_TESTS = '''
import pytest

def test_on_a_case_insensitive_disk():
    pytest.skip("the file system is case-insensitive")

def test_without_git():
    pytest.skip("needs git")

def test_that_runs():
    pass
'''


def run_suite(folder: Path, **env: str) -> subprocess.CompletedProcess:
    """pytest on `folder` (holding a copy of tests/conftest.py) in a fresh process."""
    clean = {k: v for k, v in os.environ.items() if k not in ("CI", "HELPGEN_REQUIRE_ALL")}
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           str(folder)], cwd=folder,
                          env={**clean, **env}, capture_output=True, text=True)


@pytest.fixture
def suite(tmp_path):
    folder = tmp_path / "suite"
    folder.mkdir()
    shutil.copy(Path(__file__).with_name("conftest.py"), folder / "conftest.py")
    (folder / "test_skips.py").write_text(SKIPPING_TESTS, encoding="utf-8")
    (folder / "test_corpora.py").write_text(
        'import pytest\npytest.skip("no corpora at ../shared", allow_module_level=True)\n',
        encoding="utf-8")
    return folder


@pytest.mark.parametrize("env", [{"CI": "true"}, {"HELPGEN_REQUIRE_ALL": "1"}])
def test_in_ci_an_unexpected_skip_fails_the_run_and_is_named(suite, env):
    result = run_suite(suite, **env)
    assert result.returncode == 1, result.stdout + result.stderr
    listed = result.stdout.split("every test must run")[1]
    assert "test_corpora.py: no corpora at ../shared" in listed
    assert "test_skips.py::test_without_git: needs git" in listed
    assert "case-insensitive" not in listed


def test_outside_ci_skips_only_skip(suite):
    result = run_suite(suite)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed, 3 skipped" in result.stdout and "session check failed" not in result.stdout


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_a_test_writing_into_the_source_tree_fails_the_run(suite):
    """The checkout here is suite's parent (conftest's ROOT): a file a test leaves in
    example-site/ is named and fails the run, even outside CI; files in tmp folders do not."""
    subprocess.run(["git", "init", "-q", str(suite.parent)], check=True)
    (suite / "test_writes.py").write_text(
        "from pathlib import Path\n\n"
        "def test_builds_in_place(tmp_path):\n"
        "    (tmp_path / 'fine').write_text('x')\n"
        "    cache = Path(__file__).parent.parent / 'example-site' / '.helpgen-cache'\n"
        "    cache.mkdir(parents=True)\n"
        "    (cache / 'cache.sqlite').write_text('x')\n", encoding="utf-8")
    result = run_suite(suite)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "tests wrote into the source tree" in result.stdout
    assert "  example-site/.helpgen-cache/cache.sqlite\n" in result.stdout
    assert "fine" not in result.stdout.split("tests wrote into the source tree")[1]
