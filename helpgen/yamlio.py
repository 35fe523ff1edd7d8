"""Reading the site's text files: UTF-8 with a clear error, and YAML parsing that remembers
where each key was written, so errors can name the line."""

from __future__ import annotations

from pathlib import Path

import yaml

from helpgen.errors import HelpgenError

KeyLines = dict[tuple[str, ...], int]
# libyaml's parser when PyYAML was built with it (the usual wheels are): about ten times faster
# on the thousands of front matter blocks of a large help center.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_text(path: Path, hint: str = "save it as UTF-8 in your editor") -> str:
    """The file's text; a file that is not UTF-8 is a HelpgenError naming it."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise HelpgenError("the file is not UTF-8 text", path, None, hint) from None


def parse_yaml(text: str, path: Path, first_line: int = 1) -> tuple[object, KeyLines]:
    """Parse `text` (which starts at line `first_line` of `path`).

    Returns the data and the line of every mapping key, by its key path, e.g. ("site", "title").
    Malformed YAML and duplicate keys raise HelpgenError pointing at the offending line.
    """
    try:
        return _parse(text, path, first_line, _Loader)
    except HelpgenError:
        if _Loader is yaml.SafeLoader:
            raise
    # libyaml notices some mistakes a line late; PyYAML's own parser says where they are.
    return _parse(text, path, first_line, yaml.SafeLoader)


def _parse(text: str, path: Path, first_line: int, loader_class) -> tuple[object, KeyLines]:
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + mark.line if mark else first_line
        problem = exc.problem or "malformed YAML"
        raise HelpgenError(f"malformed YAML: {problem}", path, line,
                           "check the indentation and quoting on this line; text containing ': ' "
                           "or starting with a special character needs quotes") from None
    except yaml.YAMLError as exc:
        raise HelpgenError(f"malformed YAML: {exc}", path, first_line) from None
    except ValueError as exc:      # a well-formed value that is impossible, e.g. 2026-02-30
        offset, key = _bad_date(node)
        raise HelpgenError(f"'{key}' is not a real date ({exc})", path, first_line + offset,
                           "write a calendar date as YYYY-MM-DD, e.g. 2026-02-28") from None
    finally:
        loader.dispose()
    lines: KeyLines = {}
    if node is not None:
        _collect_key_lines(node, (), first_line, path, lines)
    return data, lines


def _bad_date(node) -> tuple[int, str]:
    """The line (from 0) and key of the first date-like value that is not a real date."""
    checker = yaml.SafeLoader("")
    stack = [(node, "")]
    while stack:
        current, key = stack.pop(0)
        if isinstance(current, yaml.ScalarNode) and current.tag == "tag:yaml.org,2002:timestamp":
            try:
                checker.construct_yaml_timestamp(current)
            except ValueError:
                return current.start_mark.line, key
        elif isinstance(current, yaml.MappingNode):
            stack[:0] = [(value, str(name.value)) for name, value in current.value]
        elif isinstance(current, yaml.SequenceNode):
            stack[:0] = [(item, key) for item in current.value]
    return 0, ""


def _collect_key_lines(node, prefix, first_line, path, lines: KeyLines) -> None:
    """Record the line of every mapping key and list item (items by index: ("aliases", "2"))."""
    if isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            key = (*prefix, str(index))
            lines[key] = first_line + item.start_mark.line
            _collect_key_lines(item, key, first_line, path, lines)
        return
    if not isinstance(node, yaml.MappingNode):
        return
    for key_node, value_node in node.value:
        key = (*prefix, str(key_node.value))
        line = first_line + key_node.start_mark.line
        if key in lines:
            raise HelpgenError(f"duplicate key '{key[-1]}' (first set on line {lines[key]})",
                               path, line, "remove one of the two")
        lines[key] = line
        _collect_key_lines(value_node, key, first_line, path, lines)
