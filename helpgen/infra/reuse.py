"""What the live preview's previous build made from each model object, reused by identity.

The content model is frozen, and the live preview updates it with structural sharing: an edit
makes new objects only along the path from the site to what it changed (helpgen/session.py), so
every other article, section and category is the very object the previous build had. A result
made from the same object, in an equal context, is then the same result, known without hashing
the object or even looking at it: one dictionary look-up per page instead of a digest. A build
that made its model anew (every command-line build, and the preview's full builds) starts a new
`Reuse`, which then holds nothing that could match; a command-line build's keeps nothing (its
results would never be asked for again, and holding them held every rendered page until the
build ended).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import compress
from typing import Any

MISSING = object()               # what `get` returns when nothing can be reused


class Reuse:
    """Results by (kind, name): each with the object it was made from and its context."""

    def __init__(self, keep: bool = True):
        self._made: dict[tuple[str, str], tuple[object, Any, Any]] = {}
        self.keep = keep                 # False: nothing is kept for a next build (get misses)

    def get(self, kind: str, name: str, source: object, context: Any = None) -> Any:
        """What was made for `name` from `source` itself (not an equal object) in an equal
        `context`; MISSING if anything differs or nothing was made."""
        entry = self._made.get((kind, name))
        if entry is not None and entry[0] is source and entry[1] == context:
            return entry[2]
        return MISSING

    def put(self, kind: str, name: str, source: object, context: Any, value: Any) -> None:
        """Keep `value`, made for `name` from `source` in `context` (the entry holds `source`,
        so its identity cannot pass to another object)."""
        if self.keep:
            self._made[(kind, name)] = (source, context, value)

    def run(self, kind: str, jobs: list[Job], run_steps, per_conversion: int = 1) -> list:
        """Each job's result: the previous build's where it was made from the same object in
        an equal context, else its step's, run by `run_steps` (which may find it kept under
        its key: the step's key is made only for what cannot be reused)."""
        results = [self.get(kind, job.name, job.source, job.context) for job in jobs]
        todo = [number for number, result in enumerate(results) if result is MISSING]
        made = run_steps(kind, [jobs[number].step() for number in todo],
                         per_conversion=per_conversion)
        for number, result in zip(todo, made):
            results[number] = result
            job = jobs[number]
            self.put(kind, job.name, job.source, job.context, result)
        return results

    def run_groups(self, kind: str, groups: list[Group], run_steps, per_conversion: int = 1
                   ) -> list:
        """The results of `groups` of jobs, in order (see group_results)."""
        return [result for made in self.group_results(kind, groups, run_steps, per_conversion)
                for result in made]

    def group_results(self, kind: str, groups: list[Group], run_steps,
                      per_conversion: int = 1) -> list[list]:
        """Each group's list of results: the previous build's list itself when the group is
        made from the same object in an equal context (a category none of whose pages can have
        changed: nothing in it is looked at), else a new list of each job's (run). What is
        made from a group's results can then be reused by that list's identity."""
        return [made for batch in self.group_batches(kind, groups, run_steps, per_conversion)
                for _, made in batch]

    def group_batches(self, kind: str, groups: list[Group], run_steps,
                      per_conversion: int = 1, size: int = 0
                      ) -> Iterator[list[tuple[Group, list]]]:
        """group_results in batches of the groups whose jobs number about `size` (0: one
        batch), each (group, its results): a batch is made only once the caller has taken the
        one before, so a caller that lets go of each batch never holds all the results."""
        batch, jobs = [], []
        for group in groups:
            results = self.get(kind + " group", group.name, group.source, group.context)
            start = len(jobs)
            if results is MISSING:
                jobs.extend(group.jobs())
            batch.append((group, results, start, len(jobs)))
            if size and len(jobs) >= size:
                yield self._ran(kind, batch, jobs, run_steps, per_conversion)
                batch, jobs = [], []
        if batch:
            yield self._ran(kind, batch, jobs, run_steps, per_conversion)

    def _ran(self, kind: str, batch: list, jobs: list[Job], run_steps, per_conversion: int
             ) -> list[tuple[Group, list]]:
        ran = self.run(kind, jobs, run_steps, per_conversion)
        results = []
        for group, made, start, end in batch:
            if made is MISSING:
                made = ran[start:end]
                self.put(kind + " group", group.name, group.source, group.context, made)
            results.append((group, made))
        return results

    def memoized(self, kind: str, name: str, source: object, context: Any,
                 make: Callable[..., Any], *args) -> Any:
        """`make(*args)`, a function of `source` and `context` only, or what it returned for
        the same object in an equal context in the previous build."""
        value = self.get(kind, name, source, context)
        if value is MISSING:
            value = make(*args)
            self.put(kind, name, source, context, value)
        return value

    def joined(self, kind: str, name: str, parts: Sequence, context: Any,
               make: Callable[..., Any], *args) -> Any:
        """`make(*args)`, a function of `parts` and `context` only, or what it returned in
        the previous build when each of `parts` is the object it was then (a file joined from
        the parts of a site's articles, made again only when one of them is new)."""
        entry = self._made.get((kind, name))
        if entry is not None and len(entry[0]) == len(parts) and entry[1] == context and \
                all(map(operator.is_, entry[0], parts)):
            return entry[2]
        value = make(*args)
        if self.keep:
            self._made[(kind, name)] = (tuple(parts), context, value)
        return value

    def total(self, kind: str, name: str, items: Sequence, measure: Callable[[Any], int]
              ) -> int:
        """The sum of `measure` over `items`, from the previous build's where `items` are
        mostly the objects they were then, in the same places (only the others are measured)."""
        entry = self._made.get((kind, name))
        places = replaced(entry[0], items) if entry is not None else None
        if places is None:
            value = sum(map(measure, items))
        else:
            value = entry[2] + sum(measure(items[n]) - measure(entry[0][n]) for n in places)
        if self.keep:
            self._made[(kind, name)] = (tuple(items), None, value)
        return value


def replaced(before: Sequence, after: Sequence) -> list[int] | None:
    """The places where `after` holds another object than `before` (compared by identity, at
    the speed of C: a list of 25,000 files in a fraction of a millisecond); None if their
    lengths differ."""
    if len(before) != len(after):
        return None
    return list(compress(range(len(after)), map(operator.is_not, before, after)))


@dataclass(frozen=True)
class Job:
    """One result of a stage: its name (an output path), the model object and the context it
    is made from, and what makes its step (a cache.Step, made only when it cannot be reused)."""

    name: str
    source: object
    context: Any
    step: Callable[[], Any]


@dataclass(frozen=True)
class Group:
    """Jobs that are all functions of one model object (`source`) and `context`."""

    name: str
    source: object
    context: Any
    jobs: Callable[[], list[Job]]
