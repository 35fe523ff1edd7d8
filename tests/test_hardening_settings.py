"""Hostile and messy settings and front matter: YAML that would exhaust the machine, secrets in
published URLs, one mistake reported as many, locale codes, and what `helpgen new` makes."""

from __future__ import annotations

import os
import resource
import subprocess
import sys

import pytest

from conftest import BASIC_CONFIG, ROOT, article, write_site
from test_errors import problems

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
