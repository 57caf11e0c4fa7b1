"""Charts as files: PNG (for slides and quick looks) and SVG (for papers), one pair per chart.

>>> from matplotlib.figure import Figure
>>> fig = Figure(figsize=(2, 1))
>>> _ = fig.add_subplot().plot([0, 1], [0, 1])
>>> figure_png(fig)[:8] == b"\\x89PNG\\r\\n\\x1a\\n"
True
>>> figure_svg(fig).lstrip().startswith("<?xml")
True
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from matplotlib.figure import Figure

from burdenshare.report.charts import CHARTS, render_charts
from burdenshare.report.plots import style_context

__all__ = [
    "EXPORT_FORMATS",
    "chart_paths",
    "export_charts",
    "figure_paths",
    "figure_png",
    "figure_svg",
    "write_figure",
]

#: the file formats :func:`export_charts` writes
EXPORT_FORMATS: tuple[str, ...] = ("png", "svg")

# no creation date or software version inside the files: the same data gives the same bytes
_SVG_METADATA: dict[str, Any] = {"Date": None, "Creator": None}
_PNG_METADATA: dict[str, Any] = {"Software": None}


def figure_svg(fig: Figure) -> str:
    """The figure as a standalone SVG document (text drawn as paths: no fonts needed)."""
    buf = io.StringIO()
    with style_context():
        fig.savefig(buf, format="svg", metadata=_SVG_METADATA)
    return buf.getvalue()


def figure_png(fig: Figure, dpi: float | None = None) -> bytes:
    """The figure as PNG bytes (at :data:`STYLE`'s ``savefig.dpi`` unless ``dpi`` is given)."""
    buf = io.BytesIO()
    with style_context():
        fig.savefig(buf, format="png", dpi=dpi or "figure", metadata=_PNG_METADATA)
    return buf.getvalue()


def chart_path(folder: Path, chart_id: str, fmt: str) -> Path:
    """Where :func:`export_charts` writes chart ``chart_id`` in format ``fmt``."""
    return Path(folder) / f"{chart_id}.{fmt}"


def chart_paths(folder: Path, formats: Sequence[str] = EXPORT_FORMATS) -> list[Path]:
    """Every file :func:`export_charts` writes into ``folder``, in order (known before drawing).

    >>> [p.name for p in chart_paths(Path("out"))][:2]
    ['positions.png', 'positions.svg']
    """
    return [chart_path(folder, spec.id, fmt) for spec in CHARTS for fmt in formats]


def figure_paths(path_or_dir: str | Path, stem: str) -> tuple[Path, Path]:
    """The PNG and SVG paths :func:`write_figure` writes (see there).

    >>> [str(p) for p in figure_paths("out/fig.svg", "x")], [p.name for p in figure_paths("d", "x")]
    (['out/fig.png', 'out/fig.svg'], ['x.png', 'x.svg'])
    """
    target = Path(path_or_dir)
    base = target.with_suffix("") if target.suffix.lower() in (".png", ".svg") else target / stem
    return base.with_suffix(".png"), base.with_suffix(".svg")


def export_charts(
    data: Mapping[str, Any],
    folder: Path,
    *,
    figures: Mapping[str, Figure] | None = None,
    formats: Sequence[str] = EXPORT_FORMATS,
    dpi: float | None = None,
) -> list[Path]:
    """Write every chart of the report as ``<chart id>.<format>`` into ``folder`` (created if
    needed; existing files of the same names are replaced). Returns the paths written, in chart
    order."""
    unknown = [f for f in formats if f not in EXPORT_FORMATS]
    if unknown:
        raise ValueError(f"unknown chart format(s) {unknown}: expected {list(EXPORT_FORMATS)}")
    figs = figures if figures is not None else render_charts(data)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, fig in figs.items():
        for fmt in formats:
            path = chart_path(folder, name, fmt)
            if fmt == "png":
                path.write_bytes(figure_png(fig, dpi))
            else:
                path.write_text(figure_svg(fig), encoding="utf-8")
            written.append(path)
    return written


def write_figure(
    fig: Figure, path_or_dir: str | Path, stem: str, *, dpi: float | None = None
) -> list[Path]:
    """Write ``fig`` as PNG and SVG; returns the two paths.

    A path ending in ``.png`` or ``.svg`` names the files (both formats are written beside each
    other); any other path is a directory (created if needed) that receives ``stem.png`` and
    ``stem.svg``.
    """
    png, svg = figure_paths(path_or_dir, stem)
    png.parent.mkdir(parents=True, exist_ok=True)
    png.write_bytes(figure_png(fig, dpi))
    svg.write_text(figure_svg(fig), encoding="utf-8")
    return [png, svg]
