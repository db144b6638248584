"""The participant side's access helpers: the only way the training-week pages fetch their objects.

The organiser side lives in ``enterprises.access`` (``get_programme_for_user`` and friends); this module adds
what a participant reaches: their own participation (a programme their enterprise JOINED, through one of its
members) and the discussion groups they may enter (their own group, a group they facilitate, or any group of a
programme they organise). Anyone else gets Http404, never 403.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from wendao.web.accounts.models import Role
from wendao.web.programmes.models import DiscussionGroup, Participant


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def participations_for_user(user: Any) -> QuerySet[Participant]:
    """The joined participations of the enterprises this user is a member of."""
    if not _active(user):
        return Participant.objects.none()
    return (
        Participant.objects.joined()
        .filter(enterprise__memberships__user=user)
        .select_related("programme", "enterprise")
        .order_by("-programme__starts_on", "-programme_id")
    )


def get_participation_for_user(user: Any, pk: int) -> Participant:
    try:
        return participations_for_user(user).get(pk=pk)
    except Participant.DoesNotExist:
        raise Http404("no such participation") from None


def groups_for_user(user: Any) -> QuerySet[DiscussionGroup]:
    if not _active(user):
        return DiscussionGroup.objects.none()
    mine = Q(memberships__participant__in=participations_for_user(user).values("pk"))
    q = mine | Q(facilitator=user)
    if user.role == Role.ORGANISER:
        q |= Q(programme__organisers=user)
    return DiscussionGroup.objects.filter(q).distinct()


def get_group_for_user(user: Any, pk: int) -> DiscussionGroup:
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
