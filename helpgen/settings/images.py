"""The intrinsic size of an image file, read from its first bytes (PNG, GIF, JPEG, WebP) or its
root element (SVG): a page gives its logo a width and height, so the header keeps its layout
while the image loads (no layout shift). No imaging library is a dependency, and these headers
are a few fixed fields."""

from __future__ import annotations

import re
import struct
import xml.etree.ElementTree as ElementTree
from pathlib import Path

HEAD = 64 * 1024             # JPEG's size comes after its metadata segments, within this
LENGTH = re.compile(r"\s*([0-9]*\.?[0-9]+)\s*(px)?\s*")


def intrinsic_size(path: Path) -> tuple[float, float] | None:
    """(width, height) of the image at `path`; None when unknown (another format, a damaged
    file, an SVG without a size or viewBox)."""
    try:
        if path.suffix.lower() == ".svg":
            size = _svg(path)
        else:
            with path.open("rb") as file:
                size = _bitmap(file.read(HEAD))
    except (OSError, ElementTree.ParseError, struct.error, ValueError):
        return None
    return size if size and size[0] > 0 and size[1] > 0 else None


def _bitmap(head: bytes) -> tuple[float, float] | None:
    if head.startswith(b"\x89PNG\r\n\x1a\n") and head[12:16] == b"IHDR":
        return struct.unpack(">II", head[16:24])
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return struct.unpack("<HH", head[6:10])
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return _webp(head)
    if head[:2] == b"\xff\xd8":
        return _jpeg(head)
    return None


def _webp(head: bytes) -> tuple[float, float] | None:
    chunk = head[12:16]
    if chunk == b"VP8 ":               # lossy: 14 bits each, after the frame tag and start code
        width, height = struct.unpack("<HH", head[26:30])
        return width & 0x3FFF, height & 0x3FFF
    if chunk == b"VP8L":               # lossless: 14 bits each, minus one
        bits = int.from_bytes(head[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8X":               # extended: 24 bits each, minus one
        return int.from_bytes(head[24:27], "little") + 1, int.from_bytes(head[27:30], "little") + 1
    return None


def _jpeg(head: bytes) -> tuple[float, float] | None:
    """The size in the first start-of-frame segment (SOF0–SOF15 but DHT, JPG and DAC)."""
    position = 2
    while position + 9 <= len(head):
        if head[position] != 0xFF:
            return None
        marker = head[position + 1]
        if marker == 0xFF:             # fill bytes before a marker
            position += 1
            continue
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", head[position + 5:position + 9])
            return width, height
        position += 2 + struct.unpack(">H", head[position + 2:position + 4])[0]
    return None


def _svg(path: Path) -> tuple[float, float] | None:
    """From the root element's width and height (in px or unitless), else its viewBox."""
    for _, root in ElementTree.iterparse(path, events=("start",)):
        width, height = (LENGTH.fullmatch(root.get(key, "")) for key in ("width", "height"))
        if width and height:
            return float(width[1]), float(height[1])
        box = (root.get("viewBox") or "").replace(",", " ").split()
        return (float(box[2]), float(box[3])) if len(box) == 4 else None
    return None
