from __future__ import annotations

from django.urls import path

from wendao.web.insights import views

app_name = "insights"
urlpatterns = [
    path("programmes/<int:pk>/", views.dashboard, name="dashboard"),
    path("programmes/<int:pk>/tables/<str:table>.csv", views.dashboard_csv, name="dashboard_csv"),
    path("programmes/<int:pk>/demand/", views.demand, name="demand"),
    path("programmes/<int:pk>/report/", views.report_page, name="report"),
    path("programmes/<int:pk>/report/<int:report_pk>.<str:fmt>", views.report_download, name="report_download"),
    path("programmes/<int:pk>/pilots/", views.pilots, name="pilots"),
    path("programmes/<int:pk>/pilots.csv", views.pilots_csv, name="pilots_csv"),
    path("programmes/<int:pk>/support/", views.support, name="support"),
    path("programmes/<int:pk>/support.csv", views.support_csv, name="support_csv"),
    path("programmes/<int:pk>/targets/", views.targets_page, name="targets"),
    path("programmes/<int:pk>/targets.csv", views.targets_csv, name="targets_csv"),
    path("programmes/<int:pk>/targets/new/", views.target_new, name="target_new"),
    path("programmes/<int:pk>/targets/<int:target_pk>/", views.target_edit, name="target_edit"),
    path("programmes/<int:pk>/targets/<int:target_pk>/delete/", views.target_delete, name="target_delete"),
    path("plans/<int:plan_pk>/progress/", views.scenario_progress, name="scenario_progress"),
]
