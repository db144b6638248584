"""Use cases of the programme side. Views call these; grouping and visit allocation are the engine's
(``wendao.engine.grouping``, ``wendao.engine.visits``), here they are fed from and written back to the database."""

from __future__ import annotations

import io
import statistics
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, Q, QuerySet
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from wendao.engine import grouping as engine
from wendao.engine import participant_files
from wendao.engine import visits as engine_visits
from wendao.engine.catalog import LoadedCatalog
from wendao.engine.tables import safe_row, sheet_title
from wendao.web.accounts.audit import record
from wendao.web.accounts.models import AuditEvent, Role, User
from wendao.web.enterprises import services as enterprise_services
from wendao.web.enterprises.access import city_enterprises
from wendao.web.enterprises.models import AssessmentRound, Enterprise, Membership, PlanRecord
from wendao.web.insights.labels import english, labels
from wendao.web.jobs.models import BatchItem, BatchJob
from wendao.web.programmes.importing import ImportRow, listed_contacts, profile_data
from wendao.web.programmes.invitation_links import link_path
from wendao.web.programmes.models import (
    DiscussionGroup,
    GroupMembership,
    Participant,
    Programme,
    Session,
    VisitAssignment,
    VisitPreference,
)

STATUSES = ("profile_done", "assessment_done", "plan_made", "document_downloaded")

# --- participants and their progress ---------------------------------------------------------------------


def participants_with_status(programme: Programme) -> QuerySet[Participant]:
    """Participants with their progress read from the enterprise's own records (four EXISTS subqueries,
    no N+1). Profile done: the enterprise filled in its budget (what a plan needs beyond the imported
    columns). Document downloaded: an audited ``plan.download`` of one of its plans by the enterprise (web or API), not
    the organiser's copy."""
    enterprise = OuterRef("enterprise")
    # nested one level deeper (inside the AuditEvent subquery), hence OuterRef(OuterRef(...))
    plans_as_text = (
        PlanRecord.objects.filter(enterprise=OuterRef(enterprise)).annotate(key=Cast("pk", CharField())).values("key")
    )
    return (
        Participant.objects.filter(programme=programme)
        .select_related("enterprise", "account")
        .annotate(
            budget=KeyTextTransform("budget", "enterprise__profile"),
            assessment_done=Exists(AssessmentRound.objects.filter(enterprise=enterprise, completed_at__isnull=False)),
            plan_made=Exists(PlanRecord.objects.filter(enterprise=enterprise)),
            has_members=Exists(Membership.objects.filter(enterprise=enterprise)),
            # the firm took its plan home (its web page or the API): the organiser's own copy does not count
            document_downloaded=Exists(
                AuditEvent.objects.filter(
                    action="plan.download", object_type="enterprises.planrecord", object_id__in=plans_as_text
                ).filter(Q(changes__via__in=["web", "api"]) | ~Q(changes__has_key="via"))  # older events: no "via"
            ),
        )
        .order_by("enterprise__name", "pk")
    )


def organiser_reads_enterprise(p: Participant) -> bool:
    """Whether the programme's organisers may read the participant's enterprise record beyond its name (city,
    industry, chain, size): once it joined, or while the record is still the one their own import built (no
    member yet: a pending or declined invitee). A firm that joined and then left is the firm's own record,
    kept up to date by it: the organisers are back to the name and the contact they imported.
    ``participants_with_status`` annotates ``has_members``; elsewhere it is read from the database."""
    if p.joined_at is not None:
        return True
    has_members = getattr(p, "has_members", None)
    if has_members is None:
        has_members = p.enterprise.memberships.exists()
    return not has_members


@dataclass(frozen=True)
class ParticipantStatus:
    """Progress is the enterprise's own data: shown only once it has joined (accepted the invitation)."""

    participant: Participant
    profile_done: bool
    assessment_done: bool
    plan_made: bool
    document_downloaded: bool

    @property
    def missing(self) -> list[str]:
        return [s for s in STATUSES[:3] if not getattr(self, s)]


def statuses(programme: Programme) -> list[ParticipantStatus]:
    return [status_of(p) for p in participants_with_status(programme)]


