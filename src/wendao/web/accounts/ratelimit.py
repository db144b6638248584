"""Login throttling that an attacker cannot turn against the account owner.

The scheme is OWASP's "Slow Down Online Guessing Attacks with Device Cookies":

* A successful sign-in gives the browser a signed device cookie bound to that username (``issue_device_cookie``).
* Failures are recorded per username and channel: the device cookie's nonce when the browser presents a valid
  cookie for that username (a trusted device), otherwise the "untrusted" channel of that username.
* Each channel has its own exponential back-off: after ``WENDAO_LOGIN_MAX_FAILURES`` failures the next attempt
  waits ``WENDAO_LOGIN_BACKOFF_SECONDS``, doubling with each further failure, capped at
  ``WENDAO_LOGIN_BACKOFF_MAX_SECONDS``. A colleague behind the same NAT who fails on your username locks the
  untrusted channel only: the browser you signed in with before still gets in with your password.
* One address that failed on more than ``WENDAO_LOGIN_SPRAY_USERNAMES`` usernames within
  ``WENDAO_LOGIN_SPRAY_WINDOW_SECONDS`` is held up on the untrusted channel of every username (spraying); the
  numbers are justified in settings.py.

A throttled attempt is refused before the password is looked at (no oracle) and is not recorded (waiting is
the only way forward). Usernames that do not exist are treated exactly like those that do. The policy is
applied by the authentication backend (backends.py), so every password check with a request goes through it.
"""

from __future__ import annotations

import ipaddress
import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from wendao.web.accounts.models import LoginFailure

DEVICE_COOKIE = "wendao_device"
_DEVICE_SALT = "wendao.accounts.device-cookie"
UNTRUSTED = ""
_ATTEMPT_ATTRIBUTE = "_wendao_login_attempt"


@dataclass(frozen=True)
class Attempt:
    """One password check: who, from where, on which channel, and until when it is held up (None: not)."""

    username: str  # normalised (username_key)
    ip: str | None
    device: str  # the device cookie's nonce, or UNTRUSTED
    throttled_until: datetime | None

    @property
    def trusted(self) -> bool:
        return self.device != UNTRUSTED


def username_key(username: str) -> str:
    return username.strip().lower()[:150]


