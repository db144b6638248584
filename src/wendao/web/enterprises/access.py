"""The only way views fetch an enterprise's objects for a user.

Members see their enterprise and everything under it. Anyone else gets Http404, never 403: a 403 would
confirm that the enterprise (or plan) exists.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from wendao.web.enterprises.models import AssessmentRound, Enterprise, PlanRecord


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
