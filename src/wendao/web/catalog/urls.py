from __future__ import annotations

from django.urls import path

from wendao.web.catalog import views

app_name = "catalog"
urlpatterns = [
    path("", views.index, name="home"),
    path("policies/sheet.xlsx", views.policy_sheet, name="policy_sheet"),
    path("policies/upload/", views.policy_upload, name="policy_upload"),
    path("policies/new/", views.entry, {"kind": "policies"}, name="policy_new"),
    path("proposals/", views.proposal_list, name="proposals"),
    path("proposals/<int:pk>/", views.proposal, name="proposal"),
    path("<str:kind>/", views.index, name="index"),
    path("<str:kind>/<int:pk>/", views.entry, name="entry"),
]
