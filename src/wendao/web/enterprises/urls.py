from __future__ import annotations

from django.urls import path

from wendao.web.enterprises import asking, prepare_views, views

app_name = "enterprises"
urlpatterns = [
    path("", views.home, name="home"),
    path("e/new/", views.enterprise_new, name="new"),
    path("e/<int:pk>/", views.enterprise_detail, name="detail"),
    path("e/<int:pk>/profile/", views.profile_edit, name="profile"),
    path("e/<int:pk>/assessment/", views.assessment, name="assessment"),
    path("e/<int:pk>/assessment/new/", views.reassess, name="reassess"),
    path("e/<int:pk>/rounds/<int:number>/", views.results, name="results"),
    path("e/<int:pk>/rounds/<int:number>/step/<int:step>/", views.wizard_step, name="step"),
    path("e/<int:pk>/rounds/<int:number>/answer/<str:question>/", views.save_answer, name="answer"),
    path("e/<int:pk>/rounds/<int:number>/complete/", views.complete, name="complete"),
    path("e/<int:pk>/plans/new/", views.plan_new, name="plan_new"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("plans/<int:pk>/what-if/", views.plan_whatif, name="plan_whatif"),
    path("plans/<int:pk>/download/<str:fmt>/", views.plan_download, name="plan_download"),
    path("plans/<int:pk>/prepare/<str:fmt>/", prepare_views.plan_prepare, name="plan_prepare"),
    path("ask/", asking.ask_view, name="ask"),
]
