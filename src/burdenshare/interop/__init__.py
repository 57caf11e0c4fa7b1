"""Interoperability with other negotiation tools: GENIUS / GeniusWeb domains."""

from __future__ import annotations

from burdenshare.interop.genius import (
    GeniusDomain,
    GeniusIssue,
    GeniusProfile,
    load_genius,
    to_scenario,
    utility_tables,
)
from burdenshare.interop.genius_xml import to_genius_xml

__all__ = [
    "GeniusDomain",
    "GeniusIssue",
    "GeniusProfile",
    "load_genius",
    "to_genius_xml",
    "to_scenario",
    "utility_tables",
]
