"""JSON for scripts, shared by the pages and widget (render) and the search index, which must
not import the render stage."""

from __future__ import annotations

import json


def to_json(value, compact: bool = False, ascii_only: bool = False) -> str:
    """JSON safe to place inside a <script> element or a script file."""
    separators = (",", ":") if compact else (", ", ": ")
    return (json.dumps(value, ensure_ascii=ascii_only, sort_keys=True, separators=separators)
            .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
