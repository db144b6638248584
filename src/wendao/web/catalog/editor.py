"""The knowledge-base editor's use cases: who may edit, validate an edit, save it as a new version, and preview
what an edit changes in plans before it is saved.

Catalog editors (Role.CATALOG_EDITOR) and admins change the knowledge base; organisers may read it and its history
(README: an organiser of one programme must not change every other programme's plans). Every save writes an
``EntryVersion`` (who, when, through which path, from which source), bumps the catalog revision and is audited.

The preview re-runs a sample of plans twice, on the knowledge base as it is and on the same knowledge base with
the edit applied, and compares what a reader of the plan sees: the roadmap items, the investment, the yearly
benefit and the counted support (grants, tax savings, interest subsidies).
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import transaction
from django.db.models import F, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from pydantic import BaseModel, ValidationError

from wendao.engine.cases import Case
from wendao.engine.catalog import LoadedCatalog
from wendao.engine.catalog.schema import Policy, PriceTable, Questionnaire, Scenario
from wendao.engine.plan import Plan, PlanError, PlanOptions, build_plan
from wendao.engine.profile import ProfileError, load_profile
from wendao.web.accounts.audit import record
from wendao.web.accounts.models import Role
from wendao.web.accounts.types import Visitor
from wendao.web.catalog.fields import LABELS, Field, FieldError, error_messages, fields_of
from wendao.web.catalog.forms import PRICE_MODELS
from wendao.web.catalog.models import (
    CaseEntry,
    EntryVersion,
    PolicyEntry,
    PriceEntry,
    QuestionnaireVersion,
    ScenarioEntry,
)
from wendao.web.catalog.services import PRICE_LISTS, active_catalog, bump_revision

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from wendao.web.enterprises.models import PlanRecord

EDITORS = frozenset({Role.CATALOG_EDITOR, Role.ADMIN})
READERS = EDITORS | {Role.ORGANISER}


def may_edit(user: Visitor) -> bool:
    return bool(user.is_authenticated and user.is_active and (user.is_superuser or user.role in EDITORS))


def may_propose(user: Visitor) -> bool:
    """Organisers propose changes that an editor reviews (models.ChangeProposal says why they do not save)."""
    return bool(user.is_authenticated and user.is_active and user.role == Role.ORGANISER and not may_edit(user))


def may_read(user: Visitor) -> bool:
    return bool(user.is_authenticated and user.is_active and (user.is_superuser or user.role in READERS))


@dataclass(frozen=True)
class EntryKind:
    slug: str
    model: Any
    label: Any
    label_plural: Any


KINDS: dict[str, EntryKind] = {
    "policies": EntryKind("policy", PolicyEntry, _l("政策"), _l("政策")),
    "scenarios": EntryKind("scenario", ScenarioEntry, _l("场景"), _l("场景")),
    "prices": EntryKind("price", PriceEntry, _l("价格"), _l("价格")),
    "cases": EntryKind("case", CaseEntry, _l("案例"), _l("案例")),
}
KIND_OF_MODEL = {k.model: k for k in KINDS.values()} | {
    QuestionnaireVersion: EntryKind("questionnaire", QuestionnaireVersion, _l("问卷"), _l("问卷"))
}


def engine_model(entry: Any) -> type[BaseModel]:
    if isinstance(entry, PriceEntry):
        return PRICE_MODELS[entry.kind]  # type: ignore[no-any-return]
    return {PolicyEntry: Policy, ScenarioEntry: Scenario, QuestionnaireVersion: Questionnaire, CaseEntry: Case}[
        type(entry)
    ]


def flat_fields(entry: Any) -> list[Field] | None:
    """The form fields of an entry, or None when it is edited as JSON (a scenario: lists of nested models)."""
    if isinstance(entry, ScenarioEntry | QuestionnaireVersion):
        return None
    return fields_of(engine_model(entry))


class EditError(ValueError):
    def __init__(self, errors: Sequence[FieldError]) -> None:
        super().__init__("; ".join(f"{e.label}: {e.message}" for e in errors))
        self.errors = list(errors)


def validate(entry: Any, data: dict[str, Any]) -> BaseModel:
    """The engine model of ``data`` for this entry, or EditError with every problem in the reader's language."""
    model = engine_model(entry)
    fields = flat_fields(entry)
    try:
        parsed = model.model_validate(data)
    except ValidationError as exc:
        raise EditError(
            error_messages(exc, {f.path for f in fields} | {"award", "apply"} if fields else None)
        ) from None
    if isinstance(parsed, Case):  # a case acts in catalog scenarios: each must exist
        ids = {s.id for s in active_catalog().catalog.scenarios}
        if unknown := [s for s in parsed.scenarios if s not in ids]:
            message = _("知识库里没有这些场景：%(ids)s") % {"ids": "、".join(unknown)}
            raise EditError([FieldError("scenarios", str(LABELS["scenarios"]), message)])
    if entry.pk and getattr(parsed, "id", None) is not None and entry.key.split(":")[-1] != parsed.id:  # type: ignore[attr-defined]
        raise EditError([FieldError("id", _("编号"), _("编号不能修改：其他内容和已保存的方案都引用它"))])
    return parsed


