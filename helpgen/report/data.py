"""What `helpgen report` tells a support lead, as data (report.json): from the collector's
database over a period, with the site's own model for titles and its own search terms for
the articles nearest to what readers searched and did not find.

Searches are grouped by their normalized text: Unicode width and case folded, spaces
collapsed (and dropped between Chinese characters), Traditional Chinese read as Simplified
(OpenCC), so 發票 下載, 发票下载 and ＲＥＦＵＮＤ / refund count as one question each.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass

from sqlalchemy import Engine, func, select

from helpgen.collect import store
from helpgen.content.model import Article, Site
from helpgen.output.search.index import FIELDS, document_terms
from helpgen.output.search.tokenizer import CJK_CLASS, tokenize
from helpgen.settings.collect import origin_of

TOP_SEARCHES = 20
NEAREST = 3                      # articles suggested for a search that found nothing
COMMENTS = 20                    # kept per article, newest first
SEARCH_KINDS = ("search", "zero_results")


@dataclass(frozen=True)
class Period:
    start: dt.datetime
    end: dt.datetime

    @classmethod
    def last(cls, days: int, end: dt.datetime | None = None) -> "Period":
        end = end or store.now()
        return cls(end - dt.timedelta(days=days), end)


_SPACE_IN_CJK = re.compile(f"(?<=[{CJK_CLASS}]) (?=[{CJK_CLASS}])")    # 發票 下載 is 發票下載


@functools.cache
def _converter(config: str):
    """OpenCC's conversion `config` (t2s: Traditional to Simplified, s2t: back)."""
    import opencc
    return opencc.OpenCC(config).convert


def normalized(query: str) -> str:
    """The form searches are grouped by (see the module's docstring)."""
    text = " ".join(unicodedata.normalize("NFKC", query).casefold().split())
    return _converter("t2s")(_SPACE_IN_CJK.sub("", text))


def spellings(query: str) -> set[str]:
    """`query` as written and in Simplified and Traditional characters: an article may be
    written in either."""
    return {query, _converter("t2s")(query), _converter("s2t")(query)}


def report_data(engine: Engine, period: Period, sites: list[Site],
                brand_origins: dict[str, str]) -> dict:
    """report.json's content. `sites` are the site's content models (one per brand) whose
    articles give titles and nearest matches; `brand_origins` maps an origin to its brand."""
    articles = _Articles(sites)
    def within(table):
        return table.c.received_at.between(period.start, period.end)

    with engine.connect() as connection:
        searches = connection.execute(
            select(store.events.c.kind, store.events.c.query, store.events.c.locale,
                   func.count()).where(within(store.events),
                                       store.events.c.kind.in_(SEARCH_KINDS))
            .group_by(store.events.c.kind, store.events.c.query, store.events.c.locale)).all()
        event_counts = dict(connection.execute(
            select(store.events.c.kind, func.count()).where(within(store.events))
            .group_by(store.events.c.kind)).all())
        submissions = connection.execute(
            select(store.contact.c.id, store.contact.c.category, store.contact.c.locale,
                   store.contact.c.origin, store.contact.c.spam).where(within(store.contact))
        ).all()
        forwards = connection.execute(
            select(store.forwards.c.contact_id, store.forwards.c.target,
                   store.forwards.c.status, store.forwards.c.attempts,
                   store.forwards.c.last_error)
            .join(store.contact, store.contact.c.id == store.forwards.c.contact_id)
            .where(within(store.contact))).all()
        votes = connection.execute(
            select(store.feedback.c.article, store.feedback.c.url, store.feedback.c.locale,
                   store.feedback.c.vote, store.feedback.c.comment,
                   store.feedback.c.received_at, store.feedback.c.origin)
            .where(within(store.feedback)).order_by(store.feedback.c.received_at.desc())).all()
        days = connection.execute(
            select(func.date(store.events.c.received_at), store.events.c.kind, func.count())
            .where(within(store.events)).group_by(func.date(store.events.c.received_at),
                                                 store.events.c.kind)).all()
        submitted_days = connection.execute(
            select(func.date(store.contact.c.received_at), func.count())
            .where(within(store.contact), store.contact.c.spam.is_(False))
            .group_by(func.date(store.contact.c.received_at))).all()
        origins = connection.execute(
            select(store.events.c.origin, store.events.c.kind, func.count())
            .where(within(store.events)).group_by(store.events.c.origin, store.events.c.kind)
        ).all()
    real = [row for row in submissions if not row.spam]
    by_submission = defaultdict(list)
    for forward in forwards:
        by_submission[forward.contact_id].append(forward.status)
    outcome = Counter(_forwarding(by_submission.get(row.id, [])) for row in real)
    return {
        "period": {"from": period.start.isoformat(timespec="seconds"),
                   "to": period.end.isoformat(timespec="seconds")},
        "contact": {
            "submitted": len(real), "forwarded": outcome["forwarded"],
            "failed": outcome["failed"], "pending": outcome["pending"],
            "spam": len(submissions) - len(real),
            "by_category": dict(Counter(row.category or "" for row in real).most_common()),
            "by_locale": dict(Counter(row.locale or "" for row in real).most_common()),
            "failures": [{"submission": f.contact_id, "target": f.target,
                          "attempts": f.attempts, "error": f.last_error}
                         for f in forwards if f.status == store.FAILED or
                         (f.status == store.PENDING and f.attempts)],
        },
        "searches": _searches(searches, articles),
        "feedback": _feedback(votes, articles),
        "deflection": _deflection(event_counts, len(real)),
        "weeks": _weeks(days, submitted_days),
        "locales": _locales(searches, real, votes),
        "brands": _brands(origins, real, brand_origins),
    }


