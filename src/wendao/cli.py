"""The ``wendao`` command line (DESIGN §3). Thin: parse, call one use case, print.

JSON output is the contract; rich tables are for people. Exit codes: 0 ok, 1 user error (with the field,
row or question named), 2 usage.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from wendao.engine.catalog import CatalogError, catalog_summary, default_catalog, load_catalog
from wendao.engine.objectives import OBJECTIVES
from wendao.web.jobs.cli import jobs_app

app = typer.Typer(
    help="问道 wendao — AI transformation plans for manufacturers", no_args_is_help=True, pretty_exceptions_enable=False
)
catalog_app = typer.Typer(help="The knowledge base", no_args_is_help=True)
scenarios_app = typer.Typer(help="Scenario search", no_args_is_help=True)
bench_app = typer.Typer(help="Benchmarks (JSON results, same-run baselines)", no_args_is_help=True)
cohort_app = typer.Typer(help="Programme cohorts: discussion groups", no_args_is_help=True)
app.add_typer(catalog_app, name="catalog")
app.add_typer(scenarios_app, name="scenarios")
app.add_typer(bench_app, name="bench")
app.add_typer(cohort_app, name="cohort")
app.add_typer(jobs_app, name="jobs")

out = Console()
err = Console(stderr=True)


class Format(StrEnum):
    text = "text"
    json = "json"


class TaxonomyOption(StrEnum):
    all = "all"
    miit = "miit"
    ai = "ai"


EXAMPLES_DIR = Path(__file__).resolve().parent / "data" / "examples"


def _emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


MAX_PROBLEM_LINES = 20  # a broken file of 5 000 rows (or an expanded one) is not printed whole


def _fail(problems: list[str], title: str) -> None:
    err.print(f"[bold red]{title}[/]")
    for p in problems[:MAX_PROBLEM_LINES]:
        err.print(f"  • {p}", markup=False, highlight=False)
    if len(problems) > MAX_PROBLEM_LINES:
        err.print(f"  … and {len(problems) - MAX_PROBLEM_LINES} more", markup=False, highlight=False)
    raise typer.Exit(1)


def _fail_line(message: str) -> None:
    """A file that cannot be read at all (missing, too large, YAML aliases, not YAML): one line, exit 1."""
    err.print(message, style="bold red", markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(1)


@catalog_app.command("check")
def catalog_check(
    data: Annotated[Path | None, typer.Option(help="catalog folder (default: the bundled one)")] = None,
    format: Annotated[Format, typer.Option("--format")] = Format.text,
) -> None:
    """Validate the knowledge base; fail on any number without source and date (or an explicit estimate)."""
    try:
        loaded = load_catalog(data)
    except CatalogError as exc:
        if format is Format.json:
            _emit_json({"ok": False, "problems": exc.problems})
            raise typer.Exit(1) from None
        _fail(exc.problems, f"catalog invalid: {len(exc.problems)} problem(s)")
    summary = catalog_summary(loaded)
    from wendao.engine.cases import CasesError, case_coverage, load_cases

    try:  # the case library (data/cases.yaml): real published cases, coverage per scenario reported honestly
        summary["cases"] = case_coverage(load_cases(loaded), loaded)
    except CasesError as exc:
        if format is Format.json:
            _emit_json({"ok": False, "problems": exc.problems})
            raise typer.Exit(1) from None
        _fail(exc.problems, f"case library invalid: {len(exc.problems)} problem(s)")
    from wendao.engine.catalog.language import language_problems
    from wendao.engine.catalog.policy_check import policy_warnings

    # a citation in the wrong language is a warning, not a refusal: an editor's new policy still loads
    warnings = policy_warnings(loaded.policies, date.today()) + language_problems(loaded)
    if format is Format.json:
        _emit_json({"ok": True, **summary, "warnings": warnings})
        return
    for warning in warnings:
        err.print(f"[yellow]warning:[/yellow] {warning}")
    table = Table(title=f"wendao catalog {summary['version']} (as of {summary['as_of']}) — OK")
    table.add_column("what")
    table.add_column("count", justify="right")
    for key, value in summary["counts"].items():
        table.add_row(key, str(value))
    cases = summary["cases"]
    table.add_row("cases", str(cases["cases"]))
    table.add_row("MIIT scenarios with a case", f"{cases['miit_scenarios_with_a_case']} of {cases['miit_scenarios']}")
    out.print(table)
    covered = ", ".join(f"{sid} {n}" for sid, n in cases["per_scenario"].items() if n)
    out.print(f"cases per scenario: {covered or 'none'}", markup=False, highlight=False)


def _load_profile_or_exit(path: Path) -> Any:
    from wendao.engine.profile import ProfileError, ProfileFileError, load_profile

    try:
        return load_profile(path)
    except ProfileFileError as exc:
        _fail_line(exc.problems[0])
    except ProfileError as exc:
        _fail(exc.problems, f"{path}: invalid profile")


@app.command()
def assess(
    profile: Annotated[Path, typer.Argument(help="enterprise profile, YAML or JSON")],
    format: Annotated[Format, typer.Option("--format")] = Format.text,
) -> None:
    """Maturity assessment of one enterprise profile."""
    from wendao.engine.assessment import AnswersError
    from wendao.engine.assessment import assess as run_assessment

    prof = _load_profile_or_exit(profile)
    loaded = default_catalog()
    try:
        result = run_assessment(prof.answers, loaded.questionnaire)
    except AnswersError as exc:
        _fail([str(p) for p in exc.problems], f"{profile}: {len(exc.problems)} answer problem(s)")
    if format is Format.json:
        _emit_json(
            {
                "enterprise": prof.name,
                "size_class": prof.size_class,
                "above_designated_size": prof.above_designated_size,
                "catalog_version": loaded.version,
                **result.model_dump(mode="json"),
            }
        )
        return
    _print_assessment(prof, result)


def _print_assessment(prof: Any, result: Any) -> None:
    from wendao.engine.profile import SIZE_NAMES

    size_zh = SIZE_NAMES[prof.size_class][0]
    out.print(
        f"[bold]{prof.name}[/] — {size_zh}企业{'（规上）' if prof.above_designated_size else ''}，"
        f"总分 [bold]{result.overall}[/] / 100"
    )
    table = Table(title="成熟度（按维度）")
    table.add_column("维度")
    table.add_column("Dimension")
    table.add_column("得分", justify="right")
    for d in result.dimensions:
        table.add_row(d.name_zh, d.name_en, "不适用" if d.score is None else f"{d.score:.1f}")
    out.print(table)
    for lv in result.levels:
        out.print(f"{lv.name_zh}：[bold]{lv.label_zh}[/]")
    out.print("[bold]主要短板[/]")
    for g in result.gaps:
        out.print(f"  {g.name_zh} {g.score:.1f}")
        for q in g.held_back_by:
            out.print(f"    - {q.text_zh} → 下一步：{q.next_option_zh}", markup=False)


def _read_batch(path: Path) -> list[str]:
    try:
        return [line.rstrip("\n") for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    except FileNotFoundError:
        _fail([f"{path}: file not found"], "cannot read batch file")
    except UnicodeDecodeError:
        _fail([f"{path}: not UTF-8 text"], "cannot read batch file")
    return []


@scenarios_app.command("match")
def scenarios_match(
    text: Annotated[str | None, typer.Argument(help="a need in free text (Chinese or English)")] = None,
    batch: Annotated[Path | None, typer.Option("--batch", help="one text per line; JSON lines out")] = None,
    top: Annotated[int, typer.Option("--top", min=1, max=100)] = 5,
    taxonomy: Annotated[
        TaxonomyOption, typer.Option(help="all scenarios, the 40 MIIT ones, or AI ones")
    ] = TaxonomyOption.all,
    format: Annotated[Format, typer.Option("--format")] = Format.text,
) -> None:
    """Free-text need -> ranked scenarios."""
    from wendao.engine.search import ScenarioSearch

    if (text is None) == (batch is None):
        err.print("give either TEXT or --batch FILE")
        raise typer.Exit(2)
    search = ScenarioSearch()
    if batch is not None:
        texts = _read_batch(batch)
        for line, matches in zip(texts, search.match_many(texts, top=top, taxonomy=taxonomy.value), strict=True):
            sys.stdout.write(
                json.dumps(
                    {"text": line, "matches": [{"id": m.id, "name_zh": m.name_zh, "score": m.score} for m in matches]},
                    ensure_ascii=False,
                )
                + "\n"
            )
        return
    assert text is not None
    if not text.strip():
        _fail(["TEXT is empty"], "nothing to match")
    matches = search.match(text, top=top, taxonomy=taxonomy.value)
    if format is Format.json:
        _emit_json({"text": text, "matches": [m.model_dump() for m in matches]})
        return
    table = Table(title=f"“{text}”")
    for col in ("#", "场景", "Scenario", "类型", "得分", "命中词"):
        table.add_column(col)
    for i, m in enumerate(matches, 1):
        table.add_row(
            str(i), m.name_zh, m.name_en, "MIIT" if m.kind == "miit" else "AI", f"{m.score:.3f}", "、".join(m.matched)
        )
    out.print(table)


class PlanFormat(StrEnum):
    json = "json"
    md = "md"
    html = "html"
    pdf = "pdf"
    docx = "docx"


# the engine's objectives (engine/objectives.py) as a choice typer lists
ObjectiveOption = StrEnum("ObjectiveOption", {o: o for o in OBJECTIVES})


@app.command()
def plan(
    profile: Annotated[Path, typer.Argument(help="enterprise profile, YAML or JSON")],
    format: Annotated[PlanFormat, typer.Option("--format")] = PlanFormat.json,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="write here instead of stdout")] = None,
    lang: Annotated[str, typer.Option("--lang", help="zh or en (documents)")] = "zh",
    budget: Annotated[float | None, typer.Option(help="万元 per year (default: the profile's)", min=0)] = None,
    horizon: Annotated[int | None, typer.Option(help="quarters", min=4, max=40)] = None,
    objective: Annotated[ObjectiveOption, typer.Option()] = ObjectiveOption.npv,
    no_search: Annotated[bool, typer.Option("--no-search", help="skip pain-point matching (faster)")] = False,
    pin: Annotated[
        list[str] | None, typer.Option("--pin", help="scenario id the roadmap must contain (repeatable)")
    ] = None,
    drop: Annotated[
        list[str] | None, typer.Option("--drop", help="scenario id the roadmap must leave out (repeatable)")
    ] = None,
) -> None:
    """The full plan for one enterprise: assessment, ranked scenarios with money, roadmap, funding, model routes."""
    from wendao.engine.assessment import AnswersError
    from wendao.engine.plan import ChoiceError, PlanError, PlanOptions, build_plan
    from wendao.engine.search import ScenarioSearch

    if lang not in ("zh", "en"):
        err.print("--lang must be zh or en")
        raise typer.Exit(2)
    prof = _load_profile_or_exit(profile)
    from pydantic import ValidationError

    try:  # the engine bounds each option (--budget 1e300, inf or nan is refused with its range)
        options = PlanOptions(
            budget=budget, horizon_quarters=horizon, objective=objective.value, pin=pin or [], drop=drop or []
        )
    except ValidationError as exc:
        names = {"budget": "--budget", "horizon_quarters": "--horizon"}
        _fail([f"{names.get(str(e['loc'][0]), e['loc'][0])}: {e['msg']}" for e in exc.errors()], "invalid option")
    try:
        result = build_plan(prof, default_catalog(), options, None if no_search else ScenarioSearch())
    except PlanError as exc:
        _fail(exc.problems, f"{profile}: cannot build a plan")
    except ChoiceError as exc:  # in the document's language: the one the user asked for
        if lang == "zh":
            _fail(exc.problems_zh, f"{profile}：无法按所选的 --pin/--drop 生成规划")
        _fail(exc.problems, f"{profile}: cannot honour --pin/--drop")
    except AnswersError as exc:
        _fail([str(p) for p in exc.problems], f"{profile}: {len(exc.problems)} answer problem(s)")
    from wendao.report import render

    if format in (PlanFormat.pdf, PlanFormat.docx) and output is None:
        err.print(f"--format {format.value} writes a binary file: give -o FILE")
        raise typer.Exit(2)
    data = render(result, format.value, lang)
    if output:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_bytes(data)
        err.print(f"wrote {output}")
    else:
        sys.stdout.write(data.decode("utf-8").rstrip("\n") + "\n")


@app.command("model-route")
def model_route(
    spec: Annotated[Path, typer.Argument(help="use case, YAML or JSON (see docs/model-route.md)")],
    format: Annotated[Format, typer.Option("--format")] = Format.text,
    lang: Annotated[str, typer.Option("--lang", help="zh or en (the text output)")] = "zh",
) -> None:
    """LLM customisation routes with cost, GPU memory, hardware and time for one use case."""
    from pydantic import ValidationError

    from wendao.engine.datafile import DataFileError, load_data_file
    from wendao.engine.modelroute import UseCase, advise_routes

    if lang not in ("zh", "en"):
        err.print("--lang must be zh or en")
        raise typer.Exit(2)

    try:
        raw = load_data_file(spec)
    except DataFileError as exc:
        _fail_line(str(exc))
    try:
        use_case = UseCase.model_validate(raw)
    except ValidationError as exc:
        _fail(
            [
                f"{'.'.join(str(p) for p in e['loc']) or '(use case)'}: {e['msg']} (given: {e.get('input')!r})"
                for e in exc.errors()
            ],
            f"{spec}: invalid use case",
        )
    advice = advise_routes(use_case, default_catalog())
    if format is Format.json:
        sys.stdout.write(advice.model_dump_json(indent=2) + "\n")
        return
    from wendao.engine.modelroute import TASK_NAMES, gpu_hours_text
    from wendao.engine.reasons import render_reason
    from wendao.report.routes import wan_range

    en = lang == "en"
    if en:
        out.print(
            f"[bold]{use_case.name}[/] — {TASK_NAMES[use_case.task][1]}; total cost over {use_case.months} months (万元)"
        )
    else:
        out.print(
            f"[bold]{use_case.name}[/] — {TASK_NAMES[use_case.task][0]}；{use_case.months} 个月总成本比较（万元）"
        )
    sep = "; " if en else "；"
    for i, r in enumerate(advice.routes, 1):
        if en:
            mark = "[green]usable[/]" if r.usable else "[red]not usable[/]"
            out.print(f"\n[bold]{i}. {r.name_en}[/] {mark}" + (f"  model: {r.model}" if r.model else ""))
        else:
            mark = "[green]可用[/]" if r.usable else "[red]不可用[/]"
            out.print(f"\n[bold]{i}. {r.name_zh}[/] {mark}" + (f"  模型：{r.model}" if r.model else ""))
        for why in r.why_not:
            out.print(f"   ✗ {render_reason(why, lang)}", markup=False)
        one_off = wan_range(r.one_off_yuan.low, r.one_off_yuan.high)
        yearly = wan_range(r.monthly_yuan.low * 12, r.monthly_yuan.high * 12)
        total = wan_range(r.total_yuan.low, r.total_yuan.high)
        weeks = f"{r.weeks_to_first_result[0]}–{r.weeks_to_first_result[1]}"
        if en:
            line = f"   one-off {one_off} 万元; running {yearly} 万元 a year; total {total} 万元; first result in {weeks} weeks"
        else:
            line = f"   一次性 {one_off} 万元；每年运行 {yearly} 万元；总计 {total} 万元；首个结果 {weeks} 周"
        out.print(line, markup=False)
        if r.gpu_memory_gb is not None:
            hardware = (r.hardware_en or r.hardware) if en else r.hardware
            training = ""
            if r.training_gpu_hours:
                training = sep + ("training " if en else "训练 ") + gpu_hours_text(r.training_gpu_hours, lang)
            memory = f"GPU memory about {r.gpu_memory_gb:.1f} GB" if en else f"显存约 {r.gpu_memory_gb:.1f} GB"
            out.print(f"   {memory}{sep}{'hardware: ' if en else '硬件：'}{hardware or '—'}{training}", markup=False)
        # the workings cite sources and formulas in English (as the knowledge base records them): the Chinese
        # output points to them rather than mixing English into Chinese text
        for w in r.workings if en else []:
            out.print(f"   · {w}", markup=False, highlight=False)
    if not en:
        out.print("\n（各项金额的计算过程与来源：加 --lang en 或 --format json 查看）", markup=False)
    out.print()
    for note in (advice.notes_en or advice.notes) if en else advice.notes:
        out.print(f"· {note}", markup=False)


@bench_app.command("search")
def bench_search(
    cases: Annotated[Path, typer.Option(help="CSV with case_text,label,label2 columns")],
    json_out: Annotated[Path | None, typer.Option("--json", help="write the result JSON here")] = None,
    repeat: Annotated[int, typer.Option(help="timing repetitions")] = 3,
) -> None:
    """Top-1/top-3 accuracy and texts/second of scenario search, with the lexical-only baseline of the same run."""
    from wendao.bench.search import CasesError, run_search_bench

    try:
        result = run_search_bench(cases, repeat=repeat)
    except CasesError as exc:
        _fail(exc.problems, f"{cases}: cannot use cases file")
    if json_out:
        json_out.parent.mkdir(parents=True, exist_ok=True)
        json_out.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    _emit_json(result)


def _write_bench(result: dict[str, Any], json_out: Path | None) -> None:
    if json_out:
        json_out.parent.mkdir(parents=True, exist_ok=True)
        json_out.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    _emit_json({k: v for k, v in result.items() if k != "rows"})


@bench_app.command("optimizer")
def bench_optimizer(
    instances: Annotated[int, typer.Option(min=1, help="generated instances")] = 200,
    seed: Annotated[int, typer.Option()] = 2026,
    exact_max: Annotated[int, typer.Option(help="compare with the exact MILP up to this many candidates")] = 60,
    json_out: Annotated[Path | None, typer.Option("--json", help="write the full result (with rows) here")] = None,
) -> None:
    """CP-SAT roadmap vs an independent exact MILP (HiGHS), greedy-by-ROI and a gap×impact priority."""
    from wendao.bench.optimizer import run_optimizer_bench

    _write_bench(run_optimizer_bench(instances=instances, seed=seed, exact_max_candidates=exact_max), json_out)


@bench_app.command("engine")
def bench_engine(
    n: Annotated[int, typer.Option("--n", min=1, help="generated enterprises")] = 10000,
    workers: Annotated[int | None, typer.Option(min=1, help="processes (default: up to 2)")] = None,
    json_out: Annotated[Path | None, typer.Option("--json")] = None,
) -> None:
    """Full plans (no rendering) for generated enterprises: plans/second and per-plan p50/p95."""
    from wendao.bench.engine import run_engine_bench

    _write_bench(run_engine_bench(n=n, workers=workers), json_out)


@bench_app.command("plausibility")
def bench_plausibility(
    n: Annotated[int, typer.Option("--n", min=1, help="generated enterprises (default: about a minute)")] = 2000,
    seed: Annotated[int, typer.Option()] = 13,
    json_out: Annotated[Path | None, typer.Option("--json", help="write the full result (with example rows) here")] = None,
) -> None:
    """Would a consultant believe the plans? Benefit/revenue, return, payback, empty plans, needs answered,
    marketing in the top 3; the targets of issue 13 as pass/fail."""
    from wendao.bench.plausibility import run_plausibility_bench

    _write_bench(run_plausibility_bench(sorted(EXAMPLES_DIR.glob("*.yaml")), n=n, seed=seed), json_out)


@bench_app.command("funding")
def bench_funding(
    n: Annotated[int, typer.Option("--n", min=1, help="generated enterprises (the demo cohort's size)")] = 300,
    seed: Annotated[int, typer.Option()] = 14,
    json_out: Annotated[Path | None, typer.Option("--json", help="write the full result (with example rows) here")] = None,
) -> None:
    """Who pays: counted and likely support ÷ investment, policies per plan, unverified lines, lines without an
    official link, zero-amount lines and repeated filler (issue 14)."""
    from wendao.bench.funding import run_funding_bench

    _write_bench(run_funding_bench(sorted(EXAMPLES_DIR.glob("*.yaml")), n=n, seed=seed), json_out)


@bench_app.command("report")
def bench_report(
    generated: Annotated[int, typer.Option(min=1, help="generated enterprises besides the examples")] = 100,
    json_out: Annotated[Path | None, typer.Option("--json")] = None,
) -> None:
    """Seconds per PDF and per Word document (examples and generated enterprises)."""
    from wendao.bench.report import run_report_bench

    _write_bench(run_report_bench(sorted(EXAMPLES_DIR.glob("*.yaml")), generated=generated), json_out)


@bench_app.command("coldstart")
def bench_coldstart(
    profile: Annotated[Path, typer.Argument(help="enterprise profile")] = EXAMPLES_DIR / "weifang_machinery.yaml",
    repeat: Annotated[int, typer.Option(min=1, help="processes per measurement")] = 3,
    baseline_src: Annotated[
        Path | None, typer.Option(help="src/ of another commit (git worktree), measured in the same run")
    ] = None,
    web: Annotated[bool, typer.Option(help="also time a web worker getting ready")] = True,
    json_out: Annotated[Path | None, typer.Option("--json")] = None,
    cold_repeat: Annotated[
        int | None, typer.Option(min=1, help="plans with the cache empty (default: --repeat; each embeds every passage)")
    ] = None,
) -> None:
    """One plan from a cold process (embedding cache empty and written) against `wendao assess`, and a web
    worker getting ready; every figure a fresh subprocess."""
    from wendao.bench.coldstart import run_coldstart_bench

    _write_bench(
        run_coldstart_bench(profile, repeat=repeat, baseline_src=baseline_src, web=web, cold_repeat=cold_repeat),
        json_out,
    )


@bench_app.command("export")
def bench_export(
    n: Annotated[int, typer.Option(min=1, help="participants' PDFs (a programme has 300)")] = 300,
    workers: Annotated[int | None, typer.Option(min=1, help="worker processes (default: one per core)")] = None,
    before_n: Annotated[
        int | None, typer.Option(min=1, help="plans also rendered the earlier ways (default: all n)")
    ] = None,
    json_out: Annotated[Path | None, typer.Option("--json")] = None,
) -> None:
    """The organiser's cohort export: n plan PDFs on the available workers, zipped; minutes and MB, now (Typst),
    through WeasyPrint and before issue 19's document changes, in the same run."""
    from wendao.bench.export import run_export_bench

    _write_bench(run_export_bench(n=n, workers=workers, before_n=before_n), json_out)


