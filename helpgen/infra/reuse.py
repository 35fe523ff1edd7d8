"""What the live preview's previous build made from each model object, reused by identity.

The content model is frozen, and the live preview updates it with structural sharing: an edit
makes new objects only along the path from the site to what it changed (helpgen/session.py), so
every other article, section and category is the very object the previous build had. A result
made from the same object, in an equal context, is then the same result, known without hashing
the object or even looking at it: one dictionary look-up per page instead of a digest. A build
that made its model anew (every command-line build, and the preview's full builds) starts a new
`Reuse`, which then holds nothing that could match.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

MISSING = object()               # what `get` returns when nothing can be reused


class Reuse:
    """Results by (kind, name): each with the object it was made from and its context."""

    def __init__(self):
        self._made: dict[tuple[str, str], tuple[object, Any, Any]] = {}

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
        """The results of `groups` of jobs, in order: all of a group's the previous build's
        when it is made from the same object in an equal context (a category none of whose
        pages can have changed: nothing in it is looked at), else each job's (run)."""
        kept, jobs, spans = [], [], []
        for group in groups:
            results = self.get(kind + " group", group.name, group.source, group.context)
            start = len(jobs)
            if results is MISSING:
                jobs.extend(group.jobs())
            kept.append(results)
            spans.append((start, len(jobs)))
        ran = self.run(kind, jobs, run_steps, per_conversion)
        results = []
        for group, made, (start, end) in zip(groups, kept, spans):
            if made is MISSING:
                made = ran[start:end]
                self.put(kind + " group", group.name, group.source, group.context, made)
            results.extend(made)
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
