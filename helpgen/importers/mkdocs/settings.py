"""Reading mkdocs.yml safely: YAML as MkDocs reads it (`!ENV`, `!relative`, `INHERIT`) with no
`!!python/…` tag, plugin, hook or theme code run, each key's file and line kept for errors,
then validated by MkDocs' own `load_config`."""

from __future__ import annotations

import io
import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from helpgen.errors import HelpgenError
from helpgen.importers.common import contained

CONFIG_NAMES = ("mkdocs.yml", "mkdocs.yaml")


class _CheckingLoader(yaml.SafeLoader):
    """YAML as MkDocs reads it (`!ENV`, `!relative`, `!!python/…` tags), except that no tag runs
    code: Python tags are read as the text of the tag."""


def _env_tag(loader, node):
    """`!ENV NAME` or `!ENV [NAME, OTHER, default]`; a variable that is not set and has no
    default is an error naming it (MkDocs would quietly read null)."""
    import yaml_env_tag
    names, has_default = [], False
    if isinstance(node, yaml.ScalarNode):
        names = [node.value]
    elif isinstance(node, yaml.SequenceNode):
        has_default = len(node.value) > 1
        names = [child.value for child in node.value[:-1 if has_default else None]]
    if names and not has_default and not any(str(name) in os.environ for name in names):
        listed = " or ".join(f"'{name}'" for name in names)
        raise HelpgenError(
            f"the environment variable {listed} is not set", getattr(loader, "source_path", None),
            node.start_mark.line + 1,
            f"set it before importing, or give a default: !ENV [{names[0]}, default]")
    return yaml_env_tag.construct_env_tag(loader, node)


def _python_name(loader, suffix, node):
    return f"!!python/name:{suffix}"


def _python_other(loader, suffix, node):
    # `!!python/object/apply:pymdownx.slugs.slugify {kwds: {case: lower}}` and the like: MkDocs
    # would call the function while reading the file. The importer only needs to know the tag
    # and its arguments, as text.
    if isinstance(node, yaml.MappingNode):
        args = loader.construct_mapping(node, deep=True)
    elif isinstance(node, yaml.SequenceNode):
        args = loader.construct_sequence(node, deep=True)
    else:
        args = loader.construct_scalar(node)
    written = yaml.safe_dump(args, default_flow_style=True, width=10_000).strip() \
        if args not in ("", [], {}) else ""
    return f"!!python/{suffix} {written.removesuffix('...').strip()}".strip()


_CheckingLoader.add_constructor("!ENV", _env_tag)
_CheckingLoader.add_constructor("!relative", lambda loader, node: loader.construct_scalar(node))
_CheckingLoader.add_multi_constructor("tag:yaml.org,2002:python/name:", _python_name)
_CheckingLoader.add_multi_constructor(
    "tag:yaml.org,2002:python/tuple",
    lambda loader, suffix, node: loader.construct_sequence(node))
_CheckingLoader.add_multi_constructor("tag:yaml.org,2002:python/", _python_other)


def _parse_file(path: Path) -> tuple[dict, dict[str, int]]:
    """One YAML file of the INHERIT chain: its data and the line of each top-level key (read
    here first so that a mistake is reported with its file and line)."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise HelpgenError("the file is not UTF-8 text", path, None,
                           "save it as UTF-8 in your editor") from None
    loader = _CheckingLoader(text)
    loader.source_path = path
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise HelpgenError(f"malformed YAML: {exc.problem or exc}", path,
                           mark.line + 1 if mark else None,
                           "check the indentation and quoting on this line") from None
    except yaml.YAMLError as exc:
        raise HelpgenError(f"malformed YAML: {exc}", path, None) from None
    finally:
        loader.dispose()
    if data is None:
        return {}, {}
    if not isinstance(data, dict):
        raise HelpgenError("mkdocs.yml must be a mapping of settings", path, 1,
                           "write settings as 'key: value' lines, e.g. site_name: My Docs")
    lines = {str(k.value): k.start_mark.line + 1 for k, _ in node.value} \
        if isinstance(node, yaml.MappingNode) else {}
    return data, lines


@dataclass
class _Settings:
    """The project's settings: validated by MkDocs (`config`) and as written (`raw`)."""

    path: Path
    config: object                                # mkdocs.config.defaults.MkDocsConfig
    raw: dict
    key_lines: dict[str, tuple[Path, int]]        # top-level key -> where it is written
    warnings: list[str] = field(default_factory=list)   # what MkDocs warned about

    def where(self, key: str) -> tuple[Path, int | None]:
        return self.key_lines.get(key, (self.path, None))


