"""Use cases of API tokens: issue (shown once), revoke, and resolve a presented token to its user."""

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
from wendao.web.api.models import ApiToken

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


def user_for_token(raw: str) -> User | None:
    """The active user a valid, unrevoked token belongs to; None for anything else."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=digest_of(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    stale = Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_RESOLUTION)
    ApiToken.objects.filter(stale, pk=token.pk).update(last_used_at=now)
    return token.user
