"""`wendao bench web --participants 300`: one training class signs in and completes the whole assessment at the
same time, against a real gunicorn server of wendao started here on loopback.

The server is ``wendao.web.launch.serve()`` (gunicorn gthread + whitenoise, the workers and threads it takes
from WENDAO_WORKERS / WENDAO_THREADS) on 127.0.0.1 and a free port, with a fresh SQLite database (WAL) in a
temporary directory, or the PostgreSQL database of DATABASE_URL when that is set (the participants are then
added to that database under unique names: point it at a scratch database). The participants (user,
enterprise, profile) are created beforehand through the models and use cases the web app uses, in a helper
process so this process never configures Django.

Each participant is one asyncio task with its own httpx client (its own cookies and connection), all of them
started at once, no think time. It does what the browser does: GET the login page, POST the login form (CSRF
token of the form), GET the wizard (the assessment URL and its redirect to step 1), then for every step the
HTMX GET of the step and the autosave hx-post of every answer on it (X-CSRFToken from the page's hx-headers,
the HX-* headers), then POST "complete" and GET the results page. Every request is timed per step.

Same-run baselines: the no-op view ``/healthz`` under the same concurrency (as many clients, each with its own
connection, a fixed number of requests each), measured before the class starts ("noop"); and the no-op view asked
on each participant's connection right after each of its requests ("noop_during", paired with that step: the same
server and queue at the same moment). Each step's p50/p95/p99 is given as a multiple of both. After the load the server is
stopped and the database is checked: every answer every participant sent must be stored (lost answers = 0).
Only 127.0.0.1 is contacted; every loop is bounded, every wait has a deadline, and the server is always stopped.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import os
import platform
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PASSWORD = "wendao-bench-2026"  # loopback benchmark accounts only
SEED = 20260300
STEPS = ("login_page", "login", "wizard", "wizard_step", "answer", "complete", "results")
STEP_WHAT = {
    "login_page": "GET /accounts/login/",
    "login": "POST /accounts/login/ (form + CSRF token) -> 302",
    "wizard": "GET /e/<pk>/assessment/ -> 302 -> GET step 1 (full page); timed as one step, two requests",
    "wizard_step": "GET /e/<pk>/rounds/0/step/<n>/ with HX-Request (fragment), steps 2..n",
    "answer": "POST /e/<pk>/rounds/0/answer/<question>/ autosave (X-CSRFToken, HX-Request/Target/Trigger/Current-URL)",
    "complete": "POST /e/<pk>/rounds/0/complete/ -> 302",
    "results": "GET /e/<pk>/rounds/0/ (results page)",
}
NOOP_PATH = "/healthz"
TARGET_P95_RATIO = 5.0
# the no-op view timed apart, before the participants ("noop"), and interleaved with their steps ("noop_during":
# right after each step's request, on the same connection; see paired_noop)
BASELINES = ("noop", "noop_during")


# --- server and database (helper processes) --------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _server_settings() -> tuple[int, int]:
    """The workers and threads ``serve()`` uses (same environment variables, same defaults)."""
    workers = int(os.environ.get("WENDAO_WORKERS", str((os.cpu_count() or 1) * 2 + 1)))
    threads = int(os.environ.get("WENDAO_THREADS", "4"))
    return workers, threads


def _env(var_dir: Path, port: int, workers: int, threads: int, plain_static: bool = False) -> dict[str, str]:
    """The server's environment. ``plain_static``: static files under their plain names, so serve()'s
    collectstatic copies them without hashing and compressing (16 s of CPU); the participants fetch no static
    file, so only the static URLs in the pages differ. For the light runs of the test suite."""
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "wendao.web.settings",
            "WENDAO_VAR_DIR": str(var_dir),
            "WENDAO_STATIC_MANIFEST": "0" if plain_static else "1",
            "WENDAO_HOST": "127.0.0.1",
            "WENDAO_PORT": str(port),
            "WENDAO_WORKERS": str(workers),
            "WENDAO_THREADS": str(threads),
            "ALLOWED_HOSTS": "127.0.0.1",
            "WENDAO_DEBUG": "0",
            "WENDAO_SECURE_COOKIES": "0",
            "WENDAO_BEHIND_TLS_PROXY": "0",
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.pop("WENDAO_ACCESS_LOG", None)  # no access log: the server does the same work as in production
    return env


def _on_postgres() -> bool:
    return (os.environ.get("DATABASE_URL") or "").split(":", 1)[0] in ("postgres", "postgresql", "pgsql")


def _run_prefix(kind: str, postgres: bool) -> str:
    """The prefix of the usernames a run creates: unique per run on PostgreSQL (a shared, kept database), plain
    on SQLite (a fresh file in the run's var directory)."""
    return f"{kind}-{os.getpid()}-{int(time.time())}-" if postgres else f"{kind}-"


def _helper(
    command: str, args: list[str], env: dict[str, str], timeout: float, module: str = "wendao.bench.web"
) -> dict[str, Any]:
    """Run ``module`` (this one, or a bench built on it) as a helper process with the bench's Django
    environment; it writes JSON to a file."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        out = Path(handle.name)
    try:
        done = subprocess.run(
            [sys.executable, "-m", module, command, str(out), *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if done.returncode != 0:
            raise RuntimeError(f"{module} {command} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
        result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
        return result
    finally:
        out.unlink(missing_ok=True)


def _django() -> None:
    import django

    django.setup()


def _prepare(out: Path, participants: int, prefix: str) -> None:
    """Migrate, seed the knowledge base, create the participants: user + enterprise (profile) + membership."""
    _django()
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connection, transaction

    from wendao.synthetic import synthetic_profile
    from wendao.web.accounts.models import Role, User
    from wendao.web.catalog.services import active_catalog, seed_catalog
    from wendao.web.enterprises import services

    call_command("migrate", interactive=False, verbosity=0)
    seed_catalog()
    loaded = active_catalog()
    hashed = make_password(PASSWORD)  # one hash for all: 300 PBKDF2 runs here would only slow the set-up down
    rng = random.Random(SEED)
    rows = []
    with transaction.atomic():
        for i in range(participants):
            data = synthetic_profile(loaded, rng, i)
            answers = data.pop("answers")
            data.pop("evidence", None)
            data["name"] = f"{data['name']}（压测{i + 1:03d}）"
            user = User.objects.create_user(username=f"{prefix}{i + 1:03d}", role=Role.ENTERPRISE)
            user.password = hashed
            user.save(update_fields=["password"])
            enterprise = services.save_profile(user, data, synthetic=True)
            rows.append({"username": user.username, "enterprise": enterprise.pk, "answers": answers})
    algorithm, iterations = hashed.split("$")[:2]
    out.write_text(
        json.dumps(
            {
                "participants": rows,
                "questions": len(loaded.questionnaire.questions),
                "questionnaire": f"{loaded.questionnaire.id}@{loaded.questionnaire.version}",
                "database": connection.vendor,
                "password_hasher": f"{algorithm}, {iterations} iterations",
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, list) and isinstance(b, list):
        return sorted(a) == sorted(b)
    return bool(a == b)


def _verify(out: Path, expected_file: Path) -> None:
    """Compare what every participant sent with what the database holds (a fresh connection after the run)."""
    _django()
    from wendao.web.accounts.models import AuditEvent
    from wendao.web.enterprises.models import AssessmentRound

    expected = json.loads(expected_file.read_text(encoding="utf-8"))
    rounds = {r.enterprise_id: r for r in AssessmentRound.objects.filter(enterprise_id__in=list(expected), number=0)}
    total = stored = 0
    lost_acknowledged = 0
    missing_rounds = completed = 0
    for key, row in expected.items():
        rnd = rounds.get(int(key))
        if rnd is None:
            missing_rounds += 1
        elif rnd.completed_at is not None:
            completed += 1
        answers = rnd.answers if rnd is not None else {}
        for qid, value in row["answers"].items():
            total += 1
            if qid in answers and _same(answers[qid], value):
                stored += 1
            elif qid in row["acknowledged"]:
                lost_acknowledged += 1
    saves = AuditEvent.objects.filter(
        action="answer.save",
        object_type=AssessmentRound._meta.label_lower,
        object_id__in=[str(r.pk) for r in rounds.values()],
    ).count()
    out.write_text(
        json.dumps(
            {
                "expected": total,
                "stored": stored,
                "lost": total - stored,
                "lost_after_200": lost_acknowledged,
                "rounds_missing": missing_rounds,
                "rounds_completed": completed,
                "audit_answer_saves": saves,
            }
        ),
        encoding="utf-8",
    )


@contextlib.contextmanager
def _server(env: dict[str, str], log: Path, port: int, startup_timeout: float) -> Any:
    """``serve()`` in its own process group; stopped (SIGTERM, then SIGKILL) whatever happens."""
    with log.open("w", encoding="utf-8") as sink:
        proc = subprocess.Popen(
            [sys.executable, "-c", "from wendao.web.launch import serve; serve()"],
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + startup_timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"the server exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as conn:
                    conn.sendall(f"GET {NOOP_PATH} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".encode())
                    if b" 200 " in conn.recv(64):
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"the server did not answer within {startup_timeout:.0f} s")
            time.sleep(0.5)
        yield proc
    finally:
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=40)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)


@dataclass
class BenchRun:
    """One run of a load bench: its settings, temporary var directory, port, the server's environment, and what
    the bench module's ``prepare`` helper made (``prepared``). ``serving()`` runs the server for the load."""

    module: str
    var_dir: Path
    port: int
    env: dict[str, str]
    workers: int
    threads: int
    postgres: bool
    prefix: str
    startup_timeout: float
    prepared: dict[str, Any] = field(default_factory=dict)
    walls: dict[str, float] = field(default_factory=dict)
    workers_booted: int = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def helper(self, command: str, args: list[str], timeout: float | None = None) -> dict[str, Any]:
        """The bench module's helper ``command`` in a process with the server's environment."""
        return _helper(command, args, self.env, timeout or self.startup_timeout, module=self.module)

    @contextlib.contextmanager
    def serving(self) -> Iterator[None]:
        """``serve()`` answering on the port while the block runs; stopped after it, whatever happens."""
        log = self.var_dir / "server.log"
        started = time.perf_counter()
        try:
            with _server(self.env, log, self.port, self.startup_timeout):
                self.walls["server_start"] = round(time.perf_counter() - started, 2)
                yield
        finally:
            if log.exists():
                self.workers_booted = log.read_text(encoding="utf-8", errors="replace").count("Booting worker with pid")


@contextlib.contextmanager
def bench_run(
    kind: str, user_prefix: str, module: str, participants: int, startup_timeout: float, plain_static: bool = False
) -> Iterator[BenchRun]:
    """The start-up both load benches share: the server settings serve() will take, a temporary var directory
    (removed afterwards), a free port, the environment, and ``module``'s ``prepare`` helper run for
    ``participants`` under a unique user prefix (on PostgreSQL)."""
    workers, threads = _server_settings()
    postgres = _on_postgres()
    with tempfile.TemporaryDirectory(prefix=f"wendao-bench-{kind}-") as tmp:
        var_dir = Path(tmp)
        port = _free_port()
        env = _env(var_dir, port, workers, threads, plain_static)
        run = BenchRun(module, var_dir, port, env, workers, threads, postgres, _run_prefix(user_prefix, postgres),
                       startup_timeout)  # fmt: skip
        started = time.perf_counter()
        run.prepared = run.helper("prepare", [str(participants), run.prefix], startup_timeout + participants)
        run.walls["prepare_participants"] = round(time.perf_counter() - started, 2)
        yield run


# --- the load (asyncio + httpx) -------------------------------------------------------------------------------


@dataclass
class Recorder:
    times: dict[str, list[float]] = field(default_factory=lambda: {s: [] for s in (*STEPS, *BASELINES)})
    requests: dict[str, int] = field(default_factory=lambda: dict.fromkeys((*STEPS, *BASELINES), 0))
    errors: dict[str, int] = field(default_factory=lambda: dict.fromkeys((*STEPS, *BASELINES), 0))
    samples: list[str] = field(default_factory=list)
    paired: dict[str, list[float]] = field(default_factory=lambda: {s: [] for s in STEPS})

    def error(self, step: str, what: str) -> None:
        self.errors[step] += 1
        if len(self.samples) < 10:
            self.samples.append(f"{step}: {what}")


class StepError(Exception):
    pass


async def _timed(rec: Recorder, step: str, client: Any, method: str, url: str, expect: int, **kwargs: Any) -> Any:
    start = time.perf_counter()
    try:
        response = await client.request(method, url, **kwargs)
    except Exception as exc:
        rec.requests[step] += 1
        rec.error(step, f"{method} {url}: {type(exc).__name__} {exc}")
        raise StepError from exc
    rec.times[step].append(time.perf_counter() - start)
    rec.requests[step] += 1 + len(response.history)
    if response.status_code != expect:
        rec.error(step, f"{method} {url}: HTTP {response.status_code}, expected {expect}")
        raise StepError
    if step in rec.paired:
        await paired_noop(rec, step, client)
    return response


def _find(rec: Any, step: str, pattern: str, text: str, what: str) -> str:
    """The first group of ``pattern`` in a page; none: an error of ``step`` on ``rec`` (any bench's recorder)."""
    found = re.search(pattern, text)
    if found is None:
        rec.error(step, f"no {what} in the page")
        raise StepError
    return found.group(1)


def _values(answer: str | list[str]) -> list[str]:
    return [answer] if isinstance(answer, str) else list(answer)


async def _participant(
    rec: Recorder, base: str, row: dict[str, Any], acknowledged: set[str], timeout: float, done: list[int]
) -> None:
    import httpx

    pk = row["enterprise"]
    browser = {"Accept-Language": "zh-CN,zh;q=0.9", "User-Agent": "wendao-bench-web"}
    origin = {"Origin": base}
    async with httpx.AsyncClient(base_url=base, headers=browser, timeout=timeout) as client:
        try:
            page = await _timed(rec, "login_page", client, "GET", "/accounts/login/", 200)
            token = _find(rec, "login_page", r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text, "CSRF token")
            form = {"csrfmiddlewaretoken": token, "username": row["username"], "password": PASSWORD, "next": ""}
            await _timed(rec, "login", client, "POST", "/accounts/login/", 302, data=form, headers=origin)
            page = await _timed(rec, "wizard", client, "GET", f"/e/{pk}/assessment/", 200, follow_redirects=True)
            token = _find(rec, "wizard", r'"X-CSRFToken": "([^"]+)"', page.text, "hx-headers CSRF token")
            step_urls = sorted(set(re.findall(rf'href="(/e/{pk}/rounds/\d+/step/\d+/)"', page.text)), key=_step_no)
            html, current = page.text, str(page.url)
            for n, step_url in enumerate(step_urls):
                if n > 0:
                    current = base + step_url
                    hx = {"HX-Request": "true", "HX-Current-URL": base + step_url, "HX-Target": "wizard"}
                    html = (await _timed(rec, "wizard_step", client, "GET", step_url, 200, headers=hx)).text
                for url, qid in re.findall(r'hx-post="(/e/\d+/rounds/\d+/answer/([^/"]+)/)"', html):
                    headers = {
                        **origin,
                        "X-CSRFToken": token,
                        "HX-Request": "true",
                        "HX-Current-URL": current,
                        "HX-Target": f"saved-{qid}",
                        "HX-Trigger": f"q-{qid}",
                    }
                    if qid not in row["answers"]:
                        rec.error("answer", f"the page asks {qid}, which the participant has no answer for")
                        raise StepError
                    data = {"value": _values(row["answers"][qid]), "evidence": ""}
                    await _timed(rec, "answer", client, "POST", url, 200, data=data, headers=headers)
                    acknowledged.add(qid)
            complete_url = _find(rec, "complete", r'action="(/e/\d+/rounds/\d+/complete/)"', html, "complete form")
            done_page = await _timed(
                rec, "complete", client, "POST", complete_url, 302, data={"csrfmiddlewaretoken": token}, headers=origin
            )
            await _timed(rec, "results", client, "GET", done_page.headers["location"], 200)
            done[0] += 1
        except StepError:
            done[1] += 1
        except Exception as exc:  # a bug of the client itself still counts, and never hides
            rec.error("results", f"client: {type(exc).__name__} {exc}")
            done[1] += 1


def _step_no(url: str) -> int:
    return int(url.rstrip("/").rsplit("/", 1)[1])


async def _noop_client(rec: Recorder, base: str, requests: int, timeout: float) -> None:
    """One connection; its first request (TCP connect) is not timed, so the baseline is the steady state."""
    import httpx

    async with httpx.AsyncClient(base_url=base, timeout=timeout) as client:
        try:
            await _timed(Recorder(), "noop", client, "GET", NOOP_PATH, 200)
            for _ in range(requests):
                await _timed(rec, "noop", client, "GET", NOOP_PATH, 200)
        except StepError:
            return


async def _bounded(coros: list[Any], limit: float) -> tuple[float, bool]:
    """Run all at once; after ``limit`` seconds cancel what is left. Returns (wall seconds, finished in time)."""
    start = time.perf_counter()
    tasks = [asyncio.ensure_future(c) for c in coros]
    _, pending = await asyncio.wait(tasks, timeout=limit)
    for task in pending:
        task.cancel()
    if pending:
        await asyncio.gather(*pending, return_exceptions=True)
    return time.perf_counter() - start, not pending


async def paired_noop(rec: Any, step: str, client: Any) -> None:
    """The interleaved baseline: right after each of a participant's requests, the no-op view on the same
    connection, timed under "noop_during" and paired with ``step``: the same server, the same queue, the same
    moment. (No-op clients of their own sample a loaded server too rarely: a closed loop gets a sample per
    latency, so its samples crowd into the quiet minutes; a run's p50 came out 0.09 s against a step's 20-80 s.)
    ``rec`` is either bench's recorder."""
    start = time.perf_counter()
    try:
        response = await client.get(NOOP_PATH)
    except Exception as exc:
        rec.requests["noop_during"] += 1
        rec.error("noop_during", f"GET {NOOP_PATH}: {type(exc).__name__} {exc}")
        raise StepError from exc
    elapsed = time.perf_counter() - start
    rec.requests["noop_during"] += 1
    if response.status_code != 200:
        rec.error("noop_during", f"GET {NOOP_PATH}: HTTP {response.status_code}, expected 200")
        raise StepError
    rec.times["noop_during"].append(elapsed)
    rec.paired[step].append(elapsed)


def ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 1) if a is not None and b and not math.isclose(b, 0) else None


