"""Seed the database knowledge base from the YAML files, and turn it back into the engine's LoadedCatalog."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import threading
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from wendao.engine.cases import Case, load_cases, use_cases
from wendao.engine.catalog import LoadedCatalog, default_catalog
from wendao.engine.catalog.schema import Policy as PolicyModel
from wendao.engine.catalog.schema import PriceTable, Questionnaire, Scenario
from wendao.engine.search import ScenarioSearch
from wendao.web.catalog.models import (
    CaseEntry,
    CatalogState,
    PolicyEntry,
    PriceEntry,
    QuestionnaireVersion,
    ScenarioEntry,
)

PRICE_LISTS = ("api", "gpu", "hardware")
PRICE_RATES = ("usd_cny", "lpr_1y")
# the engine model each admin-edited JSON is validated with
ENGINE_MODELS: dict[type, Any] = {
    ScenarioEntry: Scenario,
    PolicyEntry: PolicyModel,
    QuestionnaireVersion: Questionnaire,
    CaseEntry: Case,
}


def _provenance(item: Any, fallback: date) -> tuple[str, date]:
    source = getattr(item, "source", None) or getattr(item, "name_source", None) or "wendao/data (YAML seed)"
    as_of = getattr(item, "as_of", None) or fallback
    return str(source)[:500], as_of


def state() -> CatalogState:
    obj, _ = CatalogState.objects.get_or_create(pk=1)
    return obj


def bump_revision() -> None:
    state()
    CatalogState.objects.filter(pk=1).update(revision=F("revision") + 1, updated_at=timezone.now())


@transaction.atomic
def seed_catalog(loaded: LoadedCatalog | None = None) -> int:
    """Create the entries the database lacks (never overwrites an organiser's edit). Returns how many."""
    loaded = loaded or default_catalog()
    as_of = loaded.catalog.as_of
    created = 0
    for s in loaded.catalog.scenarios:
        source, when = _provenance(s.cost, as_of)
        _, new = ScenarioEntry.objects.get_or_create(
            key=s.id,
            defaults={
                "kind": s.kind,
                "name_zh": s.name_zh,
                "name_en": s.name_en,
                "data": s.model_dump(mode="json"),
                "source": source,
                "as_of": when,
            },
        )
        created += new
    for p in loaded.policies:
        source, when = _provenance(p, as_of)
        _, new = PolicyEntry.objects.get_or_create(
            key=p.id,
            defaults={
                "name_zh": p.name_zh,
                "name_en": p.name_en,
                "data": p.model_dump(mode="json"),
                "source": source,
                "as_of": when,
            },
        )
        created += new
    for kind in PRICE_LISTS:
        for item in getattr(loaded.prices, kind):
            source, when = _provenance(item, as_of)
            name = getattr(item, "name_zh", None) or getattr(item, "model", None) or getattr(item, "gpu", item.id)
            _, new = PriceEntry.objects.get_or_create(
                key=f"{kind}:{item.id}",
                defaults={
                    "kind": kind,
                    "name_zh": str(name),
                    "name_en": str(getattr(item, "name_en", name)),
                    "data": item.model_dump(mode="json"),
                    "source": source,
                    "as_of": when,
                },
            )
            created += new
    for kind in PRICE_RATES:
        rate = getattr(loaded.prices, kind)
        source, when = _provenance(rate, as_of)
        _, new = PriceEntry.objects.get_or_create(
            key=kind,
            defaults={
                "kind": kind,
                "name_zh": kind,
                "name_en": kind,
                "data": rate.model_dump(mode="json"),
                "source": source,
                "as_of": when,
            },
        )
        created += new
    for c in load_cases(loaded):
        _, new = CaseEntry.objects.get_or_create(
            key=c.id,
            defaults={
                "name_zh": c.enterprise_zh[:200],
                "name_en": c.enterprise_en[:200],
                "data": c.model_dump(mode="json"),
                "source": c.source[:500],
                "as_of": c.as_of,
            },
        )
        created += new
    q = loaded.questionnaire
    source, when = _provenance(q, as_of)
    _, new = QuestionnaireVersion.objects.get_or_create(
        key=f"{q.id}@{q.version}",
        defaults={
            "name_zh": q.title_zh,
            "name_en": q.title_en,
            "data": q.model_dump(mode="json"),
            "source": source,
            "as_of": when,
            "active": not QuestionnaireVersion.objects.filter(active=True).exists(),
        },
    )
    created += new
    st = state()
    if created:
        st.seeded_from = loaded.version
        st.save()
        bump_revision()
    return created


def _from_database(base: LoadedCatalog) -> LoadedCatalog:
    scenarios = [Scenario.model_validate(e.data) for e in ScenarioEntry.objects.order_by("id")]
    policies = tuple(PolicyModel.model_validate(e.data) for e in PolicyEntry.objects.order_by("id"))
    price_rows = list(PriceEntry.objects.order_by("id"))
    active = QuestionnaireVersion.objects.filter(active=True).first()
    if not scenarios or active is None:
        return base  # not seeded yet: the YAML catalog is the knowledge base
    prices_raw: dict[str, Any] = {k: [] for k in PRICE_LISTS}
    for row in price_rows:
        if row.kind in PRICE_LISTS:
            prices_raw[row.kind].append(row.data)
        else:
            prices_raw[row.kind] = row.data
    prices = PriceTable.model_validate(prices_raw)
    questionnaire = Questionnaire.model_validate(active.data)
    case_rows = [e.data for e in CaseEntry.objects.order_by("key")]
    payload = json.dumps(
        [
            [e.data for e in ScenarioEntry.objects.order_by("key")],
            [p.model_dump(mode="json") for p in policies],
            prices.model_dump(mode="json"),
            active.data,
            *([case_rows] if case_rows else []),  # (without cases, the hash of a catalog seeded before them)
        ],
        sort_keys=True,
        ensure_ascii=False,
    )
    loaded = dataclasses.replace(
        base,
        catalog=base.catalog.model_copy(update={"scenarios": scenarios}),
        questionnaire=questionnaire,
        policies=policies,
        prices=prices,
        content_hash=hashlib.sha256(payload.encode()).hexdigest(),
    )
    if case_rows:  # the edited case library; a database seeded before cases keeps the bundled file
        use_cases(loaded, (Case.model_validate(d) for d in case_rows))
    return loaded


_lock = threading.Lock()
_cache: dict[str, Any] = {}


def active_catalog() -> LoadedCatalog:
    """The knowledge base the web platform plans with: the database's, rebuilt only when its revision moves."""
    # revision + timestamp: a revision number alone can repeat after a database is reset (tests, re-demo)
    revision = CatalogState.objects.filter(pk=1).values_list("revision", "updated_at").first() or (0, None)
    with _lock:
        if _cache.get("revision") != revision or "loaded" not in _cache:
            _cache["loaded"] = _from_database(default_catalog())
            _cache["revision"] = revision
        return _cache["loaded"]


def scenario_matcher(loaded: LoadedCatalog) -> ScenarioSearch | None:
    """The need matcher for this catalog version (built once per process and version: it takes seconds)."""
    from django.conf import settings

    if not settings.WENDAO_PLAN_MATCHER:
        return None
    with _lock:
        if _cache.get("matcher_version") != loaded.version:
            _cache["matcher"] = ScenarioSearch(loaded)
            _cache["matcher_version"] = loaded.version
        return _cache["matcher"]
