"""Programme pages, for the programme's organisers only: parse input, call one use case, render.

Every object is fetched through ``programmes.access`` (``get_programme_for_user`` and friends): anyone
who is not an organiser of this programme gets 404.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wendao.engine.grouping import GroupingError
from wendao.web.accounts.audit import record
from wendao.web.catalog.services import active_catalog
from wendao.web.enterprises import prepared
from wendao.web.enterprises.access import enterprises_for_user, get_enterprise_for_user, get_plan_for_viewer
from wendao.web.enterprises.downloads import download_plan
from wendao.web.enterprises.models import PlanRecord
from wendao.web.enterprises.prepare_views import document_progress
from wendao.web.htmx import htmx_partial
from wendao.web.ids import optional_id_from
from wendao.web.programmes import importing, invitation_links, services
from wendao.web.programmes.access import (
    get_invitation_for_user,
    get_joined_participant_for_user,
    get_participant_for_user,
    get_programme_for_user,
    programmes_for_user,
)
from wendao.web.programmes.forms import GroupSizeForm, ImportForm, MoveForm, PreferenceForm, SiteVisitForm
from wendao.web.programmes.models import DiscussionGroup, Session
from wendao.web.programmes.participant_table import named_scores, participant_table, place

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def programme_list(request: HttpRequest) -> HttpResponse:
    programmes = programmes_for_user(request.user)
    if not getattr(request.user, "is_organiser", False):
        raise Http404("no programmes")
    return render(request, "programmes/list.html", {"programmes": programmes})


@login_required
@require_GET
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_programme_for_user(request.user, pk)
    table = participant_table(programme, request.GET)  # searched, filtered and paged (participant_table.py)
    rows = [r.status for r in table.rows]
    return render(
        request,
        "programmes/detail.html",
        {"programme": programme, "rows": rows, "table": table, "counts": table.counts},
    )


@login_required
@require_GET
def reminders(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_programme_for_user(request.user, pk)
    rows = [r for r in services.statuses(programme) if r.missing]
    return render(request, "programmes/reminders.html", {"programme": programme, "rows": rows})


@login_required
@require_GET
def participant_detail(request: HttpRequest, pk: int, participant: int) -> HttpResponse:
    """Read-only: the enterprise's profile, latest assessment and plans, plus the visit preferences form."""
    programme = get_programme_for_user(request.user, pk)
    p = get_participant_for_user(request.user, pk, participant)
    return _participant_page(request, programme, p, None)


def _participant_page(request: HttpRequest, programme: object, p: object, form: PreferenceForm | None) -> HttpResponse:
    from wendao.web.programmes.models import Participant

    assert isinstance(p, Participant)
    # an enterprise that has not accepted the invitation shows only what the organisers imported, and is
    # neither ranked for nor allocated to site visits (services.groupable)
    joined = p.joined_at is not None
    visits = list(services.site_visits(p.programme)) if joined else []
    if form is None:
        initial = {f"choice_{v.rank}": str(v.session_id) for v in p.visit_preferences.all()}
        form = PreferenceForm(initial=initial, visits=visits)
    current = p.enterprise.rounds.filter(current=True).first() if joined else None
    return render(
        request,
        "programmes/participant.html",
        {
            "programme": programme,
            "participant": p,
            "enterprise": p.enterprise,
            "current": current,
            "dimensions": named_scores(current),
            "place": place(p.enterprise),
            "readable": services.organiser_reads_enterprise(p),
            "plans": p.enterprise.plans.all()[:10] if joined else [],
            "joined": joined,
            "form": form,
            "assignments": services.visit_assignments(p.programme).filter(participant=p).select_related("session"),
        },
        status=422 if form.is_bound and not form.is_valid() else 200,
    )


