from __future__ import annotations

from django.urls import path

from wendao.web.insights import views

app_name = "insights"
urlpatterns = [
    path("programmes/<int:pk>/", views.dashboard, name="dashboard"),
    path("programmes/<int:pk>/tables/<str:table>.csv", views.dashboard_csv, name="dashboard_csv"),
    path("programmes/<int:pk>/pilots/", views.pilots, name="pilots"),
    path("programmes/<int:pk>/pilots.csv", views.pilots_csv, name="pilots_csv"),
]
