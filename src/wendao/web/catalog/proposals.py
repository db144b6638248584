"""Organisers' proposed changes to the knowledge base, reviewed by a catalog editor before they reach plans.

DEVELOPERS.md: "organisers and catalog editors can edit the catalog"; issue 16: a programme organiser must not
change every other programme's plans on their own. Both hold with a review step: an organiser fills in the same
editor form (validated the same way, with the same preview) and submits it as a proposal with its source; a
catalog editor (or an admin) sees the proposal, the fields it changes and its preview, and accepts it — it then
becomes a new version through ``editor.save_entry``, naming the proposer — or declines it with a reason the
proposer reads. The proposer may withdraw a pending proposal. Every step is audited.

Who sees a proposal: catalog editors and admins see all; an organiser sees their own; anyone else gets 404, as
for every object they may not see (``get_proposal_for_user``).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from wendao.web.accounts.audit import record
from wendao.web.accounts.models import User
from wendao.web.accounts.types import Visitor
from wendao.web.catalog import editor
from wendao.web.catalog.fields import FieldError, get
from wendao.web.catalog.models import ChangeProposal, EntryVersion, PolicyEntry

MAX_NOTE = 500


class ProposalError(ValueError):
    """A review step that cannot be taken, with the reason in the reader's language."""


def proposals_for_user(user: Visitor) -> QuerySet[ChangeProposal]:
    """The proposals ``user`` may see: all for editors, their own for an organiser, none otherwise."""
    rows = ChangeProposal.objects.select_related("proposed_by", "reviewed_by")
    if editor.may_edit(user):
        return rows
    if editor.may_propose(user):
        return rows.filter(proposed_by=user)
    return rows.none()


def get_proposal_for_user(user: Visitor, pk: int) -> ChangeProposal:
    proposal = proposals_for_user(user).filter(pk=pk).first()
    if proposal is None:
        raise Http404
    return proposal


def pending_count(user: Visitor) -> int:
    return proposals_for_user(user).filter(status=ChangeProposal.Status.PENDING).count()


def entry_of(proposal: ChangeProposal) -> Any:
    """The entry a proposal changes as it is now (a new, unsaved policy for a proposed new one)."""
    model = editor.KINDS[proposal.kind].model
    if proposal.entry_id is None:
        return model.objects.filter(key=proposal.key).first() or model(key=proposal.key, data={})
    entry = model.objects.filter(pk=proposal.entry_id).first()
    if entry is None:  # deleted in the admin since
        raise ProposalError(_("这一条已经从知识库删除，建议无法采纳"))
    return entry


def propose(
    user: User, kind: str, entry: Any, data: dict[str, Any], source: str, as_of: datetime.date, note: str = ""
) -> ChangeProposal:
    """Store an organiser's validated change as a pending proposal; nothing in the knowledge base changes."""
    if not editor.may_propose(user):
        raise PermissionError("only organisers propose changes to the knowledge base")
    parsed = editor.validate(entry, data)  # EditError: the same field messages as the editor's form
    clean = parsed.model_dump(mode="json")
    if entry.pk is None:
        taken = (
            PolicyEntry.objects.filter(key=entry.key).exists()
            or ChangeProposal.objects.filter(
                kind=kind, entry_id=None, key=entry.key, status=ChangeProposal.Status.PENDING
            ).exists()
        )
        if taken:
            raise editor.EditError([FieldError("id", _("编号"), _("这个编号已经有了或正在审核：请换一个"))])
    changed = (
        [p for p in editor.changed_paths(entry.data, clean) if not _reordered(entry.data, clean, p)] if entry.pk else []
    )
    if entry.pk and not changed:
        raise editor.EditError([FieldError("data", _("内容"), _("和现有内容相同：没有可以提交的修改"))])
    name = getattr(parsed, "name_zh", None) or getattr(parsed, "model", None) or entry.name_zh or entry.key
    proposal = ChangeProposal.objects.create(
        kind=kind,
        entry_id=entry.pk,
        key=entry.key,
        name_zh=str(name)[:200],
        base_revision=entry.revision if entry.pk else 0,
        data=clean,
        base_data=dict(entry.data) if entry.pk else {},
        source=source[:500],
        as_of=as_of,
        note=note[:MAX_NOTE],
        changed=changed,
        proposed_by=user,
    )
    record(user, "catalog.propose", proposal, {"kind": kind, "key": entry.key, "changed": changed})
    return proposal


