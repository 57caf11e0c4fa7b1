"""``burdenshare negotiators``: the built-in negotiators and the installed plug-ins."""

from __future__ import annotations

from burdenshare import services
from burdenshare.cli import render
from burdenshare.cli.common import JsonOpt, app, console, emit

__all__ = ["negotiators"]


@app.command()
def negotiators(json_out: JsonOpt = False) -> None:
    """List the negotiators -N accepts: built-ins and installed plug-ins, with their parameters."""
    items = services.list_negotiators()
    if json_out:
        emit({"negotiators": items})
    else:
        render.negotiators(console(), items)
