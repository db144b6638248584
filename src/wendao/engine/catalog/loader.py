"""Load the knowledge base from ``wendao/data`` (or another folder), validate it, cross-check references.

Two independent checks guard the rule "every number has a source":
1. the pydantic models: every model that carries numbers derives from ``Provenance``;
2. ``unsourced_numbers``: a schema-free walk over the raw YAML, so a number added under a key the
   schema does not know about (or in a file the schema does not model) is still caught.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from wendao.engine.catalog.policy_check import policy_problems
from wendao.engine.catalog.schema import (
    DATA_DIMENSION,
    BaselineDefault,
    Catalog,
    CountDefault,
    ModelRouteParams,
    OpenModel,
    Planning,
    Policy,
    PriceTable,
    Questionnaire,
)
from wendao.engine.rules import check_rule
from wendao.engine.value_rules import value_rule_problems

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent.parent / "data"

SCENARIO_FILES = ("scenarios/miit.yaml", "scenarios/ai.yaml", "scenarios/foundation.yaml", "scenarios/cutting.yaml")
CATALOG_FILES = (
    "catalog.yaml",
    "industries.yaml",
    "cities.yaml",
    "chains.yaml",
    "stages.yaml",
    "metrics.yaml",
    "systems.yaml",
    *SCENARIO_FILES,
    "questionnaire.yaml",
    "policies.yaml",
    "prices.yaml",
    "baseline_defaults.yaml",
    "open_models.yaml",
    "planning.yaml",
    "modelroute.yaml",
)

# The facts a policy eligibility rule may test (engine/funding.py builds them).
RULE_FIELDS = frozenset(
    {
        "enterprise.city",
        "enterprise.in_shandong",
        "enterprise.size_class",
        "enterprise.above_designated_size",
        "enterprise.industry",
        "enterprise.qualifications",
        "enterprise.employees",
        "enterprise.revenue",
        "enterprise.chain",
        # the funding facts of the profile (None = not answered: the policy is "to confirm")
        "enterprise.tax_status",
        "enterprise.rd_project",
        "enterprise.techreno_listed",
        "enterprise.equipment_renewal_listed",
        "enterprise.loan_financing",
        "enterprise.special_equipment",
        "enterprise.model_product",
        "enterprise.private",
        "item.scenario",
        "item.kind",
        "item.stage",
        "item.buys",
        "item.one_off",
        "item.model_route",
    }
)

# Keys whose numbers are not statistics about the world: our own scoring design (documented by the
# questionnaire's `estimate`), ordering, identifiers and levels.
DESIGN_KEYS = frozenset({"order", "score", "weight", "level", "min_score", "min_overall", "months_low", "months_high"})
PROVENANCE_KEYS = ("source", "estimate")


class CatalogError(Exception):
    """The knowledge base is invalid; ``problems`` lists every problem found (file, where, what)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True, kw_only=True)
class LoadedCatalog:
    catalog: Catalog
    questionnaire: Questionnaire
    policies: tuple[Policy, ...]
    prices: PriceTable
    baseline_defaults: tuple[BaselineDefault, ...]
    open_models: tuple[OpenModel, ...]
    planning: Planning
    modelroute: ModelRouteParams
    content_hash: str
    data_dir: Path
    files: tuple[str, ...] = field(default=())
    # unit counts by size class (baseline_defaults.yaml ``counts``); empty for a catalog without them
    count_defaults: tuple[CountDefault, ...] = field(default=())

    @property
    def version(self) -> str:
        return f"{self.catalog.version}+{self.content_hash[:10]}"


def _has_provenance(node: dict[str, Any]) -> bool:
    if isinstance(node.get("estimate"), str) and node["estimate"].strip():
        return True
    return bool(node.get("source")) and node.get("as_of") is not None


