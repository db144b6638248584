from __future__ import annotations

from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from wendao.web.api import pages as api_pages
from wendao.web.health import healthz

admin.site.site_header = "问道 wendao"
admin.site.site_title = "问道 wendao"

urlpatterns = [
    path("", include("wendao.web.enterprises.urls")),
    path("accounts/", include("wendao.web.accounts.urls")),
    path("programmes/", include("wendao.web.programmes.urls")),
    path("insights/", include("wendao.web.insights.urls")),
    path("marketplace/", include("wendao.web.marketplace.urls")),
    path("jobs/", include("wendao.web.jobs.urls")),
    path("catalog/", include("wendao.web.catalog.urls")),
    path("api/", include("wendao.web.api.urls")),
    path("settings/api-tokens/", api_pages.tokens, name="api_tokens"),
    path("settings/api-tokens/<int:pk>/revoke/", api_pages.revoke, name="api_token_revoke"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
]
