"""The contact, feedback and analytics settings in helpgen.yml: what they publish, and the
mistakes they refuse (above all, a secret that would reach every visitor's browser)."""

from __future__ import annotations

import json

import pytest

from conftest import article, write_site

ARTICLE = {"articles/billing/refunds/refund.md": article("Refund")}


def build_with_config(cli, tmp_path, config: str):
    """A site holding one article and `config` as helpgen.yml, and the result of building it."""
    site = write_site(tmp_path / "s", {"helpgen.yml": config, **ARTICLE})
    return site, cli("build", site)


@pytest.mark.parametrize("config, line, message", [
    ("contact:\n  endpoint: https://x.example/t\n  api_token: abc123\n", 3,
     "'contact.api_token' looks like a secret"),
    ("contact:\n  provider: zendesk\n  subdomain: acme\n  password: hunter2\n", 4,
     "'contact.password' looks like a secret"),
    ("contact:\n  endpoint: https://bot:s3cret@x.example/t\n", 2, "carries credentials"),
    ("feedback:\n  endpoint: https://x.example/f?api_key=abc\n", 2, "carries credentials"),
])
def test_secrets_in_published_settings_are_build_errors(cli, tmp_path, config, line, message):
    site, result = build_with_config(cli, tmp_path, config)
    assert result.exit_code == 1
    assert f"helpgen.yml:{line}: error: " in result.stderr and message in result.stderr
    assert "every visitor" in result.stderr
    assert not (site / "site").exists()


@pytest.mark.parametrize("config, line, message, hint", [
    ("contact:\n  provider: zendsk\n  subdomain: acme\n", 2, "contact.provider must be one of",
     "zendesk"),
    ("contact:\n  provider: zendesk\n", 2, "contact.subdomain is needed", "acme.zendesk.com"),
    ("contact:\n  format: xml\n  endpoint: https://x.example/t\n", 2, "contact.format", "json"),
    ("contact:\n  method: GET\n", 2, "contact.method must be POST or PUT", None),
    ("contact:\n  endpoint: https://x.example/t\n  fields: [name, emial]\n", 3,
     "unknown built-in field 'emial'", "email"),
    ("contact:\n  endpoint: https://x.example/t\n  fields:\n    - {name: plan, type: select}\n",
     4, "has no options", "options"),
    ("contact:\n  endpoint: https://x.example/t\n  fields:\n    - {name: plan, type: radio}\n",
     4, "field type 'radio'", None),
    ("contact:\n  endpoint: https://x.example/t\n  fields:\n    - {name: Plan Name}\n",
     4, "needs a 'name'", "order_id"),
    ("contact:\n  subject: Hi\n  email: a@b.example\n", 2, "unknown key 'contact.subject'",
     None),
])
def test_contact_settings_mistakes_are_explained(cli, tmp_path, config, line, message, hint):
    _, result = build_with_config(cli, tmp_path, config)
    assert result.exit_code == 1, result.output
    assert f"helpgen.yml:{line}: error: " in result.stderr and message in result.stderr
    if hint:
        assert hint in result.stderr.split(message, 1)[1].split("error:")[0]


def contact_html(tmp_path, cli, config: str, page: str = "contact/index.html") -> str:
    site, result = build_with_config(cli, tmp_path, config)
    assert result.exit_code == 0, result.output
    return (site / "site" / page).read_text(encoding="utf-8")


def test_mailto_fallback_when_no_endpoint(tmp_path, cli):
    html = contact_html(tmp_path, cli, "contact: {email: help@acme.example}\n")
    assert 'action="mailto:help@acme.example"' in html
    assert 'data-provider="mailto"' in html and "opens your email app" in html


def test_netlify_forms_attributes(tmp_path, cli):
    html = contact_html(tmp_path, cli, "contact: {provider: netlify}\n")
    assert 'data-netlify="true"' in html and 'netlify-honeypot="company_website"' in html
    assert '<input type="hidden" name="form-name" value="contact">' in html


def test_custom_fields_have_labels_per_locale_and_names_as_keys(tmp_path, cli):
    config = ("locales: {default: en, others: [zh-CN]}\ncontact:\n"
              "  endpoint: https://x.example/t\n  fields:\n    - email\n"
              "    - {name: plan, type: select, label: {en: Plan, zh-CN: 套餐}, required: true,\n"
              "       options: [{value: pro, label: {en: Pro, zh-CN: 专业版}}, basic]}\n")
    site, result = build_with_config(cli, tmp_path, config)
    assert result.exit_code == 0, result.output
    zh = (site / "site/zh-CN/contact/index.html").read_text(encoding="utf-8")
    assert '<label for="field-plan">套餐</label>' in zh
    assert '<select id="field-plan" name="plan" required' in zh
    assert '<option value="pro">专业版</option>' in zh and '<option value="basic">basic</option>' in zh
    assert 'name="email"' in zh and 'name="message"' not in zh


def test_category_field_lists_the_help_centers_categories(tmp_path, cli):
    html = contact_html(tmp_path, cli, "contact: {endpoint: 'https://x.example/t'}\n")
    assert '<option value="billing">Billing</option>' in html


def test_contact_links_and_widget_appear_only_with_contact_settings(tmp_path, cli):
    site, result = build_with_config(cli, tmp_path, "site: {title: T}\n")
    assert result.exit_code == 0
    home = (site / "site/index.html").read_text(encoding="utf-8")
    assert "contact/" not in home and not (site / "site/contact").exists()
    article_page = (site / "site/billing/refunds/refund/index.html").read_text(encoding="utf-8")
    assert 'id="feedback"' not in article_page
    assert (site / "site/widget.js").exists()      # search-only widget still works


def widget_contact(site) -> dict | None:
    """The contact settings widget.js carries for the default locale (None: it opens the
    contact page instead of showing a form)."""
    text = (site / "site/widget.js").read_text(encoding="utf-8")
    settings, _ = json.JSONDecoder().raw_decode(text.split("var SETTINGS = ", 1)[1])
    return settings["locales"]["en"]["contact"]


@pytest.mark.parametrize("config, sends", [
    ("contact: {provider: netlify}\n", False),        # Netlify reads the form on its page only
    ("contact: {endpoint: https://x.example/t}\n", True),
    ("contact: {provider: zendesk, subdomain: acme}\n", True),
    ("contact: {email: help@acme.example}\n", True),
])
def test_the_widget_sends_the_form_itself_unless_only_the_page_can(tmp_path, cli, config,
                                                                   sends):
    site, result = build_with_config(cli, tmp_path, config)
    assert result.exit_code == 0, result.output
    assert (widget_contact(site) is not None) == sends


def test_embed_page_shows_the_snippet_for_each_locale(tmp_path, cli):
    config = ("site: {title: T, url: 'https://help.acme.example/'}\n"
              "locales: {default: en, others: [zh-CN]}\ncontact: {email: a@acme.example}\n")
    html = contact_html(tmp_path, cli, config, "embed/index.html")
    assert ('&lt;script src=&#34;https://help.acme.example/widget.js&#34; '
            'data-locale=&#34;zh-CN&#34; async&gt;&lt;/script&gt;') in html
