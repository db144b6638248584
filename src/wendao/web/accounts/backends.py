"""The one authentication backend: Django's ModelBackend behind the throttling policy of ratelimit.py.

In the backend rather than in a form so that every password check made with a request (the sign-in page, the
admin's sign-in page, anything added later that calls ``authenticate(request, ...)``) follows the same policy.
Calls without a request (the test client's ``login``, management code) are not throttled: they come from
code, not from a client.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from wendao.web.accounts import ratelimit


class ThrottledModelBackend(ModelBackend):
    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> Any | None:
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if request is None or username is None or password is None:
            return super().authenticate(request, username=username, password=password, **kwargs)
        attempt = ratelimit.assess(request, username)
        if attempt.throttled_until is not None:
            # refused before the password is looked at: a throttled client learns nothing about it.
            # PermissionDenied stops django.contrib.auth.authenticate from trying any other backend.
            raise PermissionDenied
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            ratelimit.note_failure(attempt)
        else:
            ratelimit.note_success(attempt)
        return user
