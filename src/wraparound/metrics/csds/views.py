"""GET /metrics/exports/<table>.csv?from=YYYY-MM-DD&to=YYYY-MM-DD: one table as a download."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .export import export_table, exporting_provider, parse_day
from .schema import table_named


def _plain(text: str, status: int) -> HttpResponse:
    return HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")


@never_cache
@login_required
@require_GET
def export_csv(request: HttpRequest, table: str) -> HttpResponse:
    """The CSV for a metrics role; 403 for anyone else, 400 naming a bad parameter, 422
    listing every value that failed its column's check."""
    exporting_provider(request.user)  # NoAccess (403) before anything else is said
    try:
        chosen = table_named(table)
    except KeyError as exc:
        raise Http404(exc.args[0]) from None
    try:
        start = parse_day(request.GET.get("from"), "from")
        end = parse_day(request.GET.get("to"), "to")
        text, problems = export_table(chosen, start, end, by=request.user)
    except ValidationError as exc:
        lines = [f"{field}: {' '.join(errors)}" for field, errors in exc.message_dict.items()]
        return _plain("\n".join(lines) + "\n", 400)
    if problems:
        lines = [f"{len(problems)} values failed their column's check; nothing was exported."]
        return _plain("\n".join([*lines, *map(str, problems)]) + "\n", 422)
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    filename = f"{chosen.name}_{start:%Y%m%d}_{end:%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
