"""Property tests of the JSON API against its own OpenAPI document.

schemathesis generates requests for every operation, valid and invalid, and checks
that no response is a server error and that each response matches the documented
status codes, content type and schema. Its pytest fixture loader
(``schemathesis.pytest.from_fixture``) fails under pytest 9, so each operation runs
through schemathesis's Python API inside a plain test.
"""

from __future__ import annotations

# The site fixture is imported, so pytest finds it; test arguments then shadow it.
# ruff: noqa: F811
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from clausewatch.web import create_app
from tests.web_fixtures import WebSite, site  # noqa: F401

OPERATIONS = [
    ("GET", "/api/v1"),
    ("GET", "/api/v1/platforms"),
    ("GET", "/api/v1/platforms/{platform_id}"),
    ("GET", "/api/v1/platforms/{platform_id}/documents"),
    ("GET", "/api/v1/documents/{record_id}"),
    ("GET", "/api/v1/documents/{record_id}/versions"),
    ("GET", "/api/v1/documents/{record_id}/versions/{number}"),
    ("GET", "/api/v1/documents/{record_id}/versions/{number}/provisions"),
    ("GET", "/api/v1/documents/{record_id}/diff"),
    ("GET", "/api/v1/provisions/{record_id}"),
    ("GET", "/api/v1/changes"),
    ("GET", "/api/v1/search"),
    ("GET", "/api/v1/clause-types"),
    ("GET", "/api/v1/clause-types/{clause_type_id}"),
    ("GET", "/api/v1/exports/{kind}"),
]


@pytest.fixture(scope="session")
def api_schema(site: WebSite) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_asgi(
        "/api/v1/openapi.json", create_app(site.settings)
    )


def test_every_operation_is_tested(api_schema: schemathesis.BaseSchema) -> None:
    documented = {
        (method.upper(), path)
        for path, methods in api_schema.raw_schema["paths"].items()
        for method in methods
    }

    assert documented == set(OPERATIONS)


def test_schema_numbers_provisions_from_one(
    api_schema: schemathesis.BaseSchema,
) -> None:
    schemas = api_schema.raw_schema["components"]["schemas"]

    for name in ("ProvisionSummary", "ProvisionRecord"):
        properties = schemas[name]["properties"]
        assert "position" not in properties
        assert "counting from 1" in properties["number"]["description"]
    assert (
        "counting from 1"
        in schemas["VersionSummary"]["properties"]["number"]["description"]
    )
    assert "Numbers count from 1" in api_schema.raw_schema["info"]["description"]


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_operation_conforms(
    api_schema: schemathesis.BaseSchema, method: str, path: str
) -> None:
    operation = api_schema[path][method]

    @given(case=operation.as_strategy())
    @settings(
        max_examples=15,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def check(case: schemathesis.Case) -> None:
        case.call_and_validate()

    check()
