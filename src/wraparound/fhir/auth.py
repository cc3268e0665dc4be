"""Bearer-token sign-in for the FHIR API, and the wrapper that turns errors into OperationOutcomes."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from .models import ApiToken, token_hash
from .outcomes import FhirError, outcome


def user_from_bearer(request: HttpRequest) -> Any:
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise FhirError(401, "login", "Send a bearer token: Authorization: Bearer <token>")
    token = (
        ApiToken.objects.select_related("user__staff_member__organisation")
        .filter(key_hash=token_hash(secret.strip()), revoked=False, expires_at__gt=timezone.now())
        .first()
    )
    if token is None or not token.user.is_active:
        raise FhirError(401, "login", "The bearer token is not valid, has expired or was revoked")
    return token.user


def fhir_endpoint(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Authenticate by bearer token (CSRF does not apply: no cookies) and answer errors in FHIR."""

    @csrf_exempt
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            request.user = user_from_bearer(request)
            return view(request, *args, **kwargs)
        except FhirError as error:
            response = outcome(error)
        except PermissionDenied as denied:
            response = outcome(FhirError(403, "forbidden", str(denied) or "Access denied"))
        except RequestDataTooBig:
            response = outcome(FhirError(413, "too-costly", "The request body is too large"))
        if response.status_code == 401:
            response["WWW-Authenticate"] = 'Bearer realm="wraparound"'
        return response

    return wrapped
