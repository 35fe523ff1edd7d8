"""Material's look as brand settings: palette colors (named, hex, hsl or set by extra_css),
fonts, logo and favicon, copyright and social links, the repository link, the announcement bar,
extra_css (copied, with Material-only rules reported) and theme.custom_dir. Kept apart because
it is about the theme, not the pages."""

from __future__ import annotations

import colorsys
import functools
import posixpath
import re
from pathlib import Path
from urllib.parse import unquote

from helpgen.settings.colors import AA, LIGHT_SURFACE, contrast, readable_shade
from helpgen.settings.config import COLOR, FONT_STACK
from helpgen.importers.common import (UNSAFE_HTML, clean_html, contained, describe_removals,
                                      name_slug, split_url)
from helpgen.settings.address import LINK_SCHEMES
from helpgen.importers.mkdocs.text import _soup, _text

MATERIAL_HUE = 225          # Material's --md-hue, which its hsla() colors are written with


# Readable names of sites often linked from Material's footer and header.
SITE_NAMES = {"github.com": "GitHub", "gitlab.com": "GitLab", "bitbucket.org": "Bitbucket",
              "x.com": "X", "twitter.com": "Twitter", "linkedin.com": "LinkedIn",
              "youtube.com": "YouTube", "discord.gg": "Discord", "discord.com": "Discord",
              "hub.docker.com": "Docker Hub", "pypi.org": "PyPI", "npmjs.com": "npm"}


# The class names of MkDocs themes, which a project's stylesheets style: nothing in helpgen's
# pages has them.
THEME_CLASSES = {"Material": r"\.md-[\w-]+", "the readthedocs theme": r"\.(?:wy|rst)-[\w-]+"}


@functools.cache
def material_colors(kind: str) -> dict[str, str]:
    """Material for MkDocs' named `primary` or `accent` colors (`indigo`, `deep-purple`…) as hex,
    read from the palette stylesheet of the installed mkdocs-material."""
    import material
    folder = Path(material.__file__).parent / "templates" / "assets" / "stylesheets"
    colors: dict[str, str] = {}
    hue = MATERIAL_HUE
    for css in sorted(folder.glob("palette*.css")):
        text = css.read_text(encoding="utf-8")
        found = re.search(r"--md-hue:\s*(\d+)", text)
        hue = int(found.group(1)) if found else hue
        for selectors, body in re.findall(r"([^{}]*)\{([^{}]*)\}", text):
            value = re.search(rf"--md-{kind}-fg-color:\s*([^;]+)", body)
            hex_value = _css_color(value.group(1).strip(), hue) if value else None
            for selector in selectors.split(","):
                name = re.fullmatch(rf'\[data-md-color-{kind}="?([a-z-]+)"?\]', selector.strip())
                if hex_value and name and name.group(1) not in colors:
                    colors[name.group(1)] = hex_value
    return colors


def _css_color(value: str, hue: int) -> str | None:
    """A CSS color written as hex or hsl(a) (Material's way) as #rrggbb; None for others."""
    if COLOR.match(value):
        value = value.lower()
        return "#" + "".join(c * 2 for c in value[1:]) if len(value) == 4 else value
    match = re.match(r"hsla?\(\s*(var\(--md-hue\)|[\d.]+)(?:deg)?\s*,\s*([\d.]+)%\s*,"
                     r"\s*([\d.]+)%", value)
    if not match:
        return None
    h = hue if match.group(1).startswith("var") else float(match.group(1))
    r, g, b = colorsys.hls_to_rgb(h / 360, float(match.group(3)) / 100,
                                  float(match.group(2)) / 100)
    return "#" + "".join(f"{round(c * 255):02x}" for c in (r, g, b))


