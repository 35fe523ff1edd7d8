"""`helpgen check --insights`: what readers said, as warnings on the articles they said it of,
so the CI that reviews content sees it. An article most of whose readers voted "not helpful"
(of at least MIN_VOTES votes in the period) gets an `unhelpful` warning at its file."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, func, select

from helpgen.collect import store
from helpgen.errors import UNHELPFUL, HelpgenError
from helpgen.report.data import Period

MIN_VOTES = 5
DEFAULT_DAYS = 90


def unhelpful_articles(engine: Engine, root: Path, period: Period) -> list[HelpgenError]:
    """A warning per article (source file and locale) voted unhelpful by most readers."""
    votes = store.feedback
    with engine.connect() as connection:
        counts = connection.execute(
            select(votes.c.article, votes.c.locale, votes.c.vote, func.count())
            .where(votes.c.received_at.between(period.start, period.end),
                   votes.c.article.is_not(None))
            .group_by(votes.c.article, votes.c.locale, votes.c.vote)).all()
    tally: dict[tuple[str, str], dict[str, int]] = {}
    for article, locale, vote, count in counts:
        tally.setdefault((article, locale or ""), {"yes": 0, "no": 0})[vote] += count
    warnings = []
    for (article, locale), votes_for in sorted(tally.items()):
        total = votes_for["yes"] + votes_for["no"]
        source = (root / article).resolve()
        if total < MIN_VOTES or votes_for["no"] * 2 <= total or root not in source.parents:
            continue
        days = (period.end - period.start).days
        warnings.append(HelpgenError(
            f"{votes_for['no']} of {total} readers found this article unhelpful"
            + (f" ({locale})" if locale else "") + f" in the last {days} days", source, None,
            "read their comments in 'helpgen report', then rewrite or split the article, or "
            "answer what they searched for", UNHELPFUL))
    return warnings
