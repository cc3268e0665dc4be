"""FHIR responses: OperationOutcome for every error, searchset Bundles, JSON content type."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from django.http import HttpResponse
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.operationoutcome import OperationOutcome

FHIR_JSON = "application/fhir+json; charset=utf-8"


class FhirError(Exception):
    """An error that becomes an OperationOutcome with an HTTP status."""

    def __init__(
        self, status: int, code: str, diagnostics: str, expression: Sequence[str] = ()
    ) -> None:
        super().__init__(diagnostics)
        self.status, self.code, self.diagnostics, self.expression = (
            status,
            code,
            diagnostics,
            list(expression),
        )


def fhir_response(
    resource: Any, status: int = 200, headers: dict[str, str] | None = None
) -> HttpResponse:
    body = (
        resource.model_dump_json(exclude_none=True)
        if hasattr(resource, "model_dump_json")
        else json.dumps(resource)
    )
    response = HttpResponse(body, status=status, content_type=FHIR_JSON)
    for key, value in (headers or {}).items():
        response[key] = value
    return response


def outcome(error: FhirError) -> HttpResponse:
    issue: dict[str, Any] = {
        "severity": "error",
        "code": error.code,
        "diagnostics": error.diagnostics,
    }
    if error.expression:
        issue["expression"] = error.expression
    resource = OperationOutcome.model_validate(
        {"resourceType": "OperationOutcome", "issue": [issue]}
    )
    return fhir_response(resource, status=error.status)


def searchset(base_url: str, resources: list[Any]) -> Bundle:
    return Bundle.model_validate(
        {
            "resourceType": "Bundle",
            "type": "searchset",
            "total": len(resources),
            "entry": [
                {
                    "fullUrl": f"{base_url}/{r.get_resource_type()}/{r.id}",
                    "resource": r.model_dump(exclude_none=True),
                    "search": {"mode": "match"},
                }
                for r in resources
            ],
        }
    )