def unsourced_numbers(tree: Any, path: str = "", parents: tuple[dict[str, Any], ...] = ()) -> Iterator[str]:
    """Yield the path of every number that has no provenance close enough above it.

    Provenance counts in the mapping that holds the number or in up to two enclosing mappings (so a cost
    model sources all of its size bands at once), but the search stops at a record (a mapping with an
    `id`): a scenario-level source must not cover an unsourced cost inside it. Booleans and dates are not
    numbers; keys in DESIGN_KEYS are scoring design, not statistics.
    """
    if isinstance(tree, dict):
        chain = (*parents, tree)
        for key, value in tree.items():
            sub = f"{path}.{key}" if path else str(key)
            if _is_number(value):
                if key not in DESIGN_KEYS and not _sourced_by(chain):
                    yield sub
            else:
                yield from unsourced_numbers(value, sub, chain)
    elif isinstance(tree, list):
        for i, item in enumerate(tree):
            sub = f"{path}[{i}]"
            if _is_number(item):
                if not _sourced_by(parents):
                    yield sub
            else:
                yield from unsourced_numbers(item, sub, parents)


def _sourced_by(chain: tuple[dict[str, Any], ...]) -> bool:
    # the and/or/not nodes of an eligibility rule are its shape, not holders of data: a threshold nested in a
    # rule with two routes is sourced by its policy, as a threshold at the rule's top level is
    chain = tuple(m for m in chain if not (len(m) == 1 and next(iter(m)) in ("all", "any", "not")))
    for mapping in reversed(chain[-3:]):
        if _has_provenance(mapping):
            return True
        if "id" in mapping:
            return False
    return False


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


_SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read_yaml(path: Path, problems: list[str]) -> Any:
    try:
        with path.open(encoding="utf-8") as fh:
            # libyaml's parser when the wheel has it: the same safe constructor, about 10× faster on the catalog's
            # ~1 MB of YAML (the pure-Python parser was about a second of every cold `wendao plan`, issue 19)
            return yaml.load(fh, Loader=_SAFE_LOADER)
    except FileNotFoundError:
        problems.append(f"{path.name}: file missing")
    except yaml.YAMLError as exc:
        problems.append(f"{path.name}: not valid YAML: {exc}")
    return None


def _format_validation(file: str, exc: ValidationError, items: list[Any] | None = None) -> list[str]:
    out = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"])
        label = loc
        if items is not None and err["loc"] and isinstance(err["loc"][0], int):
            idx = err["loc"][0]
            ident = items[idx].get("id", idx) if isinstance(items[idx], dict) else idx
            label = f"{ident}: " + ".".join(str(p) for p in err["loc"][1:])
        out.append(f"{file}: {label}: {err['msg']}")
    return out


