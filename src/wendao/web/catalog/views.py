"""The knowledge-base editor in the site's own pages (not the Django admin).

Catalog editors and admins edit scenarios, policies and prices here, preview what an edit changes in a sample of
plans before saving it, see each entry's versions, and upload the policy spreadsheet; organisers read. Anyone else
gets 404, as for every object they may not see. Input never reaches the knowledge base unvalidated, and a wrong
field comes back beside the field, in the reader's language, with everything typed still in the form.
"""

from __future__ import annotations

import copy
import datetime
import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from wendao.web.catalog import editor, proposals, spreadsheet
from wendao.web.catalog.fields import PROVENANCE, CellError, Field, FieldError, as_text, get, read_into
from wendao.web.catalog.models import ChangeProposal, EntryVersion, PolicyEntry
from wendao.web.ids import id_from

SESSION_UPLOAD = "catalog_policy_upload"


def _lang() -> str:
    return "en" if (get_language() or "").startswith("en") else "zh"


def _reader(request: HttpRequest) -> None:
    if not editor.may_read(request.user):
        raise Http404


def _kind(kind: str) -> editor.EntryKind:
    if kind not in editor.KINDS:
        raise Http404
    return editor.KINDS[kind]


@login_required
@require_GET
def index(request: HttpRequest, kind: str = "policies") -> HttpResponse:
    _reader(request)
    k = _kind(kind)
    rows = k.model.objects.all().order_by("key")
    q = request.GET.get("q", "").strip()
    if q:
        rows = rows.filter(Q(key__icontains=q) | Q(name_zh__icontains=q) | Q(name_en__icontains=q))
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    recent = EntryVersion.objects.exclude(via=EntryVersion.Via.SEED).select_related("actor")[:10]
    return render(
        request,
        "catalog/index.html",
        {
            "kind": kind,
            "kinds": editor.KINDS,
            "page": page,
            "q": q,
            "recent": recent,
            "may_edit": editor.may_edit(request.user),
            "may_propose": editor.may_propose(request.user),
            "pending": proposals.pending_count(request.user),
        },
    )


def _form_values(fields: list[Field], data: dict[str, Any]) -> list[dict[str, Any]]:
    """Each field's value as its form input holds it and (``shown``) as the read-only view shows it."""
    return [
        {
            "field": f,
            "value": as_text(f, get(data, f.path)),
            "shown": as_text(f, get(data, f.path), shown=True),
            "values": get(data, f.path) or [],
        }
        for f in fields
    ]