@bench_app.command("groups")
def bench_groups(
    repeat: Annotated[int, typer.Option(min=1, help="timed runs per cohort and seed")] = 3,
    baseline_src: Annotated[
        Path | None, typer.Option(help="src/ of another commit (e.g. git archive), measured in the same run")
    ] = None,
    cohort: Annotated[
        list[str] | None, typer.Option(help="participants,group size,cohort seed (repeatable; default 300,10,1 …)")
    ] = None,
    seed: Annotated[list[int] | None, typer.Option(help="grouping seed (repeatable; default 7, 8, 9)")] = None,
    json_out: Annotated[Path | None, typer.Option("--json")] = None,
) -> None:
    """Regrouping a cohort (300 at sizes 10 and 8, 120 at 6; synthetic firms): seconds and the objective,
    against drawing lots and, with --baseline-src, against another source tree in the same run."""
    from wendao.bench.groups import run_groups_bench

    try:
        cohorts = [tuple(int(x) for x in c.split(",")) for c in cohort or []]
    except ValueError:
        cohorts = [()]
    if any(len(c) != 3 for c in cohorts):
        err.print("--cohort is three whole numbers: participants,group size,cohort seed (e.g. 300,10,1)")
        raise typer.Exit(2)
    result = run_groups_bench(
        repeat=repeat, baseline_src=baseline_src, cohorts=cohorts or None, seeds=seed or None  # type: ignore[arg-type]
    )
    _write_bench(result, json_out)