def read_settings(path: Path) -> _Settings:
    """Check every file of the INHERIT chain, then load the project with MkDocs' loader."""
    key_lines: dict[str, tuple[Path, int]] = {}
    chain, current = [], path
    while True:
        if current in chain:
            raise HelpgenError("INHERIT makes a loop", current, None,
                               "a file cannot inherit from itself")
        chain.append(current)
        data, lines = _parse_file(current)
        for key, line in lines.items():
            key_lines.setdefault(key, (current, line))
        parent = data.get("INHERIT")
        if parent is None:
            break
        target = (current.parent / str(parent)).resolve()
        if contained(target, path.parent) is None:
            raise HelpgenError(f"INHERIT names a file outside the project folder: {parent}",
                               current, lines.get("INHERIT"),
                               f"helpgen reads only files inside {path.parent}; copy the "
                               "inherited settings into the project")
        if not target.is_file():
            raise HelpgenError(f"INHERIT names a file that does not exist: {parent}", current,
                               lines.get("INHERIT"), f"looked for {target}")
        current = target

    from mkdocs import exceptions
    from mkdocs.config import load_config
    from mkdocs.utils.yaml import get_yaml_loader, yaml_load

    with open(path, "rb") as handle:
        try:
            raw = yaml_load(handle, loader=get_yaml_loader(_CheckingLoader))
        except exceptions.ConfigurationError as exc:
            raise HelpgenError(str(exc), path, None) from None

    # MkDocs validates a plain copy of the merged settings: its own loader would construct the
    # `!!python/…` tags (calling functions, importing the project's modules) while reading.
    # Plugins, extensions, hooks and the theme are read from `raw` instead of being loaded, which
    # needs none of them installed and runs no third-party code.
    plain = {k: v for k, v in raw.items()
             if k not in ("INHERIT", "plugins", "markdown_extensions", "hooks", "theme")}
    messages: list[tuple[int, str]] = []

    class Collect(logging.Handler):
        def emit(self, record):
            messages.append((record.levelno, record.getMessage()))

    logger = logging.getLogger("mkdocs")
    handler, propagate = Collect(level=logging.WARNING), logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        config = load_config(config_file=io.BytesIO(yaml.safe_dump(plain).encode("utf-8")),
                             config_file_path=str(path), plugins=[], markdown_extensions=[],
                             hooks=[], theme={"name": "mkdocs"})
    except (exceptions.Abort, exceptions.ConfigurationError) as exc:
        errors = [m for level, m in messages if level >= logging.ERROR] or [str(exc)]
        match = re.search(r"Config value '([^']+)': (.*)", errors[0], re.DOTALL)
        key, message = (match.group(1), match.group(2)) if match else (None, errors[0])
        where_path, where_line = key_lines.get(key, (path, None)) if key else (path, None)
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise HelpgenError(f"MkDocs cannot load this project: {message.strip()}{more}",
                           where_path, where_line,
                           "fix it so that 'mkdocs build' accepts the file, then import again"
                           ) from None
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate
    return _Settings(path, config, raw, key_lines,
                     [m for level, m in messages if level < logging.ERROR])


def find_config(path: Path) -> Path:
    if path.is_dir():
        for name in CONFIG_NAMES:
            if (path / name).is_file():
                return (path / name).resolve()
        raise HelpgenError("no mkdocs.yml in this folder", path, None,
                           "give the path of the project's mkdocs.yml")
    if not path.is_file():
        raise HelpgenError("the file does not exist", path, None,
                           "give the path of the project's mkdocs.yml")
    return path.resolve()


def _named_items(value) -> list[tuple[str, dict]]:
    """A plugins or markdown_extensions list (or mapping) as (name, options) pairs."""
    items: list[tuple[str, dict]] = []
    if isinstance(value, dict):
        value = [{k: v} for k, v in value.items()]
    for entry in value or ():
        if isinstance(entry, str):
            items.append((entry, {}))
        elif isinstance(entry, dict):
            for name, options in entry.items():
                items.append((str(name), options if isinstance(options, dict) else {}))
    return items


def _extension_name(name: str) -> str:
    name = name.split(":")[0]
    for prefix in ("markdown.extensions.", "mdx_"):
        if name.startswith(prefix):
            name = name[len(prefix):]
    return name
