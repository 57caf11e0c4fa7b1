"""Run the dashboard with uvicorn: ``serve()`` (``burdenshare serve`` calls it).

It binds to 127.0.0.1 by default, so only this machine can reach it. Pass ``host="0.0.0.0"``
only on a trusted network: the dashboard has no accounts and anyone who reaches it can run
ensembles and read the run store.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "serve"]

#: the address the dashboard listens on unless told otherwise (this machine only)
DEFAULT_HOST = "127.0.0.1"
#: the port it listens on unless told otherwise
DEFAULT_PORT = 8765


def serve(
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    store: str | Path | None = None,
    *,
    log_level: str = "info",
) -> None:
    """Serve the dashboard until interrupted (Ctrl-C). ``store`` is the run store file (None:
    the default store)."""
    import uvicorn

    from burdenshare.web.app import create_app

    uvicorn.run(
        create_app(store),
        host=host,
        port=port,
        log_level=log_level,
        proxy_headers=False,
        server_header=False,
    )