def _sections(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The form's fields under headings: the entry itself, its award, how to apply, where it comes from."""
    titles = {
        "main": _("基本信息"),
        "award": _("支持方式"),
        "apply": _("申报信息"),
        "provenance": _("出处与可靠性"),
    }
    groups: dict[str, list[dict[str, Any]]] = {k: [] for k in titles}
    for item in items:
        path = item["field"].path
        key = path.split(".")[0] if "." in path else ("provenance" if path in PROVENANCE else "main")
        groups.setdefault(key, []).append(item)
    return [{"title": titles.get(k, k), "items": v} for k, v in groups.items() if v]


def _posted(entry: Any, fields: list[Field] | None, post: Any) -> tuple[dict[str, Any], list[FieldError], str]:
    """The entry's data with the posted fields on top, the fields that could not be read, and the raw JSON text."""
    if fields is None:
        raw = post.get("data", "")
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            return (
                {},
                [
                    FieldError(
                        "data",
                        _("内容"),
                        _("不是有效的 JSON（第 %(line)s 行第 %(col)s 个字符）")
                        % {"line": exc.lineno, "col": exc.colno},
                    )
                ],
                raw,
            )
        if not isinstance(data, dict):
            return {}, [FieldError("data", _("内容"), _("必须是一个 JSON 对象（用 { } 括起来）"))], raw
        return data, [], raw
    data = copy.deepcopy(entry.data or {})
    errors: list[FieldError] = []
    for f in fields:
        if f.kind == "bool":
            raw_value: Any = post.get(f.name) == "on"
        elif f.kind == "choices":
            raw_value = "、".join(post.getlist(f.name))
        else:
            raw_value = post.get(f.name, "")
        try:
            read_into(data, f, raw_value)
        except CellError as exc:
            errors.append(FieldError(f.path, f.label, str(exc)))
    return data, errors, ""


def _provenance(post: Any) -> tuple[str, datetime.date | None, list[FieldError]]:
    errors = []
    source = post.get("change_source", "").strip()
    if not source:
        errors.append(FieldError("change_source", _("这次修改的依据"), _("必须填写：文件、网址或说明")))
    try:
        as_of = datetime.date.fromisoformat(post.get("change_as_of", "").strip())
    except ValueError:
        as_of = None
        errors.append(FieldError("change_as_of", _("依据的日期"), _("日期格式应为 2026-05-31")))
    return source, as_of, errors


def _change_of(entry: Any, data: dict[str, Any]) -> editor.Change:
    slug = editor.KIND_OF_MODEL[type(entry)].slug
    return editor.Change(slug, entry.key, data)


@login_required
@require_http_methods(["GET", "POST"])
def entry(request: HttpRequest, kind: str, pk: int | None = None) -> HttpResponse:
    _reader(request)
    k = _kind(kind)
    if pk is None:
        if kind != "policies" or not (editor.may_edit(request.user) or editor.may_propose(request.user)):
            raise Http404
        obj: Any = PolicyEntry()
        obj.data = {}
    else:
        obj = get_object_or_404(k.model, pk=pk)
    fields = editor.flat_fields(obj)
    may_edit = editor.may_edit(request.user)
    may_propose = editor.may_propose(request.user)
    data = obj.data
    raw_json = json.dumps(obj.data, ensure_ascii=False, indent=2)
    errors: list[FieldError] = []
    diffs: list[editor.PlanDiff] | None = None
    restored = None
    if request.method == "GET" and (vid := request.GET.get("version")) and obj.pk:
        restored = get_object_or_404(EntryVersion, pk=id_from(vid), kind=k.slug, key=obj.key)
        data = restored.data
        raw_json = json.dumps(data, ensure_ascii=False, indent=2)
    post: dict[str, str] = {}
    if request.method == "POST":
        action = request.POST.get("action")
        if not (may_edit or (may_propose and action in ("preview", "propose"))):
            raise Http404
        data, errors, posted_json = _posted(obj, fields, request.POST)
        raw_json = posted_json or raw_json
        source, as_of, prov_errors = _provenance(request.POST)
        post = {
            "change_source": source,
            "change_as_of": request.POST.get("change_as_of", ""),
            "note": request.POST.get("note", ""),
        }
        parsed = None
        if data:  # also when a field could not be read: every other problem is named at once
            try:
                if obj.pk is None:
                    obj.key = str(data.get("id") or "")
                parsed = editor.validate(obj, data)
            except editor.EditError as exc:
                unread = {e.path for e in errors}
                errors += [e for e in exc.errors if e.path not in unread]
            if errors:
                parsed = None
        if obj.pk is None and parsed is not None and PolicyEntry.objects.filter(key=obj.key).exists():
            errors.append(FieldError("id", _("编号"), _("这个编号已经有了：请换一个，或去修改那条政策")))
            parsed = None
        if parsed is not None and action == "preview":
            diffs = editor.preview([_change_of(obj, parsed.model_dump(mode="json"))], request.user, _lang())
        elif parsed is not None and not prov_errors and not may_edit:
            try:
                proposal = proposals.propose(
                    request.user, kind, obj, data, source, as_of, note=request.POST.get("note", "")  # type: ignore[arg-type]
                )
            except editor.EditError as exc:
                errors += list(exc.errors)
            else:
                messages.success(request, _("已提交修改建议。知识库编辑审核采纳后，新生成的方案才会使用它。"))
                return redirect("catalog:proposal", pk=proposal.pk)
        elif parsed is not None and not prov_errors:
            version = editor.save_entry(
                request.user,
                obj,
                data,
                source,
                as_of,
                note=request.POST.get("note", ""),  # type: ignore[arg-type]
            )
            messages.success(
                request, _("已保存为第 %(n)s 版。新生成的方案将使用修改后的内容。") % {"n": version.revision}
            )
            return redirect("catalog:entry", kind=kind, pk=obj.pk)
        elif parsed is not None:
            errors += prov_errors
    status = 422 if errors else 200
    return render(
        request,
        "catalog/entry.html",
        {
            "kind": kind,
            "k": k,
            "entry": obj,
            "fields": _form_values(fields, data) if fields is not None else None,
            "sections": _sections(_form_values(fields, data)) if fields is not None else None,
            "raw_json": raw_json,
            "errors": errors,
            "error_paths": {e.path: e.message for e in errors},
            "diffs": diffs,
            "changed_count": sum(1 for d in diffs if d.changed) if diffs is not None else 0,
            "versions": editor.history(obj) if obj.pk else [],
            "restored": restored,
            "may_edit": may_edit,
            "may_propose": may_propose,
            "post": post,
            "today": timezone.localdate().isoformat(),
        },
        status=status,
    )


# --- the policy spreadsheet ---------------------------------------------------------------------------------


@login_required
@require_GET
def policy_sheet(request: HttpRequest) -> HttpResponse:
    _reader(request)
    body = spreadsheet.workbook(list(PolicyEntry.objects.order_by("key")))
    response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="wendao-policies.xlsx"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def policy_upload(request: HttpRequest) -> HttpResponse:
    if not editor.may_edit(request.user):
        raise Http404
    context: dict[str, Any] = {"today": timezone.localdate().isoformat(), "post": {}}
    if request.method == "POST" and request.POST.get("action") == "apply":
        return _apply_upload(request)
    if request.method == "POST":
        upload = request.FILES.get("sheet")
        source, as_of, prov_errors = _provenance(request.POST)
        context["post"] = {"change_source": source, "change_as_of": request.POST.get("change_as_of", "")}
        context["prov_errors"] = prov_errors
        if upload is None:
            context["file_error"] = _("请选择要上传的 Excel 文件")
        else:
            stored = {e.key: e.data for e in PolicyEntry.objects.all()}
            result = spreadsheet.read(upload.read(spreadsheet.MAX_BYTES + 1), stored)
            context["result"] = result
            context["filename"] = upload.name
            if not result.errors and not prov_errors and result.changes:
                changes = [editor.Change("policy", r.key, r.data) for r in result.changes]
                context["diffs"] = editor.preview(changes, request.user, _lang())
                context["changed_count"] = sum(1 for d in context["diffs"] if d.changed)
                request.session[SESSION_UPLOAD] = {
                    "filename": str(upload.name)[:200],
                    "source": source,
                    "as_of": as_of.isoformat() if as_of else "",
                    "rows": [{"key": r.key, "data": r.data} for r in result.changes],
                }
        bad = bool(context.get("file_error") or prov_errors or (context.get("result") and context["result"].errors))
        return render(request, "catalog/upload.html", context, status=422 if bad else 200)
    return render(request, "catalog/upload.html", context)


def _apply_upload(request: HttpRequest) -> HttpResponse:
    staged = request.session.get(SESSION_UPLOAD)
    if not staged:
        messages.error(request, _("没有待导入的表格：请重新上传"))
        return redirect("catalog:policy_upload")
    as_of = datetime.date.fromisoformat(staged["as_of"])
    note = _("表格上传：%(name)s") % {"name": staged["filename"]}
    saved = 0
    try:
        from django.db import transaction

        with transaction.atomic():
            for row in staged["rows"]:
                obj = PolicyEntry.objects.filter(key=row["key"]).first() or PolicyEntry(key=row["key"])
                editor.save_entry(
                    request.user, obj, row["data"], staged["source"], as_of, via=EntryVersion.Via.SPREADSHEET, note=note
                )
                saved += 1
    except editor.EditError as exc:  # the knowledge base moved since the upload was checked: nothing was saved
        messages.error(request, _("导入失败，什么都没有保存：%(detail)s") % {"detail": str(exc)})
        return redirect("catalog:policy_upload")
    del request.session[SESSION_UPLOAD]
    messages.success(request, _("已导入 %(n)s 条政策，每条都记入了版本历史。") % {"n": saved})
    return redirect(reverse("catalog:index", kwargs={"kind": "policies"}))


# --- organisers' proposals and their review ---------------------------------------------------------------------


@login_required
@require_GET
def proposal_list(request: HttpRequest) -> HttpResponse:
    _reader(request)
    rows = proposals.proposals_for_user(request.user)
    status = request.GET.get("status", "")
    if status in ChangeProposal.Status.values:
        rows = rows.filter(status=status)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "catalog/proposals.html",
        {
            "page": page,
            "status": status,
            "statuses": ChangeProposal.Status.choices,
            "kinds": editor.KINDS,
            "may_edit": editor.may_edit(request.user),
            "may_propose": editor.may_propose(request.user),
            "pending": proposals.pending_count(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def proposal(request: HttpRequest, pk: int) -> HttpResponse:
    _reader(request)
    item = proposals.get_proposal_for_user(request.user, pk)
    may_edit = editor.may_edit(request.user)
    diffs = None
    error = ""
    action = request.POST.get("action", "")
    if request.method == "POST":
        try:
            if action == "preview":
                diffs = editor.preview(
                    [editor.Change(editor.KINDS[item.kind].slug, item.key, item.data)], request.user, _lang()
                )
            elif action == "accept" and may_edit:
                version = proposals.accept(request.user, item, request.POST.get("review_note", ""))
                messages.success(request, _("已采纳，保存为第 %(n)s 版。") % {"n": version.revision})
                return redirect("catalog:proposal", pk=item.pk)
            elif action == "decline" and may_edit:
                proposals.decline(request.user, item, request.POST.get("review_note", ""))
                messages.success(request, _("已退回建议，提议人会看到原因。"))
                return redirect("catalog:proposal", pk=item.pk)
            elif action == "withdraw" and item.proposed_by_id == request.user.pk:
                proposals.withdraw(request.user, item)
                messages.success(request, _("已撤回建议。"))
                return redirect("catalog:proposal", pk=item.pk)
            else:
                raise Http404
        except proposals.ProposalError as exc:
            error = str(exc)
        item.refresh_from_db()
    try:
        current = proposals.entry_of(item)
    except proposals.ProposalError as exc:
        current, error = None, error or str(exc)
    k = editor.KINDS[item.kind]
    fields = editor.flat_fields(current) if current is not None else None
    rows = []
    if fields is not None:
        for f in fields:
            before = as_text(f, get(item.base_data, f.path), shown=True) if item.base_data else ""
            after = as_text(f, get(item.data, f.path), shown=True)
            if before != after:
                rows.append({"label": f.label, "before": before, "after": after})
    return render(
        request,
        "catalog/proposal.html",
        {
            "p": item,
            "k": k,
            "entry": current,
            "rows": rows,
            "raw_json": json.dumps(item.data, ensure_ascii=False, indent=2) if fields is None else "",
            "diffs": diffs,
            "changed_count": sum(1 for d in diffs if d.changed) if diffs is not None else 0,
            "error": error,
            "may_edit": may_edit,
            "may_withdraw": item.proposed_by_id == request.user.pk,
            "post": {"review_note": request.POST.get("review_note", "")},
        },
        status=422 if error else 200,
    )