def _reordered(before: dict[str, Any], after: dict[str, Any], path: str) -> bool:
    """Whether the list at ``path`` holds the same items in another order (a form posts choices in its own order)."""
    a, b = get(before, path), get(after, path)
    return isinstance(a, list) and isinstance(b, list) and sorted(map(str, a)) == sorted(map(str, b))


def _pending(proposal: ChangeProposal) -> ChangeProposal:
    locked = ChangeProposal.objects.select_for_update().get(pk=proposal.pk)
    if locked.status != ChangeProposal.Status.PENDING:
        raise ProposalError(_("这条建议已经处理过了（%(status)s）") % {"status": locked.get_status_display()})
    return locked


@transaction.atomic
def accept(user: User, proposal: ChangeProposal, note: str = "") -> EntryVersion:
    """Apply a pending proposal as a new version of its entry (an editor's decision)."""
    if not editor.may_edit(user):
        raise PermissionError("only catalog editors and admins accept proposals")
    proposal = _pending(proposal)
    entry = entry_of(proposal)
    if proposal.entry_id is None and entry.pk is not None:
        raise ProposalError(_("这个编号在建议提交后已经被占用：请退回建议，请提议人换一个编号"))
    if entry.pk is not None and entry.revision != proposal.base_revision:
        raise ProposalError(
            _("建议提交后，这一条已经改到第 %(n)s 版：直接采纳会覆盖那次修改。请退回建议，请提议人按最新版本重新提出。")
            % {"n": entry.revision}
        )
    proposer = proposal.proposed_by.get_username() if proposal.proposed_by else "—"
    text = _("%(who)s 的建议") % {"who": proposer}
    if proposal.note:
        text += f"：{proposal.note}"
    if note.strip():
        text += " · " + _("审核：%(note)s") % {"note": note.strip()}
    version = editor.save_entry(
        user, entry, proposal.data, proposal.source, proposal.as_of, via=EntryVersion.Via.PROPOSAL, note=text
    )
    proposal.status = ChangeProposal.Status.ACCEPTED
    proposal.reviewed_by = user
    proposal.reviewed_at = timezone.now()
    proposal.review_note = note.strip()[:MAX_NOTE]
    proposal.version = version
    proposal.entry_id = entry.pk
    proposal.save()
    record(user, "catalog.accept", proposal, {"revision": version.revision})
    return version


@transaction.atomic
def decline(user: User, proposal: ChangeProposal, reason: str) -> ChangeProposal:
    """Decline a pending proposal; the reason is required, the proposer reads it."""
    if not editor.may_edit(user):
        raise PermissionError("only catalog editors and admins decline proposals")
    if not reason.strip():
        raise ProposalError(_("请写明不采纳的原因，提议人会看到它"))
    proposal = _pending(proposal)
    proposal.status = ChangeProposal.Status.REJECTED
    proposal.reviewed_by = user
    proposal.reviewed_at = timezone.now()
    proposal.review_note = reason.strip()[:MAX_NOTE]
    proposal.save()
    record(user, "catalog.decline", proposal, {"reason": proposal.review_note})
    return proposal


@transaction.atomic
def withdraw(user: User, proposal: ChangeProposal) -> ChangeProposal:
    if proposal.proposed_by_id != getattr(user, "pk", None):
        raise PermissionError("only the proposer withdraws a proposal")
    proposal = _pending(proposal)
    proposal.status = ChangeProposal.Status.WITHDRAWN
    proposal.save()
    record(user, "catalog.withdraw", proposal)
    return proposal
