from __future__ import annotations

from django.urls import path

from wendao.web.marketplace import views

app_name = "marketplace"
urlpatterns = [
    path("", views.home, name="home"),
    path("providers/", views.provider_list, name="providers"),
    path("providers/new/", views.provider_new, name="provider_new"),
    path("providers/<int:pk>/", views.provider_detail, name="provider"),
    path("providers/<int:pk>/edit/", views.provider_edit, name="provider_edit"),
    path("providers/<int:pk>/demand/", views.provider_demand, name="provider_demand"),
    path("challenges/", views.challenge_list, name="challenges"),
    path("challenges/new/", views.challenge_new, name="challenge_new"),
    path("challenges/<int:pk>/", views.challenge_detail, name="challenge"),
    path("challenges/<int:pk>/edit/", views.challenge_edit, name="challenge_edit"),
    path("challenges/<int:pk>/invite/", views.challenge_invite, name="challenge_invite"),
    path("challenges/<int:pk>/propose/", views.proposal_submit, name="proposal_submit"),
    path("challenges/<int:pk>/ask/", views.question_ask, name="question_ask"),
    path("challenges/<int:pk>/<slug:action>/", views.challenge_transition, name="challenge_transition"),
    path("questions/<int:pk>/answer/", views.question_answer, name="question_answer"),
    path("proposals/<int:pk>/attach/", views.proposal_attach, name="proposal_attach"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("joint/", views.joint_demand, name="joint_demand"),
    path("joint/new/", views.joint_new, name="joint_new"),
    path("chain/", views.chain_demand, name="chain_demand"),
    path("chain/new/", views.chain_new, name="chain_new"),
    path(
        "chain/confirm/<int:pk>/<int:participant>/",
        views.chain_leader_confirmation,
        name="chain_leader_confirmation",
    ),
    path("joint/members/<int:pk>/<slug:choice>/", views.joint_decide, name="joint_decide"),
    path("proposals/<int:pk>/withdraw/", views.proposal_withdraw, name="proposal_withdraw"),
    path("proposals/<int:pk>/shortlist/", views.proposal_shortlist, name="proposal_shortlist"),
    path("proposals/<int:pk>/award/", views.proposal_award, name="proposal_award"),
    path("plans/<int:plan>/items/<slug:scenario>/", views.plan_item, name="plan_item"),
    path("plans/<int:plan>/items/<slug:scenario>/share/", views.plan_item_share, name="plan_item_share"),
    path("shares/<int:pk>/", views.share_detail, name="share"),
    path("shares/<int:pk>/withdraw/", views.share_withdraw, name="share_withdraw"),
]
