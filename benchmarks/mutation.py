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
      "helpgen/commands/serve.py", "headers = self._site_headers(state)", "headers = []",
      "tests/test_serve.py"),
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
      '"review_by", "icon",', '"review_by",',
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
      "helpgen/pipeline.py",
      "take(config.root, target, (strict, base_url, brand, precompress, audience))",
      "take(config.root, target, (base_url, brand, precompress, audience))",
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
    m("output-folders-unchecked", "a file added to the output by hand stays there: a build "
      "with nothing changed is answered without looking at the output's folders",
      "helpgen/output/write.py",
      "return _signed(base, folders, folders_digest) and files_same.result() and",
      "return files_same.result() and", "tests/test_stamp.py", "-k", "change_to_the_output"),
    m("output-files-unchecked", "an output page edited by hand stays as it is: a build with "
      "nothing changed is answered without the files' signatures the forked check compares",
      "helpgen/output/write.py",
      "return _signed(base, folders, folders_digest) and files_same.result() and",
      "return _signed(base, folders, folders_digest) and", "tests/test_stamp.py", "-k",
      "change_to_the_output"),
    m("signature-without-change-time", "an article or an output page edited with its size and "
      "modification time put back is not rebuilt (a file's change time is not part of its "
      "signature)", "helpgen/infra/signatures.py",
      "status.st_mtime_ns, status.st_ctime_ns, status.st_ino)",
      "status.st_mtime_ns, status.st_mtime_ns, status.st_ino)",
      "tests/test_stamp.py"),
    m("output-subfolders-uncounted", "a build moments after another is never answered: the "
      "folders it lists count only their files, not their subfolders",
      "helpgen/output/write.py", "for path in [*manifest, *folders[1:]]",
      "for path in manifest", "tests/test_stamp.py", "-k", "moments_after"),
    m("front-matter-trusts-racy-stat", "an article saved again within one timestamp tick of "
      "being read keeps its old text (its front matter is reused by size and times alone)",
      "helpgen/content/sources.py",
      "if old_signature == file and not changed_lately(old_signature, old_read_at):",
      "if old_signature == file:",
      "tests/test_cache.py"),
    m("source-body-garbled", "an article's non-English text is garbled on its page (its body "
      "as the cache keeps it decoded from the wrong encoding)", "helpgen/content/sources.py",
      'body.decode("utf-8", "surrogatepass")', 'body.decode("latin-1")',
      "tests/test_cache.py", "-k", "cached_and_parallel"),
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
    m("stored-bytes-unchecked", "a page restored from the build cache after its bytes there were "
      "damaged is published damaged (the stored bytes are not checked against their digest)",
      "helpgen/infra/cache.py", "if row is not None and content_digest(row[0]) == digest:",
      "if row is not None:", "tests/test_stored_files.py"),
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
      '        stage()\n        _record(journal, "commit", commit, durable)\n',
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
    m("spool-misplaces-files", "a command-line build publishes every page with the bytes of "
      "the first file it made (the files set aside are read back from the wrong place)",
      "helpgen/output/write.py", "                end += len(content)\n", "",
      "tests/test_output_integrity.py", "tests/test_output.py"),
    m("spool-full-disk-crashes", "a build whose site folder's disk fills up while it renders "
      "fails, though the files could wait in memory", "helpgen/output/write.py",
      "        except OSError:\n            self._full = True",
      "        except ValueError:\n            self._full = True",
      "tests/test_output_integrity.py"),
    m("stale-pages-kept", "a deleted article's page stays published", "helpgen/output/write.py",
      "unwanted = [path for path in present if path not in wanted]", "unwanted = []",
      "tests/test_output.py", "tests/test_output_integrity.py"),
    m("unchanged-files-rewritten", "every build rewrites every file (unchanged pages get new "
      "modification times, so uploads send everything)", "helpgen/output/write.py",
      "if stat is not None and (entry[:4] == stat", "if False and (entry[:4] == stat",
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
      "tests/test_cache.py", "tests/test_search_index.py", "tests/test_search_incremental.py"),
    m("move-keeps-gap-after-run", "after an article is moved in a live preview, search finds "
      "some articles under another's title (the posting after the documents that moved keeps "
      "its old gap)", "helpgen/output/search/index.py",
      "places = {start, end}", "places = {start}",
      "tests/test_search_incremental.py"),
    m("splice-keeps-next-gap", "after an edit in a live preview adds a word to an article's "
      "title, search finds the next article with that word under another's title",
      "helpgen/output/search/index.py",
      "for place in (at, at + 1):", "for place in (at,):",
      "tests/test_search_incremental.py"),
    m("stored-snippet-kept-after-edit", "after an article's text is edited, `helpgen build` "
      "shows the old text in its search result's snippet (the snippet file of the index the "
      "last build stored kept)", "helpgen/output/search/live.py",
      "if article.body.key != self.texts[doc]:", "if article.body.key is None:",
      "tests/test_search_command_line.py"),
    m("stored-terms-forgotten", "after words are removed from an article, `helpgen build` "
      "still finds it by them (its earlier terms, read from the stored index, taken as none)",
      "helpgen/output/search/live.py",
      "                    for doc, count in held.counts_of(wanted).items():",
      "                    for doc, count in held.counts_of(()).items():",
      "tests/test_search_incremental.py", "-k", "command_line"),
    m("terms-batch-numbered-from-0", "in a site of more than 500 articles, search finds some "
      "articles under another's title (each batch of articles tokenized together numbered "
      "from the first document)", "helpgen/output/search/index.py",
      "for doc, document in enumerate(batch, start):", "for doc, document in enumerate(batch):",
      "tests/test_search_index.py"),

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
      "helpgen/content/assembly.py", "links[index - 1] if index > 0 else None,",
      "links[index - 1] if index >= 0 else None,",
      "tests/test_output.py"),

    # --- Feeds and search descriptions (issue 16) -----------------------------------------------
    m("feed-lists-copies", "a locale's feed lists the untranslated copies it shows, in the "
      "default locale's language", "helpgen/output/feeds.py",
      "for article in section.articles\n                        if not article.original_url)",
      "for article in section.articles)",
      "tests/test_feeds.py"),
    m("feed-unbounded", "a feed lists every article of the locale, not the newest fifty",
      "helpgen/output/feeds.py", "_newest_own, category))[:FEED_ENTRIES]",
      "_newest_own, category))",
      "tests/test_feeds.py"),
    m("feed-updated-oldest", "a feed says it was updated when its oldest entry was, so "
      "readers miss new articles", "helpgen/output/feeds.py",
      '_add(feed, "updated", _timestamp(articles[0]))',
      '_add(feed, "updated", _timestamp(articles[-1]))', "tests/test_feeds.py"),
    m("feed-relative-links", "a feed's entries link to paths, which a feed reader cannot "
      "open", "helpgen/output/feeds.py", "url = address.absolute(article.url)",
      "url = article.url", "tests/test_feeds.py"),
    m("opensearch-wrong-parameter", "the browser's search engine opens the search page with "
      "?query=, which it does not read: no results", "helpgen/output/feeds.py",
      '+ "?q={searchTerms}"', '+ "?query={searchTerms}"', "tests/test_feeds.py"),
    m("opensearch-name-in-bytes", "a Chinese site's search engine name is cut short (counted "
      "in UTF-8 bytes, not characters)", "helpgen/output/feeds.py",
      "    if len(text) <= limit:\n        return text",
      "    if len(text.encode()) <= limit:\n        return text", "tests/test_feeds.py"),
    m("feed-link-from-root", "below a locale's home page, the head's feed link leads nowhere "
      "(the site-root path written as a relative link)", "themes/default/templates/base.html",
      'href="{{ url(feed_url) }}"', 'href="{{ feed_url }}"', "tests/test_feeds.py"),
    m("head-links-not-in-page-key", "a locale's first article brings a feed, but the pages "
      "kept from the last build do not link it", "helpgen/output/pages.py",
      "fingerprints.of(self.theme_context),\n                                 self.head_links)",
      "fingerprints.of(self.theme_context))", "tests/test_feeds.py"),
    m("feed-control-characters", "an article whose text holds a control character makes "
      "its locale's feed unreadable (not well-formed XML)", "helpgen/output/feeds.py",
      'child.text = text and NOT_XML.sub("", text)', "child.text = text", "tests/test_feeds.py"),
    m("feed-type-not-in-headers", "hosts and the preview send feed.xml as any XML, not Atom",
      "helpgen/output/host_files.py", "for path, kind in sorted(media_types.items())",
      "for path, kind in ()", "tests/test_feeds.py", "tests/test_serve.py"),
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
    # --- Translations that fall behind their original (issue 17) ------------------------------
    m("translation-trailer-ignored", "a commit marked `Translation: not-needed` still makes "
      "translations out of date", "helpgen/content/history.py",
      "minor = NOT_NEEDED in {value.strip().lower() for value in trailers.split(\",\")}",
      "minor = False", "tests/test_translations.py"),
    m("translation-uncommitted-ignored", "an uncommitted edit to an original does not make its "
      "translations out of date", "helpgen/content/history.py",
      'for entry in status.split("\\0"):', 'for entry in status.split("\\0")[:0]:',
      "tests/test_translations.py"),
    m("translation-same-commit-outdated", "a translation committed together with its original "
      "is called out of date", "helpgen/content/translations.py",
      "changed.needs_translation > translated.rank",
      "changed.needs_translation >= translated.rank", "tests/test_translations.py",
      "tests/test_check.py"),
    m("translation-pin-ignored", "`translated_from:` is ignored: pins tell nothing without git",
      "helpgen/content/translations.py", "pin = source.meta.get(PIN)", "pin = None",
      "tests/test_translations.py"),
    m("outdated-notice-links-itself", "the outdated translation's notice links the translation, "
      "not the original", "helpgen/content/assembly.py",
      "return original.url if original else None",
      "return placement.url if original else None", "tests/test_translations.py"),
    m("outdated-notice-always", "`translations.outdated_notice: false` still shows the notice",
      "helpgen/content/assembly.py", "if self.config.outdated_notice else set()",
      "if True else set()", "tests/test_translations.py"),
    m("stamp-ignores-commits", "a build with no file changed misses a commit (dates, outdated "
      "translations)", "helpgen/infra/stamp.py",
      'head = _git_head(root / "articles")', 'head = ""',
      "tests/test_translations.py", "tests/test_stamp.py"),
    m("status-compare-reversed", "the status page's link to what changed compares the wrong "
      "way", "helpgen/commands/translations.py", "compare/{since}...{self.head}",
      "compare/{self.head}...{since}", "tests/test_translations.py"),
    m("serve-editor-temp-rebuilds", "the live preview rebuilds on an editor's swap or "
      "backup files", "helpgen/commands/serve.py",
      "return not any(EDITOR_TEMP.match(part) for part in parts[1:])", "return True",
      "tests/test_serve.py"),
    m("serve-404-default-locale", "the live preview shows the default-locale 404 page under "
      "/zh-CN/", "helpgen/commands/serve.py",
      'for page in ((out / first / "404.html") if first and first not in (".", "..") else None,',
      'for page in (None,',
      "tests/test_serve.py"),
    # --- Copy as Markdown (issue 16) -----------------------------------------------------------
    m("copy-markdown-copies-page", "'Copy as Markdown' copies the page's HTML, not its Markdown "
      "copy", "themes/default/static/helpgen.js",
      "return fetch(markdown.href).then(", "return fetch(location.href).then(",
      "tests/test_copy_markdown.py"),
    m("copy-markdown-error-page-copied", "'Copy as Markdown' copies the text of a 404 page and "
      "says it copied the article", "themes/default/static/helpgen.js",
      "if (!response.ok) throw new Error(response.status);\n        return response.text();",
      "return response.text();",
      "tests/test_copy_markdown.py"),
    m("copy-markdown-write-text-inverted", "'Copy as Markdown' fails in a browser without "
      "ClipboardItem (the feature test inverted)", "themes/default/static/helpgen.js",
      "if (!window.ClipboardItem) {", "if (window.ClipboardItem) {",
      "tests/test_copy_markdown.py"),
    m("copy-markdown-silent-success", "after 'Copy as Markdown' nothing says it was copied",
      "themes/default/static/helpgen.js",
      "copyStatus.textContent = copyStrings.copied;", 'copyStatus.textContent = "";',
      "tests/test_copy_markdown.py"),
    m("copy-markdown-failure-unlinked", "where 'Copy as Markdown' cannot copy (file://, a "
      "missing file) the reader is not offered the Markdown file", "themes/default/static/helpgen.js",
      "copyStatus.appendChild(open);", "",
      "tests/test_copy_markdown.py"),
    m("copy-markdown-without-js", "the 'Copy as Markdown' button shows without JavaScript, "
      "where it does nothing", "themes/default/static/helpgen.css",
      ".article-tools { display: none; flex-wrap", ".article-tools { display: flex; flex-wrap",
      "tests/test_copy_markdown.py"),
    m("copy-markdown-printed", "the 'Copy as Markdown' button is printed with the article",
      "themes/default/static/helpgen.css",
      "  .article-tools { display: none !important; }", "",
      "tests/test_copy_markdown.py"),
    m("copy-markdown-zh-tw-simplified", "the zh-TW button reads in Simplified Chinese",
      "themes/default/i18n/zh-TW.yml", "label: 複製為 Markdown", "label: 复制为 Markdown",
      "tests/test_copy_markdown.py"),
    m("copy-markdown-ja-english", "the Japanese page's button says 'Copy as Markdown' in "
      "English (its ja string missing)", "themes/default/i18n/ja.yml",
      "  label: Markdown としてコピー\n", "",
      "tests/test_copy_markdown.py"),
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
    # --- Contextual help in the widget (issue 17) -------------------------------------------
    m("context-path-not-encoded", "a context path with letters outside ASCII (/账单/*) never "
      "matches: browsers percent-encode them in the page's address",
      "helpgen/content/contexts.py", "        return quote(written, safe=_KEPT)",
      "        return written", "tests/test_contexts.py"),
    m("context-error-at-key-line", "a bad context in a list is reported at the line of "
      "`contexts:`, not at its own", "helpgen/content/contexts.py",
      'lines.get(("contexts", str(index))) or lines.get(("contexts",))',
      'lines.get(("contexts",))', "tests/test_contexts.py"),
    m("context-not-inherited", "a translation suggests nothing on the pages its original "
      "names (contexts not inherited)",
      "helpgen/content/placement.py", '"review_by", "icon",\n             "contexts")',
      '"review_by", "icon")', "tests/test_contexts.py"),
    m("context-category-ignored", "a category's contexts suggest none of its articles",
      "helpgen/content/assembly.py", '*(group.meta.get("contexts") or ()))', ")",
      "tests/test_contexts.py"),
    m("context-label-not-first", "a page's data-context label ranks its articles below those "
      "of any address pattern", "helpgen/content/contexts.py", "        return (0, 0)",
      "        return (2, 0)", "tests/test_contexts.py"),
    m("context-promoted-not-first", "among equally specific suggestions, promoted articles "
      "are not first", "helpgen/output/widget.py", "key=lambda a: not a.promoted)", ")",
      "tests/test_contexts.py"),
    m("context-query-ignored", "a context with a query (/settings?tab=plan*) never matches "
      "(the page's query left out)", "helpgen/client/widget.js",
      '(beforeHash.indexOf("?") < 0 ? "" : location.search)', '""', "tests/test_contexts.py"),
    m("context-pushstate-not-followed", "in a single-page app the suggestions stay those of "
      "the first page after history.pushState", "helpgen/client/widget.js",
      "      var result = original.apply(this, arguments);\n      refreshSuggestions();",
      "      var result = original.apply(this, arguments);", "tests/test_contexts.py"),
    m("context-suggestions-shown-while-typing", "\"Suggested for this page\" stays above the "
      "search results while the reader types", "helpgen/client/widget.js",
      "suggestedBox.hidden = !suggested.length || !!searchInput.value.trim();",
      "suggestedBox.hidden = !suggested.length;", "tests/test_contexts.py"),
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
    # --- Internal articles (issue 17): kept out of the public site, built for agents ------------
    m("internal-published", "internal articles are on the public site (the public build keeps "
      "every article)", "helpgen/content/audience.py", "    if audience == INTERNAL:\n        return sources",
      "    if audience in AUDIENCES:\n        return sources", "tests/test_internal.py"),
    m("internal-translations-public", "the translations of an internal article are published "
      "(they no longer inherit `audience: internal`)", "helpgen/content/audience.py",
      "if reason is None and own[primary.path] == INTERNAL and primary is not source:",
      "if reason is None and own[source.path] == INTERNAL and primary is not source:",
      "tests/test_internal.py"),
    m("internal-folder-not-inherited", "the articles of an internal category's sections are "
      "published (a folder's audience stops at its own files)", "helpgen/content/audience.py",
      "        if reason or own == INTERNAL:", "        if own == INTERNAL:",
      "tests/test_internal.py"),
    m("internal-folder-text-kept", "the public build warns that an internal folder's _index.md "
      "has no page (the folder's texts are kept)", "helpgen/content/audience.py",
      "folder_texts=tuple(t for t in sources.folder_texts\n                           if kept(",
      "folder_texts=tuple(t for t in sources.folder_texts\n                           if True or kept(",
      "tests/test_internal.py"),
    m("internal-link-keeps-address", "a public article's link to an internal article keeps "
      "its address (the internal file's name is published)", "helpgen/content/markup.py",
      "            if target == WITHHELD:\n                del element.attrib[attribute]\n", "",
      "tests/test_internal.py"),
    m("internal-link-is-broken-link", "a link to an internal article is reported as a link to "
      "a missing one (check.ignore: [internal-link] cannot silence it)",
      "helpgen/content/markup.py", "BrokenLink(target, is_image, places.link(target), withheld)",
      "BrokenLink(target, is_image, places.link(target))",
      "tests/test_problem_codes.py", "tests/test_internal.py"),
    m("internal-related-listed-as-missing", "a related article that is internal is reported "
      "as not found", "helpgen/content/assembly.py",
      "if any(map(self.links.is_withheld, candidates)):", "if False:",
      "tests/test_problem_codes.py", "tests/test_internal.py"),
    m("internal-stamp-forgets-audience", "a public build into the folder of an internal one "
      "does nothing, leaving the internal site there (the stamp forgets the audience)",
      "helpgen/pipeline.py", "(strict, base_url, brand, precompress, audience)",
      "(strict, base_url, brand, precompress)", "tests/test_internal.py", "tests/test_stamp.py"),
    m("internal-pages-indexable", "the agents' pages carry no noindex (the pages do not know "
      "the site is internal)", "helpgen/content/model.py",
      "self.analytics_endpoint, self.internal)", "self.analytics_endpoint)",
      "tests/test_internal.py"),
    m("internal-robots-allow", "the agents' site's robots.txt lets crawlers in",
      "helpgen/output/host_files.py",
      '    if site.internal:\n        return "User-agent: *\\nDisallow: /\\n"\n', "",
      "tests/test_internal.py"),
    m("internal-badge-not-in-lists", "an internal article in a list has no Internal badge",
      "themes/default/templates/partials/article-list.html",
      '{% if article.internal %} {% include "partials/internal-badge.html" %}{% endif %}', "",
      "tests/test_internal.py"),
    m("internal-check-public-only", "`helpgen check` reads only the public site: internal "
      "articles' broken links go unreported", "helpgen/commands/check.py",
      "audiences=(audience,) if audience else AUDIENCES,", "audiences=(audience or PUBLIC,),",
      "tests/test_internal.py", "tests/test_check.py"),
    # --- The support loop: helpgen collect, forwarding, report (issue 15) -------------------
    m("collect-any-origin", "any web page can post into the collector (the origin is not "
      "checked)", "helpgen/collect/app.py",
      "if origin is not None and origin.lower() not in collector.origins:",
      "if origin is None and origin is not None:",
      "tests/test_collect.py", "-k", "origins_may_send and sqlite"),
    m("collect-no-rate-limit", "one client can flood the collector (no rate limit)",
      "helpgen/collect/app.py", "if not limiter.hit(per_client, address or \"?\"):",
      "if False:", "tests/test_collect.py", "-k", "rate_limit"),
    m("collect-unbounded-body", "a huge request is read whole (no size limit)",
      "helpgen/collect/app.py", "        if len(body) > MAX_BODY:\n", "        if False:\n",
      "tests/test_collect.py", "-k", "bad_input and sqlite"),
    m("collect-spam-forwarded", "a bot's submission (honeypot filled) reaches the team's "
      "ticket system", "helpgen/collect/store.py", "if targets and not row.get(\"spam\"):",
      "if targets:", "tests/test_collect_forward.py", "-k", "spam"),
    m("forward-gives-up-at-once", "a target that fails once never gets the submission (no "
      "retry)", "helpgen/collect/forward.py",
      "if error is not None and attempts < MAX_ATTEMPTS and target is not None:",
      "if False:", "tests/test_collect_forward.py", "-k", "retried"),
    m("forward-unsigned-webhook", "the webhook cannot tell the request came from the collector "
      "(signed with the wrong body)", "helpgen/collect/forward.py",
      "secret.encode(), _json(payload), hashlib.sha256", "secret.encode(), b\"\", hashlib.sha256",
      "tests/test_collect_forward.py", "-k", "webhook"),
    m("report-traditional-apart", "發票 and 发票 are reported as two different searches",
      "helpgen/report/data.py", 'return _converter("t2s")(_SPACE_IN_CJK.sub("", text))',
      'return _SPACE_IN_CJK.sub("", text)', "tests/test_report.py", "-k", "needed"),
    m("report-helpful-first", "the report lists the most helpful articles first",
      "helpgen/report/data.py", "key=lambda e: (-e[\"unhelpful_share\"], -e[\"no\"], e[\"url\"])",
      "key=lambda e: (e[\"unhelpful_share\"], -e[\"no\"], e[\"url\"])",
      "tests/test_report.py", "-k", "needed"),
    m("insights-any-vote", "check --insights warns about an article after a single unhappy "
      "vote", "helpgen/report/insights.py", "if total < MIN_VOTES or", "if total < 1 or",
      "tests/test_report.py", "-k", "enough_votes"),
    m("article-page-key-without-body", "editing an article's body leaves its page as it was "
      "(the page's cache key covers its article without the body)", "helpgen/output/pages.py",
      'reads = self.fingerprints if template == "article.html" else self.listings',
      "reads = self.listings", "tests/test_incremental.py"),
    m("listings-keyed-by-bodies", "editing one article's body renders again every page "
      "listing it (home, its category, each section page of the category)",
      "helpgen/output/pages.py",
      "listings = memo.fingerprints if theme.listings_read_bodies else",
      "listings = memo.fingerprints if True else", "tests/test_incremental.py"),
    m("excerpts-not-in-listing-keys", "a theme whose listings show each article's text keeps "
      "the old text there after a body edit", "helpgen/output/theme.py",
      "elif node.attr in _BODY_FIELDS and not (", "elif node.attr in () and not (",
      "tests/test_incremental.py"),
    # --- Issue 18: helpgen serve builds an edit from its last build -------------------------
    m("session-shares-changed-article", "after a body edit, helpgen serve keeps showing the "
      "old text (the category assembled again keeps the previous article object)",
      "helpgen/content/assembly.py", "kept if (kept := articles.get(article.key)) == article",
      "kept if (kept := articles.get(article.key)) is not None", "tests/test_session.py"),
    m("session-ignores-front-matter", "after a title edit, helpgen serve keeps the old title "
      "in listings and links (the edit is built as if only its body changed)",
      "helpgen/session.py", "keys.add(after.key)", "keys.discard(after.key)",
      "tests/test_session.py"),
    m("session-keeps-old-links", "after an article is moved or deleted, helpgen serve keeps the "
      "other articles' links to where it was (their bodies are not converted again)",
      "helpgen/session.py", "    if links is before:\n", "    if True:\n",
      "tests/test_session.py"),
    m("session-reads-links-outside", "helpgen serve publishes a file outside the site folder "
      "that an article's file was replaced by a link to", "helpgen/session.py",
      "if folders is None or path.is_symlink():", "if folders is None:",
      "tests/test_session.py"),
    m("session-section-keeps-fixed-warnings", "helpgen serve still reports a broken link in "
      "an article after it was fixed (its section's earlier warnings kept)",
      "helpgen/content/assembly.py", "if w.path not in paths] + self.report.warnings[start:]",
      "if True] + self.report.warnings[start:]", "tests/test_session.py"),
    m("session-rewrites-no-article", "after a body edit, helpgen serve shows the old text (its "
      "section keeps the previous article)", "helpgen/content/assembly.py",
      "if article.key in keys else article for article in section.articles)",
      "if not keys else article for article in section.articles)", "tests/test_session.py"),
    m("session-redirect-old-title", "after a title edit, helpgen serve's redirect of the "
      "article's old URL (its alias) shows the old title",
      "helpgen/content/assembly.py", 'and before[w].meta["title"] != now[w].meta["title"]}',
      "and False}", "tests/test_session.py"),
    m("session-moved-into-kept-section", "an article moved into another section is missing from "
      "that section's page in helpgen serve (the section kept as it was)",
      "helpgen/content/assembly.py", "landing = {(code, p.source.category, p.source.section)",
      "landing = {(code, p.source.category, '')", "tests/test_session.py"),
    m("session-keeps-fixed-warnings", "helpgen serve still reports a broken link after it was "
      "fixed (the categories' earlier warnings are kept beside the new ones)",
      "helpgen/session.py", "if id(w) not in assembled]", "]", "tests/test_session.py"),
    m("preview-skips-same-length-parts", "helpgen serve leaves an edited page as it was: the "
      "write stage skips every part of the output holding as many files as before",
      "helpgen/output/write.py", "        if old is part:\n", "        if len(old) == len(part):\n",
      "tests/test_session.py", "tests/test_session_outputs.py"),
    m("preview-trusts-same-size", "helpgen serve does not write an edit that keeps a file's "
      "size (one word for another of its length)", "helpgen/output/write.py",
      "return before.content != file.content",
      "return len(before.content) != len(file.content)", "tests/test_session_outputs.py"),
    m("preview-joined-files-kept", "helpgen serve keeps the previous llms-full.txt, sitemap and "
      "feed after an edit changed them (a joined file reused without comparing its parts)",
      "helpgen/infra/reuse.py", "all(map(operator.is_, entry[0], parts))", "True",
      "tests/test_session_outputs.py"),
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
