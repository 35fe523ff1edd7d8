"""Brand colors made readable: WCAG contrast, and shades of a brand color that pass it.

A brand's primary color fills the header and buttons and colors links. Any color can carry white
or black text at WCAG AA (one of the two always reaches 4.58:1), but not every color is readable as
link text on a white or a dark page, so links get the nearest shade that is. The settings warn
about a primary color too light for links (config.py); the pages use the shades (output/pages.py).
"""

from __future__ import annotations

AA = 4.5                         # WCAG 2 AA contrast for normal text
WHITE, BLACK = "#ffffff", "#000000"
# The least contrasting backgrounds links sit on in the default theme (its surface colors).
LIGHT_SURFACE, DARK_SURFACE = "#eef1f5", "#202a36"


def rgb(color: str) -> tuple[int, int, int]:
    """'#0b62d6' or '#06c' as 0–255 channels."""
    digits = color.lstrip("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def hex_color(channels) -> str:
    return "#" + "".join(f"{round(max(0, min(255, c))):02x}" for c in channels)


def luminance(color: str) -> float:
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = map(linear, rgb(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: str, second: str) -> float:
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def text_on(background: str) -> str:
    """White or black, whichever reads better on `background`."""
    return WHITE if contrast(background, WHITE) >= contrast(background, BLACK) else BLACK


def readable_shade(color: str, background: str, minimum: float = AA) -> str:
    """`color`, or the least darkened (on light backgrounds) or lightened (on dark ones) shade of
    it that reaches `minimum` contrast with `background`."""
    if contrast(color, background) >= minimum:
        return color
    toward = rgb(BLACK if luminance(background) > 0.18 else WHITE)
    source = rgb(color)
    for step in range(1, 101):
        mix = step / 100
        shade = hex_color(s + (t - s) * mix for s, t in zip(source, toward))
        if contrast(shade, background) >= minimum:
            return shade
    return hex_color(toward)


def link_colors(color: str) -> tuple[str, str]:
    """Link text colors for the light and the dark scheme."""
    return readable_shade(color, LIGHT_SURFACE), readable_shade(color, DARK_SURFACE)
