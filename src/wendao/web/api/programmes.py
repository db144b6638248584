"""The programme part of the open API, for organisers: their programmes, the participants with their progress
(read from the enterprises' own records, as on the web page) and the discussion groups.

Fetches go through ``wendao.web.programmes.access`` (organisers see their own programmes only; everyone else
gets 404, never 403). Read-only: imports, invitations and grouping stay on the web, where files are checked
row by row and changes are confirmed.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from wendao.web.api.schemas import ErrorOut
from wendao.web.programmes import services
from wendao.web.programmes.access import get_programme_for_user, programmes_for_user
from wendao.web.programmes.models import GroupMembership

router = Router(tags=["programmes"])

UNAUTHORIZED = {401: ErrorOut}
NOT_FOUND = {404: ErrorOut}


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]  # set by the API's TokenAuth: the token's user


class ProgrammeOut(Schema):
    id: int
    name: str
    starts_on: date | None
    ends_on: date | None
    description: str
    group_size: int | None


class ProgrammeDetailOut(ProgrammeOut):
    participants: int
    progress: dict[str, int] = Field(
        description="how many participants have: total, profile_done, assessment_done, plan_made, document_downloaded"
    )


class ParticipantOut(Schema):
    id: int
    enterprise_id: int
    enterprise: str = Field(description="the enterprise's name")
    city: str = Field(description="empty for an enterprise that joined and left (its record is its own)")
    industry: str = Field(description="empty for an enterprise that joined and left (its record is its own)")
    contact_name: str
    has_account: bool = Field(
        description="an invitation was addressed to the contact (a mobile number was imported); it says nothing "
        "of whether that number was an account before"
    )
    consent: str = Field(
        description="joined (the enterprise accepted the invitation), pending or declined; progress is shown "
        "only for joined enterprises"
    )
    profile_done: bool
    assessment_done: bool
    plan_made: bool
    document_downloaded: bool
    group: int | None = Field(description="discussion group number, when groups are formed")


class GroupOut(Schema):
    number: int
    participants: list[int] = Field(description="participant ids")


@router.get("", response={200: list[ProgrammeOut], **UNAUTHORIZED})
def programme_list(request: HttpRequest) -> Any:
    """The programmes you organise (empty for anyone who organises none)."""
    return programmes_for_user(_user(request)).order_by("-starts_on", "-id")


@router.get("/{id}", response={200: ProgrammeDetailOut, **UNAUTHORIZED, **NOT_FOUND})
def programme_get(request: HttpRequest, id: int) -> Any:
    programme = get_programme_for_user(_user(request), id)
    counts = services.status_counts(services.statuses(programme))
    return {
        "id": programme.pk,
        "name": programme.name,
        "starts_on": programme.starts_on,
        "ends_on": programme.ends_on,
        "description": programme.description,
        "group_size": programme.group_size,
        "participants": counts["total"],
        "progress": counts,
    }


@router.get("/{id}/participants", response={200: list[ParticipantOut], **UNAUTHORIZED, **NOT_FOUND})
def participant_list(request: HttpRequest, id: int) -> Any:
    programme = get_programme_for_user(_user(request), id)
    groups = dict(  # only a joined enterprise is grouped (services.groupable)
        GroupMembership.objects.filter(
            group__programme=programme, participant__in=services.groupable(programme)
        ).values_list("participant_id", "group__number")
    )
    return [
        {
            "id": row.participant.pk,
            "enterprise_id": row.participant.enterprise_id,
            "enterprise": row.participant.enterprise.name,
            "city": row.participant.enterprise.city if services.organiser_reads_enterprise(row.participant) else "",
            "industry": row.participant.enterprise.industry
            if services.organiser_reads_enterprise(row.participant)
            else "",
            "contact_name": row.participant.contact_name,
            # the same for a new account, one that existed before and a staff number (no account enumeration)
            "has_account": row.participant.account_id is not None or bool(row.participant.phone),
            "consent": row.participant.consent,
            "profile_done": row.profile_done,
            "assessment_done": row.assessment_done,
            "plan_made": row.plan_made,
            "document_downloaded": row.document_downloaded,
            "group": groups.get(row.participant.pk),
        }
        for row in services.statuses(programme)
    ]


@router.get("/{id}/groups", response={200: list[GroupOut], **UNAUTHORIZED, **NOT_FOUND})
def group_list(request: HttpRequest, id: int) -> Any:
    programme = get_programme_for_user(_user(request), id)
    members: dict[int, list[int]] = {}
    joined = GroupMembership.objects.filter(group__programme=programme, participant__in=services.groupable(programme))
    for number, participant in joined.values_list("group__number", "participant_id"):
        members.setdefault(number, []).append(participant)
    return [{"number": n, "participants": sorted(ids)} for n, ids in sorted(members.items())]