def load_catalog(data_dir: Path | None = None) -> LoadedCatalog:
    """Read, validate and cross-check the catalog; raise CatalogError listing every problem."""
    root = Path(data_dir) if data_dir else DEFAULT_DATA_DIR
    problems: list[str] = []
    digest = hashlib.sha256()
    raw: dict[str, Any] = {}
    names = CATALOG_FILES
    for name in names:
        path = root / name
        if path.exists():
            digest.update(name.encode() + b"\0" + path.read_bytes())
        raw[name] = _read_yaml(path, problems)
        if raw[name] is not None:
            problems.extend(
                f"{name}: {p}: number without `source`+`as_of` or `estimate`" for p in unsourced_numbers(raw[name])
            )
    if problems:
        raise CatalogError(problems)

    scenarios_raw: list[Any] = []
    for name in SCENARIO_FILES:
        scenarios_raw.extend(raw[name].get("scenarios") or [])
    meta = raw["catalog.yaml"]
    assembled = {
        "version": str(meta["version"]),
        "as_of": meta["as_of"],
        "industries": raw["industries.yaml"]["industries"],
        "cities": raw["cities.yaml"]["cities"],
        "chains": raw["chains.yaml"]["chains"],
        "chains_note": raw["chains.yaml"]["note"],
        "stages": raw["stages.yaml"]["stages"],
        "metrics": raw["metrics.yaml"]["metrics"],
        "systems": raw["systems.yaml"]["systems"],
        "scenarios": scenarios_raw,
    }
    catalog: Catalog | None = None
    questionnaire: Questionnaire | None = None
    try:
        catalog = Catalog.model_validate(assembled)
    except ValidationError as exc:
        for err in exc.errors():
            loc = list(err["loc"])
            if loc and loc[0] == "scenarios" and len(loc) > 1 and isinstance(loc[1], int):
                ident = scenarios_raw[loc[1]].get("id", loc[1]) if isinstance(scenarios_raw[loc[1]], dict) else loc[1]
                where = f"scenario {ident}: " + ".".join(str(p) for p in loc[2:])
            else:
                where = ".".join(str(p) for p in loc)
            problems.append(f"{where}: {err['msg']}")
    try:
        questionnaire = Questionnaire.model_validate(raw["questionnaire.yaml"])
    except ValidationError as exc:
        problems.extend(_format_validation("questionnaire.yaml", exc))
    policies = _validate_list("policies.yaml", raw["policies.yaml"], "policies", Policy, problems)
    defaults = _validate_list(
        "baseline_defaults.yaml", raw["baseline_defaults.yaml"], "defaults", BaselineDefault, problems
    )
    counts: list[CountDefault] = []
    if isinstance(raw["baseline_defaults.yaml"], dict) and "counts" in raw["baseline_defaults.yaml"]:
        counts = _validate_list(
            "baseline_defaults.yaml", raw["baseline_defaults.yaml"], "counts", CountDefault, problems
        )
    models = _validate_list("open_models.yaml", raw["open_models.yaml"], "models", OpenModel, problems)
    prices: PriceTable | None = None
    planning: Planning | None = None
    route_params: ModelRouteParams | None = None
    try:
        route_params = ModelRouteParams.model_validate(raw["modelroute.yaml"])
    except ValidationError as exc:
        problems.extend(_format_validation("modelroute.yaml", exc))
    try:
        prices = PriceTable.model_validate(raw["prices.yaml"])
    except ValidationError as exc:
        problems.extend(_format_validation("prices.yaml", exc))
    try:
        planning = Planning.model_validate(raw["planning.yaml"])
    except ValidationError as exc:
        problems.extend(_format_validation("planning.yaml", exc))
    if catalog is not None and questionnaire is not None:
        problems.extend(cross_check(catalog, questionnaire))
        problems.extend(_check_value_rules(catalog, defaults))
        for policy in policies:
            problems.extend(
                f"policy {policy.id}: {p}" for p in check_rule(policy.eligibility, RULE_FIELDS, "eligibility")
            )
        problems.extend(policy_problems(policies))
        if planning is not None:
            problems.extend(_check_planning(planning, catalog, questionnaire))
    if (
        problems
        or catalog is None
        or questionnaire is None
        or prices is None
        or planning is None
        or route_params is None
    ):
        raise CatalogError(problems)
    return LoadedCatalog(
        catalog=catalog,
        questionnaire=questionnaire,
        policies=tuple(policies),
        prices=prices,
        baseline_defaults=tuple(defaults),
        open_models=tuple(models),
        planning=planning,
        modelroute=route_params,
        content_hash=digest.hexdigest(),
        data_dir=root,
        files=names,
        count_defaults=tuple(counts),
    )


