"""`wendao jobs …`: start batch jobs, follow them with a progress bar, run a worker.

Thin, like the rest of the CLI: every command calls ``wendao.web.jobs.services``. Django is set up only when a
command runs, so ``wendao --help`` stays fast. JSON output (``--format json``) is the contract; the progress
bar and tables are for people. Exit codes: 0 completed, 1 user error or a job that ended with failures.
"""

from __future__ import annotations

import json
import sys
import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from wendao.engine.runtime import settle_for_batch

jobs_app = typer.Typer(
    help="Batch work on the task queue: export or regenerate every plan of a programme", no_args_is_help=True
)
out = Console()
err = Console(stderr=True)


class Format(StrEnum):
    text = "text"
    json = "json"


class Lang(StrEnum):
    zh = "zh"
    en = "en"


def _django() -> None:
    from django.apps import apps

    if apps.ready:  # already set up (tests, an embedding process): setting up again would redo logging
        return
    from wendao.web.launch import _setup

    _setup()


def _programme(pk: int) -> Any:
    from wendao.web.programmes.models import Programme

    programme = Programme.objects.filter(pk=pk).first()
    if programme is None:
        err.print(f"[bold red]no programme with id {pk}[/] (see the programme's page: /programmes/<id>/)")
        raise typer.Exit(1)
    return programme


def _job(pk: int) -> Any:
    from wendao.web.jobs.models import BatchJob

    job = BatchJob.objects.filter(pk=pk).defer("archive").first()
    if job is None:
        err.print(f"[bold red]no batch job with id {pk}[/]")
        raise typer.Exit(1)
    return job


def job_report(job: Any) -> dict[str, Any]:
    from wendao.web.jobs import services

    p = services.progress(job)
    return {
        "id": job.pk,
        "programme": job.programme_id,
        "kind": job.kind,
        # "stalled": active, but its worker stopped answering; another worker takes it over (or, if none does
        # for abandon_after(), the job fails by itself)
        "status": p.state,
        "stalled_since": p.stalled_since.isoformat() if p.stalled_since else None,
        "lang": job.lang,
        "total": p.total,
        "done": p.done,
        "failed": p.failed,
        "skipped": p.skipped,
        "unchanged": p.unchanged,
        "running": p.running,
        "elapsed_seconds": p.elapsed_seconds,
        "error": job.error,
        "problems": [
            {"position": i.position, "name": i.label, "status": i.status, "attempts": i.attempts, "error": i.error}
            for i in services.problem_items(job)
        ],
    }


def _follow(job: Any, poll: float = 1.0) -> None:
    """A rich progress bar fed from the database until the job finishes (the worker does the work)."""
    from wendao.web.jobs import services

    columns = (
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[detail]}"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=err, transient=False) as bar:
        p = services.progress(job)
        row = bar.add_task(f"{job.kind} #{job.pk}", total=p.total or 1, detail="")
        try:
            while True:
                p = services.progress(job)
                detail = f"failed {p.failed} · skipped {p.skipped} · {p.state}"
                bar.update(row, completed=p.processed, total=p.total or 1, detail=detail)
                if p.finished:
                    break
                time.sleep(poll)
        except KeyboardInterrupt:
            err.print(f"stopped watching; the job goes on in the background: wendao jobs status {job.pk} --wait")
            raise typer.Exit(130) from None