class _Look:
    """The brand settings Material's theme settings become (a part of `_Importer`)."""

    def _theme_file(self, value: str, what: str) -> str | None:
        if split_url(value).scheme:
            self.report.skip("Theme settings", f"theme.{what} at another site: {value}")
            return None
        folders = [self.docs_dir]
        custom = self.custom_dir()
        if custom:
            folders.append(custom)
        for folder in folders:
            file = self.inside(folder / value.lstrip("/"), f"theme.{what}")
            if file is not None and file.is_file():
                src = posixpath.normpath(value.lstrip("/"))
                if folder == self.docs_dir and src in self.other_files:
                    self.copied_assets.add(src)
                self.report.count("images and files copied")
                return self.writer.asset(file, posixpath.basename(value))
        self.report.check("Theme files that were not found", f"theme.{what}: {value}")
        return None

    def _logo(self) -> str | None:
        logo = self.theme.get("logo")
        if isinstance(logo, str) and logo:
            return self._theme_file(logo, "logo")
        icon = (self.theme.get("icon") or {}).get("logo") if isinstance(
            self.theme.get("icon"), dict) else None
        if isinstance(icon, str):
            from helpgen.content.markup import ICONS_DIR
            file = contained(ICONS_DIR / f"{icon}.svg", ICONS_DIR)
            if file is not None and file.is_file():
                return self.writer.asset(file, "logo.svg")
            self.report.check("Theme files that were not found", f"theme.icon.logo: {icon}")
        return None

    def _favicon(self) -> str | None:
        favicon = self.theme.get("favicon")
        return self._theme_file(favicon, "favicon") if isinstance(favicon, str) and favicon \
            else None

    def _palette(self) -> dict:
        """The palette scheme whose colors are carried: the light one when there are several."""
        palette = self.theme.get("palette")
        if isinstance(palette, dict):
            palette = [palette]
        schemes = [p for p in palette if isinstance(p, dict)] if isinstance(palette, list) else []
        if len(schemes) > 1:
            self.report.note("theme.palette has several color schemes (a light/dark toggle): "
                             "helpgen has its own light/dark toggle in the header and makes the "
                             "dark colors from brand.primary_color, so the light scheme's "
                             "colors were used.")
        light = [p for p in schemes if p.get("scheme", "default") != "slate"]
        chosen = next((p for p in light + schemes if p.get("primary") or p.get("accent")), {})
        if chosen.get("scheme") == "slate":
            self.report.note("The project showed Material's dark scheme (slate) only; helpgen's "
                             "pages follow the reader's system setting and the header toggle.")
        return chosen

    def _palette_color(self, palette: dict, kind: str, from_css: dict[str, str]) -> str | None:
        """theme.palette's `primary` or `accent` as hex; for `custom` (or none), the
        --md-<kind>-fg-color that extra_css sets."""
        value = str(palette.get(kind) or "custom").strip()
        name = value.lower().replace(" ", "-")
        if name == "custom":
            if palette.get(kind) and kind not in from_css:
                self.report.skip("Theme settings", f"theme.palette.{kind} 'custom' (extra_css "
                                 f"sets no --md-{kind}-fg-color that helpgen can read)")
            if kind in from_css:
                self.report.note(f"brand.{kind}_color is the --md-{kind}-fg-color that "
                                 f"extra_css sets ({from_css[kind]}).")
            return from_css.get(kind)
        if COLOR.match(value):
            return _css_color(value, MATERIAL_HUE)
        if kind == "primary" and name == "white":
            self.report.skip("Theme settings", f"theme.palette.primary '{value}' (too light for "
                             "links and buttons)")
            return None
        color = material_colors(kind).get(name)
        if color is None:
            self.report.skip("Theme settings", f"theme.palette.{kind} '{value}' (unknown color)")
        return color

    def _readable(self, primary: str | None) -> str | None:
        """`primary`, or the shade of it that helpgen's links would use when it is too light for
        text: helpgen's build warns about such a color, so `--strict` would fail."""
        if primary is None or contrast(primary, LIGHT_SURFACE) >= AA:
            return primary
        shade = readable_shade(primary, LIGHT_SURFACE)
        self.report.check("Colors", f"the primary color {primary} is too light for text on a "
                          f"light page ({contrast(primary, LIGHT_SURFACE):.1f}:1), so "
                          f"brand.primary_color is its darker shade {shade}, which links would "
                          f"use anyway; to keep {primary} for the header and buttons, write it "
                          "in helpgen.yml (the build then warns, and fails with --strict)")
        return shade

    def _fonts(self) -> dict:
        """theme.font's text and code fonts as font lists with system fallbacks."""
        font = self.theme.get("font")
        fonts, names = {}, []
        for key, target, fallback in (("text", "body", "system-ui, sans-serif"),
                                      ("code", "code", "ui-monospace, monospace")):
            name = font.get(key) if isinstance(font, dict) else None
            if not isinstance(name, str) or not name.strip():
                continue
            name = name.strip().strip("\"'")
            if "," in name or not FONT_STACK.match(name):
                self.report.skip("Theme settings", f"theme.font.{key} '{name}' (not a font name)")
                continue
            quoted = f'"{name}"' if re.search(r"(^|\s)[^A-Za-z\s]", name) else name
            fonts[target] = f"{quoted}, {fallback}"
            names.append(name)
        if names:
            self.report.note(f"Material loaded {' and '.join(names)} from Google Fonts; helpgen "
                             "fetches no font from a CDN, so readers who do not have the font "
                             "see the fallback in brand.fonts. To self-host it, put the font "
                             "files in assets/ and list them under brand.fonts.files, e.g. "
                             f"- {{family: {names[0]}, file: assets/fonts/{name_slug(names[0])}"
                             ".woff2, weight: 400 700}.")
        return fonts

    def _copyright(self) -> tuple[str | None, list[dict]]:
        """`copyright` (HTML) as plain text for brand.footer_text, and its links as footer links."""
        html = self.config.get("copyright")
        if not html:
            return None, []
        soup = self._clean_soup(str(html), "copyright")
        links = []
        for anchor in soup.find_all("a"):
            title = _text(anchor)
            url = str(anchor.get("href") or "").strip()
            if title and split_url(url).scheme in LINK_SCHEMES:
                links.append({"title": title, "url": url})
            else:
                why = "not a full address; add it to brand.footer_links with its path in " \
                    "the help center" if title else "it has no text to show as a footer link"
                label = f"'{title}' → {url or '(no address)'}" if title else \
                    url or "(no address)"
                self.report.skip("Settings", f"copyright: the link {label} ({why})")
        formatting = sorted({tag.name for tag in soup.find_all(True)} - {"a"})
        if formatting:
            self.report.skip("Settings", "copyright: HTML formatting ("
                             + ", ".join(f"<{tag}>" for tag in formatting)
                             + "); its text is brand.footer_text")
        if links:
            self.report.note("The links in copyright became brand.footer_links ("
                             + ", ".join(link["title"] for link in links)
                             + "); brand.footer_text is plain text.")
        return _text(soup) or None, links

    def _banner(self) -> str | dict | None:
        """Material's announcement bar (`{% block announce %}` in custom_dir's main.html) as
        brand.banner."""
        folder, custom = self.custom_dir(), self.theme.get("custom_dir")
        main = self.inside(folder / "main.html", "theme.custom_dir") if folder else None
        if main is None or not main.is_file():
            return None
        found = re.search(r"{%-?\s*block\s+announce\s*-?%}(.*?){%-?\s*endblock",
                          main.read_text(encoding="utf-8", errors="replace"), re.S)
        if not found or not found.group(1).strip():
            return None
        where = f"{{% block announce %}} in {custom}/main.html"
        if "{{" in found.group(1) or "{%" in found.group(1):
            self.report.check("Theme overrides (theme.custom_dir)", f"the announcement bar "
                              f"({where}) uses Jinja: write it as brand.banner by hand")
            return None
        soup = self._clean_soup(found.group(1), where)
        url = next((str(a["href"]) for a in soup.find_all("a", href=True)
                    if split_url(str(a["href"])).scheme in ("http", "https")), None)
        self.report.note(f"The announcement bar ({where}) became brand.banner, as plain text"
                         + (" with its first link." if url else "."))
        return {"text": _text(soup), "url": url} if url else _text(soup)

    def _social_links(self) -> list[dict]:
        """extra.social (Material's footer icons) as footer links."""
        extra = self.raw.get("extra")
        social = extra.get("social") if isinstance(extra, dict) else None
        links = []
        for entry in social if isinstance(social, list) else ():
            if not isinstance(entry, dict):
                continue
            url = str(entry.get("link") or "").strip()
            parts = split_url(url)
            name = str(entry.get("name") or "").strip()
            if parts.scheme not in LINK_SCHEMES:
                self.report.skip("Social links (extra.social)",
                                 f"{name or entry.get('icon') or url}: {url or '(no link)'} "
                                 "(not a full address, e.g. https://…)")
                continue
            host = (parts.hostname or "").removeprefix("www.")
            links.append({"title": name or SITE_NAMES.get(host) or host or parts.path,
                          "url": url})
        return links

    def _repo_link(self) -> list[dict]:
        """repo_url, which Material shows in the header, as a header link."""
        url = str(self.config.get("repo_url") or "")
        if split_url(url).scheme not in ("http", "https"):
            return []
        # MkDocs names the repository after its host when repo_name is not set.
        return [{"title": str(self.config["repo_name"]), "url": url}]

    def _extra_css(self) -> tuple[str | None, dict[str, str]]:
        """extra_css as brand.custom_css: the stylesheets, in order, in one file in assets/ (the
        files their url()s name copied along); and the colors it gives Material's variables."""
        parts, names = [], []
        for entry in self.config["extra_css"]:
            entry = str(entry)
            if split_url(entry).scheme or entry.startswith("//"):
                self.report.skip("Stylesheets (extra_css)", f"{entry} (at another site: "
                                 "helpgen loads no stylesheet from other sites)")
                continue
            src = posixpath.normpath(unquote(entry).lstrip("/"))
            file = self.other_files.get(src)
            if file is None:
                self.report.check("Theme files that were not found", f"extra_css: {entry}")
                continue
            try:
                text = file.read_text(encoding="utf-8-sig")
            except UnicodeDecodeError:
                self.report.skip("Stylesheets (extra_css)", f"{entry} (not UTF-8 text)")
                continue
            self.copied_assets.add(src)
            parts.append(f"/* {entry} */\n{self._css_urls(text, src).strip()}\n")
            names.append(posixpath.basename(src))
        if not parts:
            return None, {}
        css = "\n".join(parts)
        self.report.count("images and files copied")
        path = self.writer.asset_bytes(names[0] if len(names) == 1 else "extra.css",
                                       css.encode("utf-8"))
        if len(names) > 1:
            self.report.note(f"The {len(names)} extra_css stylesheets were joined, in order, "
                             f"into {path} (brand.custom_css).")
        return path, self._report_material_css(css)

    def _css_urls(self, css: str, src: str) -> str:
        """`css` (the docs file `src`) with its relative url()s pointing at the copied files."""

        def replace(match: re.Match) -> str:
            target = match.group(2).strip()
            parts = split_url(target)
            if parts.scheme or parts.netloc or not parts.path:
                return match.group(0)
            path = posixpath.normpath(posixpath.join(posixpath.dirname(src),
                                                     unquote(parts.path)).lstrip("/"))
            if path not in self.other_files:
                self.report.check("Files named in extra_css that were not found (kept as "
                                  "written)", f"{src}: {target}")
                return match.group(0)
            new = posixpath.relpath(self.copy_asset(path), "assets")
            return f'url("{new}{target[len(parts.path):]}")'

        return re.sub(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""", replace, css)

    def _report_material_css(self, css: str) -> dict[str, str]:
        """Report the parts of `css` written for Material's pages; return the primary and accent
        colors it sets for the light scheme."""
        css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
        colors: dict[str, str] = {}
        for selector, body in re.findall(r"([^{}]*)\{([^{}]*)\}", css):
            if "slate" in selector:
                continue
            for kind, value in re.findall(r"--md-(primary|accent)-fg-color\s*:\s*([^;}!]+)",
                                          body):
                color = _css_color(value.strip(), MATERIAL_HUE)
                if color:
                    colors.setdefault(kind, color)
        variables = sorted(set(re.findall(r"(--md-[\w-]+)\s*:", css)))
        if variables:
            self.report.check("Stylesheets (extra_css)", "Material's CSS variables ("
                              + ", ".join(variables[:6]) + (" …" if len(variables) > 6 else "")
                              + ") do nothing in helpgen's theme, whose own are --hg-primary, "
                              "--hg-accent, --hg-font-body…; brand colors are set in helpgen.yml")
        selectors = " ".join(selector for selector, _ in re.findall(r"([^{}]*)\{([^{}]*)\}",
                                                                    css))
        for theme, pattern in THEME_CLASSES.items():
            classes = sorted(set(re.findall(pattern, selectors)))
            if classes:
                self.report.check("Stylesheets (extra_css)", f"rules for {theme}'s classes ("
                                  + ", ".join(classes[:6]) + (" …" if len(classes) > 6 else "")
                                  + ") match nothing in helpgen's pages; rewrite them for "
                                  "helpgen's theme")
        return colors

    def custom_dir(self) -> Path | None:
        """theme.custom_dir, resolved, when it is set and inside the project folder."""
        custom = self.theme.get("custom_dir")
        return self.inside(self.root / str(custom), "theme.custom_dir") if custom else None

    def _clean_soup(self, html: str, where: str):
        """HTML from the project, sanitized (what was removed is reported), parsed."""
        clean, removed = clean_html(html)
        if removed:
            self.report.skip(UNSAFE_HTML, f"{where}: {describe_removals(removed)}")
        return _soup(clean)

    def report_custom_dir(self) -> None:
        """theme.custom_dir: Material template overrides, which helpgen's theme cannot use."""
        custom, folder = self.theme.get("custom_dir"), self.custom_dir()
        if not folder:
            return
        files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                       if p.is_file()) if folder.is_dir() else []
        for file in files:
            self.report.skip("Theme overrides (theme.custom_dir)", f"{custom}/{file}")
        self.report.note(f"theme.custom_dir ({custom}) overrides Material's Jinja templates, "
                         "which helpgen's theme does not have: the overrides were not copied. "
                         "Rewrite what you need against helpgen's theme blocks (README, "
                         "\"Themes\") in a folder named by theme.custom_dir in helpgen.yml.")
