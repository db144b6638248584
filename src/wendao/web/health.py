"""``/healthz``: a liveness probe that does no work (no database, no session, no template).

Load balancers and ``wendao bench web`` use it; the benchmark measures it as the same-run baseline, so its
latency is what the server, the middleware stack and the network cost with nothing behind them.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")
