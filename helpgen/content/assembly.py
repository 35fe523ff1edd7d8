"""Stage 4, model, second step: the content model assembled from a site's plan and its
converted bodies.

content/placement.py decided where every page goes; this puts the pages in order and connects
them: categories, sections and articles by `order` then title, each article's previous and next,
its related articles, its translations (`alternates`), the locales' promoted and recent articles,
the brand and contact page in each locale, and the redirects of aliases. It reports the problems
only the converted bodies show (broken links) and those of related articles and icons. Plain
data in, the frozen model (content/model.py) out: nothing here converts Markdown or knows of the
build cache.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import replace
from pathlib import Path

from helpgen.content.audience import INTERNAL, KEY as AUDIENCE
from helpgen.content.markup import RenderedMarkdown, icon_names, icon_svg
from helpgen.content.model import (LOGO_HEIGHT, Alternate, Article, Banner, Body, Brand,
                                   Category, ContactPage, FormFieldView, Link, Locale, PageText,
                                   Redirect, Section, Site, newest_first)
from helpgen.content.placement import Placement, SitePlan, place_aliases
from helpgen.content.sources import ArticleSource, GroupSource
from helpgen.content.translations import translation_states
from helpgen.errors import FRONT_MATTER, INTERNAL_LINK, HelpgenError, Report, did_you_mean
from helpgen.settings.address import SiteAddress
from helpgen.settings.config import BrandSettings, Config
from helpgen.settings.contact import form_facts
from helpgen.settings.locales import as_text, localize

RECENT_COUNT = 6
DESCRIPTION_LENGTH = 160


def assemble_site(plan: SitePlan, bodies: dict[tuple[str, str], tuple[RenderedMarkdown, str]],
                  report: Report, address: SiteAddress, internal: bool = False
                  ) -> tuple[Site, Assembly]:
    """The content model of the site `plan` places, with `bodies` (each published article's
    converted body and its body key, by (locale, key)); `internal`: the agents' help center.
    Problems go to `report`. With the Assembly that made it, which the live preview keeps."""
    assembly = Assembly(plan, bodies, report)
    return assembly.site(address, internal), assembly


class Assembly:
    """What assembling one site looks up: the plan, the bodies, and each article's
    translations (made once, shared by its pages). The live preview keeps it to assemble again
    only the categories an edit changed (`reassembled`)."""

    def __init__(self, plan: SitePlan, bodies: dict, report: Report):
        self.plan, self.bodies, self.report = plan, bodies, report
        self.config, self.sources, self.links = plan.config, plan.sources, plan.links
        self.placements = plan.placements
        self.sections = {(g.category, g.section): g for g in plan.sources.sections}
        self.categories = {g.category: g for g in plan.sources.categories}
        self.alternates: dict[str, tuple[Alternate, ...]] = {}    # article key -> its own
        self.published_groups = plan.published_groups
        self.texts = {(t.locale, t.category, t.section): t for t in plan.sources.folder_texts}
        self.outdated = {state.source.path for state in translation_states(
            plan.sources.articles, self.config.default_locale) if state.outdated} \
            if self.config.outdated_notice else set()
        # The problems assembling each section and category reported, by ("section", locale,
        # section key) and ("category", locale, category key)
        self.reported: dict[tuple[str, str, str], list[HelpgenError]] = {}
        # The keys of articles with a related article not found (an article added may be it)
        self.dangling: set[str] = set()
        # Each category's promoted and most recent articles, by (locale, category key)
        self.highlighted: dict[tuple[str, str], tuple[Category, list, list]] = {}

    def reassembled(self, site: Site, plan: SitePlan, bodies: dict, report: Report,
                    changed: set[str], replanned: bool) -> Site:
        """`site` assembled again from `plan` and `bodies` (the live preview's edit) where
        the articles whose keys are `changed` show: in every locale, each section that held
        or holds one of them, or an article whose related articles name one, with its
        category; the locale's promoted and recent articles, its contact form (which lists the
        categories) and the redirects of aliases (`replanned`: the plan was made again, so
        they are; else only their titles can differ). Every other part of the model is the
        same object as in `site` (`_sharing`): what the edit did not change keeps its
        identity, by which the stages after the model know it."""
        before = self.placements
        self.plan, self.bodies, self.report = plan, bodies, report
        self.sources, self.placements, self.links = plan.sources, plan.placements, plan.links
        self.published_groups = plan.published_groups
        for key in changed:
            self.alternates.pop(key, None)
        wheres = [(code, key) for code in self.config.locales for key in changed]
        now = self.placements
        retitled = {now[w].url: now[w].meta["title"] for w in wheres if w in before and w in now
                    and before[w].meta["title"] != now[w].meta["title"]}
        # The URLs that lead to another article, or with another title, than before: the
        # related articles that name them show them.
        gone = {before[w].url for w in wheres if w in before and (
            w not in now or before[w].url != now[w].url or before[w].url in retitled)}
        names = set(changed)
        if any(w in now and w not in before for w in wheres):
            names |= self.dangling               # a related article that may now be found
        if gone:
            names |= {article.key for locale in site.locales for category in locale.categories
                      for section in category.sections for article in section.articles
                      if any(link.url in gone for link in article.related)}
        landing = {(code, p.source.category, p.source.section) for code in self.config.locales
                   for key in names if (p := now.get((code, key)))}
        # An edit that left the articles' places and front matter as they were (of their
        # text): only they are made again, in their sections.
        in_place = names == changed and all(
            w in before and w in now and before[w].url == now[w].url and (
                before[w].meta is now[w].meta or before[w].meta == now[w].meta)
            or w not in before and w not in now for w in wheres)
        paths = {p.source.path for w in wheres for p in (before.get(w), now.get(w)) if p}
        if self.config.outdated_notice:          # an original's edit can outdate translations
            edited = {now[w].source.key for w in wheres if w in now}
            file_names = {key[2] for key in edited}        # a quick first filter
            group = [s for s in plan.sources.articles
                     if s.name in file_names and s.key in edited]
            self.outdated = (self.outdated - {s.path for s in group}) | {
                state.source.path for state in translation_states(
                    group, self.config.default_locale) if state.outdated}
        locales = []
        for locale in site.locales:
            code = locale.code
            touched = {p.source.category for key in names
                       for p in (before.get((code, key)), now.get((code, key))) if p}
            if not touched:
                locales.append(locale)
                continue
            home = Link(locale.title, locale.url)
            old = {category.key: category for category in locale.categories}
            categories = []
            for group in self._ordered_categories(code):
                key = group.category
                if key not in touched:
                    if key in old:
                        categories.append(old[key])
                    continue
                # Its articles: those it had that are still in it, and those now in it
                placements = {p.key: p for p in (
                    now.get((code, article.key)) for section in (
                        old[key].sections if key in old else ())
                    for article in section.articles) if p and p.source.category == key}
                placements |= {name: p for name in names
                               if (p := now.get((code, name))) and p.source.category == key}
                if not placements:
                    continue
                kept = {section.key: section if not any(
                    article.key in names for article in section.articles) else
                    self._rewritten(section, code, group, names, paths)
                    for section in old[key].sections
                    if in_place or (code, key, section.key.partition("/")[2] or None)
                    not in landing and not any(article.key in names
                                               for article in section.articles)
                } if key in old else {}
                category = self._category(group, code, home, list(placements.values()), kept)
                categories.append(_sharing(category, old[key]) if key in old else category)
            promoted, recent = self._highlights(code, categories)
            contact = self._contact_page(code, locale.url, categories)
            locales.append(replace(locale, categories=tuple(categories), promoted=promoted,
                                   recent=recent,
                                   contact=locale.contact if contact == locale.contact
                                   else contact))
        if replanned:
            redirects = self._redirects()
        else:                        # the same URLs: an alias shows its article's new title
            redirects = tuple(replace(r, title=retitled[r.target]) if r.target in retitled
                              else r for r in site.redirects) if retitled else site.redirects
        return replace(site, locales=tuple(locales),
                       redirects=site.redirects if redirects == site.redirects else redirects)

    def _locale_url(self, locale: str) -> str:
        return self.plan.locale_url(locale)

    def _group_url(self, locale_url: str, category: str, section: str | None) -> str | None:
        return self.plan.group_url(locale_url, category, section)

    def site(self, address: SiteAddress, internal: bool = False) -> Site:
        """The site's model; `internal`: the agents' help center."""
        locales = tuple(self._locale(code) for code in self.config.locales)
        alternates = tuple(Alternate(locale.code, locale.url) for locale in locales)
        locales = tuple(replace(locale, alternates=alternates) for locale in locales)
        config = self.config
        return Site(
            address=address, default_locale=config.default_locale,
            locales=locales, redirects=self._redirects(),
            assets=self.sources.assets, feedback_endpoint=config.feedback_endpoint,
            analytics_endpoint=config.analytics_endpoint, internal=internal)

    def _title(self, group: GroupSource, locale: str) -> str:
        text = as_text(group.meta.get("title")) or self._text_meta(group, "title") or \
            {"*": _pretty(group.folder.name)}
        return localize(text, locale, self.config.default_locale)

    def _description(self, group: GroupSource, locale: str) -> str:
        return localize(as_text(group.meta.get("description")) or
                        self._text_meta(group, "description"), locale, self.config.default_locale)

    def _text_meta(self, group: GroupSource, key: str) -> dict[str, str]:
        """`key` from the folder's `_index.md` files, by locale."""
        return {locale: text.meta[key] for (locale, category, section), text in self.texts.items()
                if (category, section) == (group.category, group.section) and text.meta.get(key)}

    def _locale(self, code: str) -> Locale:
        config = self.config
        locale_url = self._locale_url(code)
        home = Link(localize(config.title, code, config.default_locale), locale_url)
        placements = [p for (locale, _), p in self.placements.items() if locale == code]
        categories = []
        for group in self._ordered_categories(code):
            in_category = [p for p in placements if p.source.category == group.category]
            if not in_category:
                continue
            categories.append(self._category(group, code, home, in_category))
        promoted, recent = self._highlights(code, categories)
        return Locale(code, locale_url, code == config.default_locale, home.title,
                      localize(config.description, code, config.default_locale),
                      tuple(categories), promoted, recent, (),
                      self._contact_page(code, locale_url, categories),
                      self._brand(code, home.title))

    def _ordered_categories(self, code: str) -> list[GroupSource]:
        return sorted(self.sources.categories,
                      key=lambda g: _order_key(g.meta, self._title(g, code), g.category))

    def _redirects(self) -> tuple[Redirect, ...]:
        """The redirects of aliases; their problems kept by `self.reported`."""
        start = len(self.report.warnings)
        redirects = place_aliases(self.plan, self.report, self._title)
        self.reported[("aliases", "", "")] = self.report.warnings[start:]
        return redirects

    def _highlights(self, code: str, categories: list[Category]
                    ) -> tuple[tuple[Article, ...], tuple[Article, ...]]:
        """The locale's promoted articles, and its RECENT_COUNT most recent: those of each
        category, kept for a category an edit left alone (the most recent of the locale are
        among the most recent of each category)."""
        promoted, newest = [], []
        for category in categories:
            kept = self.highlighted.get((code, category.key))
            if kept is None or kept[0] is not category:
                articles = [a for s in category.sections for a in s.articles]
                kept = self.highlighted[(code, category.key)] = (category, [
                    a for a in articles if self.placements[(code, a.key)].meta.get("promoted")],
                    newest_first(articles)[:RECENT_COUNT])
            promoted += kept[1]
            newest += kept[2]
        return tuple(promoted), tuple(newest_first(newest)[:RECENT_COUNT])

    def _text(self, value, code: str) -> str:
        """A localized text from helpgen.yml in locale `code`; "" when it is not set."""
        return localize(value, code, self.config.default_locale) if value else ""

    def _brand(self, code: str, site_title: str) -> Brand:
        settings: BrandSettings = self.config.brand
        config = self.config

        def text(value) -> str:
            return self._text(value, code)

        def links(entries) -> tuple[Link, ...]:
            return tuple(Link(text(entry.title), entry.url) for entry in entries)

        banner_text = text(settings.banner)
        banner = Banner(banner_text, settings.banner_url,
                        hashlib.sha1(banner_text.encode()).hexdigest()[:10]) if banner_text \
            else None
        return Brand(
            name=text(settings.name) or site_title,
            logo=_asset_url(config, settings.logo),
            logo_dark=_asset_url(config, settings.logo_dark),
            logo_width=_logo_width(settings.logo_size),
            logo_dark_width=_logo_width(settings.logo_dark_size),
            favicon=_asset_url(config, settings.favicon),
            custom_css=_asset_url(config, settings.custom_css),
            primary_color=settings.primary_color, accent_color=settings.accent_color,
            body_font=settings.body_font, headings_font=settings.headings_font,
            code_font=settings.code_font,
            font_files=tuple(replace(f, file=_asset_url(config, f.file))
                             for f in settings.font_files),
            header_links=links(settings.header_links), footer_links=links(settings.footer_links),
            footer_text=text(settings.footer_text), banner=banner)

    def _contact_page(self, code: str, locale_url: str, categories: list[Category]
                      ) -> ContactPage | None:
        settings = self.config.contact
        if settings is None:
            return None

        def text(value) -> str:
            return self._text(value, code)

        fields = []
        for setting in settings.fields:
            options = tuple((value, text(label)) for value, label in setting.options)
            if setting.name == "category" and not options:
                options = tuple((category.key, category.title) for category in categories)
            fields.append(FormFieldView(setting.name, setting.type, text(setting.label),
                                        setting.required, options))
        return ContactPage(f"{locale_url}contact/", settings.provider, settings.endpoint,
                           settings.method, settings.format, settings.email, tuple(fields),
                           text(settings.success), text(settings.error),
                           settings.turnstile_site_key, settings.hcaptcha_site_key,
                           form_facts(settings.provider, settings.endpoint, settings.method,
                                      settings.email))

    def _group_alternates(self, category: str, section: str | None = None
                          ) -> tuple[Alternate, ...]:
        result = []
        for code in self.config.locales:
            url = self._group_url(self._locale_url(code), category, section)
            if (code, category, section) in self.published_groups and url is not None:
                result.append(Alternate(code, url))
        return tuple(result)

    def _category(self, group: GroupSource, code: str, home: Link,
                  placements: list[Placement], kept: dict[str, Section] | None = None
                  ) -> Category:
        """The category in `code`, with its `placements`; `kept`: sections, by key, that are
        as they were (Assembly.reassembled). The problems each section and the category itself
        reported are kept by `self.reported`."""
        kept = kept or {}
        start = len(self.report.warnings)
        title = self._title(group, code)
        url = self._group_url(self._locale_url(code), group.category, None)
        category_link = Link(title, url)
        icon = self._icon(group.meta.get("icon"), group.meta_path, group.line_of("icon"),
                          code == self.config.default_locale)
        own = self.report.warnings[start:]
        section_names = sorted({p.source.section for p in placements},
                               key=lambda s: (s is not None, _order_key(
                                   self.sections[(group.category, s)].meta if s else {},
                                   self._title(self.sections[(group.category, s)], code)
                                   if s else "", s or "")))
        sections = []
        for name in section_names:
            section_key = f"{group.category}/{name}" if name else group.category
            if section_key in kept:
                sections.append(kept[section_key])
                continue
            start = len(self.report.warnings)
            in_section = [p for p in placements if p.source.section == name]
            if name is None:
                link, has_page, description = category_link, False, ""
            else:
                section_group = self.sections[(group.category, name)]
                link = Link(self._title(section_group, code),
                            self._group_url(self._locale_url(code), group.category, name))
                has_page, description = True, self._description(section_group, code)
            crumbs = (home, category_link) + ((link,) if has_page else ())
            articles = self._articles(in_section, code, category_link,
                                      link if has_page else None, crumbs,
                                      self._group_contexts(group, name))
            sections.append(Section(section_key, link.title, description, link.url, has_page,
                                    articles, self._group_alternates(group.category, name)
                                    if has_page else (),
                                    self._page_text(code, group.category, name)
                                    if has_page else None))
            self.reported[("section", code, section_key)] = self.report.warnings[start:]
        start = len(self.report.warnings)
        page_text = self._page_text(code, group.category, None)
        self.reported[("category", code, group.category)] = own + self.report.warnings[start:]
        return Category(group.category, title, self._description(group, code), url, icon,
                        tuple(sections), self._group_alternates(group.category), page_text)

    def _icon(self, name: str | None, path: Path, line: int | None, report: bool) -> str | None:
        """The SVG of the bundled icon `name` (front matter `icon:`); an unknown one is
        reported at its line when `report` (once, for the file that names it)."""
        if not name:
            return None
        svg = icon_svg(name)
        if svg is None and report:
            icon_set = name.split("/")[0] if "/" in name else "material"
            self.report.warn(f"unknown icon '{name}'", path, line,
                             did_you_mean(name, icon_names(icon_set)) or
                             "use an icon name like material/credit-card", code=FRONT_MATTER)
        return svg

    def _articles(self, placements: list[Placement], code: str, category: Link,
                  section: Link | None, crumbs: tuple[Link, ...], contexts: tuple[str, ...]
                  ) -> tuple[Article, ...]:
        """The articles of one section in `code`; `contexts`: those of the section and
        category, which each article adds to its own."""
        ordered = sorted(placements, key=lambda p: _order_key(p.meta, p.meta["title"], p.key))
        links = [Link(p.meta["title"], p.url) for p in ordered]
        return tuple(self._article(placement, code, category, section, crumbs, contexts,
                                   links[index - 1] if index > 0 else None,
                                   links[index + 1] if index + 1 < len(links) else None)
                     for index, placement in enumerate(ordered))

    def _article(self, placement: Placement, code: str, category: Link, section: Link | None,
                 crumbs: tuple[Link, ...], contexts: tuple[str, ...], previous: Link | None,
                 following: Link | None) -> Article:
        source, meta = placement.source, placement.meta
        rendered, rendered_key = self.bodies[(code, placement.key)]
        self._report_rendered(source.path, code, rendered)
        return Article(
            key=placement.key, source=source.path.relative_to(self.config.root),
            locale=code, url=placement.url, title=meta["title"],
            description=meta.get("description") or _excerpt(rendered.text),
            tags=tuple(meta.get("tags") or ()),
            updated=meta.get("updated") or source.fallback_updated,
            review_by=meta.get("review_by"), promoted=bool(meta.get("promoted")),
            body=Body(rendered.parts, rendered_key),
            category=category, section=section, breadcrumbs=crumbs,
            related=self._related(placement, code), previous=previous, next=following,
            alternates=self._article_alternates(placement.key),
            content_locale=source.locale,
            original_url=self.placements[(self.config.default_locale, placement.key)].url
            if placement.untranslated else None,
            icon_svg=self._icon(meta.get("icon"), source.path, source.line_of("icon"),
                                "icon" in source.meta and not placement.untranslated),
            outdated_original=self._outdated_original(placement),
            contexts=tuple(dict.fromkeys((*(meta.get("contexts") or ()), *contexts))),
            internal=meta.get(AUDIENCE) == INTERNAL)

    def _rewritten(self, section: Section, code: str, group: GroupSource, keys: set[str],
                   paths: set[Path]) -> Section:
        """`section` with its articles of `keys` made again, for an edit that left every
        placement's front matter and URL as it was (so their order and neighbours are too);
        the problems the section reported, but those of the files `paths`, kept."""
        start = len(self.report.warnings)
        contexts = self._group_contexts(group, section.key.partition("/")[2] or None)
        articles = tuple(self._article(self.placements[(code, article.key)], code,
                                       article.category, article.section, article.breadcrumbs,
                                       contexts, article.previous, article.next)
                         if article.key in keys else article for article in section.articles)
        found = ("section", code, section.key)
        self.reported[found] = [w for w in self.reported.get(found, ())
                                if w.path not in paths] + self.report.warnings[start:]
        return replace(section, articles=articles)

    def _group_contexts(self, group: GroupSource, section: str | None) -> tuple[str, ...]:
        """The contexts a section's articles add to their own: the section's and category's."""
        return (*(self.sections[(group.category, section)].meta.get("contexts") or ()
                  if section else ()), *(group.meta.get("contexts") or ()))

    def _outdated_original(self, placement: Placement) -> str | None:
        """The URL of the original of an outdated translation, if it is published here."""
        if placement.untranslated or placement.source.path not in self.outdated:
            return None
        original = self.placements.get((self.config.default_locale, placement.key))
        return original.url if original else None

    def _page_text(self, code: str, category: str, section: str | None) -> PageText | None:
        """A folder page's text as the model holds it; its broken links reported."""
        converted = self.bodies.get((code, category, section))
        if converted is None:
            return None
        rendered, key = converted
        text, _url = self.plan.texts[(code, category, section)]
        self._report_rendered(text.path, code, rendered)
        return PageText(text.path.relative_to(self.config.root),
                        Body(rendered.parts, key))

    def _report_rendered(self, path: Path, code: str, rendered: RenderedMarkdown) -> None:
        """The broken links and other warnings found converting the Markdown file `path`."""
        for broken in rendered.broken_links:
            if broken.withheld:
                self._internal_link(path, broken.line, f"link to an internal article: "
                                    f"'{broken.target}'", "the link is left out (its text "
                                    "stays)")
                continue
            kind = "image" if broken.is_image else "article or file"
            meant = None if broken.is_image else self.links.suggest(path, code, broken.target)
            self.report.warn(f"link to a missing {kind}: '{broken.target}'", path,
                             broken.line, (f"did you mean '{meant}'? " if meant else "")
                             + "check the path; it is relative to this file"
                             + ("" if broken.is_image else ", and drafts are not published")
                             + (", nor articles of other brands in a brand's site"
                                if self.config.brands and not broken.is_image else ""),
                             code="missing-image" if broken.is_image else "broken-link")
        for warning in rendered.warnings:
            self.report.warn(warning.message, path, warning.line, warning.hint,
                             code=warning.code)

    def _internal_link(self, path: Path, line: int | None, message: str, outcome: str) -> None:
        """A public page's link to an internal article (content/audience.py), which the
        public site does not have."""
        self.report.warn(message, path, line, f"internal articles are only in the agents' help "
                         f"center (helpgen build --audience internal), so on the public site "
                         f"{outcome}; remove it, or make the article public",
                         code=INTERNAL_LINK)

    def _article_alternates(self, key: str) -> tuple[Alternate, ...]:
        """The article's translations; untranslated copies are not alternates. One tuple for
        all of them (hashed once for the page keys)."""
        known = self.alternates.get(key)
        if known is None:
            found = ((loc, self.placements.get((loc, key))) for loc in self.config.locales)
            known = self.alternates[key] = tuple(
                Alternate(loc, placement.url) for loc, placement in found
                if placement is not None and not placement.untranslated)
        return known

    def _related(self, placement: Placement, code: str) -> tuple[Link, ...]:
        links = []
        for index, entry in enumerate(placement.meta.get("related") or ()):
            candidates = [self.config.articles_dir / entry.lstrip("/"),
                          placement.source.path.parent / entry]
            if not entry.endswith(".md"):
                candidates = [Path(f"{c}.md") for c in candidates]
            key = next((k for k in map(self.links.key_of_file, candidates) if k), None)
            target = self.placements.get((code, key)) or self.placements.get(
                (self.config.default_locale, key)) if key else None
            if target is not None:
                links.append(Link(target.meta["title"], target.url))
                continue
            self.dangling.add(placement.key)
            owner = placement.source if placement.source.meta.get("related") else \
                self._primary_with(placement.key, "related")
            if any(map(self.links.is_withheld, candidates)):
                self._internal_link(owner.path, owner.line_of("related", index),
                                    f"related article is internal: '{entry}'",
                                    "it is not listed")
            else:
                self.report.warn(f"related article not found: '{entry}'", owner.path,
                                 owner.line_of("related", index),
                                 "write its path inside articles/, e.g. billing/refunds/policy.md",
                                 code="broken-link")
        return tuple(links)

    def _primary_with(self, key: str, field: str) -> ArticleSource:
        return next(p.source for (loc, k), p in self.placements.items()
                    if k == key and p.source.meta.get(field) is not None)


