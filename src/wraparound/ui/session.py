"""Sessions that end without losing work (WCAG 2.2.1, timing adjustable).

A signed-in page says when its session ends; two minutes before, the page warns and offers
to stay signed in (``extend``). A form sent after the session ended is kept, server-side, in
the new anonymous session; the sign-in page says so, and after signing in the form page is
shown again with what was typed (``kept_form``). Nothing is stored in the browser.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

KEPT = "kept_form"
WARN_SECONDS = 120
# Forms whose text is worth keeping across a sign-in: writing a referral takes minutes.
KEPT_PATHS = ("/referrals/new/",)


def seconds_left(request: HttpRequest) -> int:
    """Seconds until this session ends, counted from now (each request restarts the clock)."""
    return int(settings.SESSION_COOKIE_AGE)


@login_required
@require_POST
def extend(request: HttpRequest) -> JsonResponse:
    """Stay signed in: this request itself saves the session, restarting its clock."""
    request.session.modified = True
    return JsonResponse({"seconds": seconds_left(request)})


class KeepFormsAcrossSignInMiddleware:
    """A form posted after its session ended is kept, and comes back after signing in.

    It works in ``process_view``, after the CSRF middleware's own ``process_view`` has
    checked the token, so a page elsewhere cannot plant a referral to appear after sign-in.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: object, args: object, kwargs: object
    ) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if (
            request.method == "POST"
            and request.path in KEPT_PATHS
            and user is not None
            and not user.is_authenticated
        ):
            data = {k: v for k, v in request.POST.lists() if k != "csrfmiddlewaretoken"}
            request.session[KEPT] = {"path": request.path, "data": data}
            messages.info(
                request,
                "Your session ended before the form was sent. Sign in again: what you "
                "typed has been kept, and nothing was sent yet.",
            )
            return redirect(f"{reverse('login')}?next={request.path}")
        return None


def kept_form(request: HttpRequest) -> QueryDict | None:
    """The data of a form kept across a sign-in for this page, once; None when there is none."""
    kept = request.session.get(KEPT)
    if not kept or kept.get("path") != request.path:
        return None
    del request.session[KEPT]
    data = QueryDict(mutable=True)
    for key, values in kept["data"].items():
        data.setlist(key, values)
    return data