def _forwarding(statuses: list[str]) -> str:
    if not statuses:
        return "stored"
    for status in (store.FAILED, store.PENDING):
        if status in statuses:
            return status
    return "forwarded"


def _searches(rows, articles: "_Articles") -> dict:
    """Top searches and zero-result searches, each grouped by normalized text (the form
    readers typed most often shown), in the locale they were searched in most."""
    groups: dict[str, dict] = {}
    for kind, query, locale, count in rows:
        if not query:
            continue
        group = groups.setdefault(normalized(query), {
            "count": 0, "zero": 0, "written": Counter(), "locales": Counter()})
        group["count"] += count
        group["zero"] += count if kind == "zero_results" else 0
        group["written"][query] += count
        group["locales"][locale or ""] += count

    def entry(group: dict, count: int) -> dict:
        return {"query": group["written"].most_common(1)[0][0],
                "locale": group["locales"].most_common(1)[0][0], "count": count,
                "variants": sorted(group["written"])}

    ranked = sorted(groups.values(), key=lambda g: (-g["count"], entry(g, 0)["query"]))
    missing = sorted((g for g in groups.values() if g["zero"]),
                     key=lambda g: (-g["zero"], entry(g, 0)["query"]))
    return {
        "total": sum(group["count"] for group in groups.values()),
        "zero_total": sum(group["zero"] for group in groups.values()),
        "top": [entry(group, group["count"]) for group in ranked[:TOP_SEARCHES]],
        "zero_results": [
            {**entry(group, group["zero"]),
             **articles.nearest(entry(group, 0)["query"], entry(group, 0)["locale"])}
            for group in missing],
    }


def _feedback(votes, articles: "_Articles") -> list[dict]:
    """Per article and locale: votes and comments, the least helpful first (by the share of
    "no", then by how many said so)."""
    entries: dict[tuple, dict] = {}
    for row in votes:
        found = articles.by_source(row.article, row.locale)
        key = (row.article or row.url, row.locale or "")
        entry = entries.setdefault(key, {
            "url": articles.address(found) if found else row.url,
            "title": found.title if found else row.article or row.url,
            "source": row.article, "locale": row.locale or "", "yes": 0, "no": 0,
            "comments": []})
        entry[row.vote] += 1
        if row.comment and len(entry["comments"]) < COMMENTS:
            entry["comments"].append(row.comment)
    for entry in entries.values():
        entry["unhelpful_share"] = round(entry["no"] / (entry["yes"] + entry["no"]), 3)
    return sorted(entries.values(), key=lambda e: (-e["unhelpful_share"], -e["no"], e["url"]))


def _deflection(counts: dict, submitted: int) -> dict:
    views = counts.get("contact_view", 0)
    return {"contact_views": views, "suggestions_opened": counts.get("deflection", 0),
            "submitted": submitted,
            # Contact pages left without sending: the share the help center answered.
            "rate": round(1 - submitted / views, 3) if views >= submitted and views else None}


def _weeks(days, submitted_days) -> list[dict]:
    """Searches, searches that found nothing, contact page views and submissions per week
    (named by its Monday)."""
    weeks: dict[str, Counter] = defaultdict(Counter)
    for day, kind, count in days:
        weeks[_monday(day)][kind] += count
    for day, count in submitted_days:
        weeks[_monday(day)]["submitted"] += count
    return [{"week": week, "searches": counts["search"] + counts["zero_results"],
             "zero_results": counts["zero_results"], "contact_views": counts["contact_view"],
             "submitted": counts["submitted"]}
            for week, counts in sorted(weeks.items())]


