"""What each contact form provider means, in one place: its defaults, the settings it needs
(config.py reports what is missing), and the plain facts the page, the widget and the
Content-Security-Policy print or read instead of comparing provider names.

  - generic: JSON (or form-encoded) to any endpoint;
  - netlify: a form Netlify reads from the page at deploy; only the page can send it;
  - zendesk: JSON to the anonymous Requests API of a Zendesk subdomain;
  - mailto: no endpoint; the reader's mail app sends it.

The browser's side of the same rule, the request each provider expects, is helpgen/client/
contact.js.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PROVIDERS = ("generic", "netlify", "zendesk", "mailto")
FORMATS = ("json", "form")
NETLIFY_FORM_NAME = "contact"     # the name Netlify files submissions under
SUBDOMAIN = re.compile(r"[a-z0-9][a-z0-9-]*")


def default_provider(data: dict) -> str:
    """The provider of a contact section that names none: a Zendesk subdomain means zendesk, an
    endpoint generic, neither mailto."""
    return "zendesk" if "subdomain" in data else "generic" if "endpoint" in data else "mailto"


def default_format(provider: str) -> str:
    """Netlify reads form-encoded submissions; the others get JSON unless told otherwise."""
    return "form" if provider == "netlify" else "json"


def fixed_format(provider: str, chosen: str) -> str:
    """The format sent: the Zendesk Requests API reads JSON only."""
    return "json" if provider == "zendesk" else chosen


def _subdomain(data: dict) -> str | None:
    subdomain = data.get("subdomain")
    return subdomain if isinstance(subdomain, str) and SUBDOMAIN.fullmatch(subdomain) else None


def provider_endpoint(provider: str, data: dict, endpoint: str | None) -> str | None:
    """Where submissions go: a Zendesk subdomain's Requests API, else the endpoint setting."""
    subdomain = _subdomain(data) if provider == "zendesk" else None
    return f"https://{subdomain}.zendesk.com/api/v2/requests.json" if subdomain else endpoint


@dataclass(frozen=True)
class Missing:
    """A setting the provider needs that the contact section lacks."""

    message: str
    keys: tuple[str, ...]        # keys whose line to point at, first written; (): the section
    hint: str


def missing_setting(provider: str, data: dict, email: str | None) -> Missing | None:
    """What the provider needs and `data` lacks: a Zendesk subdomain, an endpoint, an email."""
    if provider == "zendesk" and not _subdomain(data):
        return Missing("contact.subdomain is needed for the zendesk provider",
                       ("subdomain", "provider"),
                       "write your Zendesk subdomain, e.g. subdomain: acme for acme.zendesk.com")
    if provider == "mailto" and not email:
        return Missing("the contact form needs an endpoint or an email address", (),
                       "add  endpoint: https://…  (where submissions are sent) or  "
                       "email: support@example.com  under contact:")
    if provider == "generic" and data.get("endpoint") is None:
        return Missing("contact.endpoint is missing", (),
                       "add  endpoint: https://…  — the URL that receives submissions")
    return None


@dataclass(frozen=True)
class FormFacts:
    """How a provider's form is written in the page and who may send it."""

    attributes: tuple[tuple[str, str], ...]   # the form's own action, method… in order
    native: bool                 # the form works as written: a mail app, or Netlify reading it
    form_name: str | None        # the value of a hidden form-name field, when one is needed
    mailto_note: bool            # tell the reader their mail app will open
    widget_sends: bool           # the widget on another site can send it from the browser
    form_action: str | None      # where the form itself submits, for the CSP's form-action


def form_facts(provider: str, endpoint: str | None, method: str, email: str | None
               ) -> FormFacts:
    """The facts of a contact form with these settings."""
    if provider == "mailto":
        action = f"mailto:{email}"
        return FormFacts((("action", action), ("method", "post"), ("enctype", "text/plain")),
                         native=True, form_name=None, mailto_note=True, widget_sends=True,
                         form_action=action)
    if provider == "netlify":
        return FormFacts((("name", NETLIFY_FORM_NAME), ("action", endpoint or ""),
                          ("method", "post"), ("data-netlify", "true"),
                          ("netlify-honeypot", "company_website")),
                         native=True, form_name=NETLIFY_FORM_NAME, mailto_note=False,
                         widget_sends=False, form_action=endpoint)
    return FormFacts((("action", endpoint or ""), ("method", method.lower())), native=False,
                     form_name=None, mailto_note=False, widget_sends=True, form_action=endpoint)
