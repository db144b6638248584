from __future__ import annotations

from django.urls import path

from wendao.web.programmes import views

app_name = "programmes"
urlpatterns = [
    path("", views.programme_list, name="list"),
    path("<int:pk>/", views.programme_detail, name="detail"),
    path("<int:pk>/reminders/", views.reminders, name="reminders"),
    path("<int:pk>/participants/<int:participant>/", views.participant_detail, name="participant"),
    path(
        "<int:pk>/participants/<int:participant>/preferences/",
        views.participant_preferences,
        name="participant_preferences",
    ),
    path(
        "<int:pk>/participants/<int:participant>/plans/<int:plan>/pdf/",
        views.participant_plan_download,
        name="participant_plan",
    ),
    path("<int:pk>/import/", views.participant_import, name="import"),
    path("<int:pk>/import/template.xlsx", views.import_template, name="import_template"),
    path("<int:pk>/invitations/", views.invitations, name="invitations"),
    path("<int:pk>/invitations.xlsx", views.invitations_export, name="invitations_export"),
    path("<int:pk>/groups/", views.groups, name="groups"),
    path("<int:pk>/groups/move/", views.group_move, name="group_move"),
    path("<int:pk>/groups.xlsx", views.groups_export, name="groups_export"),
    path("<int:pk>/visits/", views.visits, name="visits"),
    path("<int:pk>/visits/allocate/", views.visits_allocate, name="visits_allocate"),
    path("<int:pk>/visits.xlsx", views.visits_export, name="visits_export"),
    path("invitation/<uidb64>/<token>/", views.InvitationView.as_view(), name="invitation"),
    path("invitations/", views.my_invitations, name="my_invitations"),
    path("invitations/<int:participant>/answer/", views.invitation_answer, name="invitation_answer"),
]