def status_of(p: Participant) -> ParticipantStatus:
    """One row of ``participants_with_status`` as its status (nothing counts before the enterprise joined)."""
    joined = p.joined_at is not None
    return ParticipantStatus(
        participant=p,
        profile_done=joined and getattr(p, "budget", None) is not None,
        assessment_done=joined and bool(getattr(p, "assessment_done", False)),
        plan_made=joined and bool(getattr(p, "plan_made", False)),
        document_downloaded=joined and bool(getattr(p, "document_downloaded", False)),
    )


def status_counts(rows: list[ParticipantStatus]) -> dict[str, int]:
    return {"total": len(rows)} | {s: sum(getattr(r, s) for r in rows) for s in STATUSES}


# --- import -----------------------------------------------------------------------------------------------------


def invitation_path(user: User) -> str:
    """A one-time set-password link: Django's token hashes the password, so it dies once a password is set
    (and after PASSWORD_RESET_TIMEOUT). Nothing is stored and nothing is e-mailed. Organisers are no longer
    given these (they get the same invitation link for every row: invitation_links.py); the route stays so
    links handed out before still work."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("programmes:invitation", kwargs={"uidb64": uid, "token": default_token_generator.make_token(user)})


@dataclass(frozen=True)
class ImportResult:
    imported: int
    # new accounts made for contacts the platform did not know: their set-password links are this programme's
    invited: list[Participant]
    # contacts that already have an account: they see the invitation when they sign in; no new credentials
    asked: list[Participant]


@transaction.atomic
def import_participants(actor: Any, programme: Programme, rows: list[ImportRow]) -> ImportResult:
    """Invite the enterprises of checked rows (``importing.check_participant_file``). Nothing joins yet.

    Each row becomes a participant whose enterprise is built from the row alone, with no members, so the
    organisers see what they imported and nothing more until the firm accepts (``accept_invitation``). The
    platform never links a row to an enterprise it already knows by name or credit code (names are public;
    that would hand a stranger's plans to any organiser), and never gives an organiser credentials for an
    account it did not create: a contact whose mobile number is already an account is asked to accept at
    their next sign-in, where they may join with the enterprise they already have."""
    invited: list[Participant] = []
    asked: list[Participant] = []
    listed = listed_contacts(programme)  # checked row by row by check_participant_file; this is the rule's guard
    if any(row.phone in listed for row in rows):
        raise InvitationError(_("名单中有联系人已在本项目名单上（或已谢绝邀请），没有导入。"))
    for row in rows:
        account = User.objects.filter(username=row.phone).first()
        created = account is None
        if account is not None and (account.role != Role.ENTERPRISE or account.is_staff or account.is_superuser):
            # an organiser's, provider's or administrator's number: invited to nobody (they would not join a
            # firm), and the import says no more about it than about any other row (no account enumeration)
            account = None
        elif created:
            account = User(username=row.phone, role=Role.ENTERPRISE, email=row.email, first_name=row.contact)
            account.set_unusable_password()
            account.save()
            record(actor, "account.invite", account, {"programme": programme.pk})
        enterprise = enterprise_services.save_profile(actor, profile_data(row), member=False)
        participant = Participant.objects.create(
            programme=programme,
            enterprise=enterprise,
            credit_code=row.credit_code,
            contact_name=row.contact,
            phone=row.phone,
            email=row.email,
            account=account,
            account_created=created,
        )
        (invited if created else asked).append(participant)  # for the audit and callers; never shown apart
    record(actor, "programme.import", programme, {"rows": len(rows), "new_accounts": len(invited)})
    return ImportResult(imported=len(rows), invited=invited, asked=asked)


def awaiting_acceptance(programme: Programme) -> QuerySet[Participant]:
    """Invited enterprises that have not answered yet (whatever their account's state)."""
    return (
        Participant.objects.filter(programme=programme, joined_at__isnull=True, declined_at__isnull=True)
        .select_related("enterprise", "account")
        .order_by("enterprise__name", "pk")
    )


# --- consent: the enterprise's own answer to an invitation -------------------------------------------------


class InvitationError(Exception):
    """An invitation that cannot be accepted as asked; the message is for the person (translated)."""


def open_invitations(user: User) -> QuerySet[Participant]:
    """The invitations a signed-in contact has still to answer."""
    return (
        Participant.objects.filter(account=user, joined_at__isnull=True, declined_at__isnull=True)
        .select_related("programme", "enterprise")
        .order_by("created_at", "pk")
    )


@transaction.atomic
def accept_invitation(user: User, participant: Participant, enterprise: Enterprise | None) -> Participant:
    """The contact accepts: with one of their own enterprises (``enterprise``, already fetched through the
    member access helper), or with the record built from the import row (``None``), which they then join
    as its first member. From now on the programme's organisers may view that enterprise's data."""
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if participant.account_id != user.pk or participant.consent != "pending":
        raise InvitationError(_("这份邀请已经答复过，或不是发给您的。"))
    imported = participant.enterprise
    if enterprise is None or enterprise.pk == imported.pk:
        Membership.objects.get_or_create(user=user, enterprise=imported)
    else:
        if Participant.objects.filter(programme=participant.programme, enterprise=enterprise).exists():
            raise InvitationError(_("“%(name)s”已经参加了这个项目。") % {"name": enterprise.name})
        participant.enterprise = enterprise
    participant.joined_at = timezone.now()
    participant.save(update_fields=["enterprise", "joined_at"])
    # the row's record served only as the invitation when the firm joined with its own enterprise
    if (
        participant.enterprise_id != imported.pk
        and not imported.memberships.exists()
        and not imported.participations.exists()
    ):
        imported.delete()
    record(user, "programme.join", participant, {"programme": participant.programme_id})
    return participant


@transaction.atomic
def decline_invitation(user: User, participant: Participant) -> None:
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if participant.account_id != user.pk or participant.consent != "pending":
        raise InvitationError(_("这份邀请已经答复过，或不是发给您的。"))
    participant.declined_at = timezone.now()
    participant.save(update_fields=["declined_at"])
    record(user, "programme.decline", participant, {"programme": participant.programme_id})


def invitations_workbook(programme: Programme, site_root: str) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    sheet = wb.active
    assert sheet is not None
    sheet.title = _("账号邀请")
    # every unanswered invitation and its one link, the same whoever already had an account (invitation_links.py)
    sheet.append([_("企业名称"), _("联系人"), _("手机"), _("邮箱"), _("用户名"), _("邀请链接")])
    for p in awaiting_acceptance(programme):
        sheet.append(safe_row([p.enterprise.name, p.contact_name, p.phone, p.email, p.phone, site_root + link_path(p)]))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- discussion groups ------------------------------------------------------------------------------------------


def groupable(programme: Programme) -> QuerySet[Participant]:
    """The one selection rule for discussion groups and site visits: the participants whose enterprise joined
    (accepted the invitation and has not left). Forming and listing groups, hand moves, allocating visits and
    every groups or visits page and workbook read through it, so a pending invitee, a firm that declined and a
    firm that left are never grouped, allocated or shown there with their contact or their data."""
    return Participant.objects.joined().filter(programme=programme)


def _assessed(participants: list[Participant]) -> dict[int, float]:
    """Enterprise id -> overall score of its current completed assessment, for joined participants only (a
    firm that has not accepted keeps its own score to itself)."""
    return {
        eid: overall
        for eid, overall in AssessmentRound.objects.filter(
            enterprise__in=[p.enterprise_id for p in participants if p.joined_at is not None], current=True
        ).values_list("enterprise_id", "overall")
        if overall is not None
    }


@transaction.atomic
def leave_programme(user: User, participant: Participant) -> Participant:
    """A member withdraws the enterprise's consent (``participant`` fetched through
    ``access.get_participation_for_user``): from now on it is a participant that declined. The programme's
    organisers, dashboards, exports, sign-in links and group pages read joined participants only, so they no
    longer reach the enterprise's profile, assessments or plans; its committed pins stop; the contact is not
    invited to this programme again (``importing.listed_contacts``); the programme's stored export archives that
    hold its plans are dropped. What the organisers already downloaded stays with them."""
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if participant.joined_at is None or not participant.enterprise.memberships.filter(user=user).exists():
        raise InvitationError(_("您的企业没有参加这个项目。"))
    joined_at = participant.joined_at
    participant.joined_at = None
    participant.declined_at = timezone.now()
    participant.save(update_fields=["joined_at", "declined_at"])
    # the programme's stored export archives hold the firm's plan documents: they go (a new export leaves it out)
    exports = BatchItem.objects.filter(job__programme=participant.programme, enterprise=participant.enterprise)
    dropped = BatchJob.objects.filter(pk__in=exports.values("job"), archive__isnull=False).update(archive=None)
    exports.update(document=None, figures={})
    # the programme's reports for superiors made since it joined name it and count it; so do its city's, unless
    # it still counts there through another programme it joined (access.city_enterprises)
    from wendao.web.insights.report import clear_reports_holding
    from wendao.web.marketplace.models import JointMember
    from wendao.web.marketplace.services import FINAL_STATES

    # the programme's open joint challenges invited it as a participant: an invitation it has not answered goes
    # (with the plan estimate copied into it); one it accepted was its own consent to that challenge and stays
    JointMember.objects.filter(
        enterprise=participant.enterprise,
        state=JointMember.State.INVITED,
        challenge__programme=participant.programme,
    ).exclude(challenge__state__in=FINAL_STATES).delete()
    reports = clear_reports_holding(participant.enterprise, joined_at, participant.programme)
    if not city_enterprises(participant.enterprise.city).filter(pk=participant.enterprise_id).exists():
        reports += clear_reports_holding(participant.enterprise, joined_at)
    record(
        user,
        "programme.leave",
        participant,
        {"programme": participant.programme_id, "archives": dropped, "reports": reports},
    )
    return participant


def _engine_participants(participants: list[Participant], loaded: LoadedCatalog) -> list[engine.Participant]:
    """Participants as the engine sees them, named by primary key (names need not be unique across firms).
    Maturity: the latest completed round's overall score; an enterprise not yet assessed counts as the
    cohort median, so it neither creates nor hides a maturity spread."""
    groups = {i.code: i.group for i in loaded.catalog.industries}
    current = _assessed(participants)
    known = [round(v) for v in current.values()]
    median = round(statistics.median(known)) if known else 50
    out = []
    for p in participants:
        division = p.enterprise.industry[:3]
        overall = current.get(p.enterprise_id)
        out.append(
            engine.Participant(
                name=str(p.pk),
                city=p.enterprise.city,
                industry=division,
                industry_group=groups.get(division, p.enterprise.industry_group),
                chain=p.enterprise.chain or None,
                maturity=min(engine.MATURITY_MAX, max(0, round(overall))) if overall is not None else median,
            )
        )
    return out


@transaction.atomic
def form_programme_groups(actor: Any, programme: Programme, size: int, loaded: LoadedCatalog) -> engine.Grouping:
    """Replace the programme's discussion groups with the engine's grouping (raises GroupingError)."""
    participants = list(groupable(programme).select_related("enterprise"))
    grouping = engine.form_groups(_engine_participants(participants, loaded), size)
    by_pk = {str(p.pk): p for p in participants}
    DiscussionGroup.objects.filter(programme=programme).delete()
    for g in grouping.groups:
        group = DiscussionGroup.objects.create(programme=programme, number=g.number)
        GroupMembership.objects.bulk_create([GroupMembership(group=group, participant=by_pk[m]) for m in g.members])
    programme.group_size = size
    programme.save(update_fields=["group_size"])
    record(
        actor, "programme.groups", programme,
        {"size": size, "groups": len(grouping.groups), "method": grouping.method, "objective": grouping.terms.objective},
    )  # fmt: skip
    return grouping


@dataclass(frozen=True)
class MemberRow:
    """One firm of a group as the organiser reads it: names, never keys."""

    participant: Participant
    city: str
    industry: str
    chain: str
    maturity: int | None  # the current assessment's overall score; None: not assessed yet


@dataclass(frozen=True)
class GroupView:
    group: DiscussionGroup
    members: list[MemberRow]
    terms: engine.ObjectiveTerms  # the objective's terms, for the audit and the CLI; never shown
    cities: int
    largest_city: str  # the city with most firms in the group, and how many
    industries: str  # the group's most frequent divisions by name, with their counts
    maturity: str  # min–max of the assessed firms' scores ("" when none is assessed)


@dataclass(frozen=True)
class GroupsView:
    groups: list[GroupView]
    size: int
    ungrouped: list[Participant]
    unassessed: int  # grouped firms without an assessment (they count at the class median)


def _counted(keys: list[str], name: Any, most: int) -> str:
    """The ``most`` most frequent keys by name with their counts ("济南 3 家"), most frequent first."""
    separator = "; " if english() else "；"
    return separator.join(
        _("%(name)s %(n)s 家") % {"name": name(k), "n": n} for k, n in Counter(keys).most_common(most)
    )


def programme_groups(programme: Programme, loaded: LoadedCatalog) -> GroupsView:
    """The groups as they are now (after any hand moves), each described by what the grouping balanced:
    cities, industries and the maturity range, by name."""
    names = labels()
    weights = engine.GroupingWeights()
    participants = list(groupable(programme).select_related("enterprise"))
    as_engine = {p.name: p for p in _engine_participants(participants, loaded)}
    scores = _assessed(participants)
    by_pk = {p.pk: p for p in participants}
    members: dict[int, list[Participant]] = {}
    memberships = GroupMembership.objects.filter(group__programme=programme, participant__in=groupable(programme))
    for m in memberships.values("group_id", "participant_id"):
        members.setdefault(m["group_id"], []).append(by_pk[m["participant_id"]])
    size = programme.group_size or 8
    views = []
    for group in DiscussionGroup.objects.filter(programme=programme):
        ms = sorted(members.get(group.pk, []), key=lambda p: p.enterprise.name)
        eng = [as_engine[str(p.pk)] for p in ms]
        rows = [
            MemberRow(
                participant=p,
                city=names.of("city", p.enterprise.city),
                industry=names.of("division", e.industry),
                chain=names.of("chain", p.enterprise.chain) if p.enterprise.chain else "",
                maturity=round(scores[p.enterprise_id]) if p.enterprise_id in scores else None,
            )
            for p, e in zip(ms, eng, strict=True)
        ]
        known = [r.maturity for r in rows if r.maturity is not None]
        views.append(
            GroupView(
                group=group,
                members=rows,
                terms=engine.group_terms(eng, size, weights),
                cities=len({e.city for e in eng}),
                largest_city=_counted([e.city for e in eng], lambda k: names.of("city", k), 1),
                industries=_counted([e.industry for e in eng], lambda k: names.of("division", k), 3),
                maturity=f"{min(known)}–{max(known)}" if known else "",
            )
        )
    grouped = [p for ms in members.values() for p in ms]
    unassessed = sum(p.enterprise_id not in scores for p in grouped)
    ungrouped = [p for p in participants if p.pk not in {g.pk for g in grouped}]
    return GroupsView(views, size, ungrouped, unassessed)


@transaction.atomic
def move_participant(actor: Any, participant: Participant, group: DiscussionGroup) -> None:
    """Hand move: the organiser knows something the objective does not (two firms are rivals, …). Only a
    joined participant may be moved (``groupable``); anyone else raises Participant.DoesNotExist."""
    participant = groupable(group.programme).get(pk=participant.pk)
    membership = GroupMembership.objects.filter(participant=participant).select_related("group").first()
    before = membership.group.number if membership else None
    GroupMembership.objects.update_or_create(participant=participant, defaults={"group": group})
    record(actor, "programme.group_move", participant, {"from": before, "to": group.number})


def groups_workbook(programme: Programme, loaded: LoadedCatalog) -> bytes:
    """The current groups through the engine's workbook writer: a summary sheet that says what the grouping
    balanced, and one sheet per group with each firm's contact person and mobile, city, industry and chain
    by name, in the reader's language."""
    view = programme_groups(programme, loaded)
    rows = [r for g in view.groups for r in g.members]
    eng = {p.name: p for p in _engine_participants([r.participant for r in rows], loaded)}
    display: dict[int, str] = {}
    for r in rows:  # the writer keys rows by name; keep two firms of the same name apart
        name = r.participant.enterprise.name
        display[r.participant.pk] = name if name not in display.values() else f"{name}（#{r.participant.pk}）"
    named = [eng[str(r.participant.pk)].model_copy(update={"name": display[r.participant.pk]}) for r in rows]
    groups = [
        engine.Group(
            number=g.group.number,
            members=[display[r.participant.pk] for r in g.members],
            size=len(g.members),
            maturity_min=min((eng[str(r.participant.pk)].maturity for r in g.members), default=0),
            maturity_max=max((eng[str(r.participant.pk)].maturity for r in g.members), default=0),
            cities=g.cities,
            largest_city_share=_largest_share([eng[str(r.participant.pk)].city for r in g.members]),
            divisions=sorted({eng[str(r.participant.pk)].industry for r in g.members}),
            terms=g.terms,
        )
        for g in view.groups
    ]
    grouping = engine.Grouping(
        method="local_search", status="LOCAL_OPTIMUM", size=view.size, seed=engine.SEED,
        weights=engine.GroupingWeights(), groups=groups, terms=engine.sum_terms([g.terms for g in groups]),
        solve_seconds=0.0,
    )  # fmt: skip
    contacts = {display[r.participant.pk]: (r.participant.contact_name, r.participant.phone) for r in rows}
    unassessed = {display[r.participant.pk] for r in rows if r.maturity is None}
    lang: Literal["zh", "en"] = "en" if english() else "zh"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "groups.xlsx"
        participant_files.write_grouping_xlsx(grouping, named, path, loaded, contacts, unassessed, lang)
        return path.read_bytes()


def _largest_share(cities: list[str]) -> float:
    if not cities:
        return 0.0
    return round(max(cities.count(c) for c in set(cities)) / len(cities), 3)


# --- site visits ------------------------------------------------------------------------------------------------


def site_visits(programme: Programme) -> QuerySet[Session]:
    return Session.objects.filter(programme=programme, kind=Session.Kind.SITE_VISIT).order_by("starts_at", "pk")


def visit_preferences(programme: Programme) -> QuerySet[VisitPreference]:
    """The ranked visits of the participants that may be allocated (``groupable``)."""
    return VisitPreference.objects.filter(participant__in=groupable(programme))


def visit_assignments(programme: Programme) -> QuerySet[VisitAssignment]:
    """The visit assignments of the participants that may be allocated (``groupable``): an assignment made
    before a firm left, or before this rule, is neither shown nor exported."""
    return VisitAssignment.objects.filter(participant__in=groupable(programme))


@transaction.atomic
def save_preferences(actor: Any, participant: Participant, ranked: list[Session]) -> None:
    VisitPreference.objects.filter(participant=participant).delete()
    VisitPreference.objects.bulk_create(
        [VisitPreference(participant=participant, session=s, rank=r) for r, s in enumerate(ranked, 1)]
    )
    record(actor, "programme.visit_preferences", participant, {"ranked": [s.pk for s in ranked]})


@transaction.atomic
def allocate_programme_visits(actor: Any, programme: Programme, per_participant: int = 1) -> engine_visits.Allocation:
    """Replace the visit assignments with the engine's exact allocation (raises GroupingError)."""
    visits = list(site_visits(programme))
    participants = list(groupable(programme).order_by("pk"))
    ranked: dict[int, list[str]] = {p.pk: [] for p in participants}
    for pref in visit_preferences(programme).order_by("participant_id", "rank"):
        ranked[pref.participant_id].append(str(pref.session_id))
    allocation = engine_visits.allocate_visits(
        [engine_visits.VisitPreference(participant=str(pk), ranked=r) for pk, r in ranked.items()],
        [engine_visits.Visit(id=str(v.pk), capacity=v.capacity or 0, name_zh=v.title) for v in visits],
        per_participant=per_participant,
    )
    VisitAssignment.objects.filter(participant__programme=programme).delete()
    VisitAssignment.objects.bulk_create(
        [
            VisitAssignment(participant_id=int(a.participant), session_id=int(v), rank=r)
            for a in allocation.assignments
            for v, r in zip(a.visits, a.ranks, strict=True)
        ]
    )
    record(
        actor, "programme.visits", programme,
        {"satisfaction": allocation.satisfaction, "by_rank": allocation.by_rank, "short": len(allocation.short)},
    )  # fmt: skip
    return allocation


def visits_workbook(programme: Programme) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    sheet = wb.active
    assert sheet is not None
    sheet.title = _("参观安排")
    sheet.append([_("企业名称"), _("联系人"), _("手机"), _("参观点"), _("志愿")])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    rows = visit_assignments(programme).select_related("participant__enterprise", "session")
    for a in rows.order_by("session__title", "participant__enterprise__name"):
        p = a.participant
        sheet.append(safe_row([p.enterprise.name, p.contact_name, p.phone, a.session.title, a.rank or "—"]))
    for session in site_visits(programme):
        sheet2 = wb.create_sheet(sheet_title(session.title[:28], str(session.pk)))
        sheet2.append([_("企业名称"), _("联系人"), _("手机"), _("志愿")])
        for a in rows.filter(session=session).order_by("participant__enterprise__name"):
            sheet2.append(
                safe_row(
                    [a.participant.enterprise.name, a.participant.contact_name, a.participant.phone, a.rank or "—"]
                )
            )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
