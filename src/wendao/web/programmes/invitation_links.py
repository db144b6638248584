"""One invitation link per imported contact, the same for every row: what the organiser is shown and hands
out says nothing of whether the mobile number was already an account, or whose (account enumeration).

The link opens the same page for everyone: the firm the invitation is from, the user name (the mobile number
the organiser imported) and a set-password form with a "sign in with your own password" way out. Only a
contact whose account this row's import created and who has no password yet can set one there (then they are
signed in to answer the invitation); anyone else who submits the form is told to sign in with their own
password, and nothing changes. Only the random-looking token is in the link: an HMAC of the participant's
id and creation time under the site's secret key, so nothing is stored.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from django.conf import settings
from django.urls import reverse

from wendao.web.programmes.models import Participant

SALT = "wendao.programmes.invitation-link"


def token_for(p: Participant) -> str:
    message = f"{SALT}:{p.pk}:{p.created_at.isoformat()}".encode()
    digest = hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")[:32]


def link_path(p: Participant) -> str:
    return reverse("programmes:invite", kwargs={"participant": p.pk, "token": token_for(p)})


def check(pk: int, token: str) -> Participant | None:
    """The unanswered invitation the link is for; None for a wrong token or an answered invitation."""
    p = Participant.objects.select_related("account", "programme", "enterprise").filter(pk=pk).first()
    if p is None or not hmac.compare_digest(token_for(p), token) or p.consent != "pending":
        return None
    return p


def sets_password(p: Participant) -> bool:
    """Whether the link may set the account's first password: an enterprise account this row's import created
    that has none yet. Never shown to the organiser."""
    account = p.account
    return bool(
        p.account_created
        and account is not None
        and account.is_active
        and not account.is_staff
        and not account.is_superuser
        and not account.has_usable_password()
    )
