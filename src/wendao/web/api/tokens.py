"""Use cases of API tokens: issue (shown once), revoke, and resolve a presented token to its user.

A token stops working ``TOKEN_LIFETIME`` (90 days) after it was made, and every token of a user is revoked when
their password is set again, whichever way (the password-change page, the invitation link, the admin): a token
copied by someone who learnt the old password must not outlive the change that shut them out."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from wendao.web.accounts.audit import record
from wendao.web.accounts.models import User
from wendao.web.accounts.types import Actor
from wendao.web.api.models import TOKEN_LIFETIME, ApiToken

TOKEN_PREFIX = "wdo_"
# last_used_at is a hint for the owner, not an access log: at most one write per token per minute.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def digest_of(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class TokenRefusedError(ValueError):
    """No token for this account (the message is for the person, translated)."""


def issue_token(user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for the user. Returns the record and the token itself, which is never stored.

    Not for an account without a password of its own: it is reached only through a sign-in link its programme's
    organisers hold, and a token would outlive that link (programmes/signin.py)."""
    if not user.has_usable_password():
        raise TokenRefusedError(_("请先设置自己的密码，再创建 API 令牌。"))
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name.strip()[:100], digest=digest_of(raw), prefix=raw[:12])
    record(user, "api_token.create", token, {"name": token.name, "prefix": token.prefix})
    return token, raw


def revoke_token(user: Actor, token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(user, "api_token.revoke", token, {"name": token.name, "prefix": token.prefix})


def revoke_all_tokens(user: User, reason: str) -> int:
    """Revoke every token of ``user`` still in force (audited, with ``reason``); returns how many."""
    now = timezone.now()
    live = list(ApiToken.objects.filter(user=user, revoked_at__isnull=True, created_at__gt=now - TOKEN_LIFETIME))
    for token in live:
        token.revoked_at = now
        token.save(update_fields=["revoked_at"])
        record(None, "api_token.revoke", token, {"name": token.name, "prefix": token.prefix, "reason": reason})
    return len(live)


def revoke_on_password_change(sender: type[User], instance: User, created: bool, **kwargs: object) -> None:
    """``post_save`` of a user: a save that set a new password (``set_password`` leaves the raw password in
    ``_password`` until the save, Django's own hook for ``password_changed``) revokes the user's tokens."""
    if not created and getattr(instance, "_password", None) is not None:
        revoke_all_tokens(instance, "password_changed")


def user_for_token(raw: str) -> User | None:
    """The active user a valid, unrevoked, unexpired token belongs to; None for anything else."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(
            digest=digest_of(raw),
            revoked_at__isnull=True,
            created_at__gt=now - TOKEN_LIFETIME,
            user__is_active=True,
        )
        .first()
    )
    if token is None:
        return None
    stale = Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_RESOLUTION)
    ApiToken.objects.filter(stale, pk=token.pk).update(last_used_at=now)
    return token.user
