"""Where ensemble chunks run: in process, in a process pool, or on a Ray cluster."""

from __future__ import annotations

from burdenshare.backends.base import Backend
from burdenshare.backends.local import LocalBackend

__all__ = ["Backend", "LocalBackend"]
