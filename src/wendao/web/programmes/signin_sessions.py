"""A session opened with a sign-in link lasts only as long as the link works.

The link view stores the link's id in the session (``remember``); on every request
``SignInLinkSessionMiddleware`` checks that the link still signs that account in (not revoked or reissued, not
expired, the account active and still one a link may sign in: ``signin.link_refusal``, so a contact who set
their own password or declined is out too) and signs the session out when it does not. Revoking a lost badge
therefore ends the sessions already opened with it, not only the next use. Any other sign-in (the password,
the set-password link) drops the stored id: that session is the person's own and no link's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.signals import user_logged_in
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from wendao.web.programmes.models import SignInLink

SESSION_KEY = "wendao_signin_link"


def remember(request: HttpRequest, link: SignInLink) -> None:
    """Call right after ``login`` in the link view."""
    request.session[SESSION_KEY] = link.pk


def link_holds(link_pk: Any, user: Any) -> bool:
    """Whether the link a session was opened with still signs ``user`` in."""
    from wendao.web.programmes import signin

    if not isinstance(link_pk, int):
        return False
    # one query: the link, its participant, account and firm, and whether the account reaches elsewhere (three
    # queries before, bench web-week-cpu: the board poll 7.3 -> 11.8 ms)
    link = (
        SignInLink.objects.select_related("participant__account", "participant__enterprise")
        .annotate(elsewhere=signin.reaches_elsewhere("participant__"))
        .filter(pk=link_pk)
        .first()
    )
    return (
        link is not None
        and link.revoked_at is None
        and link.expires_at > timezone.now()
        and link.participant.account_id == user.pk
        and link.participant.account is not None
        and link.participant.account.is_active
        and not signin.link_refusal(link.participant, link.elsewhere)
    )


def forget_on_other_sign_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """``user_logged_in``: a sign-in by any route starts a session that no link holds (the link view stores
    its id after this signal)."""
    if request is not None and hasattr(request, "session"):
        request.session.pop(SESSION_KEY, None)


user_logged_in.connect(forget_on_other_sign_in, dispatch_uid="wendao.programmes.signin_sessions.forget")


class SignInLinkSessionMiddleware:
    """After AuthenticationMiddleware: a session opened with a link that no longer works is signed out.

    The check runs when the request's user is first read, as Django's own lookup of the user does, so a view that
    never reads it (the health check) reads neither the session nor the link: it had cost every request 5 queries
    (bench week-cpu, ``healthz``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if hasattr(request, "session"):
            request.user = SimpleLazyObject(lambda: _checked_user(request))  # type: ignore[assignment]
        return self.get_response(request)


def _checked_user(request: HttpRequest) -> Any:
    """The session's user, or an anonymous one after signing out a session whose link no longer holds (the
    session is flushed as ``logout`` flushes it; ``logout`` itself would read ``request.user`` while it is being
    worked out)."""
    user = get_user(request)
    link_pk = request.session.get(SESSION_KEY)
    if link_pk is not None and user.is_authenticated and not link_holds(link_pk, user):
        request.session.flush()  # the stored link id with it
        return AnonymousUser()
    return user
