"""Stage 3, brands: which sites to build from the sources.

Without `brands:` in helpgen.yml there is one site, made of everything. With it, each brand is a
site of its own: the top-level settings with the brand's over them, and only the categories the
brand lists, in the locales it lists, and the articles whose `brands:` front matter names it (or
that name no brand).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from helpgen.settings.address import SiteAddress
from helpgen.settings.config import CONFIG_FILE, BrandEntry, Config
from helpgen.errors import CONFIG, FRONT_MATTER, HelpgenError, Report, did_you_mean
from helpgen.content.sources import ArticleSource, Sources


@dataclass(frozen=True)
class SiteBuild:
    """One site to build: its settings, its share of the sources and where it is served."""

    brand_id: str | None         # None: the only site, written at the output root
    config: Config
    sources: Sources
    address: SiteAddress         # where it is served (a brand's `url` is here, not in config)


def site_builds(config: Config, sources: Sources, report: Report, address: SiteAddress,
                only: str | None = None) -> list[SiteBuild]:
    """The sites to build, the output folder being served at `address`; `only` picks one brand
    by id (HelpgenError if there is none)."""
    brand_ids = [entry.id for entry in config.brands]
    _check_article_brands(config, sources, brand_ids, report)
    if only is not None and only not in brand_ids:
        raise HelpgenError(f"there is no brand '{only}'", config.root / CONFIG_FILE, None,
                           did_you_mean(only, brand_ids) if brand_ids else
                           "add a 'brands:' list to helpgen.yml, or build without --brand",
                           code=CONFIG)
    if not config.brands:
        return [SiteBuild(None, config, sources, address)]
    inherited = _default_brands(sources, config.default_locale)
    return [SiteBuild(entry.id, _brand_config(config, entry),
                      _brand_sources(sources, entry, config.default_locale, inherited),
                      address.brand(entry.id, entry.url))
            for entry in config.brands if only in (None, entry.id)]


def _brand_config(config: Config, entry: BrandEntry) -> Config:
    return replace(config, title=entry.name or config.title,
                   description=entry.description or config.description,
                   brand=entry.brand, contact=entry.contact or config.contact,
                   other_locales=entry.other_locales)


def _brand_sources(sources: Sources, entry: BrandEntry, default_locale: str,
                   inherited: dict[tuple, list[str]]) -> Sources:
    def shown(category: str) -> bool:
        return entry.categories is None or category in entry.categories

    def in_brand(article: ArticleSource) -> bool:
        brands = article.meta.get("brands")
        brands = inherited.get(article.key) if brands is None else brands
        return shown(article.category) and (brands is None or entry.id in brands) and (
            article.locale == default_locale or article.locale in entry.other_locales)

    return Sources(categories=tuple(g for g in sources.categories if shown(g.category)),
                   sections=tuple(g for g in sources.sections if shown(g.category)),
                   articles=tuple(filter(in_brand, sources.articles)), assets=sources.assets,
                   folder_texts=tuple(t for t in sources.folder_texts if shown(t.category) and (
                       t.locale == default_locale or t.locale in entry.other_locales)))


def _default_brands(sources: Sources, default_locale: str) -> dict[tuple, list[str]]:
    """`brands:` of each default-locale article: translations without their own inherit it."""
    return {source.key: source.meta["brands"] for source in sources.articles
            if source.locale == default_locale and source.meta.get("brands") is not None}


def _check_article_brands(config: Config, sources: Sources, brand_ids: list[str],
                          report: Report) -> None:
    for source in sources.articles:
        for index, brand_id in enumerate(source.meta.get("brands") or ()):
            if not brand_ids:
                report.warn("this article names a brand, but helpgen.yml has no 'brands:'",
                            source.path, source.line_of("brands", index),
                            "remove 'brands:' from the front matter, or define the brands "
                            "in helpgen.yml", code=FRONT_MATTER)
                return
            if brand_id not in brand_ids:
                report.error(f"there is no brand '{brand_id}'", source.path,
                             source.line_of("brands", index),
                             did_you_mean(brand_id, brand_ids), code=FRONT_MATTER)
