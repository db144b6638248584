"""The only way views fetch an enterprise's (and a programme's) objects for a user.

Members see their enterprise and everything under it, and may change it (``get_*_for_user``). Organisers
of a programme the enterprise joined (accepted the invitation to, by its own member) may VIEW its profile, assessment rounds and plans, never change them
(``get_*_for_viewer``; write views keep using the member-only helpers). Organisers see only their own
programmes. City officials count (never open) the enterprises of their own city that joined a programme and
agreed to share with their city (``city_enterprises_for_user``). Anyone else gets Http404, never 403: a 403 would
confirm that the object exists.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from wendao.web.accounts.models import Role
from wendao.web.enterprises.models import AssessmentRound, Enterprise, Membership, PlanRecord
from wendao.web.programmes.models import Participant, Programme


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def enterprises_for_user(user: Any) -> QuerySet[Enterprise]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Enterprise.objects.none()
    return Enterprise.objects.filter(memberships__user=user)


def get_enterprise_for_user(user: Any, pk: int) -> Enterprise:
    try:
        return enterprises_for_user(user).get(pk=pk)
    except Enterprise.DoesNotExist:
        raise Http404("no such enterprise") from None


def get_round_for_user(user: Any, enterprise_pk: int, number: int) -> AssessmentRound:
    enterprise = get_enterprise_for_user(user, enterprise_pk)
    try:
        return AssessmentRound.objects.select_related("enterprise").get(enterprise=enterprise, number=number)
    except AssessmentRound.DoesNotExist:
        raise Http404("no such assessment round") from None


def get_plan_for_user(user: Any, pk: int) -> PlanRecord:
    try:
        return PlanRecord.objects.select_related("enterprise").get(pk=pk, enterprise__in=enterprises_for_user(user))
    except PlanRecord.DoesNotExist:
        raise Http404("no such plan") from None


# --- read-only visibility: members, and organisers of a programme the enterprise joined ---------------------


def enterprises_visible_to_user(user: Any) -> QuerySet[Enterprise]:
    if not _active(user):
        return Enterprise.objects.none()
    mine = Q(pk__in=Membership.objects.filter(user=user).values("enterprise"))
    if user.role != Role.ORGANISER:
        return Enterprise.objects.filter(mine)
    # only enterprises that accepted the programme's invitation themselves: an import alone entitles nobody
    organised = Q(pk__in=Participant.objects.joined().filter(programme__organisers=user).values("enterprise"))
    return Enterprise.objects.filter(mine | organised)


def get_enterprise_for_viewer(user: Any, pk: int) -> Enterprise:
    try:
        return enterprises_visible_to_user(user).get(pk=pk)
    except Enterprise.DoesNotExist:
        raise Http404("no such enterprise") from None


def get_round_for_viewer(user: Any, enterprise_pk: int, number: int) -> AssessmentRound:
    enterprise = get_enterprise_for_viewer(user, enterprise_pk)
    try:
        return AssessmentRound.objects.select_related("enterprise").get(enterprise=enterprise, number=number)
    except AssessmentRound.DoesNotExist:
        raise Http404("no such assessment round") from None


def get_plan_for_viewer(user: Any, pk: int) -> PlanRecord:
    try:
        return PlanRecord.objects.select_related("enterprise").get(
            pk=pk, enterprise__in=enterprises_visible_to_user(user)
        )
    except PlanRecord.DoesNotExist:
        raise Http404("no such plan") from None


# --- programmes: their organisers only ------------------------------------------------------------------------


def programmes_for_user(user: Any) -> QuerySet[Programme]:
    if not _active(user) or user.role != Role.ORGANISER:
        return Programme.objects.none()
    return Programme.objects.filter(organisers=user)


def get_programme_for_user(user: Any, pk: int) -> Programme:
    try:
        return programmes_for_user(user).get(pk=pk)
    except Programme.DoesNotExist:
        raise Http404("no such programme") from None


def get_participant_for_user(user: Any, programme_pk: int, pk: int) -> Participant:
    programme = get_programme_for_user(user, programme_pk)
    try:
        return Participant.objects.select_related("enterprise", "programme").get(programme=programme, pk=pk)
    except Participant.DoesNotExist:
        raise Http404("no such participant") from None


# --- invitations: the contact they were sent to ---------------------------------------------------------------


def get_invitation_for_user(user: Any, pk: int) -> Participant:
    """An unanswered invitation addressed to this user's account (anyone else: 404)."""
    if not _active(user):
        raise Http404("no such invitation")
    try:
        return Participant.objects.select_related("programme", "enterprise").get(
            pk=pk, account=user, joined_at__isnull=True, declined_at__isnull=True
        )
    except Participant.DoesNotExist:
        raise Http404("no such invitation") from None


# --- city officials: their own city's enterprises, where the enterprise agreed -------------------------------


def official_city(user: Any) -> str:
    """The city a signed-in city official answers for; "" for everyone else (and for an official whose
    account has no city yet: such an account sees nothing)."""
    if not _active(user) or user.role != Role.CITY_OFFICIAL:
        return ""
    return str(user.city or "")


def city_enterprises_for_user(user: Any) -> QuerySet[Enterprise]:
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


def get_city_for_user(user: Any) -> str:
    """The official's city for the city pages; anyone else gets 404 (as for any object they may not see)."""
    city = official_city(user)
    if not city:
        raise Http404("no such city")
    return city
