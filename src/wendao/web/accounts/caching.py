"""What the server answers a signed-in user is stored by no cache: not the browser's, not a proxy's.

Every page of wendao shows one firm's or one programme's data, and some show credentials once (a new API token,
sign-in links, invitation links). Without a Cache-Control header a browser keeps such a page in its history and
back/forward cache, where the next person at a shared computer (a training room's PCs) reads it after the first
signed out, and a shared cache may keep it by heuristics. OWASP's Session Management Cheat Sheet: "Cache-Control:
no-store" on responses holding sensitive data.

A response counts as the user's when the request read a session that holds a signed-in user (reading the user
reads the session; the session middleware marks it ``accessed``) or the API authenticated a token
(``request.auth``). An anonymous page, a static file and the health check are left as they are, and the
session is not read for them (the health check costs no query). A view that sets its own Cache-Control keeps
it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers


def answers_a_signed_in_user(request: HttpRequest) -> bool:
    if getattr(request, "auth", None) is not None:  # the API's token user (django-ninja)
        return True
    session = getattr(request, "session", None)
    # only a session this request has read already: asking an unread one would load it (a query)
    return session is not None and session.accessed and session.get(SESSION_KEY) is not None


class PrivateAnswersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if answers_a_signed_in_user(request) and not response.has_header("Cache-Control"):
            add_never_cache_headers(response)  # no-cache, no-store, must-revalidate, private; Expires now
        return response
