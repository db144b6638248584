"""Login throttling: N failures per username + IP inside a sliding window lock that pair out."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from wendao.web.accounts.models import LoginFailure


def client_ip(request: HttpRequest) -> str | None:
    # REMOTE_ADDR only: X-Forwarded-For is client-controlled unless a trusted proxy rewrites it.
    return request.META.get("REMOTE_ADDR") or None


def _recent(username: str, ip: str | None) -> int:
    since = timezone.now() - timedelta(seconds=settings.WENDAO_LOGIN_WINDOW_SECONDS)
    return LoginFailure.objects.filter(username=username.lower(), ip=ip, at__gte=since).count()


def is_locked_out(username: str, ip: str | None) -> bool:
    return _recent(username, ip) >= settings.WENDAO_LOGIN_MAX_FAILURES


def note_failure(username: str, ip: str | None) -> None:
    LoginFailure.objects.create(username=username.lower(), ip=ip)


def clear_failures(username: str, ip: str | None) -> None:
    LoginFailure.objects.filter(username=username.lower(), ip=ip).delete()
