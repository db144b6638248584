"""The only way views fetch an enterprise's objects for a user (a programme's: ``programmes.access``).

Members see their enterprise and everything under it, and may change it (``get_*_for_user``). Organisers
of a programme the enterprise joined (accepted the invitation to, by its own member) may VIEW its profile, assessment rounds and plans, never change them
(``get_*_for_viewer``; write views keep using the member-only helpers). Organisers see only their own
programmes. City officials count (never open) the enterprises of their own city that joined a programme and
agreed to share with their city (``city_enterprises_for_user``). Anyone else gets Http404, never 403: a 403 would
confirm that the object exists.
"""

from __future__ import annotations

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db.models import Q, QuerySet
from django.http import Http404

from wendao.web.accounts.models import Role
from wendao.web.accounts.types import Visitor
from wendao.web.enterprises.models import AssessmentRound, Enterprise, Membership, PlanRecord
from wendao.web.programmes.models import Participant, Programme


def _active(user: Visitor) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def enterprises_for_user(user: Visitor) -> QuerySet[Enterprise]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Enterprise.objects.none()
    return Enterprise.objects.filter(memberships__user=user)


def get_enterprise_for_user(user: Visitor, pk: int) -> Enterprise:
    try:
        return enterprises_for_user(user).get(pk=pk)
    except Enterprise.DoesNotExist:
        raise Http404("no such enterprise") from None


def get_round_for_user(user: Visitor, enterprise_pk: int, number: int) -> AssessmentRound:
    enterprise = get_enterprise_for_user(user, enterprise_pk)
    try:
        return AssessmentRound.objects.select_related("enterprise").get(enterprise=enterprise, number=number)
    except AssessmentRound.DoesNotExist:
        raise Http404("no such assessment round") from None


def get_plan_for_user(user: Visitor, pk: int) -> PlanRecord:
    try:
        return PlanRecord.objects.select_related("enterprise").get(pk=pk, enterprise__in=enterprises_for_user(user))
    except PlanRecord.DoesNotExist:
        raise Http404("no such plan") from None


def known_to_its_readers(enterprise: Enterprise) -> QuerySet[Enterprise]:
    """Firms whose figures the people who read this enterprise's pages already know: an aggregate shown to
    those readers (the peer comparison, a chain leader's demand cells) must not count these towards its minimum
    number of firms. One account with four firms in a five-firm cell would otherwise read the fifth firm's
    figures as the total less its own four.

    - this enterprise and every enterprise that shares a member with it;
    - while one of those is reachable by an organiser's links (``link_reachable``: a contact account the
      organiser's import created, still without a password of its own, so whoever holds its sign-in or
      invitation link acts as it), the organisers of that programme read its pages too, and they know every
      firm their links reach: every link-reachable firm of every programme they organise counts as known. An
      organiser holding five such links cannot form a cell around a sixth firm."""
    readers = Membership.objects.filter(enterprise=enterprise).values("user")
    by_membership = Q(pk=enterprise.pk) | Q(memberships__user__in=readers)
    reachable = link_reachable()
    holders = Programme.organisers.through.objects.filter(
        programme__in=reachable.filter(enterprise__in=Enterprise.objects.filter(by_membership)).values("programme")
    ).values("user")
    by_links = Q(pk__in=reachable.filter(programme__organisers__in=holders).values("enterprise"))
    return Enterprise.objects.filter(by_membership | by_links).distinct()


def link_reachable() -> QuerySet[Participant]:
    """Participants whose contact account their programme's organisers can act as: an account the import
    created (``account_created``) that has no password of its own yet, so the sign-in link
    (``programmes.signin``) or the invitation link (``programmes.invitation_links``) the organisers hold opens
    it. Wider than ``signin.linkable`` on purpose (a declined invitation aside, whatever else a link would
    refuse): who could act as the account, not who may be given a new link."""
    return Participant.objects.filter(
        account__isnull=False,
        account_created=True,
        declined_at__isnull=True,
        account__password__startswith=UNUSABLE_PASSWORD_PREFIX,
    )


# --- read-only visibility: members, and organisers of a programme the enterprise joined ---------------------


def enterprises_visible_to_user(user: Visitor) -> QuerySet[Enterprise]:
    if not _active(user):
        return Enterprise.objects.none()
    mine = Q(pk__in=Membership.objects.filter(user=user).values("enterprise"))
    if user.role != Role.ORGANISER:
        return Enterprise.objects.filter(mine)
    # only enterprises that accepted the programme's invitation themselves: an import alone entitles nobody
    organised = Q(pk__in=Participant.objects.joined().filter(programme__organisers=user).values("enterprise"))
    return Enterprise.objects.filter(mine | organised)


def get_enterprise_for_viewer(user: Visitor, pk: int) -> Enterprise:
    try:
        return enterprises_visible_to_user(user).get(pk=pk)
    except Enterprise.DoesNotExist:
        raise Http404("no such enterprise") from None


def get_round_for_viewer(user: Visitor, enterprise_pk: int, number: int) -> AssessmentRound:
    enterprise = get_enterprise_for_viewer(user, enterprise_pk)
    try:
        return AssessmentRound.objects.select_related("enterprise").get(enterprise=enterprise, number=number)
    except AssessmentRound.DoesNotExist:
        raise Http404("no such assessment round") from None


def get_plan_for_viewer(user: Visitor, pk: int) -> PlanRecord:
    try:
        return PlanRecord.objects.select_related("enterprise").get(
            pk=pk, enterprise__in=enterprises_visible_to_user(user)
        )
    except PlanRecord.DoesNotExist:
        raise Http404("no such plan") from None


# --- city officials: their own city's enterprises, where the enterprise agreed -------------------------------


def official_city(user: Visitor) -> str:
    """The city a signed-in city official answers for; "" for everyone else (and for an official whose
    account has no city yet: such an account sees nothing)."""
    if not _active(user) or user.role != Role.CITY_OFFICIAL:
        return ""
    return str(user.city or "")


def city_enterprises_for_user(user: Visitor) -> QuerySet[Enterprise]:
    """What a city official may count and name: enterprises of their city that joined at least one programme
    (accepted its invitation) and whose member agreed to share with their city (``insights.CityShare``).
    Neither an import nor the city field alone entitles the city to anything."""
    city = official_city(user)
    return city_enterprises(city) if city else Enterprise.objects.none()


def city_enterprises(city: str) -> QuerySet[Enterprise]:
    """The rule of ``city_enterprises_for_user`` for one city (the city report, built on the task queue)."""
    return Enterprise.objects.filter(
        city=city,
        city_share__isnull=False,
        pk__in=Participant.objects.joined().values("enterprise"),
    )


def get_city_for_user(user: Visitor) -> str:
    """The official's city for the city pages; anyone else gets 404 (as for any object they may not see)."""
    city = official_city(user)
    if not city:
        raise Http404("no such city")
    return city