def step_ratios(step: dict[str, Any], noop: dict[str, Any], during: dict[str, Any]) -> dict[str, float | None]:
    """A step's p50/p95/p99 as multiples of the no-op view's: measured apart before the load ("noop") and
    interleaved with it ("interleaved")."""
    out: dict[str, float | None] = {}
    for name, base in (("noop", noop), ("interleaved", during)):
        for q in ("p50", "p95", "p99"):
            out[f"{q}_over_{name}_{q}"] = ratio(step[q], base[q])
    return out


def step_figures(rec: Any, steps: Sequence[str], what: Mapping[str, str], noop: dict[str, Any]) -> dict[str, Any]:
    """Each step's requests, errors and seconds, the interleaved no-op view's seconds, and its p50/p95/p99 over the
    no-op view's (``step_ratios``); ``noop``: the no-op view's figures measured apart."""
    out: dict[str, Any] = {}
    for step in steps:
        s = _summary(rec.times[step])
        during = _summary(rec.paired[step])
        out[step] = {
            "what": what[step],
            "requests": rec.requests[step],
            "errors": rec.errors[step],
            "seconds": s,
            "interleaved_noop_seconds": during,
            **step_ratios(s, noop, during),
        }
    return out


def p95_targets_met(steps: Mapping[str, Any]) -> dict[str, dict[str, bool]]:
    """Whether each step's p95 is within ``TARGET_P95_RATIO`` of the no-op view's: measured apart, and interleaved."""
    return {
        target: {s: (r := v[key]) is not None and r <= TARGET_P95_RATIO for s, v in steps.items()}
        for target, key in (("p95_ratio", "p95_over_noop_p95"), ("p95_ratio_interleaved", "p95_over_interleaved_p95"))
    }


