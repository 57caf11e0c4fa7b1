"""The ``burdenshare`` command line (typer + rich): thin, calls :mod:`burdenshare.services` only.

:mod:`.common` holds the app and shared options; :mod:`.app` the core verbs and the entry point;
:mod:`.research` (import-genius, tournament) and :mod:`.runs` register theirs when :mod:`.app`
imports them.
"""

from __future__ import annotations

from burdenshare.cli.app import app, main

__all__ = ["app", "main"]