def client_ip(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, or with WENDAO_FORWARDED_FOR_HOPS = n the address the n-th trusted proxy (counting from
    ours) saw: each proxy appends the address it received the request from, so earlier entries are whatever
    the client sent and are never believed."""
    remote = request.META.get("REMOTE_ADDR") or None
    hops = settings.WENDAO_FORWARDED_FOR_HOPS
    if hops <= 0:
        return remote
    chain = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(chain) < hops:
        return remote
    try:
        return str(ipaddress.ip_address(chain[-hops]))
    except ValueError:
        return remote


# --- device cookies ----------------------------------------------------------------------------------------------


def issue_device_cookie(response: HttpResponse, username: str) -> None:
    """A new device cookie for the browser that just signed in as ``username`` (a fresh nonce each time)."""
    value = signing.dumps({"u": username_key(username), "n": secrets.token_urlsafe(16)}, salt=_DEVICE_SALT)
    response.set_cookie(
        DEVICE_COOKIE,
        value,
        max_age=settings.WENDAO_DEVICE_COOKIE_DAYS * 24 * 60 * 60,
        httponly=True,
        secure=settings.SESSION_COOKIE_SECURE,
        samesite="Lax",
    )


def trusted_device(request: HttpRequest, username: str) -> str:
    """The nonce of the browser's device cookie if it is valid, unexpired and bound to ``username``; else
    UNTRUSTED. A forged, expired or other user's cookie simply makes the attempt untrusted."""
    raw = request.COOKIES.get(DEVICE_COOKIE, "")
    if not raw or len(raw) > 500:
        return UNTRUSTED
    try:
        data = signing.loads(raw, salt=_DEVICE_SALT, max_age=timedelta(days=settings.WENDAO_DEVICE_COOKIE_DAYS))
    except signing.BadSignature:
        return UNTRUSTED
    if not isinstance(data, dict) or data.get("u") != username_key(username):
        return UNTRUSTED
    nonce = data.get("n")
    return nonce if isinstance(nonce, str) and 0 < len(nonce) <= 32 else UNTRUSTED


# --- the policy --------------------------------------------------------------------------------------------------


def backoff_seconds(failures: int) -> int:
    """How long a channel waits after its latest failure, given its failures in the window (0: not at all)."""
    free = settings.WENDAO_LOGIN_MAX_FAILURES
    if failures < free:
        return 0
    doublings = min(failures - free, 32)  # the cap is reached long before; this only bounds the arithmetic
    return int(min(settings.WENDAO_LOGIN_BACKOFF_SECONDS * 2**doublings, settings.WENDAO_LOGIN_BACKOFF_MAX_SECONDS))


def _backoff_until(username: str, device: str, now: datetime) -> datetime | None:
    since = now - timedelta(seconds=settings.WENDAO_LOGIN_WINDOW_SECONDS)
    seen = LoginFailure.objects.filter(username=username, device=device, at__gte=since).aggregate(
        n=Count("id"), last=Max("at")
    )
    wait = backoff_seconds(seen["n"])
    if not wait:
        return None
    until: datetime = seen["last"] + timedelta(seconds=wait)
    return until if until > now else None


def _spray_until(ip: str | None, now: datetime) -> datetime | None:
    """Until when ``ip`` is held up for having failed on too many usernames (see settings.py), or None."""
    if ip is None:
        return None
    window = timedelta(seconds=settings.WENDAO_LOGIN_SPRAY_WINDOW_SECONDS)
    latest = sorted(
        LoginFailure.objects.filter(ip=ip, device=UNTRUSTED, at__gte=now - window)
        .values("username")
        .annotate(last=Max("at"))
        .values_list("last", flat=True)
    )
    excess = len(latest) - settings.WENDAO_LOGIN_SPRAY_USERNAMES
    if excess <= 0:
        return None
    # once the `excess` oldest usernames have aged out, the address is back at the cap
    until: datetime = latest[excess - 1] + window
    return until if until > now else None


def assess(request: HttpRequest, username: str) -> Attempt:
    """Classify a sign-in attempt and decide, before any password is checked, whether it is held up."""
    now = timezone.now()
    key = username_key(username)
    ip = client_ip(request)
    device = trusted_device(request, key)
    if device != UNTRUSTED:
        # a trusted device answers for itself only: other people's failures never hold it up
        until = _backoff_until(key, device, now)
    else:
        holds = [t for t in (_backoff_until(key, UNTRUSTED, now), _spray_until(ip, now)) if t is not None]
        until = max(holds) if holds else None
    attempt = Attempt(username=key, ip=ip, device=device, throttled_until=until)
    setattr(request, _ATTEMPT_ATTRIBUTE, attempt)
    return attempt


def attempt_of(request: HttpRequest | None) -> Attempt | None:
    """The attempt ``assess`` recorded on this request (the form reads it to explain a refusal)."""
    return getattr(request, _ATTEMPT_ATTRIBUTE, None) if request is not None else None


def note_failure(attempt: Attempt) -> None:
    now = timezone.now()
    LoginFailure.objects.create(username=attempt.username, ip=attempt.ip, device=attempt.device)
    # forget what no rule looks at any more (the index on `at` makes this cheap)
    keep = max(settings.WENDAO_LOGIN_WINDOW_SECONDS, settings.WENDAO_LOGIN_SPRAY_WINDOW_SECONDS)
    LoginFailure.objects.filter(at__lt=now - timedelta(seconds=keep)).delete()


def note_success(attempt: Attempt) -> None:
    """The right password on an open channel: forget that channel's failures from here. A trusted device
    forgets its own; an untrusted browser the failures on this username from its address (its owner's typos,
    which then no longer count as spraying either). Failures from other addresses stay."""
    failures = LoginFailure.objects.filter(username=attempt.username, device=attempt.device)
    if not attempt.trusted:
        failures = failures.filter(ip=attempt.ip)
    failures.delete()


def seconds_left(attempt: Attempt) -> int:
    if attempt.throttled_until is None:
        return 0
    return max(1, math.ceil((attempt.throttled_until - timezone.now()).total_seconds()))
