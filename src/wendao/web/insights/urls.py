from __future__ import annotations

from django.urls import path

from wendao.web.insights import views, views_city

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
    # a city official's view of their own city's shared enterprises, and a member's consent to it
    path("city/", views_city.city_dashboard, name="city"),
    path("city/demand/", views_city.city_demand, name="city_demand"),
    path("city/tables/<str:table>.csv", views_city.city_csv, name="city_csv"),
    path("city/report/", views_city.city_report, name="city_report"),
    path("city/report/<int:report_pk>.<str:fmt>", views_city.city_report_download, name="city_report_download"),
    path("enterprises/<int:pk>/city-share/", views_city.city_share, name="city_share"),
]
