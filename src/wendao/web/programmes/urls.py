from __future__ import annotations

from django.urls import path

from wendao.web.programmes import views, views_week

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
    # the participant's side: my week, and the evening group workspace
    path("me/", views_week.my_programmes, name="my_programmes"),
    path("me/<int:participant>/", views_week.my_week, name="my_week"),
    path("me/<int:participant>/preferences/", views_week.my_preferences, name="my_preferences"),
    path("me/<int:participant>/sharing/", views_week.my_sharing, name="my_sharing"),
    path("me/<int:participant>/final/", views_week.my_final, name="my_final"),
    path("workspace/<int:group>/", views_week.group_workspace, name="workspace"),
    path("workspace/<int:group>/board/", views_week.group_board, name="workspace_board"),
    path("workspace/<int:group>/problem/", views_week.group_problem, name="workspace_problem"),
    path("workspace/<int:group>/steps/", views_week.group_steps, name="workspace_steps"),
    path("workspace/<int:group>/comment/<int:member>/", views_week.group_comment, name="workspace_comment"),
    path("workspace/<int:group>/plans/<int:member>/", views_week.group_member_plan, name="workspace_plan"),
    path("workspace/<int:group>/round/", views_week.group_round, name="workspace_round"),
    path("workspace/<int:group>/notes/", views_week.group_notes, name="workspace_notes"),
    path("workspace/<int:group>/summary.docx", views_week.group_summary, name="workspace_summary"),
    path("<int:pk>/evening/", views_week.evening, name="evening"),
    path("<int:pk>/signin/", views_week.signin_links, name="signin_links"),
    path("<int:pk>/signin/issue/", views_week.signin_issue, name="signin_issue"),
    path("<int:pk>/signin/revoke/", views_week.signin_revoke, name="signin_revoke"),
    path("<int:pk>/signin/cards.pdf", views_week.signin_cards, name="signin_cards"),
    path("signin/<int:link>/<str:token>/", views_week.signin_link, name="signin"),
    path("<int:pk>/timetable/", views_week.timetable_page, name="timetable"),
    path("<int:pk>/timetable/<int:session>/", views_week.session_edit, name="session_edit"),
    path("<int:pk>/timetable/<int:session>/delete/", views_week.session_delete, name="session_delete"),
    path("<int:pk>/timetable.xlsx", views_week.timetable_export, name="timetable_export"),
    path("<int:pk>/timetable/import/", views_week.timetable_import, name="timetable_import"),
]
