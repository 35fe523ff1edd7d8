"""The JSON Schemas editors and CI check helpgen.yml, front matter, _category.yml and
_section.yml with: shipped as the code makes them, written into a new site, and agreeing with
the build (what it rejects they reject, what it takes they take)."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
import yaml

from conftest import EXAMPLE_SITE, readme_block, write_site
from helpgen.content.json_schema import IN_SITE, SHIPPED, as_json, schemas
from helpgen.errors import Report
from helpgen.settings.config import load_config

MODELINE = re.compile(r"\A# yaml-language-server: \$schema=(\S+)\n")


def validator(name: str):
    """A validator of the shipped schema `name`. jsonschema is a test dependency (the
    package itself never validates with it: the build has its own checks)."""
    jsonschema = pytest.importorskip(
        "jsonschema", reason="jsonschema is needed to validate against the JSON Schemas")
    schema = json.loads((SHIPPED / name).read_text(encoding="utf-8"))
    draft = jsonschema.Draft202012Validator
    return draft(schema, format_checker=draft.FORMAT_CHECKER)


def as_json_value(value):
    """A YAML value as an editor's YAML 1.2 parser sees it: dates are strings."""
    if isinstance(value, dict):
        return {str(k): as_json_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json_value(v) for v in value]
    return value.isoformat() if isinstance(value, dt.date) else value


def schema_errors(name: str, text: str) -> list[str]:
    return [error.message for error in validator(name).iter_errors(
        as_json_value(yaml.safe_load(text) or {}))]


def front_matter(path: Path) -> str:
    return path.read_text(encoding="utf-8").split("---\n")[1]


def test_the_shipped_schemas_are_what_the_code_makes():
    """The schemas are made from the build's own (never written twice): a change of a key or a
    value rule needs `python -m helpgen.content.json_schema` to write them anew."""
    made = schemas()
    assert sorted(made) == sorted(p.name for p in SHIPPED.glob("*.json"))
    for name, schema in made.items():
        assert (SHIPPED / name).read_text(encoding="utf-8") == as_json(schema), name


def test_example_site_passes_the_schemas():
    """Every YAML file of example-site, and every article's front matter, is valid."""
    assert schema_errors("helpgen.schema.json",
                         (EXAMPLE_SITE / "helpgen.yml").read_text(encoding="utf-8")) == []
    checked = 0
    for path in sorted((EXAMPLE_SITE / "articles").rglob("*")):
        name = {"_category.yml": "category.schema.json", "_section.yml": "section.schema.json"
                }.get(path.name, "front-matter.schema.json" if path.suffix == ".md" else None)
        if name:
            text = front_matter(path) if path.suffix == ".md" else path.read_text("utf-8")
            assert schema_errors(name, text) == [], path
            checked += 1
    assert checked > 50


def test_helpgen_new_writes_the_schemas_and_names_them_in_its_yaml_files(cli, tmp_path):
    """A new site holds the schemas (they work offline) and each YAML file's first line names
    its schema by a path from the file; the starter passes them."""
    site = tmp_path / "help"
    assert cli("new", site).exit_code == 0
    for name in schemas():
        assert (site / IN_SITE / name).read_text("utf-8") == (SHIPPED / name).read_text("utf-8")
    yaml_files = [site / "helpgen.yml", *sorted((site / "articles").rglob("_*.yml"))]
    assert len(yaml_files) == 3
    for path in yaml_files:
        text = path.read_text(encoding="utf-8")
        modeline = MODELINE.match(text)
        assert modeline, path
        schema = (path.parent / modeline[1]).resolve()
        assert schema.parent == (site / IN_SITE).resolve()
        assert schema_errors(schema.name, text) == [], path
    for path in (site / "articles").rglob("*.md"):
        assert schema_errors("front-matter.schema.json", front_matter(path)) == [], path


def test_helpgen_schemas_brings_a_sites_schemas_up_to_date(cli, site):
    """After an upgrade, `helpgen schemas SITE` writes this version's schemas over the old."""
    old = site / IN_SITE / "helpgen.schema.json"
    old.parent.mkdir(parents=True)
    old.write_text("{}", encoding="utf-8")
    result = cli("schemas", site)
    assert result.exit_code == 0, result.stderr
    for name in schemas():
        assert (site / IN_SITE / name).read_text("utf-8") == (SHIPPED / name).read_text("utf-8")


def test_helpgen_schemas_needs_a_site_folder(cli, tmp_path):
    result = cli("schemas", tmp_path)
    assert result.exit_code == 1 and "no helpgen.yml" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / ".helpgen").exists()