def baseline_figures(rec: Any) -> dict[str, Any]:
    """The interleaved baseline's figures for the JSON (all steps together; each step has its own pairs)."""
    return {
        "what": f"GET {NOOP_PATH} on the participant's own connection right after each of its requests",
        "requests": rec.requests["noop_during"],
        "errors": rec.errors["noop_during"],
        "seconds": _summary(rec.times["noop_during"]),
    }


async def _load(
    base: str,
    rows: list[dict[str, Any]],
    acknowledged: dict[int, set[str]],
    noop_requests: int,
    request_timeout: float,
    phase_timeout: float,
) -> dict[str, Any]:
    rec = Recorder()
    # warm-up (not counted): every worker imports its views and templates once
    warm = Recorder()
    await _bounded([_noop_client(warm, base, 5, request_timeout) for _ in range(20)], phase_timeout)
    noop_wall, noop_in_time = await _bounded(
        [_noop_client(rec, base, noop_requests, request_timeout) for _ in rows], phase_timeout
    )
    done = [0, 0]  # finished, failed (the rest were cancelled at the phase deadline)
    wall, in_time = await _bounded(
        [_participant(rec, base, r, acknowledged[r["enterprise"]], request_timeout, done) for r in rows],
        phase_timeout,
    )
    cancelled = len(rows) - done[0] - done[1]
    return {
        "recorder": rec,
        "noop_wall": noop_wall,
        "noop_in_time": noop_in_time,
        "wall": wall,
        "in_time": in_time,
        "finished": done[0],
        "cancelled": cancelled,
    }