@bench_app.command("web")
def bench_web(
    participants: Annotated[int, typer.Option(min=1, help="simulated participants, all at once")] = 300,
    noop_requests: Annotated[int, typer.Option(min=1, help="no-op baseline requests per client")] = 20,
    timeout: Annotated[float, typer.Option(min=1, help="deadline of each load phase, seconds")] = 1200.0,
    json_out: Annotated[Path | None, typer.Option("--json")] = None,
    scenario: Annotated[
        str,
        typer.Option(
            help="assessment: password sign-in and the whole assessment; week: QR-link sign-in, "
            "my week, the evening group workspace (polling, a problem and a comment each); week-cpu: CPU ms and "
            "queries per participant view of the week, in one process over the demo's data (no server)"
        ),
    ] = "assessment",
    plain_static: Annotated[
        bool,
        typer.Option(
            "--plain-static", help="serve static files under plain names: no hashing or compression at start-up "
            "(a light run; the participants fetch no static file)"
        ),
    ] = False,
    arrival_seconds: Annotated[
        float,
        typer.Option(
            min=0, help="week: participants arrive at moments drawn uniformly within this many seconds (60: "
            "'arriving in the same minute'); 0: all at once"
        ),
    ] = 0.0,
) -> None:
    """A training class signs in and completes the assessment at once against a real gunicorn on loopback:
    latency per step vs a no-op view, errors, and lost answers checked in the database."""
    if scenario == "week":
        from wendao.bench.week import run_week_bench

        result = run_week_bench(
            participants=participants,
            noop_requests=noop_requests,
            phase_timeout=timeout,
            plain_static=plain_static,
            arrival_seconds=arrival_seconds,
        )
        _write_bench(result, json_out)
        return
    if scenario == "week-cpu":
        from wendao.bench.week_cpu import run_week_cpu_bench

        _write_bench(run_week_cpu_bench(), json_out)
        return
    if scenario != "assessment":
        raise typer.BadParameter("assessment, week or week-cpu", param_hint="--scenario")
    from wendao.bench.web import run_web_bench

    result = run_web_bench(
        participants=participants, noop_requests=noop_requests, phase_timeout=timeout, plain_static=plain_static
    )
    _write_bench(result, json_out)


