"""Sign-in for a room of 300: a link per participant, printed as a QR code on a badge or table card.

A link signs the participant's contact account in (no password typed on a phone in a lecture hall), is valid
until the end of the programme's last day, can be revoked (a lost badge) and reissued, and counts its uses.
Only a random nonce is stored; the token in the URL is an HMAC-SHA256 of it under the site's secret key, so
a copy of the database gives no working link and links die with a rotated key. Opening a link shows who is
about to be signed in and asks for one tap (a POST): link previews and scanners that fetch the URL sign
nobody in. Failed attempts are counted per address and held up past ``MAX_FAILURES`` in ``WINDOW`` seconds;
password sign-in (accounts) stays for everyone else.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.cache import cache
from django.db import transaction
from django.db.models import Exists, F, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wendao.web.accounts.audit import record
from wendao.web.accounts.models import Role
from wendao.web.enterprises.models import Membership
from wendao.web.programmes.models import Participant, Programme, SignInLink

SALT = "wendao.programmes.signin-link"
DEFAULT_DAYS = 7  # a programme without an end date: a week from issue
MAX_FAILURES = 20
WINDOW = 600


class SignInError(Exception):
    """A link that cannot be issued as asked; the message is for the organiser (translated)."""


def token_for(link: SignInLink) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), f"{SALT}:{link.pk}:{link.nonce}".encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(digest.digest()).decode().rstrip("=")[:32]


def link_path(link: SignInLink) -> str:
    return reverse("programmes:signin", kwargs={"link": link.pk, "token": token_for(link)})


def valid_until(programme: Programme, now: dt.datetime) -> dt.datetime:
    """The end of the programme's last day (local time), or a week from now without an end date."""
    if programme.ends_on is None:
        return now + dt.timedelta(days=DEFAULT_DAYS)
    return timezone.make_aware(dt.datetime.combine(programme.ends_on, dt.time(23, 59, 59)))


def linkable(programme: Programme) -> QuerySet[Participant]:
    """The participants whose contact may be given a sign-in link: the rule of ``link_refusal`` in SQL."""
    return Participant.objects.filter(
        programme=programme,
        account__isnull=False,
        account_created=True,
        declined_at__isnull=True,
        account__role=Role.ENTERPRISE,
        account__is_staff=False,
        account__is_superuser=False,
        account__password__startswith=UNUSABLE_PASSWORD_PREFIX,  # no password of the contact's own
    ).exclude(reaches_elsewhere())


def reaches_elsewhere(prefix: str = "") -> Any:
    """In SQL: the participant's account is a member of another firm or invited by another participation (the
    last refusal of ``link_refusal``). ``prefix``: the path to the participant from the query's model
    (``"participant__"`` from a sign-in link), so a caller that reads the link reads this in the same query."""
    memberships = Membership.objects.filter(user=OuterRef(f"{prefix}account")).exclude(
        enterprise=OuterRef(f"{prefix}enterprise")
    )
    invitations = Participant.objects.filter(account=OuterRef(f"{prefix}account")).exclude(pk=OuterRef(f"{prefix}pk"))
    return Exists(memberships) | Exists(invitations)


