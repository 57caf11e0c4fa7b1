"""The web API against its own OpenAPI document, by a schema-driven fuzzer (issue 11, item 6).

schemathesis reads ``/openapi.json`` from the app in-process (ASGI, no server) and sends every
operation valid and invalid requests generated from the schema: with a fixed seed and
deterministic generation, so a failure repeats. Every built-in check must pass: no 5xx, every
status declared, every body conforming to its declared schema and content type, invalid data
refused, valid data accepted, 405 with an ``Allow`` header for undeclared methods. Two checks of
our own ride along: no response shows a server path or a traceback, and a request the schema
accepts is never refused *by the schema's own rules* (a 422 ``RequestValidationError`` there
means the document and the app disagree). A valid request may still be a 422 for what the
schema cannot express (scenario text that is not a scenario, a change to an unknown field path)
or a 404 for an unknown bundled name; those are :class:`ScenarioError` and ``NotFound`` bodies.

The default run takes about half a minute; ``-m slow`` runs ten times the examples.
"""

from __future__ import annotations

import re
import tempfile
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis")

with warnings.catch_warnings():  # newer Starlette would rather use httpx2 than httpx
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    import starlette.testclient  # noqa: F401

from schemathesis.config import SchemathesisConfig  # noqa: E402

from burdenshare.web import create_app  # noqa: E402

#: the seed of every run (a failure found once is found again)
SEED = 20_111
#: examples per operation and generation mode in the default run, and under -m slow
EXAMPLES, SLOW_EXAMPLES = 8, 100
#: statuses a valid request may get: success, an unknown bundled name or run (404), an
#: existing run (409), and 413/422 for what the schema cannot say (checked in `_valid_422`)
VALID_STATUSES = ["2xx", "404", "409", "413", "422"]
#: statuses an invalid request may get: the app's own refusals (413 for a body over the limit:
#: a scenario_text over its length in characters can be many times that in JSON bytes)
INVALID_STATUSES = ["400", "404", "405", "413", "422"]
_ABSOLUTE = re.compile(r"(?<![\w.~/-])(?:/[\w.@+,=-]+){2,}")
_OUR_ROUTES = ("/api/", "/static/", "/vendor/", "/openapi.json")


def _config(examples: int) -> SchemathesisConfig:
    return SchemathesisConfig.from_dict(
        {
            "seed": SEED,
            # a busy machine must not fail the run: generation speed is not what is tested
            "suppress-health-check": ["too_slow"],
            "generation": {"max-examples": examples, "deterministic": True, "mode": "all"},
            "phases": {"stateful": {"enabled": False}},
            "checks": {
                "positive_data_acceptance": {"expected-statuses": VALID_STATUSES},
                "negative_data_rejection": {"expected-statuses": INVALID_STATUSES},
            },
        }
    )


#: the run store of the fuzzed app, in a folder removed after the module's tests
_STORE_DIR = tempfile.TemporaryDirectory(prefix="burdenshare-fuzz-")


@pytest.fixture(scope="module", autouse=True)
def _remove_the_store() -> Iterator[None]:
    yield
    _STORE_DIR.cleanup()


def _schema(examples: int) -> Any:
    """The app's schema, read in-process (schemathesis's lazy ``from_fixture`` does not run
    under pytest 9, so the app is built at import, on a temporary run store)."""
    app = create_app(Path(_STORE_DIR.name) / f"runs-{examples}.duckdb")
    return schemathesis.openapi.from_asgi("/openapi.json", app, config=_config(examples))


def _no_server_paths(ctx: Any, response: Any, case: Any) -> bool | None:
    """No response shows an absolute server path or a traceback."""
    text = response.text if isinstance(response.text, str) else ""
    if response.headers.get("content-type", [""])[0].startswith("application/json"):
        assert "Traceback" not in text, text[:500]
        for found in _ABSOLUTE.findall(text):
            assert found.startswith(_OUR_ROUTES), f"a server path in the response: {found}"
    return None


def _valid_422(ctx: Any, response: Any, case: Any) -> bool | None:
    """A request generated valid is never refused by the schema's own rules."""
    meta = case.meta
    if meta is not None and meta.generation.mode.is_positive and response.status_code == 422:
        body = response.json()
        assert body["error"] != "RequestValidationError", (
            f"a request valid by the schema was refused as invalid: {body}"
        )
    return None


CHECKS: list[Callable[..., bool | None]] = [_no_server_paths, _valid_422]

schema = _schema(EXAMPLES)
schema_long = _schema(SLOW_EXAMPLES)


@schema.parametrize()  # type: ignore[untyped-decorator]
def test_the_api_keeps_its_schema(case: Any) -> None:
    case.call_and_validate(additional_checks=CHECKS)


@pytest.mark.slow
@schema_long.parametrize()  # type: ignore[untyped-decorator]
def test_the_api_keeps_its_schema_long(case: Any) -> None:
    case.call_and_validate(additional_checks=CHECKS)
