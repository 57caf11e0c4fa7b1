"""The ``burdenshare`` command line (typer + rich): thin, calls :mod:`burdenshare.services` only."""

from __future__ import annotations

from burdenshare.cli.app import app, main

__all__ = ["app", "main"]