def link_refusal(participant: Participant, elsewhere: bool | None = None) -> str:
    """Why no sign-in link may be made for (or used by) this participant's contact; "" when one may.

    A link signs its holder in as the account, so it is a credential, and the organisers who print it hold it. It
    follows the set-password link's rule (``Participant.account_created``): only an account this row's import
    created. An account that existed before is another firm's or another programme's contact, whose mobile
    number any organiser can import; a link for it would hand the organiser that account, its firm's plans and
    its consent (security re-audit 2026-12, finding 4). Nor for a contact who declined, nor for an account that
    is no longer an enterprise account (staff, organisers, providers sign in with their password), nor for one
    that has since come to reach another firm or another programme's invitation.

    ``elsewhere``: whether the account reaches another firm or participation, when the caller read it already
    (``reaches_elsewhere`` annotated on its query: the sign-in link middleware checks every request in one
    query); None reads it here."""
    firm = {"firm": participant.enterprise.name}
    account = participant.account
    if account is None:
        return _("“%(firm)s”的联系人还没有账号，不能生成登录链接。") % firm
    if not participant.account_created:
        return (
            _("“%(firm)s”的联系人在导入前已有账号，请其用自己的密码登录；登录链接只能发给本项目导入时新建的账号。")
            % firm
        )
    if participant.declined_at is not None:
        return _("“%(firm)s”已谢绝邀请，不能生成登录链接。") % firm
    if account.role != Role.ENTERPRISE or account.is_staff or account.is_superuser:
        return _("“%(firm)s”的联系人账号不是企业账号，请其用密码登录。") % firm
    # the contact set their own password (the invitation's set-password link, which then dies): the account is
    # theirs now, and the organisers' link must not stay a second way in
    if account.has_usable_password():
        return _("“%(firm)s”的联系人已设置自己的密码，请其用密码登录。") % firm
    # the account reaches more than this participation (another firm, another programme's invitation): a link
    # would hand this programme's organisers that too, and the consent to the other programme
    if elsewhere is None:
        elsewhere = (
            Membership.objects.filter(user=account).exclude(enterprise=participant.enterprise_id).exists()
            or Participant.objects.filter(account=account).exclude(pk=participant.pk).exists()
        )
    if elsewhere:
        return _("“%(firm)s”的联系人账号还用于其他企业或培训项目，请其用自己的密码登录。") % firm
    return ""


def active(participants: Any, now: dt.datetime | None = None) -> QuerySet[SignInLink]:
    now = now or timezone.now()
    return SignInLink.objects.filter(participant__in=participants, revoked_at__isnull=True, expires_at__gt=now)


def listed(programme: Programme) -> QuerySet[Participant]:
    """The participants the sign-in links page lists and issues links for: every contact with a mobile number
    who has not declined, whatever their account's state. A link that may not sign its account in
    (``link_refusal``: the account existed before the import, is staff, has its own password, reaches another
    firm) is issued, listed and opened the same way, and asks for the password when tapped (``signs_in``), so
    the page does not tell the organiser which imported numbers already had an account."""
    return Participant.objects.filter(programme=programme, declined_at__isnull=True).exclude(phone="")


def _organiser_refusal(participant: Participant) -> str:
    """Why no link may be issued, among the reasons the organiser knows anyway (its own import and the
    invitation's answer); never a reason that depends on the contact's account."""
    firm = {"firm": participant.enterprise.name}
    if participant.declined_at is not None:
        return _("“%(firm)s”已谢绝邀请，不能生成登录链接。") % firm
    if not participant.phone:
        return _("“%(firm)s”的联系人没有登记手机号，不能生成登录链接。") % firm
    return ""


@transaction.atomic
def issue(actor: Any, participant: Participant, now: dt.datetime | None = None) -> SignInLink:
    """A new link for the participant's contact; any link they had stops working. Whether it will sign the
    account in is decided when it is used (``signs_in``), not here: the organiser sees the same either way."""
    now = now or timezone.now()
    refusal = _organiser_refusal(participant)
    if refusal:
        raise SignInError(refusal)
    expires = valid_until(participant.programme, now)
    if expires <= now:
        raise SignInError(_("项目已经结束，不能再生成登录链接。"))
    SignInLink.objects.filter(participant=participant, revoked_at__isnull=True).update(revoked_at=now)
    link = SignInLink.objects.create(
        participant=participant, nonce=secrets.token_hex(16), created_by=actor, expires_at=expires
    )
    record(actor, "programme.signin_link", participant, {"link": link.pk, "expires": expires.isoformat()})
    return link


def issue_missing(actor: Any, programme: Programme) -> int:
    """A link for every listed participant with no working link; how many were made."""
    now = timezone.now()
    covered = set(active(Participant.objects.filter(programme=programme), now).values_list("participant", flat=True))
    todo = listed(programme).exclude(pk__in=covered)
    made = 0
    for p in todo.select_related("programme", "enterprise"):
        issue(actor, p, now)
        made += 1
    return made


def revoke(actor: Any, link: SignInLink) -> None:
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
        record(actor, "programme.signin_link_revoke", link.participant, {"link": link.pk})


# --- using a link ---------------------------------------------------------------------------------------------


def _failures_key(ip: str | None) -> str:
    return f"wendao:signin-link-failures:{ip or '-'}"