def _summary(values: list[float]) -> dict[str, float | None]:
    if not values:
        return {"p50": None, "p95": None, "p99": None, "max": None, "mean": None}
    ordered = sorted(values)

    def pct(q: float) -> float:  # nearest rank
        return round(ordered[max(0, math.ceil(q * len(ordered)) - 1)], 4)

    return {
        "p50": pct(0.50),
        "p95": pct(0.95),
        "p99": pct(0.99),
        "max": round(ordered[-1], 4),
        "mean": round(statistics.mean(values), 4),
    }


# --- the benchmark --------------------------------------------------------------------------------------------


def run_web_bench(
    participants: int = 300,
    noop_requests: int = 20,
    request_timeout: float = 300.0,
    phase_timeout: float = 1200.0,
    startup_timeout: float = 300.0,
    plain_static: bool = False,
) -> dict[str, Any]:
    import httpx

    with bench_run("web", "bench", "wendao.bench.web", participants, startup_timeout, plain_static) as run:
        prepared = run.prepared
        rows: list[dict[str, Any]] = prepared["participants"]
        acknowledged: dict[int, set[str]] = {r["enterprise"]: set() for r in rows}
        with run.serving():
            load = asyncio.run(_load(run.base, rows, acknowledged, noop_requests, request_timeout, phase_timeout))
        expected_file = run.var_dir / "expected.json"
        expected_file.write_text(
            json.dumps(
                {
                    str(r["enterprise"]): {
                        "answers": r["answers"],
                        "acknowledged": sorted(acknowledged[r["enterprise"]]),
                    }
                    for r in rows
                },
                ensure_ascii=False,
            ),
            encoding="utf-8",
        )
        started = time.perf_counter()
        answers = run.helper("verify", [str(expected_file)])
        run.walls["verify"] = round(time.perf_counter() - started, 2)

    rec: Recorder = load["recorder"]
    walls, workers, threads, postgres = run.walls, run.workers, run.threads, run.postgres
    walls["noop_phase"] = round(load["noop_wall"], 2)
    walls["participant_phase"] = round(load["wall"], 2)
    noop = _summary(rec.times["noop"])
    steps = step_figures(rec, STEPS, STEP_WHAT, noop)
    participant_requests = sum(rec.requests[s] for s in STEPS)
    errors = sum(rec.errors[s] for s in (*STEPS, "noop_during")) + load["cancelled"]
    return {
        "benchmark": "web",
        "participants": participants,
        "participants_finished": load["finished"],
        "participants_cancelled_at_deadline": load["cancelled"],
        "questions_per_participant": prepared["questions"],
        "questionnaire": prepared["questionnaire"],
        "requests": participant_requests,
        "errors": errors,
        "error_samples": rec.samples,
        "answers": answers,
        "lost_answers": answers["lost"],
        "steps": steps,
        "noop_baseline": {
            "what": f"GET {NOOP_PATH} (no database, no session), {participants} clients at once, "
            "each on its own open connection",
            "clients": participants,
            "requests_per_client": noop_requests,
            "requests": rec.requests["noop"],
            "errors": rec.errors["noop"],
            "seconds": noop,
            "requests_per_second": round(rec.requests["noop"] / max(load["noop_wall"], 1e-9), 1),
        },
        "interleaved_baseline": baseline_figures(rec),
        "requests_per_second": round(participant_requests / max(load["wall"], 1e-9), 1),
        "wall_seconds": walls,
        "finished_within_phase_timeout": bool(load["in_time"] and load["noop_in_time"]),
        "server": {
            "launch": "wendao.web.launch.serve() (migrate, collectstatic, seed, gunicorn)",
            "static_files": "plain names (--plain-static)" if plain_static else "hashed and compressed (manifest)",
            "bind": f"127.0.0.1:{run.port}",
            "worker_class": "gthread",
            "workers": workers,
            "threads": threads,
            "workers_booted": run.workers_booted,
            "settings_from": "WENDAO_WORKERS (default cores*2+1) and WENDAO_THREADS (default 4), as serve()",
            "database": (
                "postgresql (DATABASE_URL)" if postgres else "sqlite, fresh file in a temporary directory, WAL"
            ),
            "password_hasher": prepared["password_hasher"],
        },
        "client": {
            "library": f"httpx {httpx.__version__} (asyncio), one AsyncClient (cookies, connection) per participant",
            "concurrency": participants,
            "think_time_seconds": 0,
            "request_timeout_seconds": request_timeout,
            "phase_timeout_seconds": phase_timeout,
            "same_machine_as_server": True,
        },
        "target": {
            "errors": 0,
            "lost_answers": 0,
            "p95_over_noop_p95_max": TARGET_P95_RATIO,
            "met": {
                "errors": errors == 0,
                "lost_answers": answers["lost"] == 0,
                **p95_targets_met(steps),
            },
        },
        "machine": {"python": platform.python_version(), "cpu": platform.machine(), "cores": os.cpu_count()},
    }


def helper_main(
    argv: list[str], prepare: Callable[[Path, int, str], None], verify: Callable[[Path, Path], None]
) -> None:
    """A bench module run as its helper process (``_helper``): ``prepare OUT PARTICIPANTS PREFIX`` or ``verify OUT
    EXPECTED``, each writing its JSON to OUT."""
    command, out = argv[0], Path(argv[1])
    if command == "prepare":
        prepare(out, int(argv[2]), argv[3])
    elif command == "verify":
        verify(out, Path(argv[2]))
    else:
        raise SystemExit(f"unknown helper command {command!r}")


if __name__ == "__main__":
    helper_main(sys.argv[1:], _prepare, _verify)
