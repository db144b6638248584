from __future__ import annotations

from django.urls import path

from wendao.web.jobs import views

app_name = "jobs"
urlpatterns = [
    path("programmes/<int:pk>/", views.programme_jobs, name="programme"),
    path("programmes/<int:pk>/start/", views.start, name="start"),
    path("<int:pk>/", views.job_detail, name="detail"),
    path("<int:pk>/progress/", views.job_progress, name="progress"),
    path("<int:pk>/download/", views.download, name="download"),
    path("<int:pk>/summary.xlsx", views.summary, name="summary"),
]