@bench_app.command("insights")
def bench_insights(
    enterprises: Annotated[int, typer.Option(min=1, help="generated enterprises")] = 100_000,
    database_url: Annotated[
        str | None, typer.Option(help="PostgreSQL server (a throwaway database is created there and dropped)")
    ] = None,
    repeat: Annotated[int, typer.Option(min=1, help="timed repetitions per dashboard")] = 5,
    templates: Annotated[int, typer.Option(min=1, help="real engine plans the enterprises are drawn from")] = 120,
    json_out: Annotated[Path | None, typer.Option("--json")] = None,
) -> None:
    """Organiser dashboards over N enterprises in PostgreSQL: p50/p95 per page and of its queries alone, vs a
    no-op view and SELECT 1 in the same run (target < 1 s per dashboard)."""
    from wendao.bench.insights import BenchError, run_insights_bench

    try:
        result = run_insights_bench(enterprises, database_url, repeat=repeat, templates=templates)
    except BenchError as exc:
        _fail([str(exc)], "bench insights: cannot run")
    _write_bench(result, json_out)


@bench_app.command("match")
def bench_match(
    providers: Annotated[int, typer.Option(min=1, help="generated providers")] = 10000,
    needs: Annotated[int, typer.Option(min=1, help="generated needs")] = 1000,
    seed: Annotated[int, typer.Option()] = 2026,
    no_embeddings: Annotated[bool, typer.Option("--no-embeddings", help="skip the E5 sample run")] = False,
    embed_providers: Annotated[int, typer.Option(min=1, help="providers in the E5 sample run")] = 500,
    embed_needs: Annotated[int, typer.Option(min=1, help="needs in the E5 sample run")] = 200,
    json_out: Annotated[Path | None, typer.Option("--json")] = None,
) -> None:
    """Provider matching on synthetic providers × needs: needs/second, per-need p50/p95 and hit@3/@10 vs a
    lexical-only and a filter-scan baseline of the same run."""
    from wendao.bench.match import run_match_bench

    result = run_match_bench(
        providers=providers,
        needs=needs,
        seed=seed,
        embeddings=not no_embeddings,
        embed_providers_n=embed_providers,
        embed_needs_n=embed_needs,
    )
    _write_bench(result, json_out)