def changed_paths(before: Any, after: Any, path: str = "") -> list[str]:
    """Dotted paths (two levels at most) whose values differ."""
    if isinstance(before, dict) and isinstance(after, dict) and path.count(".") < 1:
        out: list[str] = []
        for k in sorted(set(before) | set(after)):
            out += changed_paths(before.get(k), after.get(k), f"{path}.{k}" if path else k)
        return out
    return [path] if before != after else []


def history(entry: Any) -> list[EntryVersion]:
    kind = KIND_OF_MODEL[type(entry)].slug
    return list(
        EntryVersion.objects.filter(kind=kind, key=entry.key).select_related("actor").order_by("-revision", "-id")
    )


def first_version(entry: Any) -> None:
    """The entry as seeded (or as last saved before versions were kept), written before its first change."""
    kind = KIND_OF_MODEL[type(entry)].slug
    if not EntryVersion.objects.filter(kind=kind, key=entry.key).exists():
        EntryVersion.objects.create(
            kind=kind,
            key=entry.key,
            revision=entry.revision,
            name_zh=entry.name_zh,
            data=entry.data,
            source=entry.source,
            as_of=entry.as_of,
            via=EntryVersion.Via.SEED,
        )


def write_version(user: Visitor, entry: Any, before: dict[str, Any], via: str, note: str = "") -> EntryVersion:
    """The saved ``entry`` as its newest version (``before``: its data until now, to name what changed)."""
    return EntryVersion.objects.create(
        kind=KIND_OF_MODEL[type(entry)].slug,
        key=entry.key,
        revision=entry.revision,
        name_zh=entry.name_zh,
        data=entry.data,
        source=entry.source,
        as_of=entry.as_of,
        via=via,
        note=note[:500],
        changed=changed_paths(before, entry.data) if before else [],
        actor=user if getattr(user, "is_authenticated", False) else None,
    )


@transaction.atomic
def save_entry(
    user: Visitor,
    entry: Any,
    data: dict[str, Any],
    source: str,
    as_of: datetime.date,
    via: str = EntryVersion.Via.EDITOR,
    note: str = "",
) -> EntryVersion:
    """Validate and save one entry (new or changed) as a new version; bumps the catalog revision; audited."""
    if not may_edit(user):
        raise PermissionError("only catalog editors and admins change the knowledge base")
    parsed = validate(entry, data)
    clean = parsed.model_dump(mode="json")
    new = entry.pk is None
    before = {} if new else dict(entry.data)
    if not new:
        entry = type(entry).objects.select_for_update().get(pk=entry.pk)
        first_version(entry)
        before = dict(entry.data)
    entry.data = clean
    entry.name_zh = str(
        getattr(parsed, "name_zh", None) or getattr(parsed, "model", None) or entry.name_zh or entry.key
    )[:200]
    entry.name_en = str(getattr(parsed, "name_en", None) or entry.name_en or "")[:200]
    entry.source = source[:500]
    entry.as_of = as_of
    if new:
        entry.revision = 1
        entry.save()
    else:
        entry.revision = F("revision") + 1
        entry.save()
        entry.refresh_from_db()
    version = write_version(user, entry, before, via, note)
    bump_revision()
    record(
        user,
        "catalog.add" if new else "catalog.change",
        entry,
        {"via": via, "revision": entry.revision, "changed": version.changed, "source": entry.source},
    )
    return version


