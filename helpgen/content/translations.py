"""Which translations are out of date: their default-locale article changed after they did.

Two ways to tell, the first that applies:

1. A pin: the translation's front matter `translated_from:` holds the hash of the original's
   text (title, description and body) it was translated from (`original_hash`; `helpgen
   translations --pin` writes it). The translation is out of date when the original's hash is
   another. For sites without git, or to say so explicitly.
2. Git (content/history.py): the original's last change that needs translating is later than
   the translation's last change. Uncommitted edits count; commits marked `Translation:
   not-needed` do not.

Otherwise nothing tells, and a translation is taken as current.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from helpgen.content.history import NOT_NEEDED, TRAILER
from helpgen.content.sources import ArticleSource
from helpgen.errors import OUTDATED_TRANSLATION, HelpgenError
from helpgen.infra.cache import content_digest

PIN = "translated_from"          # the front matter key of a pin
PIN_LENGTH = 12                  # hex digits of the hash: enough to tell versions apart
GIT, PINNED = "git", "pin"       # how a translation's state is known


@dataclass(frozen=True)
class TranslationState:
    """One translation, and whether it follows its original."""

    source: ArticleSource        # the translation
    original: ArticleSource      # the default-locale article it translates
    outdated: bool
    known_by: str | None         # GIT, PINNED, or None: nothing tells (taken as current)
    since: str | None = None     # git: the commit the translation last changed in

    @property
    def line(self) -> int:
        """Where a problem with it is shown: its pin, else its title."""
        return self.source.line_of(PIN if PIN in self.source.meta else "title")


def original_hash(original: ArticleSource) -> str:
    """The hash a pin holds: of what a translator translates (title, description, body), so
    that changing the original's order, tags or dates does not make its translations out of
    date."""
    text = "\0".join((str(original.meta.get("title", "")),
                      str(original.meta.get("description") or ""), original.body))
    return content_digest(text.encode("utf-8", "surrogatepass"))[:PIN_LENGTH]


def translation_states(articles: Iterable[ArticleSource], default_locale: str
                       ) -> list[TranslationState]:
    """The state of every published translation that has a default-locale article, in the
    order of `articles`."""
    articles = list(articles)
    originals = {a.key: a for a in articles if a.locale == default_locale}
    states = []
    for source in articles:
        original = originals.get(source.key)
        if source.locale == default_locale or original is None or \
                source.meta.get("draft", original.meta.get("draft")):
            continue
        states.append(_state(source, original))
    return states


def _state(source: ArticleSource, original: ArticleSource) -> TranslationState:
    pin = source.meta.get(PIN)
    if pin is not None:
        return TranslationState(source, original, pin != original_hash(original), PINNED)
    changed, translated = original.revision, source.revision
    if changed is None or translated is None:
        return TranslationState(source, original, False, None)
    outdated = changed.needs_translation is not None and \
        changed.needs_translation > translated.rank
    return TranslationState(source, original, outdated, GIT, translated.commit)


def outdated_problem(state: TranslationState) -> HelpgenError:
    """What `helpgen check` and `helpgen translations` say about an outdated translation."""
    name, now = state.original.path.name, original_hash(state.original)
    pin = f'translated_from: "{now}"'
    if state.known_by == PINNED:
        return HelpgenError(
            f"out of date: {name} changed since this translation was made (its text is now "
            f"{now}, not {state.source.meta[PIN]})", state.source.path, state.line,
            f"update the translation, then set  {pin}  (if the change needs no translation, "
            "just set it)", code=OUTDATED_TRANSLATION)
    diff = f"git diff {state.since[:10]} -- {name}" if state.since else f"git diff -- {name}"
    return HelpgenError(
        f"out of date: {name} changed after this translation", state.source.path, state.line,
        f"see what changed with  {diff}  in this folder, and update the translation; if the "
        f"change needs no translation, set  {pin}  here (and end the message of a commit that "
        f"needs none with the line  {TRAILER}: {NOT_NEEDED})", code=OUTDATED_TRANSLATION)