@login_required
@require_POST
def participant_preferences(request: HttpRequest, pk: int, participant: int) -> HttpResponse:
    programme = get_programme_for_user(request.user, pk)
    p = get_joined_participant_for_user(request.user, pk, participant)
    form = PreferenceForm(request.POST, visits=list(services.site_visits(programme)))
    if not form.is_valid():
        return _participant_page(request, programme, p, form)
    services.save_preferences(request.user, p, form.ranked())
    messages.success(request, _("参观志愿已保存。"))
    return redirect("programmes:participant", pk=pk, participant=p.pk)


def _participant_plan(request: HttpRequest, pk: int, participant: int, plan: int) -> tuple[PlanRecord, str]:
    """A participant's plan the user may see as programme staff, and the language of the page."""
    p = get_participant_for_user(request.user, pk, participant)
    rec = get_plan_for_viewer(request.user, plan)
    if rec.enterprise_id != p.enterprise_id:
        raise Http404("no such plan")
    return rec, "en" if (request.LANGUAGE_CODE or "").startswith("en") else "zh"


@login_required
@require_GET
def participant_plan_download(request: HttpRequest, pk: int, participant: int, plan: int) -> HttpResponse:
    rec, lang = _participant_plan(request, pk, participant, plan)
    return download_plan(request.user, rec, "pdf", lang, "organiser").response()


@login_required
@require_http_methods(["GET", "POST"])
def participant_plan_prepare(request: HttpRequest, pk: int, participant: int, plan: int) -> HttpResponse:
    """The organiser's copy of a participant's plan, prepared on the task queue with progress shown (issue 19),
    as on the plan page (enterprises/prepared.py). GET: its state; POST: try again after a failure."""
    rec, lang = _participant_plan(request, pk, participant, plan)
    ask = prepared.retry_document if request.method == "POST" else prepared.request_document
    keys = {"pk": pk, "participant": participant, "plan": plan}
    poll = reverse("programmes:participant_plan_prepare", kwargs=keys)
    download = reverse("programmes:participant_plan", kwargs=keys)
    return document_progress(request, ask(rec, "pdf", lang), "pdf", poll, download)


# --- import -------------------------------------------------------------------------------------------------


@login_required
@require_GET
def import_template(request: HttpRequest, pk: int) -> HttpResponse:
    get_programme_for_user(request.user, pk)
    return _xlsx(importing.template_workbook(), "wendao-participants-template.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def participant_import(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_programme_for_user(request.user, pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    context: dict[str, object] = {"programme": programme, "form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > importing.MAX_BYTES:
            checked = importing.too_big(upload.name)
        else:
            checked = importing.check_participant_file(programme, upload.name, upload.read(), active_catalog())
        if checked.problems:
            context["problems"] = checked.problems
            return render(request, "programmes/import.html", context, status=422)
        if not checked.rows:
            form.add_error("file", _("文件里没有企业。"))
            return render(request, "programmes/import.html", context, status=422)
        try:
            result = services.import_participants(request.user, programme, checked.rows)
        except services.InvitationError as exc:  # a second import of the same list in between (the check ran)
            form.add_error("file", str(exc))
            return render(request, "programmes/import.html", context, status=409)
        messages.success(
            request,
            # the same words whoever already had an account (no account enumeration)
            _(
                "已邀请 %(n)s 家企业。请把“账号邀请”页上每家企业的邀请链接发给联系人；"
                "企业接受邀请后，您才能查看它的档案、评估和规划。"
            )
            % {"n": result.imported},
        )
        return redirect("programmes:invitations", pk=pk)
    return render(request, "programmes/import.html", context)


@login_required
@require_GET
def invitations(request: HttpRequest, pk: int) -> HttpResponse:
    """Every unanswered invitation with its one link, the same for a new account and one that existed before
    (invitation_links.py): the organiser learns nothing of who already had an account."""
    programme = get_programme_for_user(request.user, pk)
    rows = [(p, invitation_links.link_path(p)) for p in services.awaiting_acceptance(programme)]
    return render(request, "programmes/invitations.html", {"programme": programme, "rows": rows})


@require_http_methods(["GET", "POST"])
def invite(request: HttpRequest, participant: int, token: str) -> HttpResponse:
    """Open to anyone holding the link: the same page for every contact; only a contact whose account the
    import created and who has no password yet sets one here (invitation_links.py)."""
    from django.contrib.auth import login
    from django.contrib.auth.forms import SetPasswordForm

    from wendao.web.accounts.models import User
    from wendao.web.accounts.ratelimit import client_ip
    from wendao.web.programmes import signin

    ip = client_ip(request)
    if signin.held_up(ip):
        return render(request, "programmes/invite.html", {"held_up": True}, status=429)
    p = invitation_links.check(participant, token)
    if p is None:
        signin.count_failure(ip)
        return render(request, "programmes/invite.html", {"invalid": True}, status=404)
    new = invitation_links.sets_password(p)
    account = p.account if new and p.account is not None else User(username=p.phone)  # a stand-in: never saved
    form = SetPasswordForm(account, request.POST if request.method == "POST" else None)
    context = {"participant": p, "form": form, "username": p.phone}
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "programmes/invite.html", context, status=422)
        if not new:
            return render(request, "programmes/invite.html", context | {"has_password": True})
        form.save()
        record(account, "account.password_set", account, {"via": "invitation", "participant": p.pk})
        login(request, account, backend="wendao.web.accounts.backends.ThrottledModelBackend")
        return redirect("programmes:my_invitations")
    return render(request, "programmes/invite.html", context)


