"""docs/openapi.yaml is a valid OpenAPI 3.1 document and names every route quiverd serves."""

from __future__ import annotations

from pathlib import Path

import yaml
from openapi_spec_validator import validate

ROOT = Path(__file__).resolve().parents[3]
ROUTES = {
    ("/api/v1/health", "get"),
    ("/api/v1/ready", "get"),
    ("/api/v1/datasets", "get"),
    ("/api/v1/datasets", "post"),
    ("/api/v1/datasets/{name}", "get"),
    ("/api/v1/datasets/{name}", "delete"),
    ("/api/v1/datasets/{name}/rows", "get"),
    ("/api/v1/datasets/{name}/rows", "post"),
    ("/api/v1/datasets/{name}/query", "post"),
    ("/api/v1/queries", "get"),
    ("/api/v1/queries/{id}", "get"),
    ("/api/v1/queries/{id}", "delete"),
    ("/metrics", "get"),
}


def test_openapi_document_is_valid_and_complete() -> None:
    document = yaml.safe_load((ROOT / "docs" / "openapi.yaml").read_text())
    validate(document)
    documented = {
        (path, method)
        for path, operations in document["paths"].items()
        for method in operations
        if method in {"get", "post", "put", "delete", "patch"}
    }
    assert ROUTES <= documented, ROUTES - documented
