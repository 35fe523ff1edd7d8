"""The README's examples work as written."""

from __future__ import annotations

import re

from conftest import ROOT, article, write_site


def readme_block(heading: str, language: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split(heading, 1)[1]
    return re.search(rf"```{language}\n(.*?)```", section, re.S).group(1)


def test_contact_example_builds(tmp_path, cli):
    config = readme_block("## Contact form, feedback and the help widget", "yaml")
    site = write_site(tmp_path / "s", {
        "helpgen.yml": "locales: {default: en, others: [zh-CN]}\n" + config,
        "articles/billing/refunds/refund.md": article("Refund"),
    })
    result = cli("build", site, "--strict")
    assert result.exit_code == 0, result.output
    html = (site / "site/zh-CN/contact/index.html").read_text(encoding="utf-8")
    for name in ("name", "email", "subject", "category", "order_id", "message", "plan", "consent"):
        assert f'name="{name}"' in html
    assert "cf-turnstile" in html
    assert 'id="feedback"' in (site / "site/billing/refunds/refund/index.html").read_text()


def test_site_settings_example_is_valid(tmp_path, cli):
    config = readme_block("### `helpgen.yml`", "yaml")
    site = write_site(tmp_path / "s", {
        "helpgen.yml": config,
        "assets/logo.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
        "assets/favicon.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
        "articles/billing/refunds/refund.md": article("Refund"),
    })
    result = cli("build", site, "--strict")
    assert result.exit_code == 0, result.output
