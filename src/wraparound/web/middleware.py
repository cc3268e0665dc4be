"""Response rules for every page: records are never cached, and no text is reordered on screen."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

from wraparound.inputs import strip_bidi


class RecordPrivacyMiddleware:
    """Every signed-in page or API answer carries ``no-store``: a person's record must not
    stay in a shared browser's cache or a proxy's. Bidirectional control characters are
    removed from HTML, whatever their source, so a stored "right-to-left override" cannot
    make a name or note read differently from what was written."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        signed_in = getattr(getattr(request, "user", None), "is_authenticated", False)
        if signed_in or request.path.startswith("/fhir/"):
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
        content_type = response.get("Content-Type", "")
        if content_type.startswith("text/html") and not response.streaming:
            text = response.content.decode(response.charset or "utf-8")
            cleaned = strip_bidi(text)
            if cleaned != text:
                response.content = cleaned.encode(response.charset or "utf-8")
        return response
