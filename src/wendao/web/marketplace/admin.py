from __future__ import annotations

from django.contrib import admin

from wendao.web.marketplace.models import Challenge, Proposal, Provider, ReferenceCase, SharedItem


class ReferenceCaseInline(admin.TabularInline):
    model = ReferenceCase
    extra = 0


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "listed", "synthetic", "updated_at")
    list_filter = ("kind", "listed", "synthetic")
    search_fields = ("name", "description")
    filter_horizontal = ("members",)
    inlines = [ReferenceCaseInline]


@admin.register(Challenge)
class ChallengeAdmin(admin.ModelAdmin):
    # states change only through marketplace.services (validated and audited), never here
    list_display = ("title", "scenario", "state", "visibility", "enterprise", "programme", "deadline")
    list_filter = ("state", "visibility")
    search_fields = ("title",)
    readonly_fields = ("state", "published_at")


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ("challenge", "provider", "price", "state", "updated_at")
    list_filter = ("state",)
    readonly_fields = ("state",)


@admin.register(SharedItem)
class SharedItemAdmin(admin.ModelAdmin):
    list_display = ("plan", "scenario", "provider", "created_at", "withdrawn_at")
