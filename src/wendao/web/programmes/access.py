"""The only way views fetch a programme's objects for a user.

Organisers see their own programmes and their participants (``get_programme_for_user`` and friends); the
contact an invitation was sent to sees that invitation. A participant reaches their own participation (a
programme their enterprise JOINED, through one of its members) and the discussion groups they may enter
(their own group, a group they facilitate, or any group of a programme they organise). Anyone else gets
Http404, never 403.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from wendao.web.accounts.models import Role
from wendao.web.accounts.types import Visitor
from wendao.web.programmes.models import DiscussionGroup, Participant, Programme


def _active(user: Visitor) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def participations_for_user(user: Visitor) -> QuerySet[Participant]:
    """The joined participations of the enterprises this user is a member of."""
    if not _active(user):
        return Participant.objects.none()
    return (
        Participant.objects.joined()
        .filter(enterprise__memberships__user=user)
        .select_related("programme", "enterprise")
        .order_by("-programme__starts_on", "-programme_id")
    )


def get_participation_for_user(user: Visitor, pk: int) -> Participant:
    try:
        return participations_for_user(user).get(pk=pk)
    except Participant.DoesNotExist:
        raise Http404("no such participation") from None


def groups_for_user(user: Visitor) -> QuerySet[DiscussionGroup]:
    if not _active(user):
        return DiscussionGroup.objects.none()
    mine = Q(memberships__participant__in=participations_for_user(user).values("pk"))
    q = mine | Q(facilitator=user)
    if user.role == Role.ORGANISER:
        q |= Q(programme__organisers=user)
    return DiscussionGroup.objects.filter(q).distinct()


def get_group_for_user(user: Visitor, pk: int) -> DiscussionGroup:
    try:
        return DiscussionGroup.objects.select_related("programme", "facilitator").get(
            pk=pk, pk__in=groups_for_user(user).values("pk")
        )
    except DiscussionGroup.DoesNotExist:
        raise Http404("no such group") from None


def get_group_member(group: DiscussionGroup, pk: int) -> Participant:
    """A joined member of a group the caller already reached through ``get_group_for_user``."""
    try:
        return Participant.objects.joined().select_related("enterprise").get(pk=pk, group_membership__group=group)
    except Participant.DoesNotExist:
        raise Http404("no such member") from None


# --- programmes: their organisers only ------------------------------------------------------------------------


def programmes_for_user(user: Visitor) -> QuerySet[Programme]:
    if not _active(user) or user.role != Role.ORGANISER:
        return Programme.objects.none()
    return Programme.objects.filter(organisers=user)


def get_programme_for_user(user: Visitor, pk: int) -> Programme:
    try:
        return programmes_for_user(user).get(pk=pk)
    except Programme.DoesNotExist:
        raise Http404("no such programme") from None


def get_participant_for_user(user: Visitor, programme_pk: int, pk: int) -> Participant:
    programme = get_programme_for_user(user, programme_pk)
    try:
        return Participant.objects.select_related("enterprise", "programme").get(programme=programme, pk=pk)
    except Participant.DoesNotExist:
        raise Http404("no such participant") from None


def get_joined_participant_for_user(user: Visitor, programme_pk: int, pk: int) -> Participant:
    """A participant of a programme the user organises whose enterprise joined: the only ones an organiser
    may group, move or allocate (a pending, declined or departed firm: 404)."""
    programme = get_programme_for_user(user, programme_pk)
    try:
        return Participant.objects.joined().select_related("enterprise", "programme").get(programme=programme, pk=pk)
    except Participant.DoesNotExist:
        raise Http404("no such participant") from None


# --- invitations: the contact they were sent to ---------------------------------------------------------------


def get_invitation_for_user(user: Visitor, pk: int) -> Participant:
    """An unanswered invitation addressed to this user's account (anyone else: 404)."""
    if not _active(user):
        raise Http404("no such invitation")
    try:
        return Participant.objects.select_related("programme", "enterprise").get(
            pk=pk, account=user, joined_at__isnull=True, declined_at__isnull=True
        )
    except Participant.DoesNotExist:
        raise Http404("no such invitation") from None
