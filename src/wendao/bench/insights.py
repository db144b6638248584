"""`wendao bench insights --enterprises 100000`: the organiser dashboards at province scale, on PostgreSQL.

What it does, in order:

1. Creates a throwaway database ``wendao_bench_insights_<pid>_<random>`` on the server of ``--database-url``
   (the role needs CREATEDB) and always drops it at the end (``DROP DATABASE … WITH (FORCE)``).
2. In a helper process (so this process never configures Django) with DATABASE_URL pointing at it: migrates,
   seeds the catalog, and generates the data:
   - ``templates`` (default 120) synthetic enterprises from ``wendao.synthetic`` get a real assessment
     and a real plan from the engine (``assess`` + ``build_plan``, no model routes);
   - enterprise *i* copies template *i mod templates*: its own name and city, employees and revenue scaled by
     a factor in [0.8, 1.25] (money of its plan scaled by the same factor), overall score moved by up to ±5
     points; 70 % of enterprises have a plan, 10 % of those also an older, superseded one; 30 % of the
     items of a planned enterprise are marked started or deployed (``ScenarioProgress``);
   - rows are written with PostgreSQL COPY (``cursor.copy``), ids assigned here, sequences reset after;
   - stored JSON keeps the engine's shapes but not their bulk: the profile without answers (as the web app
     stores it), the round's answers and full ``Assessment`` result, and the plan without its 250 KB ranked
     ``scenarios`` list, ``excluded``, ``sources`` and the items' ``funding``/``kpis`` (a full plan is ~400 KB;
     10⁵ of them would be 40 GB). No dashboard reads plan JSON: they read ``PlanSummary`` rows, which are
     written for every plan exactly as the ``PlanRecord`` signal writes them (``insights.signals.summary_rows``);
   - one programme with every enterprise as a participant, one organiser, one target per metric.
3. Times, ``repeat`` times each: every dashboard as the full view through Django's test client logged in as
   the organiser (dashboard, demand, pilot ranking, targets, the participant table) and as a city official
   (the city dashboard over the largest city, every firm of it sharing), and the same pages' queries alone;
   the same-run baselines are the no-op view ``/healthz`` through the same client and a ``SELECT 1`` round trip.
   Reports p50/p95/max seconds, the ratio to the baseline, whether each page meets the 1 s target, and the
   EXPLAIN ANALYZE execution time of the main aggregate queries.
4. Makes the programme's report for superiors once, as the task queue's worker would (``build_report``: the
   document, its PDF and its Word file): wall and CPU seconds against issue 18's "under a minute for 300
   participants", and the files' sizes.
"""

from __future__ import annotations

import json
import os
import platform
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

TARGET_SECONDS = 1.0
REPORT_TARGET_SECONDS = 60.0  # the report for superiors, start to Word and PDF (issue 18: 300 participants)
SEED = 20260524
ORGANISER = "bench-organiser"
CITY_OFFICIAL = "bench-city"  # the official of the city with most enterprises, all of which agreed to share
PLAN_KEYS_DROPPED = ("scenarios", "excluded", "sources")
ITEM_KEYS_DROPPED = ("funding", "kpis")


class BenchError(Exception):
    """A problem the user can fix (no PostgreSQL URL, server unreachable, no CREATEDB)."""


# --- parent: throwaway database ------------------------------------------------------------------------------


def _connect(url: str) -> Any:
    """A maintenance connection: the ``postgres`` database (as Django's test runner does), else the URL's own."""
    import psycopg

    parts = urlparse(url)
    problems = []
    for dbname in dict.fromkeys(("postgres", parts.path.lstrip("/") or "postgres")):
        try:
            return psycopg.connect(
                host=parts.hostname or "",
                port=parts.port or 5432,
                user=parts.username or "",
                password=parts.password or "",
                dbname=dbname,
                autocommit=True,
                connect_timeout=10,
            )
        except psycopg.Error as exc:
            problems.append(f"{dbname}: {exc}")
    raise BenchError(f"cannot connect to {parts.hostname}:{parts.port or 5432}: " + "; ".join(problems))


def _with_database(url: str, name: str) -> str:
    return urlunparse(urlparse(url)._replace(path=f"/{name}"))


