"""`wendao bench funding`: how much of a plan's investment the funding answer covers, and how trustworthy its
lines are (issue 14, "Measure").

Over the generated demo cohort (``synthetic_profile``, N = 300 by default, as the demo programme) and the
bundled examples, full plans are built as `wendao plan` builds them (no model routes, no search, the plan date
fixed so policy validity does not drift) and read back:

- counted support ÷ one-off investment per plan (p10/p50/p90/max, plans with items): counted grants, plus, where
  the plan has a who-pays view, the counted tax savings and interest subsidies within the horizon (not the
  one-time deduction's tax timing: it is brought forward and paid back, a row of its own);
- likely if confirmed ÷ investment: the who-pays "likely" total; for plans without a who-pays view (before
  issue 14), the amounts of the policies shown as "may apply" (eligible, not counted);
- policies matched per plan: distinct policies with a line in the plan (an amount, or announced);
- lines with status unverified, and lines without an official link (the policy's ``official_url``, or a
  source on a gov.cn site) among the lines the plan shows;
- lines the Markdown document prints with 0.0 万元, and cells repeating "未公开，请咨询当地工信部门";
- table cells the Markdown document prints as 0.00 (a column of zeros reads as money; "—" since the fifth session);
- plans that name a policy of their own city (a line, a how-to-apply step or a note), and the distinct
  city-level policies named across the cohort (city coverage, issue 14 Deliver 1).

The generated enterprises answer none of the profile's funding questions; a second pass gives each its tax
status from its qualifications (high-tech → 15 %, else standard), to show what answering that one question
moves. The module reads only fields that plans had before issue 14, so the same file measures the code before
it (``funding-before.json``).
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from wendao.engine.catalog import default_catalog
from wendao.engine.plan import Plan, PlanOptions, build_plan
from wendao.engine.profile import load_profile, parse_profile
from wendao.report.markdown import render_markdown
from wendao.synthetic import synthetic_profile

AS_OF = date(2026, 12, 6)
FILLER = "未公开，请咨询当地工信部门"
GOV = re.compile(r"https?://[^\s/]*gov\.cn")
ZERO_LINE = re.compile(r"[：:] ?0\.0 万元")
ZERO_CELL = re.compile(r"\| -?0\.00 (?=\|)")


def _pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))], 4)


def _dist(values: list[float]) -> dict[str, float | None]:
    return {
        "p10": _pct(values, 0.1),
        "p50": _pct(values, 0.5),
        "p90": _pct(values, 0.9),
        "max": round(max(values), 4) if values else None,
        "mean": round(sum(values) / len(values), 4) if values else None,
    }


def _official(policy: Any) -> bool:
    return bool(getattr(policy, "official_url", None)) or bool(GOV.search(policy.source or ""))


def read_plan(plan: Plan, policies: dict[str, Any]) -> dict[str, Any]:
    investment = sum(i.one_off for i in plan.items)
    wp = getattr(plan, "who_pays", None)
    shown = [o for i in plan.items for o in i.funding.eligible]
    if wp is not None:
        counted = wp.totals["grants"] + wp.totals["tax"] + wp.totals["interest_subsidy"]
        likely = wp.totals["likely"]
        lines = [(ln.policy, ln.status) for i in wp.items for ln in i.lines]
        lines += [(n.policy, n.status) for n in wp.announced]
    else:
        counted = sum(i.funding.counted_subsidy for i in plan.items)
        likely = sum(o.amount for o in shown if not o.counted)
        lines = [(o.policy, o.status) for o in shown]
    md = render_markdown(plan, "zh")
    named = {p for p, _ in lines}
    if wp is not None:
        named |= {s.policy for s in getattr(wp, "apply", [])} | {n.policy for n in getattr(wp, "other", [])}
    city = sorted(p for p in named if p in policies and getattr(policies[p], "level", "") == "city")
    return {
        "investment": round(investment, 2),
        "counted": round(counted, 2),
        "likely": round(likely, 2),
        "policies": len({p for p, _ in lines}),
        "lines": len(lines),
        "unverified_lines": sum(s == "unverified" for _, s in lines),
        "lines_without_official_link": sum(not _official(policies[p]) for p, _ in lines if p in policies),
        "zero_amount_lines": len(ZERO_LINE.findall(md)),
        "filler_cells": md.count(FILLER),
        "zero_cells": len(ZERO_CELL.findall(md)),
        "city_policies": city,
    }


def _summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    with_items = [r for r in rows if r["investment"] > 0]
    return {
        "plans": len(rows),
        "plans_with_items": len(with_items),
        "counted_share": _dist([r["counted"] / r["investment"] for r in with_items]),
        "likely_share": _dist([r["likely"] / r["investment"] for r in with_items]),
        "policies_per_plan": _dist([float(r["policies"]) for r in rows]),
        "lines": sum(r["lines"] for r in rows),
        "unverified_lines": sum(r["unverified_lines"] for r in rows),
        "lines_without_official_link": sum(r["lines_without_official_link"] for r in rows),
        "zero_amount_lines": sum(r["zero_amount_lines"] for r in rows),
        "filler_cells": sum(r["filler_cells"] for r in rows),
        "zero_cells": sum(r["zero_cells"] for r in rows),
        "plans_naming_a_city_policy": sum(bool(r["city_policies"]) for r in rows),
        "city_policies_named": sorted({p for r in rows for p in r["city_policies"]}),
    }


def run_funding_bench(examples: Sequence[Path], n: int = 300, seed: int = 14) -> dict[str, Any]:
    loaded = default_catalog()
    policies = {p.id: p for p in loaded.policies}
    options = PlanOptions(with_routes=False, as_of=AS_OF)
    started = time.perf_counter()
    example_rows = []
    for path in examples:
        row = read_plan(build_plan(load_profile(path), loaded, options), policies)
        row["example"] = path.stem
        example_rows.append(row)
    rng = random.Random(seed)
    raw = [synthetic_profile(loaded, rng, k) for k in range(n)]
    rows = [read_plan(build_plan(parse_profile(r, loaded), loaded, options), policies) for r in raw]
    answered = []
    has_facts = "funding" in type(parse_profile(raw[0], loaded)).model_fields if raw else False
    if has_facts:
        for r in raw:
            status = "high_tech" if "high_tech" in r.get("qualifications", []) else "standard"
            profile = parse_profile({**r, "funding": {"tax_status": status}}, loaded)
            answered.append(read_plan(build_plan(profile, loaded, options), policies))
    return {
        "benchmark": "funding",
        "n_generated": n,
        "seed": seed,
        "as_of": AS_OF.isoformat(),
        "examples": [p.stem for p in examples],
        "seconds": round(time.perf_counter() - started, 1),
        "definitions": {
            "counted": "counted grants + counted tax savings + counted interest subsidies within the horizon (the "
            "one-time equipment deduction's tax timing, brought forward and paid back, is not support and is left "
            "out since it has its own row)",
            "likely": "who-pays 'likely if confirmed'; before issue 14: eligible, not counted amounts",
            "official_link": "the policy's official_url, or a source URL on a gov.cn site",
            "zero_amount_lines": "lines of the Markdown plan printing 0.0 万元 for a policy",
            "filler_cells": f"occurrences of '{FILLER}' in the Markdown plan",
            "zero_cells": "table cells of the Markdown plan printing 0.00",
            "city_policies": "city-level policies a plan names (a line, a how-to-apply step or a note)",
        },
        "generated": _summary(rows),
        "generated_tax_status_answered": _summary(answered) if answered else None,
        "examples_summary": _summary(example_rows),
        "rows": example_rows,
    }
