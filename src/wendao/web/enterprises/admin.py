from __future__ import annotations

from django.contrib import admin

from wendao.web.enterprises.models import AssessmentRound, Enterprise, Membership, PlanRecord


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ("name", "city", "industry", "size_class", "synthetic", "updated_at")
    list_filter = ("synthetic", "city", "industry_group", "size_class")
    search_fields = ("name",)
    readonly_fields = ("profile",)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "enterprise", "created_at")
    raw_id_fields = ("user", "enterprise")


@admin.register(AssessmentRound)
class AssessmentRoundAdmin(admin.ModelAdmin):
    list_display = ("enterprise", "number", "questionnaire_version", "overall", "completed_at")
    raw_id_fields = ("enterprise",)
    readonly_fields = ("answers", "evidence", "result")


@admin.register(PlanRecord)
class PlanRecordAdmin(admin.ModelAdmin):
    list_display = ("enterprise", "catalog_version", "created_at")
    raw_id_fields = ("enterprise", "round")
    readonly_fields = ("plan",)