def _print(report: dict[str, Any], format: Format) -> None:
    if format is Format.json:
        sys.stdout.write(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
        return
    status = report["status"]
    if status == "completed_with_failures":
        status = f"completed with {report['failed']} failure(s)"
    elif status == "stalled":
        since = _local(report["stalled_since"])
        status = (
            f"stalled since {since}: its worker stopped answering, waiting for another worker to take it over "
            "(is `wendao jobs worker` running?)"
        )
    out.print(
        f"[bold]{report['kind']} #{report['id']}[/] (programme {report['programme']}): {status} — "
        f"{report['done']} done, {report['failed']} failed, {report['skipped']} skipped"
        + (f", {report['unchanged']} unchanged" if report["unchanged"] else "")
        + f" of {report['total']}"
        + (f" in {report['elapsed_seconds']:.1f} s" if report["elapsed_seconds"] is not None else "")
    )
    if report["error"]:
        err.print(f"[bold red]{report['error']}[/]", markup=True, highlight=False)
    if report["problems"]:
        table = Table(title="failed, skipped and unchanged / 失败、跳过和未变化")
        for col in ("#", "企业", "status", "attempts", "error / reason"):
            table.add_column(col, overflow="fold")
        for p in report["problems"]:
            first_line = (p["error"].splitlines() or [""])[0]  # the whole error is in --format json and the page
            table.add_row(str(p["position"]), p["name"], p["status"], str(p["attempts"]), first_line[:300])
        out.print(table)


def _local(moment: str) -> str:
    from datetime import datetime

    from django.utils import timezone

    return timezone.localtime(datetime.fromisoformat(moment)).strftime("%Y-%m-%d %H:%M:%S")


def _finish(job: Any, wait: bool, output: Path | None, format: Format) -> None:
    from wendao.web.jobs.models import BatchJob

    if wait:
        _follow(job)
    report = job_report(job)
    if output is not None and job.kind == BatchJob.Kind.EXPORT and job.finished:
        body = BatchJob.objects.filter(pk=job.pk).values_list("archive", flat=True).first()
        if body:
            output.write_bytes(bytes(body))
            report["archive"] = str(output)
            err.print(f"wrote {output}")
    _print(report, format)
    if job.status in (BatchJob.Status.COMPLETED_WITH_FAILURES, BatchJob.Status.FAILED):
        raise typer.Exit(1)


def _start(programme_id: int, kind: str, lang: str) -> Any:
    _django()
    from wendao.web.jobs import services

    programme = _programme(programme_id)
    try:
        job, created = services.start_job(None, programme, kind, lang)
    except services.JobError as exc:
        err.print(f"[bold red]{exc}[/]")
        raise typer.Exit(1) from None
    if created:
        state = "queued"
    elif services.stalled_since(job) is not None:  # start_job queued it again for another worker
        state = "stalled, resumed"
    else:
        state = "already running"
    err.print(
        f"{state}: {kind} #{job.pk} — a worker runs it (`wendao demo` starts one; otherwise `wendao jobs worker`)"
    )
    return job


@jobs_app.command("export")
def export(
    programme_id: Annotated[int, typer.Argument(help="programme id (as in /programmes/<id>/)")],
    lang: Annotated[Lang, typer.Option("--lang", help="document language")] = Lang.zh,
    wait: Annotated[bool, typer.Option("--wait", help="follow with a progress bar until it finishes")] = False,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="write the zip here (with --wait)")] = None,
    format: Annotated[Format, typer.Option("--format")] = Format.text,
) -> None:
    """Every participant's latest plan as a PDF, plus summary.xlsx, in one zip (a background job)."""
    if output is not None and not wait:
        err.print("-o needs --wait (the zip exists once the job has finished)")
        raise typer.Exit(2)
    _finish(_start(programme_id, "export", lang.value), wait, output, format)


@jobs_app.command("regenerate")
def regenerate(
    programme_id: Annotated[int, typer.Argument(help="programme id")],
    wait: Annotated[bool, typer.Option("--wait", help="follow with a progress bar until it finishes")] = False,
    format: Annotated[Format, typer.Option("--format")] = Format.text,
) -> None:
    """A new plan with the active catalog for every assessed participant, keeping its own plan options."""
    _finish(_start(programme_id, "regenerate", "zh"), wait, None, format)


@jobs_app.command("status")
def status(
    job_id: Annotated[int, typer.Argument(help="batch job id")],
    wait: Annotated[bool, typer.Option("--wait", help="follow with a progress bar until it finishes")] = False,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="write the export zip here")] = None,
    format: Annotated[Format, typer.Option("--format")] = Format.text,
) -> None:
    """Progress of a job; its failed and skipped enterprises with the error or reason."""
    _django()
    job = _job(job_id)
    if not wait and format is Format.text and not job.finished:
        _follow_once(job)
    _finish(job, wait, output, format)


def _follow_once(job: Any) -> None:
    from wendao.web.jobs import services

    p = services.progress(job)
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), console=err) as bar:
        bar.add_task(f"{job.kind} #{job.pk}", total=p.total or 1, completed=p.processed)


@jobs_app.command("worker")
def worker(
    batch: Annotated[bool, typer.Option("--batch", help="run what is queued, then exit")] = False,
    interval: Annotated[float, typer.Option(min=0, help="seconds between polls of an empty queue")] = 1.0,
    queue: Annotated[str, typer.Option(help="queue names, comma-separated ('*' for all)")] = "default",
) -> None:
    """A task worker (django-tasks-db's db_worker): run as many as you like, on any machine that reaches the
    database (PostgreSQL in production). `wendao demo` starts one by itself."""
    from django.core.management import call_command

    _django()
    # a long-lived process: keep what is loaded now (Django, the engine, the catalog models) out of the cyclic
    # collector's generations, and collect the young generation less often (wendao.engine.runtime)
    settle_for_batch()
    options: dict[str, Any] = {"interval": interval, "queue_name": queue, "reload": False}
    if batch:
        options["batch"] = True
    call_command("db_worker", **options)
