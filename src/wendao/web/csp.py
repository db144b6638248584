"""Content-Security-Policy on every response (Django 5.2 has none built in; Django 6 adds one).

A small middleware rather than the django-csp package: one fixed policy, no nonces, no reporting, so a
dependency would add more surface than it removes. The policy allows scripts from our own origin only:
no inline script, no ``eval`` (htmx runs with ``allowEval: false``, see base.html; ECharts needs no eval),
so markup that slips into a page through data (a scenario name in a chart tooltip, say) cannot run.
Page data reaches scripts through ``json_script`` elements, behaviour lives in static files.

A view that ever needs another policy sets the header itself; the middleware leaves a header that is already
there alone.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from django.http import HttpRequest, HttpResponse

HEADER = "Content-Security-Policy"

POLICY: dict[str, tuple[str, ...]] = {
    "default-src": ("'self'",),
    "script-src": ("'self'",),
    # Styles only: templates set widths of progress bars with style attributes, ECharts writes inline styles
    # into its tooltips, htmx inserts its indicator <style>, and the Django admin and Swagger UI use style
    # attributes. Inline CSS cannot run script; allowing it keeps those working without nonces or hashes.
    "style-src": ("'self'", "'unsafe-inline'"),
    # data: for the small SVG icons that the admin, Swagger UI and ECharts inline as data URLs
    "img-src": ("'self'", "data:"),
    "font-src": ("'self'",),
    "connect-src": ("'self'",),
    "object-src": ("'none'",),
    "base-uri": ("'self'",),
    "frame-ancestors": ("'none'",),
    "form-action": ("'self'",),
}


def render(policy: Mapping[str, Sequence[str]]) -> str:
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in policy.items())


_HEADER_VALUE = render(POLICY)  # rendered once, not per response


def default_policy() -> str:
    return _HEADER_VALUE


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if HEADER not in response:
            response[HEADER] = default_policy()
        return response
