"""Reading the site's text files: UTF-8 with a clear error, and YAML parsing that remembers
where each key was written, so errors can name the line. The caller says the code of the
problems (errors.CODES): the same mistake is CONFIG in helpgen.yml, FRONT_MATTER in an article."""

from __future__ import annotations

from pathlib import Path

import yaml

from helpgen.errors import HelpgenError

KeyLines = dict[tuple[str, ...], int]
# libyaml's parser when PyYAML was built with it (the usual wheels are): about ten times faster
# on the thousands of front matter blocks of a large help center.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Nesting levels a file may have: settings need fewer than ten. PyYAML's own composer and
# constructor recurse once per level, so a line of ten thousand '[' would crash them.
MAX_DEPTH = 64


def read_text(path: Path, *, code: str | None,
              hint: str = "save it as UTF-8 in your editor") -> str:
    """The file's text; a file that is not UTF-8, or not an ordinary file (reading a pipe would
    wait forever), is a HelpgenError naming it, with the code `code` (None for a file that is not
    a site's, e.g. an export an importer reads)."""
    if not path.is_file():
        raise not_a_file(path, code=code)
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise HelpgenError("the file is not UTF-8 text", path, None, hint, code=code) from None
    except OSError as error:
        raise HelpgenError(f"could not read the file: {error.strerror}", path, None,
                           "check that it exists and that you may read it", code=code) from None


def not_a_file(path: Path, code: str | None) -> HelpgenError:
    """The error for a path that is not an ordinary file where helpgen expects one to read."""
    return HelpgenError("not a file helpgen can read (missing, a broken or looping link, a pipe "
                        "or a device)", path, None, "replace it with an ordinary text file, or "
                        "delete it", code=code)


def parse_yaml(text: str, path: Path, first_line: int = 1, *, code: str
               ) -> tuple[object, KeyLines]:
    """Parse `text` (which starts at line `first_line` of `path`).

    Returns the data and the line of every mapping key, by its key path, e.g. ("site", "title").
    Malformed YAML and duplicate keys raise HelpgenError pointing at the offending line, with the
    code `code`.
    """
    try:
        return _parse(text, path, first_line, _Loader, code=code)
    except HelpgenError:
        if _Loader is yaml.SafeLoader:
            raise
    # libyaml notices some mistakes a line late; PyYAML's own parser says where they are.
    return _parse(text, path, first_line, yaml.SafeLoader, code=code)


def _parse(text: str, path: Path, first_line: int, loader_class, code: str
           ) -> tuple[object, KeyLines]:
    node = None
    try:
        loader = loader_class(text)
        try:
            node = _compose(loader, path, first_line, code=code)
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + mark.line if mark else first_line
        problem = exc.problem or "malformed YAML"
        raise HelpgenError(f"malformed YAML: {problem}", path, line,
                           "check the indentation and quoting on this line; text containing ': ' "
                           "or starting with a special character needs quotes", code=code) from None
    except yaml.reader.ReaderError as exc:
        raise HelpgenError(f"the character U+{exc.character:04X} is not allowed in YAML", path,
                           first_line + text.count("\n", 0, exc.position),
                           "delete it: control characters are invisible in most editors",
                           code=code) from None
    except yaml.YAMLError as exc:
        raise HelpgenError(f"malformed YAML: {exc}", path, first_line,
                           "check the file's indentation and quoting", code=code) from None
    except ValueError as exc:      # a well-formed value that is impossible, e.g. 2026-02-30
        raise _impossible_value(node, exc, path, first_line, code=code) from None
    lines: KeyLines = {}
    if node is not None:
        _collect_key_lines(node, (), first_line, path, lines, code=code)
    return data, lines


_NODES = {yaml.ScalarEvent: yaml.ScalarNode, yaml.SequenceStartEvent: yaml.SequenceNode,
          yaml.MappingStartEvent: yaml.MappingNode}


