"""The README's examples work as written."""

from __future__ import annotations

from conftest import article, readme_block, write_site


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


SVG = "<svg xmlns='http://www.w3.org/2000/svg'/>"


def test_brand_example_builds(tmp_path, cli):
    config = readme_block("### Brand", "yaml")
    site = write_site(tmp_path / "s", {
        "helpgen.yml": "locales: {default: en, others: [zh-CN]}\n" + config,
        **{f"assets/{name}": SVG for name in ("logo.svg", "logo-dark.svg", "favicon.svg")},
        "assets/brand.css": ".site-header { border: 0; }\n",
        "assets/fonts/inter.woff2": "wOF2",
        "articles/billing/refunds/refund.md": article("Refund"),
    })
    result = cli("build", site, "--strict")
    assert result.exit_code == 0, result.output
    zh_home = (site / "site/zh-CN/index.html").read_text(encoding="utf-8")
    assert "记账本" in zh_home and "5 月 3 日同步暂停维护。" in zh_home


def test_two_brand_three_locale_example_builds(tmp_path, cli):
    config = readme_block("### Several brands from one source", "yaml")
    files = {"helpgen.yml": config, "assets/tallybook.svg": SVG, "assets/pocketpos.svg": SVG}
    for category in ("getting-started", "devices", "billing"):
        files[f"articles/{category}/intro.md"] = article(f"{category} intro")
        files[f"articles/{category}/intro.zh-CN.md"] = article(f"{category} 简介")
        files[f"articles/{category}/intro.zh-TW.md"] = article(f"{category} 簡介")
    site = write_site(tmp_path / "s", files)
    result = cli("build", site, "--strict")
    assert result.exit_code == 0, result.output
    out = site / "site"
    for brand, locales in (("tallybook", ("", "zh-CN/", "zh-TW/")), ("pocketpos", ("", "zh-CN/"))):
        for locale in locales:
            assert (out / brand / locale / "devices/intro/index.html").is_file()
    assert (out / "tallybook/billing/intro/index.html").is_file()
    assert not (out / "pocketpos/billing").exists() and not (out / "pocketpos/zh-TW").exists()
    assert "help@pocketpos.example" in (out / "pocketpos/contact/index.html").read_text()
    assert "PocketPOS 支持" in (out / "pocketpos/zh-CN/index.html").read_text(encoding="utf-8")
    assert "Tallybook 說明中心" in (out / "tallybook/zh-TW/index.html").read_text(encoding="utf-8")


def test_collect_example_is_valid_and_sends_to_the_collector(tmp_path, cli):
    config = readme_block("## The support loop", "yaml")
    site = write_site(tmp_path / "s", {
        "helpgen.yml": "site: {url: https://help.example.com/}\n" + config,
        "articles/billing/refunds/refund.md": article("Refund"),
    })
    result = cli("build", site, "--strict")
    assert result.exit_code == 0, result.output
    contact = (site / "site/contact/index.html").read_text(encoding="utf-8")
    assert 'data-endpoint="https://support-api.example.com/helpgen/contact"' in contact