# (helpgen.yml, whether the build takes it): the schema must agree.
SETTINGS = [
    ("sitee:\n  title: Help\n", False),
    ("site:\n  title: [Help]\n", False),
    ("site:\n  title: {en: Help, zh-CN: 帮助}\n  description:\n", True),
    ("locales:\n  default: english\n", False),
    ("locales:\n  default: zh-Hant-TW\n  others: [en]\n", True),
    ("locales:\n  untranslated: hidden\n", False),
    ("locales:\n  untranslated: show_default\n", True),
    ("theme:\n  name: fancy\n", False),
    ("theme:\n  name: docs\n", True),
    ("brand:\n  primary_color: blue\n", False),
    ("brand:\n  primary_color: '#0b62d6'\n  accent_color: '#fa0'\n", True),
    ("brand:\n  banner: {text: Maintenance, link: /status/}\n", False),
    ("brand:\n  banner: {text: {en: Maintenance}, url: /status/}\n", True),
    ("contact:\n  endpoint: https://x.example/\n  provider: slack\n", False),
    ("contact:\n  endpoint: https://x.example/\n  format: xml\n", False),
    ("contact:\n  endpoint: https://x.example/\n  fields: [nickname]\n", False),
    ("contact:\n  endpoint: https://x.example/\n  fields: [{name: Order, type: text}]\n", False),
    ("contact:\n  endpoint: https://x.example/\n  fields: [{name: order, type: number}]\n", False),
    ("contact:\n  endpoint: https://x.example/\n  fields: [{name: order, typ: text}]\n", False),
    ("contact:\n  endpoint: https://x.example/\n  format: form\n  fields: [name, email, "
     "{name: plan, type: select, label: {en: Plan}, required: true, options: [a, b]}]\n", True),
    ("check:\n  stale_after_days: 0\n", False),
    ("check:\n  stale_after_days: '30'\n", False),
    ("check:\n  errors: [brokenlink]\n", False),
    ("check:\n  stale_after_days: 30\n  errors: [broken-link]\n  ignore: [stale]\n", True),
    ("markdown:\n  raw_html: maybe\n", False),
    ("markdown:\n  raw_html: sanitize\n", True),
    ("markdown:\n  raw_html: false\n", True),
    ("markdown:\n  heading_ids: mkdocs\n", True),
    ("markdown:\n  heading_ids: github\n", False),
    ("brands:\n  - {id: Acme}\n", False),
    ("brands:\n  - {id: acme, colour: red}\n", False),
    ("brands:\n  - {id: acme, name: Acme, brand: {primary_color: '#123456'},"
     " contact: {email: help@acme.example}}\n", True),
    ("brands:\n  - {id: acme, brand: {primary_color: red}}\n", False),
    ("brands:\n  - {id: acme, contact: {endpoint: https://x.example/, fields: [nick]}}\n",
     False),
]


@pytest.mark.parametrize("text, valid", SETTINGS)
def test_the_settings_schema_agrees_with_the_build(tmp_path, text, valid):
    root = write_site(tmp_path, {"helpgen.yml": text})
    report = Report()
    load_config(root, report)
    assert (report.errors == []) == valid, [e.message for e in report.errors]
    assert (schema_errors("helpgen.schema.json", text) == []) == valid


# (an article's front matter, whether the build takes it).
FRONT_MATTER = [
    ("title: [Refunds]\n", False),
    ("description: No title\n", False),
    ("title: ' '\n", False),
    ("title: Refunds\ntags: billing\n", False),
    ("title: Refunds\norder: first\n", False),
    ("title: Refunds\ndraft: maybe\n", False),
    ("title: Refunds\nupdated: 31.03.2026\n", False),
    ("title: Refunds\ntags: [billing]\nupdated: 2026-03-31\norder:\nauthor: Ann\n", True),
]


@pytest.mark.parametrize("text, valid", FRONT_MATTER)
def test_the_front_matter_schema_agrees_with_the_build(cli, site, text, valid):
    (site / "articles/billing/refunds/policy.md").write_text(f"---\n{text}---\n\nText.\n",
                                                             encoding="utf-8")
    assert (cli("build", site).exit_code == 0) == valid
    assert (schema_errors("front-matter.schema.json", text) == []) == valid


# (a file, its text, whether the build takes it).
FOLDERS = [
    ("articles/billing/_category.yml", "titel: Billing\n", False),
    ("articles/billing/_category.yml", "title: Billing\nicon: 3\n", False),
    ("articles/billing/_category.yml", "title: {en: Billing}\nicon: material/cash\norder: 2\n",
     True),
    ("articles/billing/refunds/_section.yml", "title: Refunds\nicon: material/cash\n", False),
    ("articles/billing/refunds/_section.yml", "title: Refunds\norder: '2'\n", False),
    ("articles/billing/refunds/_section.yml", "title: Refunds\ndescription:\norder: 2\n", True),
]


@pytest.mark.parametrize("file, text, valid", FOLDERS)
def test_the_folder_schemas_agree_with_the_build(cli, site, file, text, valid):
    (site / file).write_text(text, encoding="utf-8")
    assert (cli("build", site).exit_code == 0) == valid
    name = "category.schema.json" if file.endswith("_category.yml") else "section.schema.json"
    assert (schema_errors(name, text) == []) == valid


def test_the_collect_settings_in_the_readme_pass_and_a_written_secret_does_not():
    assert schema_errors("helpgen.schema.json", readme_block("## The support loop", "yaml")) == []
    written = ("collect:\n  url: https://support.example.com/\n  forward:\n"
               "    - {type: email, to: a@b.example, from: c@b.example, smtp: mail.example, "
               "password: hunter2}\n")
    assert schema_errors("helpgen.schema.json", written)