def _locales(searches, submissions, votes) -> dict:
    """Searches, those that found nothing, submissions and votes per locale."""
    result: dict[str, Counter] = defaultdict(Counter)
    for kind, _, locale, count in searches:
        result[locale or ""]["searches"] += count
        result[locale or ""]["zero_results"] += count if kind == "zero_results" else 0
    for row in submissions:
        result[row.locale or ""]["submitted"] += 1
    for row in votes:
        result[row.locale or ""][row.vote] += 1
    return {locale: {key: counts[key] for key in ("searches", "zero_results", "submitted",
                                                  "yes", "no")}
            for locale, counts in sorted(result.items())}


def _monday(day) -> str:
    date = day if isinstance(day, dt.date) else dt.date.fromisoformat(str(day)[:10])
    return (date - dt.timedelta(days=date.weekday())).isoformat()


def _brands(origins, submissions, brand_origins: dict[str, str]) -> dict:
    """Searches and submissions per brand (by the origin they came from; "" for an origin no
    brand has, such as a product page with the widget)."""
    result: dict[str, Counter] = defaultdict(Counter)
    for origin, kind, count in origins:
        if kind in SEARCH_KINDS:
            result[brand_origins.get(origin or "", "")]["searches"] += count
            if kind == "zero_results":
                result[brand_origins.get(origin or "", "")]["zero_results"] += count
    for row in submissions:
        result[brand_origins.get(row.origin or "", "")]["submitted"] += 1
    return {brand: dict(counts) for brand, counts in sorted(result.items())}


class _Articles:
    """The site's articles, by source file and locale, and as the search index sees them."""

    def __init__(self, sites: list[Site]):
        self.site_of: dict[int, Site] = {}
        self.sources: dict[tuple[str, str], tuple[Site, Article]] = {}
        self.locales: dict[str, list[tuple[Site, Article]]] = defaultdict(list)
        for site in sites:
            for locale in site.locales:
                for article in locale.articles:
                    if article.original_url:
                        continue
                    self.site_of[id(article)] = site
                    self.sources.setdefault((article.source.as_posix(), locale.code),
                                            (site, article))
                    self.locales[locale.code].append((site, article))
        self.terms: dict[str, tuple[list, Counter]] = {}

    def by_source(self, source: str | None, locale: str | None) -> Article | None:
        found = self.sources.get((source or "", locale or ""))
        return found[1] if found else None

    def address(self, article: Article) -> str:
        site = self.site_of[id(article)]
        return site.address.absolute(article.url) or site.address.path + article.url

    def nearest(self, query: str, locale: str) -> dict[str, list[str]]:
        """The addresses and titles of the articles of `locale` (else the default's) that
        share the most with `query`, by the search index's own tokens and field weights,
        counting a word that starts like a query word (a typo's stem, a longer compound) at
        half weight."""
        documents, seen = self._documents(locale)
        wanted = {token for spelling in spellings(query) for token in tokenize(spelling, locale)}
        if not wanted or not documents:
            return {"nearest": [], "nearest_titles": []}
        scored = []
        for article, terms in documents:
            score = 0.0
            for word in wanted:
                weight = math.log(1 + len(documents) / (1 + seen.get(word, 0)))
                if word in terms:
                    score += terms[word] * weight
                elif len(word) >= 3:
                    score += 0.5 * weight * sum(count for term, count in terms.items()
                                                if term.startswith(word[:3]))
            if score > 0:
                scored.append((-score, article.url, article))
        best = [article for _, _, article in sorted(scored)[:NEAREST]]
        return {"nearest": [self.address(article) for article in best],
                "nearest_titles": [article.title for article in best]}


    def _documents(self, locale: str) -> tuple[list, Counter]:
        """The weighted terms of each article of `locale` (else the default's) and in how many
        articles each term is: made once per locale, for every search of the report."""
        if locale not in self.terms:
            candidates = self.locales.get(locale) or next(iter(self.locales.values()), [])
            documents = [(article, _weighted(document_terms(article, locale)))
                         for _, article in candidates]
            self.terms[locale] = (documents, Counter(term for _, terms in documents
                                                     for term in terms))
        return self.terms[locale]


def _weighted(fields) -> dict[str, float]:
    """An article's terms, each counted by the weight of the fields it is in."""
    terms: dict[str, float] = defaultdict(float)
    for (_, weight), (_, counts) in zip(FIELDS, fields):
        for term, count in counts.items():
            terms[term] += weight * math.log1p(count)
    return terms


def brand_origins(config) -> dict[str, str]:
    """Each brand's origin → its id."""
    return {origin_of(brand.url): brand.id for brand in config.brands if brand.url}
