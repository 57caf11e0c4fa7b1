"""Where ensemble chunks run: in process, in a process pool, or on a Ray cluster.

Importing this package does not import Ray: :class:`RayBackend` imports it when one is made.
"""

from __future__ import annotations

from burdenshare.backends.base import Backend
from burdenshare.backends.factory import BACKEND_NAMES, make_backend
from burdenshare.backends.local import LocalBackend
from burdenshare.backends.ray import RayBackend

__all__ = ["BACKEND_NAMES", "Backend", "LocalBackend", "RayBackend", "make_backend"]
