"""The web dashboard (``burdenshare serve``): a FastAPI app with a JSON API and one page.

Importing this package starts nothing; :func:`create_app` builds the app and :func:`serve` runs
it with uvicorn on 127.0.0.1. FastAPI, uvicorn and Jinja2 are needed only here.
"""

from __future__ import annotations

from burdenshare.web.app import create_app
from burdenshare.web.server import DEFAULT_HOST, DEFAULT_PORT, serve

__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "create_app", "serve"]
