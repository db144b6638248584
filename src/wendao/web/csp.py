"""Content-Security-Policy on every response (Django 5.2 has none built in; Django 6 adds one).

A small middleware rather than the django-csp package: one fixed policy, no nonces, no reporting, so a
dependency would add more surface than it removes. The policy allows scripts from our own origin only:
no inline script, no ``eval`` (htmx runs with ``allowEval: false``, see base.html; ECharts needs no eval),
so markup that slips into a page through data (a scenario name in a chart tooltip, say) cannot run.
Page data reaches scripts through ``json_script`` elements, behaviour lives in static files.

A view that needs another policy sets the header itself (``with_policy``); the middleware leaves a header
that is already there alone.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import wraps
from typing import Any

from django.conf import settings
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


def default_policy() -> str:
    # a deployment may replace the whole policy (a reporting endpoint, say) with WENDAO_CONTENT_SECURITY_POLICY
    return getattr(settings, "WENDAO_CONTENT_SECURITY_POLICY", None) or render(POLICY)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if HEADER not in response:
            response[HEADER] = default_policy()
        return response


def with_policy(**changes: Sequence[str]) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Decorate a view whose page needs other sources: ``with_policy(img_src=("'self'", "data:", "https:"))``."""
    policy = dict(POLICY) | {name.replace("_", "-"): tuple(sources) for name, sources in changes.items()}
    header = render(policy)

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            response = view(request, *args, **kwargs)
            response[HEADER] = header
            return response

        return wrapped

    return decorate