# --- the knowledge base with edits applied (for the preview) ------------------------------------------------


@dataclass(frozen=True)
class Change:
    kind: str  # policy | scenario | price
    key: str  # the entry key (price: "api:<id>" or "usd_cny")
    data: dict[str, Any]


T = TypeVar("T")


def _put(rows: list[T], new: T, key: Callable[[T], object], wanted: object) -> None:
    """``new`` in place of the first row whose key is ``wanted``, or after the last row when there is none."""
    at = next((i for i, row in enumerate(rows) if key(row) == wanted), None)
    if at is None:
        rows.append(new)
    else:
        rows[at] = new


def with_changes(loaded: LoadedCatalog, changes: Iterable[Change]) -> LoadedCatalog:
    """``loaded`` with the changed (or new) entries in place of the stored ones, under its own content hash."""
    changes = list(changes)
    policies = list(loaded.policies)
    scenarios = list(loaded.catalog.scenarios)
    prices = loaded.prices.model_dump(mode="json")
    for c in changes:
        if c.kind == "policy":
            new_policy = Policy.model_validate(c.data)
            _put(policies, new_policy, attrgetter("id"), new_policy.id)
        elif c.kind == "scenario":
            new_scenario = Scenario.model_validate(c.data)
            _put(scenarios, new_scenario, attrgetter("id"), new_scenario.id)
        elif c.kind == "price":
            table, _sep, item_id = c.key.partition(":")
            if table in PRICE_LISTS:
                _put(prices[table], c.data, itemgetter("id"), item_id)
            else:
                prices[table] = c.data
    payload = json.dumps([loaded.content_hash, [dataclasses.astuple(c) for c in changes]], sort_keys=True, default=str)
    return dataclasses.replace(
        loaded,
        catalog=loaded.catalog.model_copy(update={"scenarios": scenarios}),
        policies=tuple(policies),
        prices=PriceTable.model_validate(prices),
        content_hash=hashlib.sha256(payload.encode()).hexdigest(),
    )


# --- preview: a sample of plans before and after ------------------------------------------------------------

EXAMPLES = Path(__file__).resolve().parents[2] / "data" / "examples"
EXAMPLE_FILES = ("weifang_machinery.yaml", "zibo_chemical.yaml", "linyi_food.yaml")
STORED_SAMPLE = 8  # the latest plan of the 8 enterprises planned most recently (a preview must stay quick)


@dataclass(frozen=True)
class Figures:
    items: tuple[tuple[str, str], ...]  # (plan item id, display name)
    one_off: float
    benefit: float  # yearly benefit, median, 万元
    counted: float  # grants + tax savings + interest subsidies counted over the horizon, 万元
    likely: float  # likely once confirmed, 万元


@dataclass
class PlanDiff:
    label: str
    before: Figures | None = None
    after: Figures | None = None
    error: str = ""
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.error) or self.before != self.after

    def delta(self, name: str) -> float:
        if self.before is None or self.after is None:
            return 0.0
        return round(getattr(self.after, name) - getattr(self.before, name), 2)


def _figures(plan: Plan, lang: str) -> Figures:
    totals = plan.who_pays.totals if plan.who_pays else {}
    items = tuple((f"{i.scenario}:{i.stage}", i.label_en if lang == "en" else i.label_zh) for i in plan.items)
    return Figures(
        items=items,
        one_off=round(plan.money.one_off, 2),
        benefit=round(plan.money.annual_benefit.median, 2),
        counted=round(sum(totals.get(k, 0.0) for k in ("grants", "tax", "interest_subsidy")), 2),
        likely=round(totals.get("likely", 0.0), 2),
    )


@dataclass(frozen=True)
class Sample:
    label: str
    profile: Any
    options: PlanOptions