@cohort_app.command("group")
def cohort_group(
    file: Annotated[
        Path, typer.Argument(help="participant list, .xlsx or .csv (name, city, industry, chain, maturity)")
    ],
    size: Annotated[int, typer.Option("--size", min=2, help="target group size N (groups of N-1 … N+1)")],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="write the groups to this .xlsx")] = None,
    seed: Annotated[int, typer.Option("--seed", help="same seed, same groups")] = 7,
    format: Annotated[Format, typer.Option("--format")] = Format.text,
) -> None:
    """Discussion groups for a participant list: same or neighbouring industries together, maturity and cities mixed."""
    from wendao.engine.grouping import GroupingError, form_groups
    from wendao.engine.participant_files import ParticipantFileError, load_participants, write_grouping_xlsx

    if output is not None and output.suffix.lower() != ".xlsx":
        err.print("-o must name an .xlsx file")
        raise typer.Exit(2)
    try:
        participants = load_participants(file)
        grouping = form_groups(participants, size, seed=seed)
    except ParticipantFileError as exc:
        if format is Format.json:
            _emit_json({"ok": False, "problems": [p.model_dump() for p in exc.problems]})
            raise typer.Exit(1) from None
        _fail([str(p) for p in exc.problems], f"{file}: {len(exc.problems)} problem(s); nothing written")
    except GroupingError as exc:
        if format is Format.json:
            _emit_json({"ok": False, "problems": exc.problems})
            raise typer.Exit(1) from None
        _fail(exc.problems, f"{file}: cannot form groups")
    if output is not None:
        write_grouping_xlsx(grouping, participants, output)
        err.print(f"wrote {output}")
    if format is Format.json:
        _emit_json({"ok": True, "participants": len(participants), **grouping.model_dump(mode="json")})
        return
    t = grouping.terms
    out.print(
        f"[bold]{len(participants)}[/] participants → [bold]{len(grouping.groups)}[/] groups of {size - 1}–{size + 1} "
        f"({grouping.method}, {grouping.status}, {grouping.solve_seconds:.2f} s)"
    )
    out.print(
        f"objective {t.objective}: industry affinity {t.industry_affinity}, maturity spread {t.maturity_spread}, "
        f"same-city pairs {t.same_city_pairs}, size deviation {t.size_deviation}"
    )
    table = Table()
    for col in ("组", "人数", "行业", "成熟度", "城市数", "目标值", "成员"):
        table.add_column(col)
    for g in grouping.groups:
        table.add_row(
            str(g.number), str(g.size), " ".join(g.divisions), f"{g.maturity_min}–{g.maturity_max}", str(g.cities),
            str(g.terms.objective), "、".join(g.members),
        )  # fmt: skip
    out.print(table)


