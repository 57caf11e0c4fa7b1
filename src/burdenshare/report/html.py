"""The self-contained HTML report: one file, charts inline as SVG, nothing fetched from anywhere.

The template (``templates/report.html.j2``) is rendered by Jinja2 with autoescaping, so every
text that comes from a scenario (titles, notes, sources) is escaped. Charts are embedded as inline
SVG stripped of everything a browser could follow or that names a URL (XML namespace URIs,
document type, metadata); their element ids are prefixed per chart so charts never share ids.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup
from matplotlib.figure import Figure

from burdenshare.negotiation.cast import negotiators_in_words
from burdenshare.report.charts import CHARTS, render_charts
from burdenshare.report.export import figure_svg

__all__ = ["SECTIONS", "inline_svg", "render_html", "write_html"]

#: the report's sections, in order: (HTML id, heading)
SECTIONS: tuple[tuple[str, str], ...] = (
    ("scenario", "Scenario"),
    ("sources", "Sources and assumptions"),
    ("positions", "Positions and the zone of agreement"),
    ("utility-space", "Utility space and solutions"),
    ("sessions", "Sample sessions"),
    ("ensemble", "Ensemble"),
    ("sensitivity", "Sensitivity"),
    ("combined", "Combined forecast"),
    ("forecasts", "Forecasts"),
    ("hindsight", "Hindsight"),
    ("reproduce", "Reproduce"),
)

_XML_DECL = re.compile(r"<\?xml[^>]*\?>\s*")
_DOCTYPE = re.compile(r"<!DOCTYPE[^>]*>\s*", re.IGNORECASE)
_COMMENT = re.compile(r"<!--.*?-->\s*", re.DOTALL)
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.DOTALL)
_XMLNS = re.compile(r'\s+xmlns(?::\w+)?="[^"]*"')
_ROOT_SIZE = re.compile(r'(<svg\b[^>]*?)\s+width="[^"]*"\s+height="[^"]*"')


def inline_svg(svg: str, prefix: str) -> str:
    """An SVG document made fit to sit inside HTML: no declaration, doctype, comments, metadata
    or namespace URIs; ``xlink:href`` as plain ``href``; ids prefixed with ``prefix``; the root
    scaled to the page width.

    >>> svg = inline_svg('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" '
    ...                  'width="10pt" height="5pt" viewBox="0 0 10 5"><!-- x -->'
    ...                  '<g id="a" clip-path="url(#c)"><use xlink:href="#a"/></g></svg>', "p-")
    >>> print(svg.replace("><", ">\\n<"))
    <svg role="img" viewBox="0 0 10 5">
    <g id="p-a" clip-path="url(#p-c)">
    <use href="#p-a"/>
    </g>
    </svg>
    """
    text = _XML_DECL.sub("", svg)
    text = _DOCTYPE.sub("", text)
    text = _COMMENT.sub("", text)
    text = _METADATA.sub("", text)
    text = _XMLNS.sub("", text)
    text = text.replace("xlink:href=", "href=")
    text = _ROOT_SIZE.sub(r'\1 role="img"', text, count=1)
    text = text.replace(' id="', f' id="{prefix}')
    text = text.replace('href="#', f'href="#{prefix}')
    text = text.replace("url(#", f"url(#{prefix}")
    return text.strip()


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("burdenshare.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["pct"] = _pct
    env.filters["num"] = _num
    env.filters["cast"] = negotiators_in_words
    return env


def _pct(value: Any, digits: int = 1) -> str:
    """A share as a percentage (``0.0123`` → ``1.2%``); ``n/a`` for None."""
    if value is None:
        return "n/a"
    return f"{100 * float(value):.{digits}f}%"


def _num(value: Any, digits: int = 3) -> str:
    """A number for a table: thousands separators, ``digits`` significant digits."""
    if value is None:
        return "n/a"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.{digits}g}" if abs(value) < 10**digits else f"{value:,.0f}"
    return str(value)


def render_html(data: Mapping[str, Any], *, figures: Mapping[str, Figure] | None = None) -> str:
    """The report as one HTML document (``figures`` from :func:`render_charts`, drawn if None)."""
    figs = figures if figures is not None else render_charts(data)
    charts: dict[str, list[dict[str, Any]]] = {}
    for spec in CHARTS:
        svg = inline_svg(figure_svg(figs[spec.id]), f"{spec.id}-")
        charts.setdefault(spec.section, []).append(
            {
                "id": spec.id,
                "title": spec.title,
                "caption": spec.caption_for(data),
                "svg": Markup(svg),  # our own SVG, sanitised above; chart text is drawn as paths
            }
        )
    template = _environment().get_template("report.html.j2")
    return template.render(data=data, sections=SECTIONS, charts=charts)


def write_html(
    data: Mapping[str, Any], path: Path, *, figures: Mapping[str, Figure] | None = None
) -> Path:
    """Write the report to ``path`` (UTF-8; its directory is created if needed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(data, figures=figures), encoding="utf-8")
    return path