def _compose(loader, path: Path, first_line: int, code: str) -> yaml.Node | None:
    """The document's node tree, built from the parser's events without recursion.

    Anchors and aliases are refused: PyYAML composes an alias as a second reference to the same
    node, so nine lines of nested aliases (a "billion laughs") construct billions of values.
    Nesting deeper than MAX_DEPTH is refused too.
    """
    loader.get_event()                                  # the stream's start
    if loader.check_event(yaml.StreamEndEvent):
        return None
    loader.get_event()                                  # the document's start
    open_nodes: list[yaml.CollectionNode] = []          # a mapping's value: keys and values
    while True:
        event = loader.get_event()
        line = first_line + event.start_mark.line
        if getattr(event, "anchor", None) is not None:  # an anchor, or an alias to one
            raise HelpgenError("YAML anchors and aliases (&name, *name) are not supported",
                               path, line, "write the value out where it is needed; put text "
                               "that starts with & or * in quotes, e.g. title: \"*New* plans\"",
                               code=code)
        kind = _NODES.get(type(event))
        if kind is None:                                # the end of a mapping or a sequence
            node = open_nodes.pop()
            node.end_mark = event.end_mark
            if isinstance(node, yaml.MappingNode):
                node.value = list(zip(node.value[::2], node.value[1::2]))
        else:
            tag = event.tag
            if tag is None or tag == "!":
                tag = loader.resolve(kind, getattr(event, "value", None), event.implicit)
            if kind is yaml.ScalarNode:
                node = kind(tag, event.value, event.start_mark, event.end_mark, event.style)
            elif len(open_nodes) == MAX_DEPTH:
                raise HelpgenError(f"the YAML is nested more than {MAX_DEPTH} levels deep",
                                   path, line, "settings and front matter need only a few "
                                   "levels; check the brackets and indentation here", code=code)
            else:
                open_nodes.append(kind(tag, [], event.start_mark, None, event.flow_style))
                continue
        if not open_nodes:
            break
        open_nodes[-1].value.append(node)
    loader.get_event()                                  # the document's end
    if not loader.check_event(yaml.StreamEndEvent):
        raise yaml.composer.ComposerError("expected a single document in the stream", None,
                                          "but found another document",
                                          loader.get_event().start_mark)
    return node


def _impossible_value(node, error: ValueError, path: Path, first_line: int, code: str
                      ) -> HelpgenError:
    """The error for the first value that YAML can parse but Python cannot hold: a date such as
    2026-02-30, or a whole number of more than 4,300 digits."""
    checker = yaml.SafeLoader("")
    stack = [(node, "")]
    while stack:
        current, key = stack.pop(0)
        if isinstance(current, yaml.ScalarNode):
            try:
                checker.construct_object(current)
            except ValueError as exc:
                line = first_line + current.start_mark.line
                if current.tag == "tag:yaml.org,2002:timestamp":
                    return HelpgenError(f"'{key}' is not a real date ({exc})", path, line,
                                        "write a calendar date as YYYY-MM-DD, e.g. 2026-02-28",
                                        code=code)
                return HelpgenError(f"'{key}' cannot be read: {str(exc).split(';')[0]}", path,
                                    line, "shorten it, or put it in quotes to keep it as text",
                                    code=code)
        elif isinstance(current, yaml.MappingNode):
            stack[:0] = [(value, str(name.value)) for name, value in current.value]
        elif isinstance(current, yaml.SequenceNode):
            stack[:0] = [(item, key) for item in current.value]
    return HelpgenError(f"a value cannot be read: {error}", path, first_line,
                        "put unusual values in quotes to keep them as text", code=code)


def _collect_key_lines(node, prefix, first_line, path, lines: KeyLines, code: str) -> None:
    """Record the line of every mapping key and list item (items by index: ("aliases", "2"))."""
    if isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            key = (*prefix, str(index))
            lines[key] = first_line + item.start_mark.line
            _collect_key_lines(item, key, first_line, path, lines, code=code)
        return
    if not isinstance(node, yaml.MappingNode):
        return
    for key_node, value_node in node.value:
        key = (*prefix, str(key_node.value))
        line = first_line + key_node.start_mark.line
        if key in lines:
            raise HelpgenError(f"duplicate key '{key[-1]}' (first set on line {lines[key]})",
                               path, line, "remove one of the two", code=code)
        lines[key] = line
        _collect_key_lines(value_node, key, first_line, path, lines, code=code)