@app.command()
def demo(
    host: Annotated[
        str, typer.Option(help="loopback by default; anything else needs --force-public-demo")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    force_public_demo: Annotated[
        bool,
        typer.Option(
            "--force-public-demo",
            help="serve the demo beyond loopback although its accounts and their password are public (README)",
        ),
    ] = False,
) -> None:
    """The embedded default: SQLite under ./var, the synthetic demo programme and demo accounts, served on 127.0.0.1."""
    from wendao.web.launch import demo as run_demo
    from wendao.web.launch import public_demo_refusal

    refusal = public_demo_refusal(host, force_public_demo)
    if refusal:
        err.print(refusal, markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(2)
    run_demo(host=host, port=port, force_public_demo=force_public_demo)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="default: WENDAO_HOST or 127.0.0.1 (behind a reverse proxy)")] = None,
    port: Annotated[int | None, typer.Option(min=1, max=65535)] = None,
) -> None:
    """Production server: gunicorn + whitenoise, settings from the environment (DATABASE_URL for PostgreSQL)."""
    from wendao.web.launch import serve as run_serve

    run_serve(host=host, port=port)


@app.command()
def examples() -> None:
    """Assessment and best-matching scenarios of the bundled example enterprises (no database needed)."""
    from wendao.engine.assessment import assess as run_assessment
    from wendao.engine.profile import load_profile
    from wendao.engine.search import ScenarioSearch

    loaded = default_catalog()
    summary = catalog_summary(loaded)
    c = summary["counts"]
    out.print(
        f"[bold]问道 wendao[/] — catalog {summary['version']}: {c['scenarios_miit']} MIIT + "
        f"{c['scenarios_ai']} AI scenarios + {c['scenarios_foundation']} first-step projects, "
        f"{c['questions']} questions"
    )
    search = ScenarioSearch()
    for path in sorted(EXAMPLES_DIR.glob("*.yaml")):
        prof = load_profile(path)
        result = run_assessment(prof.answers, loaded.questionnaire)
        out.rule(prof.name)
        _print_assessment(prof, result)
        needs = prof.pain_points + prof.goals
        if needs:
            table = Table(title="与痛点最匹配的场景 / scenarios matching the pain points")
            for col in ("#", "场景", "Scenario", "得分", "回应的问题"):
                table.add_column(col)
            for i, m in enumerate(search.match_needs(needs, top=6), 1):
                table.add_row(str(i), m.name_zh, m.name_en, f"{m.score:.3f}", m.need or "")
            out.print(table)


