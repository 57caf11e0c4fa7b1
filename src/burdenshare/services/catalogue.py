"""What the edges show and accept, from their home layers: the bundled scenarios, the
negotiators, the limits on a scenario file, the text rule for printing, an event's assumed
worlds and a scenario's uncertain values.

The CLI and the web app call services only (docs/explanation/architecture.md, enforced by
tests/test_architecture.py); these names are the constants and lookups they need besides the
verbs, each defined where it belongs and re-exported here so that the edges depend on this
layer alone.

>>> FLAGSHIP in bundled_names(), MAX_BYTES
(True, 1000000)
"""

from __future__ import annotations

from burdenshare.negotiation.cast import negotiators_in_words
from burdenshare.negotiation.negotiators.base import CAPABILITIES
from burdenshare.negotiation.registry import (
    DEFAULT_NEGOTIATORS,
    NEGOTIATORS,
    is_import_path,
    negotiator_catalogue,
)
from burdenshare.scenario.events import assumed_worlds
from burdenshare.scenario.io import MAX_BYTES, parse_scenario_bytes
from burdenshare.scenario.library import FLAGSHIP, bundled_names, bundled_path
from burdenshare.scenario.model import MAX_PARTIES
from burdenshare.scenario.text import printable
from burdenshare.scenario.uncertain import uncertain_parameters
from burdenshare.store.location import default_store_path

__all__ = [
    "CAPABILITIES",
    "DEFAULT_NEGOTIATORS",
    "FLAGSHIP",
    "MAX_BYTES",
    "MAX_PARTIES",
    "NEGOTIATORS",
    "assumed_worlds",
    "bundled_names",
    "bundled_path",
    "default_store_path",
    "is_import_path",
    "negotiator_catalogue",
    "negotiators_in_words",
    "parse_scenario_bytes",
    "printable",
    "uncertain_parameters",
]
