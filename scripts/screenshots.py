"""Take screenshots of a built site in headless Chromium, to look at it as a customer would.

    python scripts/screenshots.py SITE_OUTPUT_DIR SHOTS_DIR [PAGE ...]

PAGE is a path inside the output folder, optionally with a query (search/index.html?q=refund;
default: index.html). Each page is shot at desktop and
mobile width, in the light and the dark color scheme, opened from file://.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
VIEWPORTS = {"desktop": (1280, 900), "mobile": (390, 844)}


def main(site: Path, shots: Path, pages: list[str]) -> None:
    shots.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for page_path in pages or ["index.html"]:
            for scheme in ("light", "dark"):
                for name, (width, height) in VIEWPORTS.items():
                    page = browser.new_page(viewport={"width": width, "height": height},
                                            color_scheme=scheme)
                    path, _, query = page_path.partition("?")
                    page.goto((site / path).resolve().as_uri() + (f"?{query}" if query else ""))
                    page.wait_for_load_state("networkidle")     # search results, fonts
                    stem = path.replace("/", "_").replace(".html", "")
                    target = shots / f"{stem}-{name}-{scheme}.png"
                    page.screenshot(path=str(target), full_page=True)
                    page.close()
                    print(target)
        browser.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3:])
