"""Mutation testing: plant one behaviour-level bug at a time and see whether the tests catch it.

    python benchmarks/mutation.py [-j 2] [--only ID ...] [--list] [--control] [--timeout 300]

Each mutant in MUTANTS is a small, realistic bug (an off-by-one, a negated condition, a dropped
call, a wrong key) that a user would notice, written as an exact `old` text of one file and its
`new` replacement, with the tests a reviewer would expect to catch it: the test files covering
that module or behaviour (or `-k` expressions), not a test written for the mutant. `old` must
occur exactly once in its file, or the run stops before testing anything: the catalogue follows
the code as it moves instead of silently testing nothing.

For each mutant the project's tracked files (`git ls-files`) are copied to a temporary folder,
the bug is planted there, and `python -m pytest TESTS -x -q -p no:cacheprovider` runs in it with
PYTHONPATH on the copy and HELPGEN_REQUIRE_BROWSER=1 (a missing browser fails rather than
skips). A mutant is caught when pytest fails (exit code 1); it survives when the tests pass. Any
other exit (no tests collected, usage error, timeout) is reported as an error and counts as not
caught. One line per mutant; the last line is `mutants caught: N/M`. `--control` runs each
distinct test selection on the unchanged code instead: all must pass, or a "caught" could be a
test that fails anyway.

Why a catalogue and not mutmut or cosmic-ray: those mutate every operator of every line and rerun
the tests for each, which on this code base (7,500 lines, 800 tests, a quarter in Chromium) takes
days on 2 cores; a catalogue of bugs that matter takes minutes and says, for each survivor, which
behaviour the tests do not hold.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Mutant:
    id: str
    behaviour: str          # what a user would notice
    file: str               # relative to the project root
    old: str                # exact text, found exactly once in `file`
    new: str
    tests: tuple[str, ...]  # pytest arguments: test files, node ids or "-k", "expression"


def m(id, behaviour, file, old, new, *tests):
    return Mutant(id, behaviour, file, old, new, tuple(tests))


MUTANTS: list[Mutant] = [
    # --- The table (issue 20) -------------------------------------------------------
    m("cjk-bigrams-disjoint", "Chinese/Japanese search misses words that straddle a pair "
      "boundary (bigrams taken without overlap)",
      "helpgen/output/search/tokenizer.py", "extend(map(str.__add__, cjk[:-1], cjk[1:]))",
      "extend(map(str.__add__, cjk[:-1:2], cjk[1::2]))",
      "tests/test_tokenizer.py", "tests/test_search_index.py"),
    m("alias-to-default-locale", "a translation's old URL redirects to the default-locale page",
      "helpgen/content/placement.py",
      "redirects += _aliases(plan, placement.source, placement.url,",
      "redirects += _aliases(plan, placement.source, (plan.placements.get(("
      "plan.config.default_locale, _key)) or placement).url,",
      "tests/test_output.py", "tests/test_reserved_urls.py"),
    m("redirect-drops-hash", "an old URL with #section lands at the top of the new page",
      "themes/default/templates/redirect.html", ' + location.hash);</script>',
      ");</script>",
      "tests/test_output.py", "tests/test_browser.py"),
    m("redirect-wrong-url", "an old URL's page sends the browser to a wrong address (the "
      "target's site-root path used as a relative link)",
      "themes/default/templates/redirect.html",
      'data-redirect="{{ url(redirect.target) }}"', 'data-redirect="{{ redirect.target }}"',
      "tests/test_output.py", "tests/test_browser.py"),
    m("csp-without-inline-hashes", "the Content-Security-Policy blocks the theme's inline "
      "script (the remembered color scheme, the redirect pages) and brand style",
      "helpgen/output/csp.py", 'found.add(("script-src", sha256_source(body)))', "pass",
      "tests/test_csp.py"),
    m("csp-without-endpoints", "under the Content-Security-Policy the contact form, feedback "
      "and analytics cannot reach their endpoints",
      "helpgen/output/csp.py", 'sources["connect-src"].update(filter(None, map(origin, endpoints)))',
      "pass", "tests/test_csp.py"),
    m("serve-without-site-headers", "helpgen serve hides the Content-Security-Policy, so a "
      "violation shows only once the site is published",
      "helpgen/commands/serve.py", "self._send(status, kind, body, head, self._site_headers(state))",
      "self._send(status, kind, body, head)", "tests/test_serve.py"),
    m("widget-inline-style", "on a page whose Content-Security-Policy forbids inline styles "
      "the widget shows unstyled (its styles in a <style> element)",
      "helpgen/client/widget.js", "if (root.adoptedStyleSheets && ", "if (false && ",
      "tests/test_csp.py"),
    m("live-overlay-inline-style", "under the Content-Security-Policy the preview's error "
      "overlay loses its styles (set as a style attribute)",
      "helpgen/client/live.js", "if (style) node.style.cssText = style;",
      'if (style) node.setAttribute("style", style);', "tests/test_serve.py"),
    m("draft-not-inherited", "a translation of a draft article is published",
      "helpgen/content/placement.py", 'INHERITED = ("order", "slug", "promoted", "draft", ',
      'INHERITED = ("order", "slug", "promoted", ',
      "tests/test_output.py"),
    m("article-icon-not-inherited", "a translation shows its article without the icon the "
      "default-locale article's `icon:` names", "helpgen/content/placement.py",
      '"review_by", "icon")', '"review_by")',
      "tests/test_output.py"),
    m("write-over-live-files", "a build that fails while writing (full disk) leaves the "
      "published site half-changed (files written in place, no temporary + rename)",
      "helpgen/output/write.py",
      'temporary = [((out / path).with_name(f".{(out / path).name}{TEMPORARY}"), out / path)',
      "temporary = [(out / path, out / path)",
      "tests/test_output_integrity.py", "tests/test_output.py", "tests/test_cli.py"),
    m("contact-draft-cleared-on-failure", "the contact page loses what the reader typed when "
      "sending fails",
      "themes/default/static/contact-page.js",
      '}, function () {\n      say(strings.error, "error", send);',
      '}, function () {\n      draft.clear();\n      say(strings.error, "error", send);',
      "tests/test_contact.py"),
    m("widget-draft-cleared-on-failure", "the widget's contact form loses what the reader "
      "typed when sending fails",
      "helpgen/client/widget.js",
      "}, function () {\n      status.textContent = settings.error;",
      "}, function () {\n      draft.clear();\n      status.textContent = settings.error;",
      "tests/test_contact.py"),
    m("netlify-sent-from-widget", "the widget sends a Netlify form from another site, where "
      "Netlify, which reads the form on its own page only, drops it",
      "helpgen/settings/contact.py", "widget_sends=False", "widget_sends=True",
      "tests/test_contact_settings.py"),
    m("mailto-form-action-blocked", "under the Content-Security-Policy a mailto: contact form "
      "cannot open the mail app (form-action without mailto:)",
      "helpgen/output/csp.py", 'return "mailto:" if url_scheme(url or "") == "mailto" else',
      'return None if url_scheme(url or "") == "mailto" else', "tests/test_csp.py"),
    m("stamp-forgets-strict", "`build --strict` after a clean non-strict build reports "
      "success without checking (the no-op stamp ignores --strict)",
      "helpgen/pipeline.py", "take(config.root, target, (strict, base_url, brand, precompress))",
      "take(config.root, target, (base_url, brand, precompress))",
      "tests/test_stamp.py", "tests/test_cli.py", "tests/test_errors.py"),
    m("strict-only-with-line", "`--strict` lets warnings without a line number pass (a stray "
      "photo.png in articles/)",
      "helpgen/errors.py", "        if self.strict:\n            self.add(error)",
      "        if self.strict and line is not None:\n            self.add(error)",
      "tests/test_cli.py", "tests/test_errors.py", "tests/test_stamp.py"),
    m("racy-edit-undetected", "an article saved twice within one timestamp tick keeps its "
      "first text in the next build",
      "helpgen/infra/signatures.py",
      "return max(file[1:3]) > at - (racy_window() if window is None else window)",
      "return False",
      "tests/test_cache.py", "tests/test_stamp.py"),
    m("stamp-stored-while-racy", "an article saved again within one timestamp tick of a build "
      "is not rebuilt: the next build is answered by a stamp taken while the file was racy",
      "helpgen/infra/stamp.py", "settled = not any_changed_lately(inputs, taken_at)",
      "settled = True",
      "tests/test_stamp.py"),
    m("front-matter-trusts-racy-stat", "an article saved again within one timestamp tick of "
      "being read keeps its old text (its front matter is reused by size and times alone)",
      "helpgen/content/sources.py",
      "if old_signature == file and not changed_lately(old_signature, old_read_at):",
      "if old_signature == file:",
      "tests/test_cache.py"),
    m("kept-body-links-unchecked", "after an article moves, the articles linking to it keep "
      "links to its old address (a kept conversion reused without checking its links)",
      "helpgen/infra/cache.py",
      "if kept is not None and (reuse is None or reuse(number, kept)):",
      "if kept is not None:",
      "tests/test_cache.py"),
    m("cache-full-disk-crashes", "a full disk under .helpgen-cache makes a build that wrote the "
      "site exit 3 (internal error) instead of warning that the cache was not saved",
      "helpgen/infra/cache.py", "except (OSError, sqlite3.OperationalError) as error:",
      "except OSError as error:",
      "tests/test_cache.py"),
    m("idf-formula", "search ranks common words like rare ones (idf without lunr's 1 +)",
      "helpgen/output/search/index.py",
      "math.log(1 + (document_count - with_term + 0.5) / (with_term + 0.5))",
      "math.log((document_count - with_term + 0.5) / (with_term + 0.5))",
      "tests/test_search_index.py", "tests/test_search_browser.py"),
    m("idf-smoothing", "search weighs rare and common words differently from lunr (idf's "
      "smoothing 0.5 → 1 below the fraction)", "helpgen/output/search/index.py",
      "/ (with_term + 0.5))", "/ (with_term + 1))",
      "tests/test_search_index.py", "tests/test_search_browser.py"),

    # --- Hardening: settings and front matter -------------------------------------------------
    m("yaml-anchors-accepted", "YAML anchors and aliases are accepted again (a 'billion "
      "laughs' helpgen.yml exhausts memory)",
      "helpgen/settings/yamlio.py", 'if getattr(event, "anchor", None) is not None:',
      'if getattr(event, "alias", None) is not None:',
      "tests/test_hardening_settings.py", "tests/test_errors.py"),
    m("secret-in-fragment", "a credential in a URL's #fragment is published in every page",
      "helpgen/settings/config.py",
      "parse_qsl(parts.query, keep_blank_values=True) + parse_qsl(\n"
      "            parts.fragment, keep_blank_values=True)",
      "parse_qsl(parts.query, keep_blank_values=True)",
      "tests/test_hardening_settings.py", "tests/test_contact_settings.py"),
    m("scheme-relative-url", "an endpoint written //other.host/… (another host, no scheme) is "
      "accepted", "helpgen/settings/config.py",
      'if written[:2].replace("\\\\", "/") == "//":', "if False:",
      "tests/test_hardening_settings.py", "tests/test_contact_settings.py"),
    m("backslash-host-url", "an endpoint written \\\\other.host\\… (browsers read it as //) is "
      "accepted", "helpgen/settings/config.py",
      'if written[:2].replace("\\\\", "/") == "//":', 'if written[:2] == "//":',
      "tests/test_hardening_settings.py", "tests/test_contact_settings.py"),
    m("locale-suffix-silent", "a file named refunds.fr_FR.md (not a locale code) is published "
      "under that name with no warning", "helpgen/content/sources.py",
      "(meant := meant_locale(suffix, config.locales)) or looks_like_locale(suffix)):",
      "(meant := meant_locale(suffix, config.locales))):",
      "tests/test_hardening_settings.py", "tests/test_check.py"),
    m("reserved-url-other-locale", "an article or alias may take /zh-CN/search/, replacing "
      "the translation's search page", "helpgen/content/placement.py",
      'claims.taken[fold(root + name) + "/"]', 'claims.taken[fold(name) + "/"]',
      "tests/test_reserved_urls.py"),
    m("alias-dotdot-inside", "an alias /a/../../x (a '..' after the first segment) is "
      "accepted and written outside its folder", "helpgen/content/urls.py",
      'if ".." in parts:', 'if parts[:1] == [".."]:',
      "tests/test_reserved_urls.py", "tests/test_hardening_settings.py", "tests/test_urls.py",
      "tests/test_errors.py"),
    m("did-you-mean-off", "a misspelt setting gets no 'did you mean' hint", "helpgen/errors.py",
      "difflib.get_close_matches(word, choices, n=1, cutoff=0.6)",
      "difflib.get_close_matches(word, choices, n=1, cutoff=0.95)",
      "tests/test_errors.py", "tests/test_hardening_settings.py"),
    m("control-chars-in-messages", "a line break in site text (slug: \"a\\nb\") starts a "
      "line of its own in error output", "helpgen/errors.py", 'in ("Cc", "Zl", "Zp")', 'in ("Zl", "Zp")',
      "tests/test_errors.py", "tests/test_check.py", "tests/test_fuzz.py"),

    # --- Hardening: HTML and links -------------------------------------------------------------
    m("sanitize-lets-on-handlers", "onclick=/onerror= attributes in an article's HTML are "
      "published", "helpgen/content/sanitize.py",
      'tag_attribute_values=ATTRIBUTE_VALUES, generic_attribute_prefixes={"data-", "aria-"},',
      'tag_attribute_values=ATTRIBUTE_VALUES, generic_attribute_prefixes={"data-", "aria-", '
      '"on"},',
      "tests/test_hardening_check.py", "tests/test_output.py"),
    m("javascript-links", "a [link](javascript:…) in Markdown is published",
      "helpgen/content/sanitize.py", 'SCRIPT_SCHEMES = ("javascript", "vbscript", "data")',
      'SCRIPT_SCHEMES = ("vbscript", "data")',
      "tests/test_hardening_check.py", "tests/test_output.py"),
    m("broken-link-line", "a broken link is reported one line below where it is",
      "helpgen/content/markup.py",
      'return self.body_line + self.body.count("\\n", 0, max(offset, 0))',
      'return self.body_line + self.body.count("\\n", 0, max(offset, 0)) + 1',
      "tests/test_check.py", "tests/test_markup.py", "tests/test_folder_text.py"),
    m("email-autolink-broken", "an <name@example.com> autolink is reported as a broken link",
      "helpgen/content/markup.py",
      '        if AMP_SUBSTITUTE in value:\n'
      '            value = html.unescape(value.replace(AMP_SUBSTITUTE, "&"))\n', "",
      "tests/test_check.py", "tests/test_markup.py", "tests/test_hardening_check.py"),
    m("link-prefers-default-locale", "a link in a translation leads to the default-locale "
      "article although the translation exists", "helpgen/content/links.py",
      "for code in fallbacks(locale, self.locales):",
      "for code in fallbacks(self.locales[0], self.locales):",
      "tests/test_output.py"),

    # --- Hardening: the file system ----------------------------------------------------------
    m("journal-commit-not-written", "a build killed while renaming leaves a mix of old and "
      "new pages (the commit is not journaled, so the next build undoes only half)",
      "helpgen/output/write.py",
      '        stage()\n        _record(journal, "commit", commit)\n',
      '        stage()\n',
      "tests/test_output_integrity.py"),
    m("recovery-skipped", "after a killed build, the next one leaves its temporary files and "
      "half-made update as they are", "helpgen/output/write.py",
      "        _recover(beside(out, JOURNAL))\n        yield",
      "        yield",
      "tests/test_output_integrity.py"),
    m("lock-not-taken", "two builds of one site at once interleave their writes (no lock)",
      "helpgen/output/write.py",
      "            file_lock.acquire(timeout=LOCK_NOTICE_SECONDS)\n",
      "            pass\n",
      "tests/test_output_integrity.py"),
    m("symlink-outside-followed", "a symbolic link in articles/ to a file outside the site "
      "(the build machine's secrets) is published", "helpgen/content/sources.py",
      "    target = Path(os.path.realpath(path))\n", "    target = path.absolute()\n",
      "tests/test_output_integrity.py", "tests/test_check.py"),
    m("importer-containment-off", "an import follows a symlink or setting out of the "
      "project it imports", "helpgen/importers/common.py",
      "    real = Path(path).resolve()\n", "    real = Path(path).absolute()\n",
      "tests/test_import_hardening.py", "tests/test_import.py",
      "tests/test_import_mkdocs_content.py",
      "tests/test_import_gitbook.py::test_gitbook_hostile_space_reads_nothing_outside_and_ends",
      "tests/test_import_docusaurus.py::test_docusaurus_reads_nothing_outside_the_site"),
    m("mkdocs-heading-ids-ignored", "markdown.heading_ids: mkdocs is ignored: a site moved "
      "from MkDocs loses its Chinese and punctuated #anchors", "helpgen/content/markup.py",
      '    if heading_ids == "helpgen":\n', '    if True:\n',
      "tests/test_import_mkdocs_fidelity.py", "tests/test_markup.py"),
    m("mkdocs-url-links-need-slash", "an imported link written as a URL without its slash "
      "(`./ccm`, `../rule_action#route`) is left as written", "helpgen/importers/mkdocs/pages.py",
      '    return url.rstrip("/")\n', '    return url\n',
      "tests/test_import_mkdocs_fidelity.py", "tests/test_import.py"),
    m("mkdocs-fallback-ignored", "an English-only page of a mkdocs-static-i18n site is a 404 "
      "under /zh/ (fallback_to_default ignored)", "helpgen/importers/mkdocs/importer.py",
      '.get("fallback_to_default") is not False', '.get("fallback_to_default") is True',
      "tests/test_import_mkdocs_fidelity.py", "tests/test_import.py"),
    m("zendesk-not-sanitized", "a Zendesk article's <script> and on… attributes are imported",
      "helpgen/importers/zendesk.py",
      'body_html, removed = clean_html(str(record.get("body") or ""))',
      'body_html, removed = str(record.get("body") or ""), []',
      "tests/test_import.py", "tests/test_import_hardening.py"),
    m("journal-left-on-full-disk", "a build that finds the disk full while writing its journal "
      "leaves .OUT.helpgen-journal.new beside the output", "helpgen/output/write.py",
      "        written.unlink(missing_ok=True)      # e.g. a full disk", "        pass  #",
      "tests/test_cli.py", "tests/test_output_integrity.py"),
    m("bug-while-writing-not-undone", "a bug (an unexpected exception) while writing the site "
      "leaves its temporary files and journal beside and inside the output",
      "helpgen/output/write.py", "    except BaseException as error:\n        _roll_back(undo)",
      "    except OSError as error:\n        _roll_back(undo)",
      "tests/test_cli.py", "tests/test_output_integrity.py"),
    m("foreign-folder-replaced", "building into a non-empty folder helpgen did not make "
      "replaces it", "helpgen/output/write.py",
      "if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():",
      "if out.is_dir() and not any(out.iterdir()) and not (out / MARKER).is_file():",
      "tests/test_cli.py", "tests/test_output_integrity.py"),
    m("stale-pages-kept", "a deleted article's page stays published", "helpgen/output/write.py",
      "unwanted = [path for path in present if path not in wanted]", "unwanted = []",
      "tests/test_output.py", "tests/test_output_integrity.py"),
    m("unchanged-files-rewritten", "every build rewrites every file (unchanged pages get new "
      "modification times, so uploads send everything)", "helpgen/output/write.py",
      "if stat is not None and (entry[:3] == stat", "if False and (entry[:3] == stat",
      "tests/test_output.py", "tests/test_output_integrity.py", "tests/test_cache.py"),

    # --- Search ------------------------------------------------------------------------------
    m("typing-prefix-off", "while typing, 'refu' does not find 'refund' (the word being typed "
      "is not a prefix)", "helpgen/client/engine.js",
      "var trailing = typing ? TRAILING_RUN.exec(text) : null;", "var trailing = null;",
      "tests/test_search_browser.py"),
    m("title-boost-removed", "the title's words weigh in scores no more than the body's "
      "(boost 10 → 1): of two articles each titled with one of the query's words, the one "
      "titled with the common word comes first when its body repeats the rare one",
      "helpgen/output/search/index.py",
      'FIELDS = (("title", 10),', 'FIELDS = (("title", 1),',
      "tests/test_search_index.py", "tests/test_search_browser.py"),
    m("title-order-reversed", "results with the words in their title come after those "
      "without", "helpgen/client/engine.js",
      "return b.hits - a.hits || b.title - a.title ||",
      "return b.hits - a.hits || a.title - b.title ||",
      "tests/test_search_browser.py"),
    m("terms-key-ignores-title", "after a title is edited, search still finds the article "
      "by its old title (an incremental build reuses the old terms)", "helpgen/output/search/index.py",
      "return digest(locale, article.title, article.tags,",
      "return digest(locale, article.tags,",
      "tests/test_cache.py", "tests/test_search_index.py"),

    # --- Pages, URLs and the site's structure -------------------------------------------------
    m("sitemap-no-hreflang", "the sitemap lists no hreflang alternates for a page in two "
      "locales", "helpgen/output/host_files.py",
      "for alternate in page.alternates if len(page.alternates) > 1 else ():",
      "for alternate in page.alternates if len(page.alternates) > 2 else ():",
      "tests/test_output.py"),
    m("base-path-dropped", "under site.url https://x.example/help/, canonical, sitemap and "
      "hreflang URLs lose /help/", "helpgen/settings/address.py",
      'f"/{path}/" if path else "/")', '"/")',
      "tests/test_output.py", "tests/test_cli.py", "tests/test_brands.py"),
    m("brand-not-in-its-folder", "without site.url (or with a query in it), a brand's 404 "
      "links and canonical URLs leave out its folder <id>/", "helpgen/settings/address.py",
      'folder = replace(self, path=f"{self.path}{brand_id}/")', "folder = self",
      "tests/test_brands.py"),
    m("brand-ignores-base-path", "with --base-url /help/, a brand with its own url is served "
      "from its host's root instead of /help/<id>/", "helpgen/settings/address.py",
      "return replace(folder, origin=own.origin) if self.path_given else own", "return own",
      "tests/test_brands.py"),
    m("canonical-untranslated", "an untranslated copy's canonical URL is its own, not the "
      "original's (duplicate content)", "helpgen/output/pages.py",
      "canonical=None if absolute_links else address.absolute(original_url or url),",
      "canonical=None if absolute_links else address.absolute(url),",
      "tests/test_output.py", "tests/test_brands.py"),
    m("page-links-no-slash", "links to pages lose their trailing slash (from file:// they "
      "open a folder listing)", "helpgen/content/urls.py",
      '    elif path.endswith("/") or path == "":\n        rel += "/"\n', "",
      "tests/test_urls.py", "tests/test_output.py"),
    m("404-relative-links", "the 404 page, served at any address, has relative links that "
      "break away from its folder", "helpgen/output/pages.py",
      'self.render("404.html", f"{locale.url}404.html", absolute_links=True)',
      'self.render("404.html", f"{locale.url}404.html", absolute_links=False)',
      "tests/test_output.py", "tests/test_serve.py"),
    m("related-not-localized", "a translation's related articles link to the default-locale "
      "pages", "helpgen/content/assembly.py",
      "target = self.placements.get((code, key)) or self.placements.get(\n"
      "                (self.config.default_locale, key)) if key else None",
      "target = self.placements.get((self.config.default_locale, key)) or "
      "self.placements.get(\n                (code, key)) if key else None",
      "tests/test_output.py"),
    m("untranslated-inverted", "untranslated: show_default shows nothing (and the default "
      "setting shows copies)", "helpgen/content/placement.py",
      'if config.untranslated == "show_default":', 'if config.untranslated != "show_default":',
      "tests/test_output.py"),
    m("unordered-first", "articles without 'order' come before ordered ones",
      "helpgen/content/assembly.py", "return (order if isinstance(order, int) else math.inf,",
      "return (order if isinstance(order, int) else 0,",
      "tests/test_output.py"),
    m("previous-wraps", "the first article of a section links 'previous' to the last one",
      "helpgen/content/assembly.py", "previous=links[index - 1] if index > 0 else None,",
      "previous=links[index - 1] if index >= 0 else None,",
      "tests/test_output.py"),

    # --- Contact, feedback, live preview -------------------------------------------------------
    m("required-message-not-checked", "the contact form sends with its required message "
      "left empty", "helpgen/client/contact.js",
      "if (el.required && empty) message",
      'if (el.required && empty && el.tagName !== "TEXTAREA") message',
      "tests/test_contact.py"),
    m("feedback-contact-on-yes", "after 'No', the feedback box does not offer the contact "
      "page (it does after 'Yes')", "themes/default/static/helpgen.js",
      'if (contact && vote === "no") contact.hidden = false;',
      'if (contact && vote === "yes") contact.hidden = false;',
      "tests/test_contact.py"),
    m("check-strict-ignored", "`helpgen check --strict` exits 0 with warnings",
      "helpgen/commands/check.py", "(strict or problem.code in config.check_errors)",
      "(problem.code in config.check_errors)",
      "tests/test_check.py"),
    m("folder-settings-code-structure", "`check` reports an unknown key in a _category.yml "
      "as structure, not front-matter", "helpgen/content/sources.py",
      "check_against_schema(data, schema, meta_path, lines, report, code=FRONT_MATTER)",
      "check_against_schema(data, schema, meta_path, lines, report, code=STRUCTURE)",
      "tests/test_problem_codes.py"),
    m("review-by-a-day-early", "`check` calls an article stale on its review_by date itself "
      "(the date has not passed yet)", "helpgen/commands/check.py",
      "if article.review_by and article.review_by < self.on:",
      "if article.review_by and article.review_by <= self.on:",
      "tests/test_check.py"),
    m("missing-translation-of-draft", "`check` asks for translations of draft articles",
      "helpgen/commands/check.py",
      'if source.locale != config.default_locale or source.meta.get("draft"):',
      "if source.locale != config.default_locale:",
      "tests/test_check.py"),
    m("serve-editor-temp-rebuilds", "the live preview rebuilds on an editor's swap or "
      "backup files", "helpgen/commands/serve.py",
      "return not any(EDITOR_TEMP.match(part) for part in parts[1:])", "return True",
      "tests/test_serve.py"),
    m("serve-404-default-locale", "the live preview shows the default-locale 404 page under "
      "/zh-CN/", "helpgen/commands/serve.py",
      'for page in ((out / first / "404.html") if first and first not in (".", "..") else None,',
      'for page in (None,',
      "tests/test_serve.py"),
    # --- Planted blind (2026-12-05): chosen from the code, with the selections a reviewer would
    # name, before looking for tests of them: a check that the score is not fitted to the tests.
    m("search-results-unescaped", "a title or snippet with < and > in search results is "
      "inserted as HTML (escapeHtml forgets them)",
      "helpgen/client/engine.js", 'return String(text).replace(/[&<>"\']/g, function (c) {',
      'return String(text).replace(/[&"\']/g, function (c) {',
      "tests/test_search_browser.py", "tests/test_output.py"),
    m("honeypot-ignored", "a contact form whose hidden honeypot field a bot filled in is sent",
      "helpgen/client/contact.js", "return !!(trap && trap.value);", "return false;",
      "tests/test_contact.py"),
    m("sitemap-x-default-last", "the sitemap's x-default alternate is the last translation, "
      "not the default-locale page",
      "helpgen/output/host_files.py",
      "default = next((a for a in page.alternates if a.locale == site.default_locale), None)",
      "default = page.alternates[-1] if page.alternates else None",
      "tests/test_output.py"),
    m("tokenizer-case-sensitive", "search for 'Refund' misses 'refund' in the index (the Python "
      "tokenizer stops lowercasing; the browser's still does)",
      "helpgen/output/search/tokenizer.py", 'text = unicodedata.normalize("NFKC", text).lower()',
      'text = unicodedata.normalize("NFKC", text)',
      "tests/test_tokenizer.py", "tests/test_search_index.py"),
    m("slug-keeps-dots", "a file named 'v2.1-notes.md' gets the URL v2.1-notes/ instead of "
      "v2-1-notes/ (dots kept in slugs)",
      "helpgen/content/urls.py", 're.sub(r"[\\s.]+", "-", text)', 're.sub(r"[\\s]+", "-", text)',
      "tests/test_urls.py", "tests/test_output.py"),
    m("duplicate-title-case-sensitive", "`check` misses two articles titled 'Refund policy' "
      "and 'Refund Policy' in one section",
      "helpgen/commands/check.py", 'title = " ".join(article.title.split()).casefold()',
      'title = " ".join(article.title.split())',
      "tests/test_check.py"),
    m("hreflang-own-locale", "every page's hreflang alternates name the page's own locale",
      "themes/default/templates/base.html",
      '<link rel="alternate" hreflang="{{ alternate.locale }}" href="{{ alternate.href }}">',
      '<link rel="alternate" hreflang="{{ locale.code }}" href="{{ alternate.href }}">',
      "tests/test_output.py"),
    m("stale-after-ten-years", "`check` calls an article stale only after ten years, not one "
      "(stale_after_days' default)",
      "helpgen/settings/config.py", "DEFAULT_STALE_AFTER_DAYS = 365", "DEFAULT_STALE_AFTER_DAYS = 3650",
      "tests/test_check.py"),
    m("yaml-depth-unbounded", "YAML nested thousands of levels deep is parsed (the nesting "
      "limit goes from 64 to 100,000)",
      "helpgen/settings/yamlio.py", "MAX_DEPTH = 64", "MAX_DEPTH = 100_000",
      "tests/test_hardening_settings.py", "tests/test_errors.py"),
    m("logo-width-missing", "the header logo has no width: the header shifts when it loads "
      "(Lighthouse: a layout shift of 0.36 on a phone)",
      "themes/default/templates/partials/header.html",
      '{% if brand.logo_width %} width="{{ brand.logo_width }}"{% endif %}', "",
      "tests/test_theme.py"),
    m("jpeg-logo-size-swapped", "a JPEG logo's width and height are read the wrong way round "
      "(a wide logo gets a narrow box)",
      "helpgen/settings/images.py", "            return width, height",
      "            return height, width", "tests/test_theme.py"),
    # --- Readable by machines: Markdown copies, llms.txt (issue 16) ---------------------------
    m("llms-full-links-from-the-page", "without site.url, the links of llms-full.txt are written "
      "relative to each article's page, not to the file at the locale root (all broken)",
      "helpgen/output/markdown.py",
      "in_full = copy if address.origin else article_markdown(title, url, body, address, at)",
      "in_full = copy", "tests/test_machine_readable.py"),
    m("llms-lists-untranslated-copies", "a locale's llms.txt and llms-full.txt list the "
      "untranslated copies shown in it (the default locale's articles, twice over)",
      "helpgen/output/markdown.py",
      "return [article for article in articles if not article.original_url]",
      "return list(articles)", "tests/test_machine_readable.py"),
    m("md-alert-title-dropped", "an admonition said as a GitHub alert loses its own title "
      '(`!!! tip "Save time"` is only > [!TIP])', "helpgen/output/markdown.py",
      "if title and title.upper() != alert:", "if title and alert is None:",
      "tests/test_machine_readable.py"),
    m("md-caution-as-warning", "a GitHub `> [!CAUTION]` becomes a WARNING titled Caution in "
      "the Markdown copy (the title read as Material's alias)", "helpgen/output/markdown.py",
      "alert = title.upper() if title.upper() in ALERTS.values() else next(",
      "alert = ALERTS.get(title.lower()) or next(", "tests/test_machine_readable.py"),
    m("md-tabs-unlabelled", "content tabs in the Markdown copy lose their labels (Web, Mobile…)",
      "helpgen/output/markdown.py", 'return f"\\n\\n{title}{text.strip()}\\n\\n"',
      'return f"\\n\\n{text.strip()}\\n\\n"', "tests/test_machine_readable.py"),
    m("md-icon-name-lost", "an icon (:material-cog:) vanishes from the Markdown copy: the page "
      "does not keep its name", "helpgen/content/markup.py",
      'icon.set("data-icon", shortname.strip(":"))', "pass",
      "tests/test_machine_readable.py", "tests/test_markup.py"),
    m("md-heading-not-shifted", "a body heading of the first level is a second `#` title in "
      "the Markdown copy", "helpgen/output/markdown.py", 'shift="<h1" in body.html',
      "shift=False", "tests/test_machine_readable.py"),
    m("md-head-link-to-page", "the page head's text/markdown link names the page itself, not "
      "its Markdown copy", "themes/default/templates/article.html",
      "{{ url(article.markdown_url) }}", "{{ url(article.url) }}",
      "tests/test_machine_readable.py", "tests/test_output.py"),
    m("md-untranslated-copy-links-own", "an untranslated copy's head names a Markdown copy of "
      "its own, which does not exist", "helpgen/content/model.py",
      "markdown_copy(self.original_url or self.url)", "markdown_copy(self.url)",
      "tests/test_machine_readable.py", "tests/test_output.py"),
    m("md-cache-key-without-body", "an edited article keeps its old Markdown copy and "
      "llms-full.txt text (the cached step's key leaves out the body)",
      "helpgen/output/markdown.py",
      'digest("markdown", article.title, article.url, fingerprints.of(article.body),',
      'digest("markdown", article.title, article.url,',
      "tests/test_machine_readable.py", "tests/test_cache.py"),
    m("md-copy-claimable-by-alias", "an alias may take an article's index.md: its redirect "
      "page and the Markdown copy are written to one file", "helpgen/content/placement.py",
      "claims.taken[fold(markdown_copy(url))] = source.path", "pass",
      "tests/test_machine_readable.py", "tests/test_reserved_urls.py"),
    m("md-deep-html-crashes", "an article with HTML nested hundreds of levels deep stops the "
      "build with an internal error (its Markdown copy runs out of stack)",
      "helpgen/output/markdown.py", "    flatten(soup, MAX_DEPTH)\n", "",
      "tests/test_machine_readable.py"),
    m("md-served-without-charset", "hosts send the Markdown copies and llms.txt without a "
      "charset (Chinese read as Latin-1)", "helpgen/output/host_files.py",
      'f"{root}*.md\\n  Content-Type: text/markdown; charset=utf-8\\n"', '""',
      "tests/test_machine_readable.py", "tests/test_serve.py"),
]


def check_catalogue(mutants: list[Mutant]) -> list[str]:
    """Problems with the catalogue: duplicate ids, `old` texts not found exactly once."""
    problems, seen = [], set()
    for mutant in mutants:
        if mutant.id in seen:
            problems.append(f"{mutant.id}: duplicate id")
        seen.add(mutant.id)
        path = ROOT / mutant.file
        text = path.read_text(encoding="utf-8") if path.is_file() else ""
        count = text.count(mutant.old)
        if count != 1:
            problems.append(f"{mutant.id}: `old` found {count} times in {mutant.file}")
        elif mutant.old == mutant.new:
            problems.append(f"{mutant.id}: `new` is the same as `old`")
        for test in mutant.tests:
            if test.startswith("tests/") and not (ROOT / test.split("::")[0]).is_file():
                problems.append(f"{mutant.id}: no test file {test}")
    return problems


def tracked_files() -> list[str]:
    listing = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, check=True,
                             capture_output=True).stdout
    return [name for name in listing.decode().split("\0") if name]


def copy_project(files: list[str], target: Path) -> None:
    for name in files:
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


def run_mutant(mutant: Mutant, files: list[str], timeout: float, plant: bool = True
               ) -> tuple[str, float, str]:
    """(verdict, seconds, last lines of pytest's output) for one mutant; with `plant` False,
    its tests run on the unchanged code (the control: they must pass there)."""
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix=f"mutant-{mutant.id}-") as folder:
        copy = Path(folder) / "project"
        copy_project(files, copy)
        if plant:
            path = copy / mutant.file
            path.write_text(path.read_text(encoding="utf-8").replace(mutant.old, mutant.new, 1),
                            encoding="utf-8")
        env = {**os.environ, "PYTHONPATH": str(copy), "HELPGEN_REQUIRE_BROWSER": "1",
               "PYTHONDONTWRITEBYTECODE": "1"}
        command = [sys.executable, "-m", "pytest", *mutant.tests, "-x", "-q",
                   "-p", "no:cacheprovider"]
        try:
            result = subprocess.run(command, cwd=copy, env=env, capture_output=True, text=True,
                                    timeout=timeout, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            return "error (timeout)", time.monotonic() - started, ""
    tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-3:])
    if not plant:
        verdict = "passes" if result.returncode == 0 else f"FAILS (pytest exit {result.returncode})"
    else:
        verdict = {0: "SURVIVED", 1: "caught"}.get(result.returncode,
                                                   f"error (pytest exit {result.returncode})")
    return verdict, time.monotonic() - started, tail


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", nargs="+", metavar="ID", help="run these mutants only")
    parser.add_argument("--list", action="store_true", help="list the mutants and exit")
    parser.add_argument("-j", "--jobs", type=int, default=2, help="mutants run in parallel")
    parser.add_argument("--timeout", type=float, default=300, help="seconds per mutant")
    parser.add_argument("--control", action="store_true",
                        help="run each distinct test selection on the unchanged code instead "
                        "(every one must pass, or 'caught' means nothing)")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="show the end of pytest's output for each mutant")
    args = parser.parse_args()

    problems = check_catalogue(MUTANTS)
    if problems:
        print("the catalogue does not match the code:", *problems, sep="\n  ", file=sys.stderr)
        return 2
    mutants = MUTANTS
    if args.only:
        unknown = set(args.only) - {mutant.id for mutant in MUTANTS}
        if unknown:
            parser.error(f"unknown mutant(s): {', '.join(sorted(unknown))}")
        mutants = [mutant for mutant in MUTANTS if mutant.id in args.only]
    if args.list:
        for mutant in mutants:
            print(f"{mutant.id:28} {mutant.file:28} {mutant.behaviour}")
        return 0

    files = tracked_files()
    if args.control:
        selections = {mutant.tests: mutant for mutant in mutants}
        mutants = list(selections.values())
    started = time.monotonic()
    caught = passing = 0
    with ThreadPoolExecutor(args.jobs) as pool:
        futures = [(mutant, pool.submit(run_mutant, mutant, files, args.timeout,
                                               not args.control))
                   for mutant in mutants]
        for mutant, future in futures:
            verdict, seconds, tail = future.result()
            caught += verdict == "caught"
            passing += verdict == "passes"
            if args.control:
                print(f"{verdict:8} {seconds:6.1f}s  {' '.join(mutant.tests)}", flush=True)
            else:
                print(f"{verdict:8} {seconds:6.1f}s  {mutant.id}: {mutant.behaviour}",
                      flush=True)
            if verdict != "caught" and not args.control:
                print(f"{'':17}tests: {' '.join(mutant.tests)}", flush=True)
            if args.verbose and tail:
                print("\n".join(f"{'':17}| {line}" for line in tail.splitlines()), flush=True)
    print(f"total {time.monotonic() - started:.0f}s with -j {args.jobs}")
    if args.control:
        print(f"selections passing unchanged: {passing}/{len(mutants)}")
        return 0 if passing == len(mutants) else 1
    print(f"mutants caught: {caught}/{len(mutants)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