def previewed_plans(reader: Visitor) -> QuerySet[PlanRecord]:
    """The stored plans a preview may re-plan for ``reader``: only plans it may read already (its own firms', and
    an organiser's the firms that joined one of its programmes), beside the bundled example profiles. A catalog
    editor keeps the knowledge base, not the firms: the platform's latest plans, named by industry, size and
    city, would show it other firms' figures (a rare label is one firm), and each new plan as it is made."""
    from wendao.web.enterprises.access import enterprises_visible_to_user
    from wendao.web.enterprises.models import PlanRecord

    return PlanRecord.objects.filter(enterprise__in=enterprises_visible_to_user(reader))


def sample_plans(loaded: LoadedCatalog, stored: QuerySet[PlanRecord], lang: str = "zh") -> list[Sample]:
    """The example enterprises and, of the ``stored`` plans (``previewed_plans``), the latest plan of the
    enterprises planned most recently. A stored plan is named by industry, size and city only: the catalog
    editor is no member of those enterprises."""
    from wendao.web.enterprises.services import profile_of

    out: list[Sample] = []
    for name in EXAMPLE_FILES:
        profile = load_profile(EXAMPLES / name, loaded)
        out.append(Sample(_("示例：%(name)s") % {"name": profile.name}, profile, PlanOptions()))
    seen: set[int] = set()
    industries = {i.code: i for i in loaded.catalog.industries}
    cities = {c.id: c for c in loaded.catalog.cities}
    sizes = {"large": _("大型"), "medium": _("中型"), "small": _("小型"), "micro": _("微型")}
    for rec in stored.select_related("enterprise", "round").order_by("-created_at", "-id")[:200]:
        if rec.enterprise_id in seen or rec.round is None:
            continue
        seen.add(rec.enterprise_id)
        try:
            profile = profile_of(rec.enterprise, rec.round, loaded)
            options = PlanOptions(**rec.options)
        except (ProfileError, ValidationError, ValueError):
            continue  # a profile stored before today's bounds: it cannot be re-planned as it is
        ind = industries.get(profile.division)
        city = cities.get(profile.city)
        ind_name = (ind.name_en if lang == "en" else ind.name_zh) if ind else profile.division
        city_name = (city.name_en if lang == "en" else city.name_zh) if city else profile.city
        n = len(out) - len(EXAMPLE_FILES) + 1
        out.append(
            Sample(
                _("已保存方案 %(n)s：%(industry)s · %(size)s · %(city)s")
                % {"n": n, "industry": ind_name, "size": sizes.get(profile.size_class, ""), "city": city_name},
                profile,
                options,
            )
        )
        if len(seen) >= STORED_SAMPLE:
            break
    return out


def _plan(sample: Sample, loaded: LoadedCatalog, lang: str) -> Figures:
    return _figures(build_plan(sample.profile, loaded, sample.options), lang)


def preview(
    changes: Sequence[Change], reader: Visitor, lang: str = "zh", base: LoadedCatalog | None = None
) -> list[PlanDiff]:
    """Every sample plan ``reader`` may preview (``previewed_plans``) built on the knowledge base as it is and
    with ``changes``; changed plans first."""
    base = base or active_catalog()
    edited = with_changes(base, changes)
    out: list[PlanDiff] = []
    for sample in sample_plans(base, previewed_plans(reader), lang):
        diff = PlanDiff(sample.label)
        try:
            diff.before = _plan(sample, base, lang)
        except PlanError:
            continue  # not plannable today either: nothing an edit changes
        try:
            diff.after = _plan(sample, edited, lang)
        except Exception:  # an edit may break a plan in any way: the preview says so instead of failing
            log.exception("preview: plan %s failed on the edited knowledge base", sample.label)
            diff.error = _("改动后无法生成这份方案，请检查改动的内容")
        if diff.after is not None:
            before, after = dict(diff.before.items), dict(diff.after.items)
            diff.added = [after[k] for k in after if k not in before]
            diff.removed = [before[k] for k in before if k not in after]
        out.append(diff)
    out.sort(key=lambda d: not d.changed)
    return out