def _validate_list(file: str, data: Any, key: str, model: type[Any], problems: list[str]) -> list[Any]:
    items = data.get(key) if isinstance(data, dict) else None
    if not isinstance(items, list):
        problems.append(f"{file}: expected a list under `{key}`")
        return []
    out = []
    for i, item in enumerate(items):
        try:
            out.append(model.model_validate(item))
        except ValidationError as exc:
            ident = item.get("id", item.get("figure", i)) if isinstance(item, dict) else i
            problems.extend(f"{file}: {ident}: {'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
    ids = [getattr(x, "id", None) for x in out]
    problems.extend(f"{file}: duplicate id {x}" for x in {i for i in ids if i is not None and ids.count(i) > 1})
    return out


def _check_value_rules(catalog: Catalog, defaults: list[BaselineDefault]) -> list[str]:
    """The value model's rule tables (engine/value_rules.py) against metrics.yaml and baseline_defaults.yaml."""
    from wendao.engine.profile import Baseline  # the profile module reads the catalog: imported when used

    return value_rule_problems(
        ((m.id, m.baseline) for m in catalog.metrics), (d.figure for d in defaults), Baseline.model_fields
    )


def _check_planning(planning: Planning, catalog: Catalog, questionnaire: Questionnaire) -> list[str]:
    scenarios = {s.id for s in catalog.scenarios}
    systems = {s.id for s in catalog.systems}
    dims = {d.id for d in questionnaire.dimensions}
    problems = []
    for sid, provides in planning.provides.items():
        if sid not in scenarios:
            problems.append(f"planning.yaml: provides: unknown scenario {sid!r}")
        problems.extend(
            f"planning.yaml: provides.{sid}: unknown system {x!r}" for x in provides.systems if x not in systems
        )
        problems.extend(
            f"planning.yaml: provides.{sid}: unknown dimension {d!r}" for d in provides.dimensions if d not in dims
        )
    for s in catalog.scenarios:
        kinds, need = s.prerequisites.data_kinds, s.prerequisites.maturity.get(DATA_DIMENSION)
        if kinds and need is None:
            problems.append(f"scenarios: {s.id}: data_kinds without a {DATA_DIMENSION} minimum")
        # a data minimum of kinds no project reaches leaves a firm far below it with nothing to build first
        elif (
            kinds
            and need is not None
            and not any(p.level_for(DATA_DIMENSION, kinds) >= need for p in planning.provides.values())
        ):
            problems.append(f"scenarios: {s.id}: no project provides {DATA_DIMENSION} {need} of kinds {kinds}")
    return problems


def cross_check(catalog: Catalog, questionnaire: Questionnaire) -> list[str]:
    """References between files resolve; ids are unique; prerequisite graph has no cycle."""
    problems: list[str] = []
    for label, ids in (
        ("industry code", [i.code for i in catalog.industries]),
        ("city id", [c.id for c in catalog.cities]),
        ("chain id", [c.id for c in catalog.chains]),
        ("scenario id", [s.id for s in catalog.scenarios]),
        ("scenario name_zh", [s.name_zh for s in catalog.scenarios]),
        ("metric id", [m.id for m in catalog.metrics]),
        ("question id", [q.id for q in questionnaire.questions]),
    ):
        seen: set[str] = set()
        for ident in ids:
            if ident in seen:
                problems.append(f"duplicate {label}: {ident}")
            seen.add(ident)
    industries = {i.code for i in catalog.industries} | {"all"}
    stages = {s.id for s in catalog.stages}
    metrics = {m.id for m in catalog.metrics}
    systems = {s.id for s in catalog.systems}
    dimensions = {d.id for d in questionnaire.dimensions}
    by_id = {s.id: s for s in catalog.scenarios}
    for chain in catalog.chains:
        problems.extend(f"chain {chain.id}: unknown industry {c}" for c in chain.industries if c not in industries)
    for s in catalog.scenarios:
        where = f"scenario {s.id}"
        if s.stage not in stages:
            problems.append(f"{where}: unknown stage {s.stage!r}")
        if s.kind == "ai":
            if s.parent is None or s.parent not in by_id or by_id[s.parent].kind != "miit":
                problems.append(f"{where}: parent must be a MIIT scenario id, got {s.parent!r}")
        elif s.parent is not None:
            problems.append(f"{where}: MIIT scenarios have no parent")
        problems.extend(
            f"{where}: variant_of: unknown scenario {v!r}" for v in s.variant_of if v not in by_id or v == s.id
        )
        for level in ("high", "medium", "low"):
            problems.extend(
                f"{where}: industries.{level}: unknown industry {c!r}"
                for c in getattr(s.industries, level)
                if c not in industries
            )
        problems.extend(f"{where}: kpi metric {k.metric!r} unknown" for k in s.kpi_effects if k.metric not in metrics)
        pre = s.prerequisites
        problems.extend(f"{where}: prerequisite dimension {d!r} unknown" for d in pre.maturity if d not in dimensions)
        problems.extend(
            f"{where}: prerequisite maturity {d}={v} outside 0–100"
            for d, v in pre.maturity.items()
            if not 0 <= v <= 100
        )
        problems.extend(
            f"{where}: prerequisite system {x!r} unknown"
            for x in [*pre.systems_all, *pre.systems_any]
            if x not in systems
        )
        problems.extend(f"{where}: prerequisite scenario {x!r} unknown" for x in pre.scenarios if x not in by_id)
        if s.duration.months_low > s.duration.months_high:
            problems.append(f"{where}: duration months_low > months_high")
    problems.extend(_cycles(by_id))
    for scale in questionnaire.scales:
        qids = {q.id for q in questionnaire.questions}
        for lvl in scale.levels:
            problems.extend(
                f"questionnaire scale {scale.id} level {lvl.level}: unknown question {g.question}"
                for g in lvl.gates
                if g.question not in qids
            )
    for q in questionnaire.questions:
        if q.dimension not in dimensions:
            problems.append(f"question {q.id}: unknown dimension {q.dimension!r}")
    return problems


def _cycles(by_id: dict[str, Any]) -> list[str]:
    state: dict[str, int] = {}
    problems: list[str] = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in by_id[node].prerequisites.scenarios:
            if nxt not in by_id:
                continue
            if state.get(nxt) == 1:
                problems.append("prerequisite cycle: " + " -> ".join([*trail, node, nxt]))
            elif nxt not in state:
                visit(nxt, [*trail, node])
        state[node] = 2

    for sid in by_id:
        if sid not in state:
            visit(sid, [])
    return problems


@lru_cache(maxsize=4)
def default_catalog() -> LoadedCatalog:
    """The bundled knowledge base, loaded once per process (and validated once per content: catalog/cache.py)."""
    from wendao.engine.catalog.cache import cached_catalog

    return cached_catalog(DEFAULT_DATA_DIR, CATALOG_FILES, load_catalog)


def catalog_summary(loaded: LoadedCatalog) -> dict[str, Any]:
    c, q = loaded.catalog, loaded.questionnaire
    kpis = [k for s in c.scenarios for k in s.kpi_effects]
    numbers = kpis + [s.cost for s in c.scenarios] + [s.duration for s in c.scenarios]
    return {
        "version": loaded.version,
        "as_of": c.as_of.isoformat() if isinstance(c.as_of, date) else str(c.as_of),
        "counts": {
            "industries": len(c.industries),
            "cities": len([x for x in c.cities if x.in_shandong]),
            "chains": len(c.chains),
            "stages": len(c.stages),
            # the guide's 40 scenarios; wendao's first-step projects are counted apart, whatever their kind
            "scenarios_miit": sum(s.kind == "miit" and not s.foundation for s in c.scenarios),
            "scenarios_ai": sum(s.kind == "ai" and not s.foundation for s in c.scenarios),
            "scenarios_foundation": sum(s.foundation for s in c.scenarios),
            "scenario_names_verified": sum(s.name_verified for s in c.scenarios if s.kind == "miit" and not s.foundation),
            "kpi_effects": len(kpis),
            "kpi_effects_sourced": sum(k.source is not None for k in kpis),
            "kpi_effects_estimated": sum(k.source is None for k in kpis),
            "figures_verified": sum(n.verified for n in numbers),
            "metrics": len(c.metrics),
            "systems": len(c.systems),
            "policies": len(loaded.policies),
            **{
                f"policies_{st}": sum(p.status == st for p in loaded.policies)
                for st in ("active", "announced", "expired", "unverified", "reference")
            },
            "api_prices": len(loaded.prices.api),
            "gpu_prices": len(loaded.prices.gpu),
            "hardware_prices": len(loaded.prices.hardware),
            "baseline_defaults": len(loaded.baseline_defaults),
            "open_models": len(loaded.open_models),
            "questionnaire_version": q.version,
            "questions": len(q.questions),
            "dimensions": len(q.dimensions),
        },
    }