@bench_app.command("ask")
def bench_ask(
    questions: Annotated[Path | None, typer.Option(help="YAML with questions: [{q, kind}] (default: the bundled set)")] = None,
    json_out: Annotated[Path | None, typer.Option("--json", help="write the result JSON here")] = None,
    first_ask: Annotated[
        bool, typer.Option(help="also time a fresh process's first question, with an empty embedding cache")
    ] = True,
) -> None:
    """Share of participants' questions routed to the right kind of answer, and answer time p50/p95."""
    from wendao.bench.ask import QUESTIONS, QuestionsError, run_ask_bench

    try:
        result = run_ask_bench(questions or QUESTIONS, measure_first_ask=first_ask)
    except QuestionsError as exc:
        _fail(exc.problems, f"{questions}: cannot use the questions file")
    _write_bench(result, json_out)


@app.command("ask")
def ask_command(
    question: Annotated[str, typer.Argument(help="the question, in Chinese (simplified or traditional) or English")],
    profile: Annotated[Path | None, typer.Option(help="enterprise profile: answers use its plan's figures")] = None,
    format: Annotated[Format, typer.Option("--format")] = Format.text,
) -> None:
    """Ask wendao: what is asked (kind), the answer from the engine, its sources and the figures it used."""
    from wendao.engine.ask import AskContext, QuestionError, ask, check_question, language_of
    from wendao.engine.ask_llm import phrase_from_env
    from wendao.engine.plan import PlanError, build_plan
    from wendao.engine.search import ScenarioSearch

    try:
        check_question(question)
    except QuestionError as exc:
        _fail_line(exc.zh if language_of(question.strip() or "问") == "zh" else exc.en)
    loaded = default_catalog()
    search = ScenarioSearch(loaded)
    ctx = AskContext(loaded=loaded, search=search)
    if profile is not None:
        ctx.profile = _load_profile_or_exit(profile)
        try:
            ctx.plan = build_plan(ctx.profile, loaded, None, search)
        except PlanError as exc:
            _fail(exc.problems, f"{profile}: cannot build a plan")
    answer = phrase_from_env(ask(question, ctx))
    if format is Format.json:
        sys.stdout.write(answer.model_dump_json(indent=2) + "\n")
        return
    zh = answer.language == "zh"
    for paragraph in answer.paragraphs:
        out.print(paragraph, markup=False, highlight=False)
    if answer.figures:
        out.print("\n" + ("用到的企业数据：" if zh else "Enterprise figures used:"), style="bold")
        for f in answer.figures:
            out.print(f"  {f.name}: {f.text or f.value} {f.unit}".rstrip(), markup=False, highlight=False)
    if answer.sources:
        out.print("\n" + ("来源：" if zh else "Sources:"), style="bold")
        for src in answer.sources:
            tail = " ".join(x for x in (src.url or "", src.as_of or "") if x)
            out.print(f"  {src.title} {tail}".rstrip(), markup=False, highlight=False)


def main() -> None:  # pragma: no cover - console entry point
    from wendao.startup import quick_start

    quick_start()  # a short-lived command: few garbage-collector passes over what it loads (wendao.startup)
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
