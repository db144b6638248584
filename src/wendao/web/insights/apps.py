from __future__ import annotations

from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_delete, post_save


class InsightsConfig(AppConfig):
    """Dashboards for organisers: maturity by city/industry/chain/size, demand heat map, pilot selection, targets."""

    name = "wendao.web.insights"
    label = "insights"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from wendao.web.enterprises.models import AssessmentRound, Enterprise, PlanRecord
        from wendao.web.insights.median import register_sqlite_median
        from wendao.web.insights.signals import enterprise_saved, plan_deleted, plan_saved, round_saved

        connection_created.connect(register_sqlite_median, dispatch_uid="wendao_sqlite_median")
        post_save.connect(plan_saved, sender=PlanRecord, dispatch_uid="wendao_plan_summary_saved")
        post_delete.connect(plan_deleted, sender=PlanRecord, dispatch_uid="wendao_plan_summary_deleted")
        post_save.connect(enterprise_saved, sender=Enterprise, dispatch_uid="wendao_pilot_enterprise_saved")
        post_save.connect(round_saved, sender=AssessmentRound, dispatch_uid="wendao_pilot_round_saved")