@login_required
@require_GET
def invitations_export(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_programme_for_user(request.user, pk)
    record(request.user, "programme.invitations_export", programme)
    root = request.build_absolute_uri("/").rstrip("/") or settings.SITE_ROOT
    return _xlsx(services.invitations_workbook(programme, root), f"wendao-invitations-{programme.pk}.xlsx")


class InvitationView(auth_views.PasswordResetConfirmView):
    """The one-time link from an invitation: the contact sets a password, is signed in at once (so the link is
    a way in even while sign-ins from their network are held up by the throttling policy) and answers the
    invitation (``my_invitations``): setting a password does not by itself join the programme."""

    template_name = "programmes/invitation.html"
    post_reset_login = True
    success_url = reverse_lazy("programmes:my_invitations")


# --- the invited contact's side: accept or decline ------------------------------------------------------------


@login_required
@require_GET
def my_invitations(request: HttpRequest) -> HttpResponse:
    """The contact's open invitations, each with what joining lets the organisers see."""
    return render(request, "programmes/my_invitations.html", _invitations_context(request))


def _invitations_context(request: HttpRequest, error: str = "") -> dict[str, object]:
    return {
        "invitations": list(services.open_invitations(request.user)),  # type: ignore[arg-type]
        "enterprises": list(enterprises_for_user(request.user)),
        "error": error,
    }


@login_required
@require_POST
def invitation_answer(request: HttpRequest, participant: int) -> HttpResponse:
    p = get_invitation_for_user(request.user, participant)
    try:
        if request.POST.get("answer") == "decline":
            services.decline_invitation(request.user, p)  # type: ignore[arg-type]
            messages.success(request, _("已谢绝“%(programme)s”的邀请。") % {"programme": p.programme.name})
            return redirect("programmes:my_invitations")
        choice = optional_id_from(request.POST.get("enterprise"))  # none: a new enterprise from the imported row
        own = get_enterprise_for_user(request.user, choice) if choice is not None else None
        services.accept_invitation(request.user, p, own)  # type: ignore[arg-type]
    except services.InvitationError as exc:
        return render(request, "programmes/my_invitations.html", _invitations_context(request, str(exc)), status=409)
    messages.success(request, _("已加入“%(programme)s”。") % {"programme": p.programme.name})
    return redirect("programmes:my_week", participant=p.pk)


# --- discussion groups -------------------------------------------------------------------------------------


def _groups_context(programme: object, form: GroupSizeForm | None = None) -> dict[str, object]:
    from wendao.web.programmes.models import Programme

    assert isinstance(programme, Programme)
    view = services.programme_groups(programme, active_catalog())
    return {
        "programme": programme,
        "view": view,
        # each firm's "move to" list names every group: translated once here, not once per firm and group (300
        # firms × 38 groups of {% blocktranslate %} took 1.1 s of the page's CPU in the demo)
        "group_choices": [(g.group.pk, _("第%(n)s组") % {"n": g.group.number}) for g in view.groups],
        "form": form or GroupSizeForm(initial={"size": programme.group_size or 8}),
    }


@login_required
@require_http_methods(["GET", "POST"])
def groups(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_programme_for_user(request.user, pk)
    if request.method == "POST":
        form = GroupSizeForm(request.POST)
        if form.is_valid():
            try:
                grouping = services.form_programme_groups(
                    request.user, programme, form.cleaned_data["size"], active_catalog()
                )
            except GroupingError as exc:
                for problem in exc.problems:
                    form.add_error("size", problem)
            else:
                messages.success(request, _("已分成 %(n)s 组。") % {"n": len(grouping.groups)})
                return redirect("programmes:groups", pk=pk)
        return render(request, "programmes/groups.html", _groups_context(programme, form), status=422)
    return render(request, "programmes/groups.html", _groups_context(programme))


@login_required
@require_POST
def group_move(request: HttpRequest, pk: int) -> HttpResponse:
    """HTMX: move one participant to another group; answers with the re-scored groups."""
    programme = get_programme_for_user(request.user, pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        raise Http404("no such participant or group")
    p = get_joined_participant_for_user(request.user, pk, form.cleaned_data["participant"])
    try:
        group = DiscussionGroup.objects.get(programme=programme, pk=form.cleaned_data["group"])
    except DiscussionGroup.DoesNotExist:
        raise Http404("no such group") from None
    services.move_participant(request.user, p, group)
    return htmx_partial(request, "programmes/groups.html", "programmes/_groups.html", _groups_context(programme))


@login_required
@require_GET
def groups_export(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_programme_for_user(request.user, pk)
    return _xlsx(services.groups_workbook(programme, active_catalog()), f"wendao-groups-{programme.pk}.xlsx")


# --- site visits -------------------------------------------------------------------------------------------


def _visits_context(programme: object, form: SiteVisitForm | None = None) -> dict[str, object]:
    from wendao.web.programmes.models import Programme

    assert isinstance(programme, Programme)
    return {
        "programme": programme,
        "visits": services.site_visits(programme),
        "form": form or SiteVisitForm(),
        "ranked": services.visit_preferences(programme).values("participant").distinct().count(),
        "participants": services.groupable(programme).count(),
        "assignments": services.visit_assignments(programme)
        .select_related("participant__enterprise", "session")
        .order_by("session__starts_at", "session__pk", "participant__enterprise__name"),
    }  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def visits(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_programme_for_user(request.user, pk)
    if request.method == "POST":
        form = SiteVisitForm(request.POST, instance=Session(programme=programme, kind=Session.Kind.SITE_VISIT))
        if form.is_valid():
            session = form.save()
            record(request.user, "programme.session.create", session, {"title": session.title})
            return redirect("programmes:visits", pk=pk)
        return render(request, "programmes/visits.html", _visits_context(programme, form), status=422)
    return render(request, "programmes/visits.html", _visits_context(programme))


@login_required
@require_POST
def visits_allocate(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_programme_for_user(request.user, pk)
    try:
        allocation = services.allocate_programme_visits(request.user, programme)
    except GroupingError as exc:
        for problem in exc.problems:
            messages.error(request, problem)
    else:
        messages.success(
            request,
            _("已分配：%(n)s 家企业，%(short)s 家因名额不足未分到。")
            % {"n": len(allocation.assignments) - len(allocation.short), "short": len(allocation.short)},
        )
    return redirect("programmes:visits", pk=pk)


@login_required
@require_GET
def visits_export(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_programme_for_user(request.user, pk)
    return _xlsx(services.visits_workbook(programme), f"wendao-visits-{programme.pk}.xlsx")
