"""The inline passes skip, on a page, the patterns whose trigger is nowhere in its text
(helpgen/markup.py). If an upgraded Markdown extension changed a pattern so that it could match
without its trigger, pages would silently lose that syntax: these tests look for such a match."""

from __future__ import annotations

import random
import string

import pytest

from helpgen.content.markup import _SMART_TRIGGERS, _TRIGGERS, MarkdownRenderer

ALPHABET = string.ascii_letters + string.digits + string.punctuation + " \n\t" + "退款申请流程。，"


def _patterns(registry, triggers):
    return [(name, registry[name], triggers[name]) for name in triggers if name in registry]


def _renderer_patterns():
    md = MarkdownRenderer()._md
    inline = _patterns(md.inlinePatterns, _TRIGGERS)
    smart = _patterns(md.treeprocessors["smart-symbols"].inlinePatterns,
                      _SMART_TRIGGERS)
    return inline + smart


def test_every_named_pattern_exists():
    """A trigger for a pattern the extensions no longer register is a stale table."""
    found = {name for name, _, _ in _renderer_patterns()}
    assert found == set(_TRIGGERS) | set(_SMART_TRIGGERS)


@pytest.mark.parametrize("name, pattern, triggers", _renderer_patterns(),
                         ids=lambda value: value if isinstance(value, str) else "")
def test_no_pattern_matches_a_text_without_its_trigger(name, pattern, triggers):
    rng = random.Random(name)
    tries = 0
    while tries < 3000:
        text = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 40)))
        if any(trigger in text for trigger in triggers):
            continue
        tries += 1
        assert pattern.compiled_re.search(text) is None, (name, text)


def test_every_icon_bundled_with_material_renders_by_its_name():
    """`:fontawesome-brands-github:` and the rest: helpgen looks an icon up by its name (hyphens
    standing for folders) instead of listing Material's 10,000 files for each build; the names
    must find exactly the files Material's own index does (first found wins there)."""
    import glob
    import os

    from pymdownx import twemoji_db

    from helpgen.content import markup
    base = str(markup.ICONS_DIR)
    listed: dict[str, str] = {}
    for file in glob.iglob(os.path.join(base, "**", "*.svg"), recursive=True):
        listed.setdefault(":" + file[len(base) + 1:-4].replace(os.sep, "-") + ":", file)
    icons = {name: file for name, file in listed.items()
             if name not in twemoji_db.aliases and "unicode" not in twemoji_db.emoji.get(name, {})}
    assert len(icons) > 5000 and ":fontawesome-brands-github:" in icons
    index = markup._emoji_index({}, None)["emoji"]
    assert {name: index[name]["path"] for name in icons} == icons
    assert index.get(":material-no-such-icon:") is None
    assert index[":smile:"]["unicode"] == twemoji_db.emoji[":smile:"]["unicode"]
    with pytest.raises(KeyError):
        index[":no-such-set-cog:"]