def run_insights_bench(
    enterprises: int = 100_000,
    database_url: str | None = None,
    repeat: int = 5,
    templates: int = 120,
    timeout: float = 3600.0,
) -> dict[str, Any]:
    url = database_url or os.environ.get("DATABASE_URL", "")
    if urlparse(url).scheme not in ("postgres", "postgresql", "pgsql"):
        raise BenchError("--database-url must be a PostgreSQL URL, e.g. postgres://wendao:wendao@127.0.0.1:5432/wendao")
    name = f"wendao_bench_insights_{os.getpid()}_{secrets.token_hex(3)}"
    admin = _connect(url)
    try:
        try:
            admin.execute(f'CREATE DATABASE "{name}"')
        except Exception as exc:
            raise BenchError(f"cannot create the throwaway database {name}: {exc}") from exc
        try:
            result = _helper(_with_database(url, name), enterprises, repeat, templates, timeout)
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        admin.close()
    result["database"] = {"throwaway": name, "dropped": True, "server": urlparse(url).hostname}
    return result


def _helper(url: str, enterprises: int, repeat: int, templates: int, timeout: float) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="wendao-bench-insights-") as tmp:
        out = Path(tmp) / "result.json"
        env = dict(os.environ)
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "wendao.web.settings",
                "DATABASE_URL": url,
                "WENDAO_VAR_DIR": tmp,
                "WENDAO_DEBUG": "0",
                "ALLOWED_HOSTS": "testserver",
                "WENDAO_DB_CONN_MAX_AGE": "0",
                "PYTHONUNBUFFERED": "1",
            }
        )
        args = [str(out), str(enterprises), str(repeat), str(templates)]
        done = subprocess.run(
            [sys.executable, "-m", "wendao.bench.insights", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if done.returncode != 0:
            raise RuntimeError(f"bench insights helper failed:\n{done.stdout[-3000:]}\n{done.stderr[-5000:]}")
        result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
        return result


# --- helper process: generate, then time -----------------------------------------------------------------------


def _stats(samples: list[float], baseline: float | None = None) -> dict[str, Any]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]
    out: dict[str, Any] = {
        "n": len(samples),
        "p50_s": round(statistics.median(ordered), 4),
        "p95_s": round(p95, 4),
        "max_s": round(ordered[-1], 4),
    }
    if baseline:
        out["p50_vs_baseline"] = round(statistics.median(ordered) / baseline, 1)
    return out


def _templates(count: int, rng: random.Random) -> list[dict[str, Any]]:
    from wendao.engine.assessment import assess
    from wendao.engine.catalog import default_catalog
    from wendao.engine.plan import PlanOptions, build_plan
    from wendao.engine.profile import parse_profile
    from wendao.synthetic import synthetic_profile
    from wendao.web.enterprises.services import ROUND_FIELDS

    loaded = default_catalog()
    group = {i.code: i.group for i in loaded.catalog.industries}
    options = PlanOptions(with_routes=False)
    out = []
    for k in range(count):
        data = synthetic_profile(loaded, rng, k)
        profile = parse_profile(data, loaded)
        assessment = assess(profile.answers, loaded.questionnaire)
        plan = build_plan(profile, loaded, options, None).model_dump(mode="json")
        for key in PLAN_KEYS_DROPPED:
            plan.pop(key, None)
        for item in plan.get("items", []):
            for key in ITEM_KEYS_DROPPED:
                item.pop(key, None)
        out.append(
            {
                "profile": profile.model_dump(mode="json", exclude=set(ROUND_FIELDS)),
                "answers": data["answers"],
                "result": assessment.model_dump(mode="json"),
                "overall": assessment.overall,
                "dimensions": [(d.id, d.score) for d in assessment.dimensions],
                "plan": plan,
                "industry": profile.industry,
                "group": group[profile.division],
                "chain": profile.chain or "",
                "employees": profile.employees,
                "revenue": profile.revenue,
            }
        )
    return out


def _scaled_plan(plan: dict[str, Any], factor: float) -> dict[str, Any]:
    scaled = dict(plan)
    money = dict(plan.get("money") or {})
    for key in ("one_off", "subsidy", "net_one_off", "npv"):
        if isinstance(money.get(key), int | float):
            money[key] = round(money[key] * factor, 2)
    if isinstance(money.get("annual_benefit"), dict):
        money["annual_benefit"] = {k: round(v * factor, 2) for k, v in money["annual_benefit"].items()}
    scaled["money"] = money
    items = []
    for item in plan.get("items", []):
        item = dict(item)
        for key in ("one_off", "subsidy", "net_one_off", "annual_cost", "npv"):
            if isinstance(item.get(key), int | float):
                item[key] = round(item[key] * factor, 2)
        items.append(item)
    scaled["items"] = items
    return scaled


# the summary figures added by insights migration 0002 (band, running cost, likely subsidy)
EXTRA_SUMMARY_FIELDS = ("annual_benefit_low", "annual_benefit_high", "annual_running", "subsidy_likely")


def _copy(cursor: Any, table: str, columns: list[str], rows: Any) -> int:
    n = 0
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            n += 1
    return n


def generate(n: int, templates: int, seed: int = SEED) -> dict[str, Any]:
    """Bulk data for the dashboards; returns counts and seconds (see the module docstring for the method)."""
    from django.apps import apps
    from django.db import connection
    from django.utils import timezone

    from wendao.engine.profile import above_designated_size, size_class
    from wendao.web.accounts.models import Role, User
    from wendao.web.catalog.services import active_catalog, seed_catalog
    from wendao.web.enterprises.models import Enterprise
    from wendao.web.insights import queries, targets
    from wendao.web.insights.models import Target
    from wendao.web.insights.signals import extra_fields, need_rows, summary_rows
    from wendao.web.programmes.models import Participant, Programme

    started = time.perf_counter()
    rng = random.Random(seed)
    seed_catalog()
    loaded = active_catalog()
    cities = [c.id for c in loaded.catalog.cities if c.in_shandong]
    t0 = time.perf_counter()
    pool = _templates(templates, rng)
    template_seconds = time.perf_counter() - t0
    organiser = User.objects.create_user(username=ORGANISER, password=secrets.token_hex(8), role=Role.ORGANISER)
    programme = Programme.objects.create(name="全省（基准测试）")
    programme.organisers.add(organiser)
    now = timezone.now()
    older = now - timezone.timedelta(days=90)
    json_dumps = json.dumps
    counts: dict[str, int] = {}
    t0 = time.perf_counter()
    with connection.cursor() as django_cursor:
        cursor = django_cursor.cursor  # the psycopg cursor, for COPY
        picks = []
        for i in range(n):
            t = pool[i % len(pool)]
            factor = rng.uniform(0.8, 1.25)
            picks.append((i + 1, t, factor, rng.choice(cities), rng.random(), rng.random()))

        def enterprise_rows() -> Any:
            for pk, t, factor, city, _r1, _r2 in picks:
                employees = max(1, int(t["employees"] * factor))
                revenue = round(t["revenue"] * factor, 1)
                profile = dict(t["profile"], name=f"基准企业{pk:06d}（合成）", city=city, employees=employees)
                profile["revenue"] = revenue
                size = size_class(employees, revenue)
                above = above_designated_size(revenue)
                yield (
                    pk,
                    profile["name"],
                    city,
                    t["industry"],
                    t["group"],
                    t["chain"],
                    employees,
                    revenue,
                    str(size),
                    above,
                    json_dumps(profile, ensure_ascii=False),
                    True,
                    now,
                    now,
                )

        counts["enterprises"] = _copy(
            cursor,
            "enterprises_enterprise",
            [
                "id",
                "name",
                "city",
                "industry",
                "industry_group",
                "chain",
                "employees",
                "revenue",
                "size_class",
                "above_designated_size",
                "profile",
                "synthetic",
                "created_at",
                "updated_at",
            ],
            enterprise_rows(),
        )

        def round_rows() -> Any:
            for pk, t, _f, _c, _r1, _r2 in picks:
                overall = round(min(100.0, max(0.0, t["overall"] + rng.uniform(-5, 5))), 1)
                result = dict(t["result"], overall=overall)
                yield (
                    pk,
                    pk,
                    0,
                    t["result"]["questionnaire_version"],
                    json_dumps(t["answers"], ensure_ascii=False),
                    "{}",
                    json_dumps(result, ensure_ascii=False),
                    overall,
                    True,
                    now,
                    now,
                    now,
                )

        counts["rounds"] = _copy(
            cursor,
            "enterprises_assessmentround",
            [
                "id",
                "enterprise_id",
                "number",
                "questionnaire_version",
                "answers",
                "evidence",
                "result",
                "overall",
                "current",
                "started_at",
                "updated_at",
                "completed_at",
            ],
            round_rows(),
        )
        # the ORM here: Participant belongs to the programmes app, whose columns may grow
        Participant.objects.bulk_create(
            # synthetic firms that accepted the invitation: dashboards read joined participants only
            (Participant(programme=programme, enterprise_id=pk, joined_at=now) for pk, *_rest in picks),
            batch_size=5000,
        )
        counts["participants"] = n
        plans: list[tuple[int, int, dict[str, Any], bool, Any]] = []  # plan pk, enterprise pk, plan, latest, when
        for pk, t, factor, _c, has_plan, replanned in picks:
            if has_plan >= 0.7:
                continue
            plan = _scaled_plan(t["plan"], factor)
            if replanned < 0.1:
                plans.append((len(plans) + 1, pk, _scaled_plan(t["plan"], factor * 0.9), False, older))
            plans.append((len(plans) + 1, pk, plan, True, now))
        counts["plans"] = _copy(
            cursor,
            "enterprises_planrecord",
            # inputs "": a generated plan has no digest, so a regeneration re-plans it (PlanRecord.inputs)
            ["id", "enterprise_id", "round_id", "plan", "catalog_version", "options", "inputs", "created_at"],
            (
                (plan_pk, e, e, json_dumps(plan, ensure_ascii=False), plan.get("catalog_version", ""), "{}", "", when)
                for plan_pk, e, plan, _latest, when in plans
            ),
        )
        summaries = []
        items = []
        needs = []
        progress = []
        for plan_pk, e, plan, latest, _when in plans:
            summary, item_rows = summary_rows(plan_pk, e, plan)
            extra = extra_fields(plan)
            summaries.append(
                (
                    plan_pk,
                    e,
                    latest,
                    summary.items,
                    summary.one_off,
                    summary.subsidy,
                    summary.annual_benefit_median,
                    *(extra[f] for f in EXTRA_SUMMARY_FIELDS),
                )
            )
            items += [(plan_pk, r.scenario_id, r.name_zh, r.name_en, r.npv, r.one_off) for r in item_rows]
            needs += [(plan_pk, r.scenario_id, r.name_zh, r.name_en) for r in need_rows(plan_pk, plan)]
            if latest:
                for r in item_rows:
                    draw = rng.random()
                    if draw < 0.3:
                        status = "deployed" if draw < 0.12 else "started"
                        progress.append((e, plan_pk, r.scenario_id, r.name_zh, r.npv, r.one_off, status, now))
        counts["plan_summaries"] = _copy(
            cursor,
            "insights_plansummary",
            [
                "plan_id",
                "enterprise_id",
                "latest",
                "items",
                "one_off",
                "subsidy",
                "annual_benefit_median",
                *EXTRA_SUMMARY_FIELDS,
            ],
            summaries,
        )
        counts["plan_need_rows"] = _copy(
            cursor, "insights_planneedsummary", ["summary_id", "scenario_id", "name_zh", "name_en"], needs
        )
        counts["plan_item_rows"] = _copy(
            cursor,
            "insights_planitemsummary",
            ["summary_id", "scenario_id", "name_zh", "name_en", "npv", "one_off"],
            items,
        )
        counts["scenario_progress"] = _copy(
            cursor,
            "insights_scenarioprogress",
            ["enterprise_id", "plan_id", "scenario_id", "name_zh", "npv", "one_off", "status", "updated_at"],
            progress,
        )
        for table in ("enterprises_enterprise", "enterprises_assessmentround", "enterprises_planrecord"):
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
    t1 = time.perf_counter()
    counts["pilot_components"] = queries.refresh_pilot_components(Enterprise.objects.all())
    pilot_seconds = time.perf_counter() - t1
    with connection.cursor() as django_cursor:  # outside the COPY transaction: VACUUM cannot run inside one
        # what autovacuum does on a live server: statistics and the visibility map index-only scans need
        tables = [m._meta.db_table for m in apps.get_models() if m._meta.app_label in ("enterprises", "insights")]
        for table in [*tables, "programmes_participant"]:
            django_cursor.execute(f'VACUUM ANALYZE "{table}"')
    copy_seconds = time.perf_counter() - t0
    today = timezone.localdate()
    for metric in targets.METRICS.values():
        Target.objects.create(
            programme=programme,
            metric=metric.id,
            parameter=metric.parameter_default,
            value=1000,
            start_date=today.replace(month=1, day=1),
            due_date=today.replace(year=today.year + 2, month=12, day=31),
            source="bench",
            created_by=organiser,
        )
    counts["targets"] = len(targets.METRICS)
    # the city official's view: the largest city, every enterprise of it agreeing to share
    from collections import Counter

    from wendao.web.insights.models import CityShare

    city = Counter(c for _pk, _t, _f, c, _r1, _r2 in picks).most_common(1)[0][0]
    User.objects.create_user(username=CITY_OFFICIAL, password=secrets.token_hex(8), role="city_official", city=city)
    counts["city_shares"] = len(
        CityShare.objects.bulk_create(
            [CityShare(enterprise_id=pk) for pk, _t, _f, c, _r1, _r2 in picks if c == city], batch_size=5000
        )
    )
    return {
        "counts": counts,
        "programme": programme.pk,
        "templates": len(pool),
        "template_plans_seconds": round(template_seconds, 1),
        "copy_seconds": round(copy_seconds, 1),
        "pilot_components_seconds": round(pilot_seconds, 1),
        "generate_seconds": round(time.perf_counter() - started, 1),
    }


def _explain(sql_and_params: tuple[str, Any]) -> float | None:
    from django.db import connection

    sql, params = sql_and_params
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    value = plan[0].get("Execution Time")
    return round(float(value), 1) if value is not None else None


def measure(programme_pk: int, repeat: int) -> dict[str, Any]:
    from django.db import connection
    from django.db.models import Count, Sum
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from wendao.web.accounts.models import User
    from wendao.web.enterprises.access import city_enterprises_for_user
    from wendao.web.insights import queries, targets
    from wendao.web.insights.median import Median
    from wendao.web.insights.models import PlanItemSummary
    from wendao.web.insights.pilots import Weights
    from wendao.web.insights.views import PILOTS_PER_PAGE
    from wendao.web.programmes.models import Participant, Programme
    from wendao.web.programmes.participant_table import participant_table

    client = Client()
    client.force_login(User.objects.get(username=ORGANISER))
    city_client = Client()
    city_client.force_login(User.objects.get(username=CITY_OFFICIAL))
    programme = Programme.objects.get(pk=programme_pk)
    enterprises = queries.enterprises_of(Programme.objects.filter(pk=programme_pk))

    def select_one() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()

    def noop_view() -> None:
        assert client.get("/healthz").status_code == 200

    def page(url: str, as_city: bool = False) -> Any:
        def get() -> None:
            response = (city_client if as_city else client).get(url)
            if response.status_code != 200:
                raise RuntimeError(f"{url}: HTTP {response.status_code}")

        return get

    def dashboard_queries() -> None:  # what views.dashboard runs
        queries.maturity_distributions(enterprises, ["city", "division", "chain", "size"])
        queries.demand_heatmap(enterprises)
        queries.money(enterprises)
        Participant.objects.filter(programme=programme).count()

    def demand_queries() -> None:  # what views.demand runs (by city, and the whole programme)
        queries.demand_by(enterprises, "city")
        queries.demand_by(enterprises, "all")

    def pilot_queries() -> None:  # the page loads its first page of the ranking (and counts it)
        queries.pilot_ranking(enterprises, Weights(), PILOTS_PER_PAGE)

    def target_queries() -> None:
        targets.programme_progress(programme, timezone.localdate())

    def participant_queries() -> None:  # the participant table: counts over all, the rows of the first page
        participant_table(programme, {})

    def city_queries() -> None:  # the city official's dashboard (division, chain, size; heat map; money)
        shared = city_enterprises_for_user(User.objects.get(username=CITY_OFFICIAL))
        queries.maturity_distributions(shared, ["division", "chain", "size"])
        queries.demand_heatmap(shared)
        queries.money(shared)

    def timed(fn: Any) -> list[float]:
        fn()  # warm-up: connection, template and catalog caches
        samples = []
        for _ in range(repeat):
            start = time.perf_counter()
            fn()
            samples.append(time.perf_counter() - start)
        return samples

    baseline_select = timed(select_one)
    baseline_view = timed(noop_view)
    base_select = statistics.median(baseline_select)
    base_view = statistics.median(baseline_view)
    pages = {
        "dashboard": (reverse("insights:dashboard", kwargs={"pk": programme_pk}), dashboard_queries),
        "demand": (reverse("insights:demand", kwargs={"pk": programme_pk}), demand_queries),
        "pilots": (reverse("insights:pilots", kwargs={"pk": programme_pk}), pilot_queries),
        "targets": (reverse("insights:targets", kwargs={"pk": programme_pk}), target_queries),
        "participants": (reverse("programmes:detail", kwargs={"pk": programme_pk}), participant_queries),
        "city": (reverse("insights:city"), city_queries),
    }
    result: dict[str, Any] = {
        "baseline": {"select_1": _stats(baseline_select), "noop_view": _stats(baseline_view)},
        "pages": {},
    }
    for name, (url, only_queries) in pages.items():
        view = _stats(timed(page(url, as_city=name == "city")), base_view)
        alone = _stats(timed(only_queries), base_select)
        result["pages"][name] = {
            "url": url,
            "view": view,
            "queries": alone,
            "meets_target": view["p95_s"] < TARGET_SECONDS,
        }
    heat_qs = (
        PlanItemSummary.objects.filter(summary__latest=True, summary__enterprise__in=enterprises)
        .values("summary__enterprise__chain", "scenario_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    city_qs = (
        queries.current_rounds(enterprises)
        .annotate(key=queries.DIMENSIONS["city"])
        .values("key")
        .annotate(n=Count("pk"), median=Median("overall"))
        .order_by("key")
    )
    result["explain_ms"] = {
        "heatmap": _explain(heat_qs.query.sql_with_params()),
        "maturity_by_city_with_median": _explain(city_qs.query.sql_with_params()),
        "totals": _explain(
            queries.latest_plans(enterprises)
            .values("latest")
            .annotate(s=Sum("one_off"))
            .order_by()
            .query.sql_with_params()
        ),
    }
    result["report"] = _time_report(programme)
    return result


def _time_report(programme: Any) -> dict[str, Any]:
    """The report for superiors in Chinese, made once by the worker's function (the organiser's click queues it)."""
    from wendao.web.accounts.models import User
    from wendao.web.insights.models import CohortReport
    from wendao.web.insights.report import build_report, start_report

    report = start_report(User.objects.get(username=ORGANISER), programme, "zh")
    wall, cpu = time.perf_counter(), time.process_time()
    build_report(report.pk)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    report = CohortReport.objects.get(pk=report.pk)
    return {
        "status": report.status,
        "participants": programme.participants.count(),
        "wall_s": round(wall, 2),
        "cpu_s": round(cpu, 2),
        "pdf_kb": round(len(bytes(report.pdf or b"")) / 1024, 1),
        "docx_kb": round(len(bytes(report.docx or b"")) / 1024, 1),
        "target_seconds": REPORT_TARGET_SECONDS,
        "meets_target": report.status == CohortReport.Status.DONE and wall < REPORT_TARGET_SECONDS,
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def _main(argv: list[str]) -> None:
    out, n, repeat, templates = Path(argv[0]), int(argv[1]), int(argv[2]), int(argv[3])
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0, interactive=False)
    generated = generate(n, templates)
    timings = measure(generated["programme"], repeat)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database()), version()")
        size, version = cursor.fetchone()
    result = {
        "bench": "insights",
        "enterprises": n,
        "repeat": repeat,
        "target_seconds": TARGET_SECONDS,
        **generated,
        **timings,
        "all_meet_target": all(p["meets_target"] for p in [*timings["pages"].values(), timings["report"]]),
        "database_size_mb": round(size / 1e6, 1),
        "postgres": version.split(",")[0],
        "python": platform.python_version(),
        "machine": f"{platform.machine()} × {os.cpu_count()} CPUs",
    }
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    _main(sys.argv[1:])
