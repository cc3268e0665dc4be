"""FHIR responses: OperationOutcome for every error, searchset Bundles, JSON content type."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
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


# No resource Wraparound accepts is nested deeper than this; a deeper body is an attack.
MAX_NESTING = 32


def _depth_problem(value: Any) -> str | None:
    """Walk the parsed body without recursion; say where it nests too deep, if it does."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_NESTING:
            return f"the body nests deeper than {MAX_NESTING} levels"
        children = (
            node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
        )
        stack.extend((child, depth + 1) for child in children)
    return None


def parse_json_body(request: Any) -> Any:
    """The request's JSON body, or a FhirError naming what is wrong with it."""
    try:
        raw = request.body
    except RequestDataTooBig as exc:
        raise FhirError(413, "too-costly", f"The body is over {_limit_in_mb()} MB") from exc
    try:
        body = json.loads(raw or b"{}")
    except RecursionError as exc:
        raise FhirError(
            400, "structure", f"The body nests deeper than {MAX_NESTING} levels"
        ) from exc
    except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError
        raise FhirError(400, "structure", f"The body is not JSON: {exc}") from exc
    problem = _depth_problem(body)
    if problem:
        raise FhirError(400, "structure", problem)
    return body


def _limit_in_mb() -> str:
    return f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1_000_000:g}"


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
