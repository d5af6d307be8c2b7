"""schemathesis against /api/openapi.json: no 5xx and every response matches the schema (bounded).

Runs in-process over ASGI (no server): the examples, coverage and fuzzing phases, at most 25
generated cases per operation and no deadline, so the whole module stays well under a minute.

The schema is loaded at import time (`schema.parametrize()` needs it then; the lazy
`schemathesis.pytest.from_fixture` does not work with pytest 9), from the app's own `openapi()`
since the store does not exist yet; the `store` fixture points the app at the ingested store
before the first case is sent.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance

from migprofile.web import create_app
from migprofile.web.state import StoreHolder

PHASES = ["examples", "coverage", "fuzzing"]

app = create_app(Path("/nonexistent/migprofile.duckdb"))  # replaced by the `store` fixture
schema = schemathesis.openapi.from_dict(app.openapi())
schema.app = app  # what from_asgi does: cases are sent to the app in-process
schema.config.phases.update(phases=PHASES)
schema.config.seed = 20240501  # the same cases every run
schema = schema.include(path_regex=r"^/api/")  # the HTML pages are tested elsewhere


@pytest.fixture(scope="module")
def store(shared_store, module_home):
    app.state.holder = StoreHolder(module_home / "migprofile.duckdb")
    return app


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms(case, store):
    case.call_and_validate(checks=[not_a_server_error, response_schema_conformance])
