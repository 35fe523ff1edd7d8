"""The pages helpgen writes for the support team, from templates/ (one look, base.html): the
report — report.json's data in tables, and its trends as SVG charts drawn by pygal, inline —
and the translation status of `helpgen translations`. No script, no request to anywhere: they
work offline and from file://. Everything readers and writers wrote is escaped: by Jinja2 in
the tables, by pygal's XML writer in charts."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import jinja2
import yaml

LANGUAGES = ("en", "zh-CN", "zh-TW")
_HERE = Path(__file__).parent


def report_language(locale: str) -> str:
    """The report's language for a site whose default locale is `locale`."""
    if locale.lower().startswith("zh"):
        return "zh-TW" if locale.lower() in ("zh-tw", "zh-hk", "zh-mo", "zh-hant") else "zh-CN"
    return "en"


@functools.cache
def _templates() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(_HERE / "templates"),
                              autoescape=True, trim_blocks=True, lstrip_blocks=True)


def translations_page(doc: dict, json_name: str) -> str:
    """The translation status page of `doc` (status.json's content, which `json_name` names)."""
    count = doc["articles"]
    return _templates().get_template("translations.html").render(
        doc=doc, lang="en", json_name=json_name,
        articles=f"{count} article" + ("" if count == 1 else "s"))


def report_page(data: dict, title: str, language: str) -> str:
    strings = yaml.safe_load((_HERE / "strings.yml").read_text("utf-8"))[language]
    searches = data["searches"]
    summary = {
        "submitted": data["contact"]["submitted"],
        "deflection_rate": _percent(data["deflection"]["rate"]),
        "searches": searches["total"],
        "zero_share": _percent(searches["zero_total"] / searches["total"]
                               if searches["total"] else None),
    }
    for entry in data["feedback"]:
        entry["unhelpful_percent"] = _percent(entry["unhelpful_share"])
    return _templates().get_template("report.html").render(
        data=data, site_title=title, t=strings, lang=language, summary=summary,
        period=strings["period"].format(start=data["period"]["from"][:10],
                                        end=data["period"]["to"][:10]),
        weekly_chart=_weekly_chart(data["weeks"], strings),
        category_chart=_category_chart(data["contact"]["by_category"], strings))


def _percent(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.0f}%"


def _chart_style():
    import pygal.style
    return pygal.style.Style(background="transparent", plot_background="transparent",
                             font_family="system-ui, sans-serif",
                             colors=("#0b62d6", "#c2410c", "#15803d", "#7e22ce"))


def _svg(chart, name: str) -> str:
    """pygal's SVG with a fixed id (it makes a random one), without its comments (which carry
    the date: the same data draws the same page) and without the script it always adds for its
    tooltips (the page runs none; pygal's XML writer escapes `<` in text, so no text ends
    that script early)."""
    svg = chart.render(is_unicode=True)
    svg = re.sub(r"chart-[0-9a-f]{8}-[0-9a-f-]{27}", f"chart-{name}", svg)
    svg = re.sub(r"<script\b[^>]*>.*?</script>", "", svg, flags=re.S)
    return re.sub(r"<!--.*?-->", "", svg)


def _weekly_chart(weeks: list[dict], t: dict) -> str | None:
    if not weeks:
        return None
    import pygal
    chart = pygal.Line(js=[], disable_xml_declaration=True, style=_chart_style(), height=320,
                       title=t["weekly"], x_label_rotation=0, show_dots=True, dots_size=3,
                       legend_at_bottom=True, include_x_axis=True)
    chart.x_labels = [week["week"] for week in weeks]
    for key in ("searches", "zero_results", "contact_views", "submitted"):
        label = {"zero_results": t["zero_share"], "contact_views": t["contact_views"],
                 "submitted": t["submitted"], "searches": t["searches"]}[key]
        chart.add(label, [week[key] for week in weeks])
    return _svg(chart, "weekly")


def _category_chart(by_category: dict, t: dict) -> str | None:
    if not by_category:
        return None
    import pygal
    chart = pygal.HorizontalBar(js=[], disable_xml_declaration=True, style=_chart_style(),
                                height=80 + 40 * len(by_category), title=t["categories"],
                                show_legend=False)
    chart.x_labels = [name or t["none"] for name in by_category]
    chart.add(t["count"], list(by_category.values()))
    return _svg(chart, "categories")