def _sharing(new: Category, old: Category) -> Category:
    """`new`, in which each section and article equal to `old`'s is the very object `old`
    has: what an edit did not change keeps its identity, by which the stages after the model
    know it (infra/reuse.py)."""
    articles = {article.key: article for section in old.sections for article in section.articles}
    sections = {section.key: section for section in old.sections}
    shared = []
    for section in new.sections:
        section = replace(section, articles=tuple(
            kept if (kept := articles.get(article.key)) == article else article
            for article in section.articles))
        kept = sections.get(section.key)
        shared.append(kept if kept == section else section)
    new = replace(new, sections=tuple(shared))
    return old if new == old else new


def _order_key(meta: dict, title: str, tiebreak: str):
    order = meta.get("order")
    return (order if isinstance(order, int) else math.inf, title.casefold(), tiebreak)


def _pretty(folder_name: str) -> str:
    text = folder_name.replace("-", " ").replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def _excerpt(text: str, limit: int = DESCRIPTION_LENGTH) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit - 30 else cut).rstrip(" ,.;:，。；：") + "…"


def _logo_width(size: tuple[float, float] | None) -> int | None:
    return max(1, round(LOGO_HEIGHT * size[0] / size[1])) if size else None


def _asset_url(config: Config, path: str | None) -> str | None:
    return (config.root / path).resolve().relative_to(config.root).as_posix() if path else None