def held_up(ip: str | None) -> bool:
    return int(cache.get(_failures_key(ip), 0)) >= MAX_FAILURES


def _failed(ip: str | None) -> None:
    key = _failures_key(ip)
    if not cache.add(key, 1, WINDOW):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, WINDOW)


def count_failure(ip: str | None) -> None:
    """A wrong token for another link of the same kind (invitation_links.py), held up with these."""
    _failed(ip)


def check(pk: int, token: str, ip: str | None, now: dt.datetime | None = None) -> SignInLink | None:
    """The link if the token is right and it is still in force (not revoked, not expired); None otherwise,
    counted against the address. Whether it signs its account in is ``signs_in``: a link in force opens the
    same page either way."""
    now = now or timezone.now()
    link = (
        SignInLink.objects.select_related("participant__account", "participant__enterprise", "participant__programme")
        .filter(pk=pk)
        .first()
    )
    ok = (
        link is not None
        and hmac.compare_digest(token_for(link), token)
        and link.revoked_at is None
        and link.expires_at > now
    )
    if not ok:
        _failed(ip)
        return None
    return link


def signs_in(link: SignInLink) -> bool:
    """Whether tapping the link signs its contact in: an active account a link may sign in (``link_refusal``:
    created by this row's import, no password of its own, no other firm or programme, not declined)."""
    account = link.participant.account
    return account is not None and account.is_active and not link_refusal(link.participant)


def used(link: SignInLink) -> None:
    """A tap on a link in force, whether or not it signed anyone in (the count the organiser sees is the same)."""
    SignInLink.objects.filter(pk=link.pk).update(uses=F("uses") + 1, last_used_at=timezone.now())
    actor = link.participant.account if signs_in(link) else None
    record(actor, "programme.signin_link_use", link.participant, {"link": link.pk})


def qr_svg(url: str) -> str:
    """The link as an inline SVG QR code (error correction M: survives a scuffed badge)."""
    import segno

    return str(segno.make(url, error="m", micro=False).svg_inline(scale=4, border=2))


# --- read-only share links to a one-page summary -----------------------------------------------------------------

SHARE_SALT = "wendao.programmes.summary-share"
SHARE_DAYS = 30


def share_token(share: Any) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), f"{SHARE_SALT}:{share.pk}:{share.nonce}".encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(digest.digest()).decode().rstrip("=")[:32]


def share_path(share: Any) -> str:
    return reverse("programmes:shared_summary", kwargs={"share": share.pk, "token": share_token(share)})


@transaction.atomic
def share_summary(actor: Any, participant: Participant, now: dt.datetime | None = None) -> Any:
    """A new read-only link to the participant's one-page summary for SHARE_DAYS; earlier ones stop working."""
    from wendao.web.programmes.models import SummaryShare

    now = now or timezone.now()
    SummaryShare.objects.filter(participant=participant, revoked_at__isnull=True).update(revoked_at=now)
    share = SummaryShare.objects.create(
        participant=participant, nonce=secrets.token_hex(16), expires_at=now + dt.timedelta(days=SHARE_DAYS)
    )
    record(actor, "programme.summary_share", participant, {"share": share.pk})
    return share


def active_share(participant: Participant) -> Any:
    from wendao.web.programmes.models import SummaryShare

    return (
        SummaryShare.objects.filter(participant=participant, revoked_at__isnull=True, expires_at__gt=timezone.now())
        .order_by("-created_at")
        .first()
    )


def revoke_shares(actor: Any, participant: Participant) -> int:
    from wendao.web.programmes.models import SummaryShare

    n = SummaryShare.objects.filter(participant=participant, revoked_at__isnull=True).update(revoked_at=timezone.now())
    record(actor, "programme.summary_share_revoke", participant, {"revoked": n})
    return n


def check_share(pk: int, token: str, ip: str | None) -> Any:
    from wendao.web.programmes.models import SummaryShare

    share = (
        SummaryShare.objects.select_related("participant__enterprise", "participant__programme").filter(pk=pk).first()
    )
    ok = (
        share is not None
        and hmac.compare_digest(share_token(share), token)
        and share.revoked_at is None
        and share.expires_at > timezone.now()
        and share.participant.joined_at is not None
    )
    if not ok:
        _failed(ip)
        return None
    return share
