"""One helper for HTMX responses: a fragment for an HTMX request, the whole page otherwise."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def htmx_partial(request: HttpRequest, page: str, fragment: str, context: dict[str, Any]) -> HttpResponse:
    template = fragment if getattr(request, "htmx", False) else page
    return render(request, template, context)
