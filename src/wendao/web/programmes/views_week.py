"""The participant's side of a programme: my week, and the evening group workspace (phone first).

Every object is fetched through ``programmes.access`` (a participation of the user's own enterprise that
joined; a group the user belongs to, facilitates or organises) or ``enterprises.access``; anyone else gets 404.
Writes are small and saved one by one (autosave through htmx, a plain form post without script).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wendao.engine.catalog import LoadedCatalog
from wendao.web.accounts.audit import record
from wendao.web.catalog.services import active_catalog
from wendao.web.enterprises import services as enterprise_services
from wendao.web.enterprises.access import get_plan_for_user
from wendao.web.ids import id_from, is_id, optional_id_from
from wendao.web.programmes import services, signin, signin_sessions, timetable, week, workspace
from wendao.web.programmes.access import (
    get_group_for_user,
    get_group_member,
    get_participation_for_user,
    get_programme_for_user,
    participations_for_user,
)
from wendao.web.programmes.forms import PreferenceForm, SessionForm, TimetableImportForm
from wendao.web.programmes.models import DiscussionGroup, Participant, Programme, Session


def _names() -> tuple[dict[str, str], dict[str, str]]:
    loaded = active_catalog()
    en = (get_language() or "").startswith("en")
    return (
        {c.id: c.name_en if en else c.name_zh for c in loaded.catalog.cities},
        {i.code: i.name_en if en else i.name_zh for i in loaded.catalog.industries},
    )


# --- my week ------------------------------------------------------------------------------------------------


@login_required
@require_GET
def my_programmes(request: HttpRequest) -> HttpResponse:
    mine = list(participations_for_user(request.user))
    if len(mine) == 1:
        return redirect("programmes:my_week", participant=mine[0].pk)
    return render(request, "programmes/my_programmes.html", {"participations": mine})


def _week_page(request: HttpRequest, p: Participant, form: PreferenceForm | None = None) -> HttpResponse:
    the_week = week.my_week(p, names=_names())
    if form is None:
        initial = {f"choice_{rank}": str(session) for rank, session in the_week.ranked.items()}
        form = PreferenceForm(initial=initial, visits=the_week.site_visits)
    share = signin.active_share(p)
    context = {
        "share_url": request.build_absolute_uri(signin.share_path(share)) if share else "",
        "week": the_week,
        "participant": p,
        "form": form,
        "site_visits": the_week.site_visits,
        "plans": the_week.plans,
        "share": share,
        "today": timezone.localdate(),
    }
    return render(
        request, "programmes/my_week.html", context, status=422 if form.is_bound and not form.is_valid() else 200
    )


@login_required
@require_GET
def my_week(request: HttpRequest, participant: int) -> HttpResponse:
    return _week_page(request, get_participation_for_user(request.user, participant))


@login_required
@require_POST
def my_preferences(request: HttpRequest, participant: int) -> HttpResponse:
    p = get_participation_for_user(request.user, participant)
    form = PreferenceForm(request.POST, visits=list(services.site_visits(p.programme)))
    if not form.is_valid():
        return _week_page(request, p, form)
    services.save_preferences(request.user, p, form.ranked())
    messages.success(request, _("参观志愿已保存，组织方分配参观时会用到。"))
    return redirect("programmes:my_week", participant=p.pk)


@login_required
@require_POST
def my_sharing(request: HttpRequest, participant: int) -> HttpResponse:
    p = get_participation_for_user(request.user, participant)
    on = {name: request.POST.get(name) == "on" for name in ("share_phone", "share_plan", "share_projector")}
    week.set_sharing(request.user, p, on["share_phone"], on["share_plan"], on["share_projector"])
    messages.success(request, _("已保存您向本组公开的内容。"))
    return redirect("programmes:my_week", participant=p.pk)


@login_required
@require_POST
def my_leave(request: HttpRequest, participant: int) -> HttpResponse:
    """A member withdraws the enterprise from the programme (its consent): the organisers no longer see its data."""
    p = get_participation_for_user(request.user, participant)
    if request.POST.get("confirm") != "on":
        messages.error(request, _("请先勾选“我确认退出这个项目”。"))
        return redirect("programmes:my_week", participant=p.pk)
    services.leave_programme(request.user, p)  # type: ignore[arg-type]
    messages.success(
        request, _("已退出“%(programme)s”：组织方不再能查看本企业的数据。") % {"programme": p.programme.name}
    )
    return redirect("programmes:my_programmes")


@login_required
@require_POST
def my_final(request: HttpRequest, participant: int) -> HttpResponse:
    p = get_participation_for_user(request.user, participant)
    choice = optional_id_from(request.POST.get("plan"))  # empty: the member withdraws the final plan
    plan = get_plan_for_user(request.user, choice) if choice is not None else None
    try:
        week.mark_final(request.user, p, plan)
    except week.FinalError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("规划已定稿。") if plan else _("已撤回定稿。"))
    return redirect("programmes:my_week", participant=p.pk)


@login_required
@require_GET
def my_one_page(request: HttpRequest, participant: int) -> HttpResponse:
    p = get_participation_for_user(request.user, participant)
    return render(request, "programmes/one_page.html", {"page": week.one_page(p, _names()), "own": True})


@login_required
@require_POST
def my_share(request: HttpRequest, participant: int) -> HttpResponse:
    p = get_participation_for_user(request.user, participant)
    if request.POST.get("action") == "revoke":
        signin.revoke_shares(request.user, p)
        messages.success(request, _("分享链接已撤销。"))
    else:
        signin.share_summary(request.user, p)
        messages.success(request, _("已生成分享链接，30 天内有效，旧链接已失效。"))
    return redirect(reverse("programmes:my_week", kwargs={"participant": p.pk}) + "#share")


@require_GET
def shared_summary(request: HttpRequest, share: int, token: str) -> HttpResponse:
    """Read-only, no sign-in: the one-page summary behind a participant's share link."""
    from wendao.web.accounts.ratelimit import client_ip

    ip = client_ip(request)
    if signin.held_up(ip):
        return render(request, "programmes/signin_link.html", {"held_up": True}, status=429)
    found = signin.check_share(share, token, ip)
    if found is None:
        raise Http404("no such share")
    response = render(
        request, "programmes/one_page.html", {"page": week.one_page(found.participant, _names()), "own": False}
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


# --- the evening group workspace ----------------------------------------------------------------------------


# per language: (the catalog it was built from, scenario names by id, the <option> list of the comment forms).
# Built once per catalog revision: every seat of every board offers the same scenarios, and rendering that list
# with the template engine was half of a board's time (7 seats x 40+ options, every poll of every phone).
_SCENARIO_LISTS: dict[bool, tuple[object, dict[str, str], SafeString]] = {}


def _scenario_lists(loaded: LoadedCatalog) -> tuple[dict[str, str], SafeString]:
    en = (get_language() or "").startswith("en")
    cached = _SCENARIO_LISTS.get(en)
    if cached is None or cached[0] is not loaded:
        names = {s.id: s.name_en if en else s.name_zh for s in loaded.catalog.scenarios}
        pairs = sorted(names.items(), key=lambda pair: pair[1])
        options = format_html_join("", '<option value="{}">{}</option>', pairs)
        cached = (loaded, names, options)
        _SCENARIO_LISTS[en] = cached
    return cached[1], cached[2]


def _board_context(request: HttpRequest, group: DiscussionGroup) -> dict[str, object]:
    """What the board (``_board.html``) shows, and its version: the hash of everything on it."""
    me = workspace.member_of(request.user, group)
    loaded = active_catalog()
    names, options = _scenario_lists(loaded)
    board = workspace.board(group, me, loaded)
    return {
        "group": group,
        "board": board,
        "version": workspace.board_version(board, get_language() or ""),
        "me": me,
        "runner": workspace.may_run(request.user, group),
        "rounds": DiscussionGroup.Round.choices,
        "scenario_names": names,
        "scenario_options": options,
    }


def _workspace_context(request: HttpRequest, group: DiscussionGroup) -> dict[str, object]:
    context = _board_context(request, group)
    me = context["me"]
    if isinstance(me, Participant):
        stated = getattr(me, "stated_problem", None)
        steps = [(c.text, c.scenario, c.pinned_at is not None) for c in me.commitments.all()]
        context["my_problem"] = stated.text if stated else workspace.prefill_problem(me)
        context["prefilled"] = stated is None
        context["my_steps"] = steps + [("", "", False)] * (workspace.STEPS - len(steps))
    return context


@login_required
@require_GET
def group_workspace(request: HttpRequest, group: int) -> HttpResponse:
    g = get_group_for_user(request.user, group)
    stamp = workspace.board_stamp(g)  # before the board is read: a write in between makes the stamp stale
    context = _workspace_context(request, g)
    _remember(request, g, stamp, str(context["version"]))
    return render(request, "programmes/workspace.html", context)


# The version of each board a viewer was last sent, with the stamp it was built from: (group, viewer, language,
# catalog) -> (stamp, version, when). A poll whose stamp is unchanged and whose phone holds that version gets 204
# without building the board (a board is ~10 queries and a hash; its stamp one plain query). Entries live
# STAMP_TTL seconds, so what the stamp does not cover (an author's renamed account) shows within that time.
_VERSIONS: dict[tuple[object, ...], tuple[object, str, float]] = {}
STAMP_TTL = 30.0
_VERSIONS_MAX = 4096


def _board_key(request: HttpRequest, g: DiscussionGroup) -> tuple[object, ...]:
    return (g.pk, request.user.pk, get_language() or "", id(active_catalog()))


def _remember(request: HttpRequest, g: DiscussionGroup, stamp: object, version: str) -> None:
    """The version just sent to this viewer, and the stamp read before its board was built."""
    import time

    if len(_VERSIONS) >= _VERSIONS_MAX:
        _VERSIONS.clear()
    _VERSIONS[_board_key(request, g)] = (stamp, version, time.monotonic())


@login_required
@require_GET
def group_board(request: HttpRequest, group: int) -> HttpResponse:
    """Polled every few seconds: the board only (the member's own forms are outside it, so typing is never
    overwritten by a refresh)."""
    import time

    g = get_group_for_user(request.user, group)
    htmx = getattr(request, "htmx", False)
    key = _board_key(request, g)
    stamp = workspace.board_stamp(g)
    known = _VERSIONS.get(key)
    fresh = known is not None and known[0] == stamp and time.monotonic() - known[2] < STAMP_TTL
    if htmx and fresh and known is not None and request.GET.get("v") == known[1]:
        return HttpResponse(status=204)  # unchanged since the phone's copy: htmx keeps it (no swap)
    context = _board_context(request, g)
    _remember(request, g, stamp, str(context["version"]))
    if htmx and request.GET.get("v") == context["version"]:
        return HttpResponse(status=204)
    return render(request, "programmes/_board.html", context)


def _saved(request: HttpRequest, group: DiscussionGroup, error: str = "") -> HttpResponse:
    if getattr(request, "htmx", False):
        return render(
            request,
            "programmes/_saved.html",
            {"error": error, "at": timezone.localtime()},
            status=422 if error else 200,
        )
    if error:
        messages.error(request, error)
    return redirect("programmes:workspace", group=group.pk)


def _member(request: HttpRequest, group: DiscussionGroup) -> Participant:
    me = workspace.member_of(request.user, group)
    if me is None:
        raise Http404("not a member of this group")
    return me


@login_required
@require_POST
def group_problem(request: HttpRequest, group: int) -> HttpResponse:
    g = get_group_for_user(request.user, group)
    me = _member(request, g)
    try:
        workspace.state_problem(request.user, me, request.POST.get("text", ""))
    except workspace.WorkspaceError as exc:
        return _saved(request, g, str(exc))
    return _saved(request, g)


@login_required
@require_POST
def group_steps(request: HttpRequest, group: int) -> HttpResponse:
    g = get_group_for_user(request.user, group)
    me = _member(request, g)
    try:
        numbers = range(1, workspace.STEPS + 1)
        workspace.commit_steps(
            request.user,
            me,
            [request.POST.get(f"step_{i}", "") for i in numbers],
            [request.POST.get(f"scenario_{i}", "") for i in numbers],
            [request.POST.get(f"pin_{i}") == "on" for i in numbers],
            active_catalog(),
        )
    except workspace.WorkspaceError as exc:
        return _saved(request, g, str(exc))
    return _saved(request, g)


@login_required
@require_POST
def group_comment(request: HttpRequest, group: int, member: int) -> HttpResponse:
    g = get_group_for_user(request.user, group)
    about = get_group_member(g, member)
    try:
        workspace.comment(
            request.user,
            g,
            about,
            request.POST.get("text", ""),
            request.POST.get("scenario", ""),
            active_catalog(),  # type: ignore[arg-type]
        )
    except workspace.WorkspaceError as exc:
        if getattr(request, "htmx", False):
            return render(request, "programmes/_saved.html", {"error": str(exc)}, status=422)
        messages.error(request, str(exc))
        return redirect("programmes:workspace", group=g.pk)
    if getattr(request, "htmx", False):
        stamp = workspace.board_stamp(g)
        context = _board_context(request, g)
        _remember(request, g, stamp, str(context["version"]))
        return render(request, "programmes/_board.html", context)
    return redirect("programmes:workspace", group=g.pk)


@login_required
@require_GET
def group_member_plan(request: HttpRequest, group: int, member: int) -> HttpResponse:
    """A member's full plan (PDF), only when its owner shares it with the group (or it is one's own)."""
    g = get_group_for_user(request.user, group)
    seat = next((s for s in workspace.board(g, workspace.member_of(request.user, g)).seats
                 if s.member.participant.pk == get_group_member(g, member).pk), None)  # fmt: skip
    if seat is None or seat.full_plan is None:
        raise Http404("not shared")
    from wendao.web.enterprises.models import PlanRecord

    plan = PlanRecord.objects.get(pk=seat.full_plan, enterprise_id=seat.member.participant.enterprise_id)
    lang = "en" if (get_language() or "").startswith("en") else "zh"
    from wendao.web.enterprises import prepared

    # the group's members open the same shared plan one after another: typeset it once and keep it, as the plan
    # page's downloads do (each opening had taken 7–12 s on the demo under load)
    body = prepared.prepared_document(plan, "pdf", lang)
    if body is None:
        body = enterprise_services.plan_document(plan, "pdf", lang)
        prepared.keep_document(plan, "pdf", lang, body)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="wendao-plan-{plan.pk}-{lang}.pdf"'
    return response


def _runner(request: HttpRequest, group: int) -> DiscussionGroup:
    g = get_group_for_user(request.user, group)
    if not workspace.may_run(request.user, g):
        raise Http404("not the facilitator")
    return g


@login_required
@require_POST
def group_round(request: HttpRequest, group: int) -> HttpResponse:
    g = _runner(request, group)
    number = request.POST.get("round", "")
    try:
        workspace.set_round(request.user, g, int(number) if is_id(number) else 0)  # 0: no round, said so
    except workspace.WorkspaceError as exc:
        messages.error(request, str(exc))
    return redirect("programmes:workspace", group=g.pk)


@login_required
@require_POST
def group_notes(request: HttpRequest, group: int) -> HttpResponse:
    g = _runner(request, group)
    try:
        workspace.save_notes(request.user, g, request.POST.get("notes", ""), request.POST.get("questions", ""))
    except workspace.WorkspaceError as exc:
        return _saved(request, g, str(exc))
    return _saved(request, g)


@login_required
@require_GET
def group_summary(request: HttpRequest, group: int) -> HttpResponse:
    g = _runner(request, group)
    body = workspace.summary_document(g, active_catalog())
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response["Content-Disposition"] = f'attachment; filename="wendao-group-{g.programme_id}-{g.number}.docx"'
    return response


@login_required
@require_GET
def group_summary_pdf(request: HttpRequest, group: int) -> HttpResponse:
    """The same summary as the Word file, as a PDF for the organiser to print or forward."""
    from django.template.loader import render_to_string

    from wendao.report.pdf import html_to_pdf

    g = _runner(request, group)
    loaded = active_catalog()
    b = workspace.board(g, None, loaded)
    en = (get_language() or "").startswith("en")
    named = {s.id: s.name_en if en else s.name_zh for s in loaded.catalog.scenarios}
    seats = [
        {
            "seat": seat,
            "comments": [(c.text, named.get(c.scenario, "")) for c in seat.comments],
            "pins": [named.get(sid, sid) for sid in seat.pins],
        }
        for seat in b.seats
    ]
    html = render_to_string("programmes/group_summary_pdf.html", {"group": g, "seats": seats}, request=request)
    record(request.user, "programme.group_summary_pdf", g, {})
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="wendao-group-{g.programme_id}-{g.number}.pdf"'
    return response


# --- the organiser's evening: every group's progress on one page ----------------------------------------------


@login_required
@require_GET
def evening(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_programme_for_user(request.user, pk)
    context = {"programme": programme, "rows": workspace.programme_progress(programme)}
    if getattr(request, "htmx", False):
        return render(request, "programmes/_evening.html", context)
    return render(request, "programmes/evening.html", context)


# --- the organiser's timetable ----------------------------------------------------------------------------------


def _timetable_page(
    request: HttpRequest,
    programme: Programme,
    form: SessionForm | None = None,
    upload: TimetableImportForm | None = None,
    problems: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "programme": programme,
        "sessions": timetable.sessions(programme),
        "form": form or SessionForm(instance=Session(programme=programme)),
        "upload": upload or TimetableImportForm(),
        "problems": problems or [],
    }
    return render(request, "programmes/timetable.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def timetable_page(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_programme_for_user(request.user, pk)
    if request.method == "POST":
        form = SessionForm(request.POST, instance=Session(programme=programme))
        if not form.is_valid():
            return _timetable_page(request, programme, form=form, status=422)
        session = form.save()
        record(request.user, "programme.session.create", session, {"title": session.title})
        messages.success(request, _("已加入日程：%(title)s") % {"title": session.title})
        return redirect("programmes:timetable", pk=pk)
    return _timetable_page(request, programme)


def _session_for(request: HttpRequest, pk: int, session: int) -> tuple[Programme, Session]:
    programme = get_programme_for_user(request.user, pk)
    try:
        return programme, Session.objects.get(programme=programme, pk=session)
    except Session.DoesNotExist:
        raise Http404("no such session") from None


@login_required
@require_http_methods(["GET", "POST"])
def session_edit(request: HttpRequest, pk: int, session: int) -> HttpResponse:
    programme, s = _session_for(request, pk, session)
    form = SessionForm(request.POST or None, instance=s)
    if request.method == "POST" and form.is_valid():
        form.save()
        record(request.user, "programme.session.update", s, {"title": s.title})
        messages.success(request, _("日程已更新，参训企业马上能看到。"))
        return redirect("programmes:timetable", pk=pk)
    status = 422 if form.is_bound else 200
    return render(
        request, "programmes/session_form.html", {"programme": programme, "form": form, "session": s}, status=status
    )


@login_required
@require_POST
def session_delete(request: HttpRequest, pk: int, session: int) -> HttpResponse:
    programme, s = _session_for(request, pk, session)
    if s.assignments.exists() or s.preferences.exists():
        messages.error(request, _("这个参观点已有志愿或分配，不能删除；可以改名称或时间。"))
        return redirect("programmes:timetable", pk=pk)
    record(request.user, "programme.session.delete", s, {"title": s.title})
    s.delete()
    messages.success(request, _("已从日程删除。"))
    return redirect("programmes:timetable", pk=programme.pk)


@login_required
@require_GET
def timetable_export(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_programme_for_user(request.user, pk)
    response = HttpResponse(
        timetable.timetable_workbook(programme),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="wendao-timetable-{programme.pk}.xlsx"'
    return response


@login_required
@require_POST
def timetable_import(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_programme_for_user(request.user, pk)
    upload = TimetableImportForm(request.POST, request.FILES)
    if not upload.is_valid():
        return _timetable_page(request, programme, upload=upload, status=422)
    f = upload.cleaned_data["file"]
    content = f.read(timetable.MAX_BYTES + 1)
    checked = timetable.check_timetable_file(programme, f.name, content)
    if checked.problems:
        return _timetable_page(request, programme, upload=upload, problems=checked.problems, status=422)
    result = timetable.import_timetable(request.user, programme, checked.rows)
    messages.success(
        request,
        _("日程已导入：新增 %(created)s 项，更新 %(updated)s 项。")
        % {"created": result.created, "updated": result.updated},
    )
    return redirect("programmes:timetable", pk=pk)


# --- sign-in links and QR codes -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def signin_link(request: HttpRequest, link: int, token: str) -> HttpResponse:
    """Open to anyone holding the link: GET shows whom it signs in, the POST (one tap) signs them in."""
    from django.contrib.auth import login

    from wendao.web.accounts.ratelimit import client_ip

    ip = client_ip(request)
    if signin.held_up(ip):
        return render(request, "programmes/signin_link.html", {"held_up": True}, status=429)
    found = signin.check(link, token, ip)
    if found is None:
        return render(request, "programmes/signin_link.html", {"invalid": True}, status=404)
    p = found.participant
    if request.method == "POST" and not signin.signs_in(found):
        # the same tap as any other link; the account signs in with its own password (which account, and why,
        # is not said: the organiser who printed the link must not learn whether the number had an account)
        signin.used(found)
        return render(request, "programmes/signin_link.html", {"own_password": True})
    if request.method == "POST":
        assert p.account is not None
        login(request, p.account, backend="wendao.web.accounts.backends.ThrottledModelBackend")
        request.session.set_expiry(found.expires_at)  # the session ends when the link would (not in two weeks)
        signin_sessions.remember(request, found)  # ... or sooner: when the link is revoked (signin_sessions.py)
        signin.used(found)
        if p.joined_at is not None:
            return redirect("programmes:my_week", participant=p.pk)
        return redirect("programmes:my_invitations")
    return render(request, "programmes/signin_link.html", {"link": found, "participant": p})


def _signin_rows(programme: Programme, request: HttpRequest, group: int | None = None) -> list[dict[str, object]]:
    now = timezone.now()
    participants = (
        signin.listed(programme)  # every contact alike, whether or not a link will sign them in (signin.signs_in)
        .select_related("enterprise", "account", "group_membership__group")
        .order_by("group_membership__group__number", "enterprise__name", "pk")
    )
    if group is not None:
        participants = participants.filter(group_membership__group__number=group)
    links = {lk.participant_id: lk for lk in signin.active(participants, now).order_by("created_at")}
    rows = []
    for p in participants:
        lk = links.get(p.pk)
        membership = getattr(p, "group_membership", None)
        rows.append(
            {
                "participant": p,
                "group": membership.group.number if membership else None,
                "link": lk,
                "url": request.build_absolute_uri(signin.link_path(lk)) if lk else "",
            }
        )
    return rows


@login_required
@require_GET
def signin_links(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_programme_for_user(request.user, pk)
    rows = _signin_rows(programme, request)
    context = {
        "programme": programme,
        "rows": rows,
        "missing": sum(1 for r in rows if r["link"] is None),
        "groups": list(programme.groups.values_list("number", flat=True)),
        # no mobile number imported (the organiser's own file says so); nothing on this page depends on the
        # contact's account (signin.listed)
        "without_account": Participant.objects.filter(programme=programme, declined_at__isnull=True, phone="").count(),
    }
    return render(request, "programmes/signin_links.html", context)


@login_required
@require_POST
def signin_issue(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_programme_for_user(request.user, pk)
    one = optional_id_from(request.POST.get("participant"))  # none: a link for everyone who has none
    try:
        if one is not None:
            from wendao.web.programmes.access import get_participant_for_user

            signin.issue(request.user, get_participant_for_user(request.user, pk, one))
            messages.success(request, _("已生成新的登录链接，旧链接已失效。"))
        else:
            made = signin.issue_missing(request.user, programme)
            messages.success(request, _("已生成 %(n)s 个登录链接。") % {"n": made})
    except signin.SignInError as exc:
        messages.error(request, str(exc))
    return redirect("programmes:signin_links", pk=pk)


@login_required
@require_POST
def signin_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_programme_for_user(request.user, pk)
    from wendao.web.programmes.access import get_participant_for_user

    p = get_participant_for_user(request.user, programme.pk, id_from(request.POST.get("participant")))
    for lk in signin.active([p]):
        signin.revoke(request.user, lk)
    messages.success(request, _("登录链接已撤销。"))
    return redirect("programmes:signin_links", pk=pk)


@login_required
@require_GET
def signin_cards(request: HttpRequest, pk: int) -> HttpResponse:
    """The table cards of one group (or everyone) as a PDF: name, firm, group, QR code, link, valid until."""
    from django.template.loader import render_to_string

    from wendao.report.pdf import html_to_pdf

    programme = get_programme_for_user(request.user, pk)
    group = optional_id_from(request.GET.get("group"))  # a group's number; none: everyone
    rows = [r for r in _signin_rows(programme, request, group) if r["link"] is not None]
    for r in rows:
        r["qr"] = signin.qr_svg(str(r["url"]))
    html = render_to_string(
        "programmes/signin_cards.html", {"programme": programme, "rows": rows, "group": group}, request=request
    )
    record(request.user, "programme.signin_cards", programme, {"group": group, "cards": len(rows)})
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    name = f"group-{group}" if group is not None else "all"
    response["Content-Disposition"] = f'attachment; filename="wendao-signin-{programme.pk}-{name}.pdf"'
    return response


# --- the last day: who has a final plan, and the projector ---------------------------------------------------


@login_required
@require_GET
def finals(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_programme_for_user(request.user, pk)
    return render(
        request, "programmes/finals.html", {"programme": programme, "finals": week.finals(programme, _names())}
    )


@login_required
@require_GET
def projector(request: HttpRequest, pk: int, participant: int) -> HttpResponse:
    """A participant's one-page summary on the projector: only with their consent (share_projector)."""
    from wendao.web.programmes.access import get_participant_for_user

    p = get_participant_for_user(request.user, pk, participant)
    if p.joined_at is None or not p.share_projector:
        raise Http404("no consent")
    return render(request, "programmes/one_page.html", {"page": week.one_page(p, _names()), "own": False})
