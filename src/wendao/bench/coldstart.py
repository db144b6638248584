"""`wendao bench coldstart`: how long a new process takes to give an answer (issue 19).

Every measurement is a fresh subprocess, timed from the outside (wall) and by the kernel (CPU of the child):
- ``assess``: `wendao assess <profile>`, the same-run baseline (no search index, no solver);
- ``plan_cold_cache``: `wendao plan <profile>` with an empty embedding cache directory (what the first process
  after an install or a catalog change pays);
- ``plan_warm_cache``: the same with the cache written by an earlier process (every later process);
- bytecode: compiled once per run (``PYTHONPYCACHEPREFIX`` in the run's directory) by an untimed first process,
  as a deployment has it, whatever ``PYTHONDONTWRITEBYTECODE`` says in the caller's environment;
- ``web_worker_ready``: a web worker loading the WSGI application and running ``launch.prepare_worker`` (the
  need matcher, every view module, the provider matcher), as `wendao serve` does before it forks (needs a database: ``DATABASE_URL``, or a SQLite file
  the bench migrates first, untimed).

``baseline_src``: a source tree of another commit (e.g. a `git worktree` of the commit before a change); the same
measurements run with it first on ``PYTHONPATH``, in the same run, so before and after share the machine's load.
The load average is reported at the start and the end: the machine is shared and a busy one stretches wall time.
"""

from __future__ import annotations

import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import wendao

CURRENT_SRC = Path(wendao.__file__).resolve().parent.parent
TARGETS = {"plan_warm_cache_wall_seconds": 3.0, "web_worker_ready_wall_seconds": 5.0}

WEB_WORKER = """
import os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wendao.web.settings")
os.environ.setdefault("WENDAO_EMBED_THREADS", "1")
from wendao.web.wsgi import application
from wendao.web.launch import prepare_worker
print(prepare_worker())
"""


def _run(command: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds (user + system) of the child and its stdout."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:4])} … failed ({done.returncode}): {done.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout


def _summary(samples: list[tuple[float, float]]) -> dict[str, float]:
    walls, cpus = [w for w, _ in samples], [c for _, c in samples]
    return {
        "wall_p50": round(statistics.median(walls), 3),
        "wall_min": round(min(walls), 3),
        "cpu_p50": round(statistics.median(cpus), 3),
        "n": len(samples),
    }


def _env(src: Path, cache: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("WENDAO_EMBED_THREADS", "PYTHONDONTWRITEBYTECODE")}
    env["PYTHONPATH"] = os.pathsep.join([str(src), *filter(None, [os.environ.get("PYTHONPATH")])])
    env["WENDAO_CACHE_DIR"] = str(cache)
    # the bytecode of every module, written once by the first (untimed) process of a variant and read by the rest,
    # as an installed package or a checkout that has run once has it: with PYTHONDONTWRITEBYTECODE set (CI, the
    # helpers' machine) every process compiled the project's modules again, 0.3-0.4 s of CPU that no deployment pays
    env["PYTHONPYCACHEPREFIX"] = str(cache.parent / "bytecode")
    env.update(extra or {})
    return env


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "wendao.cli", *args]


def _variant(
    src: Path, profile: Path, repeat: int, work: Path, web_env: dict[str, str] | None, cold_repeat: int | None = None
) -> dict[str, Any]:
    warm = Path(tempfile.mkdtemp(prefix="cache-warm-", dir=work))
    assess, cold, hot, web = [], [], [], []
    providers = None
    _run(_cli("plan", str(profile), "--format", "json"), _env(src, warm))  # writes the warm cache and the bytecode
    for i in range(repeat):
        wall, cpu, _out = _run(_cli("assess", str(profile), "--format", "json"), _env(src, warm))
        assess.append((wall, cpu))
        if i >= (cold_repeat or repeat):  # each cold plan embeds every passage: about a minute of CPU
            continue
        empty = Path(tempfile.mkdtemp(prefix="cache-cold-", dir=work))
        wall, cpu, _out = _run(_cli("plan", str(profile), "--format", "json"), _env(src, empty))
        cold.append((wall, cpu))
    for _ in range(repeat):
        wall, cpu, _out = _run(_cli("plan", str(profile), "--format", "json"), _env(src, warm))
        hot.append((wall, cpu))
    if web_env is not None:
        _run([sys.executable, "-c", WEB_WORKER], _env(src, warm, web_env))  # the worker's share of the cache
        for _ in range(repeat):
            wall, cpu, out = _run([sys.executable, "-c", WEB_WORKER], _env(src, warm, web_env))
            web.append((wall, cpu))
            providers = int(out.strip().splitlines()[-1])
    result: dict[str, Any] = {
        "src": str(src),
        "assess": _summary(assess),
        "plan_cold_cache": _summary(cold),
        "plan_warm_cache": _summary(hot),
    }
    if web:
        result["web_worker_ready"] = {**_summary(web), "listed_providers": providers}
    return result


def _web_env(work: Path) -> dict[str, str]:
    """The database the worker measurements use: DATABASE_URL if set, else a SQLite file migrated now."""
    if os.environ.get("DATABASE_URL"):
        return {}
    extra = {"WENDAO_VAR_DIR": str(work / "var"), "DJANGO_SETTINGS_MODULE": "wendao.web.settings"}
    manage = CURRENT_SRC / "wendao" / "web" / "manage.py"
    _run([sys.executable, str(manage), "migrate", "--noinput", "-v", "0"], _env(CURRENT_SRC, work / "cache", extra))
    return extra


def run_coldstart_bench(
    profile: Path, repeat: int = 3, baseline_src: Path | None = None, web: bool = True, cold_repeat: int | None = None
) -> dict[str, Any]:
    load_start = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="wendao-coldstart-") as tmp:
        work = Path(tmp)
        web_env = _web_env(work) if web else None
        variants: dict[str, Any] = {}
        if baseline_src is not None:
            variants["baseline"] = _variant(baseline_src.resolve(), profile, repeat, work, web_env, cold_repeat)
        variants["current"] = _variant(CURRENT_SRC, profile, repeat, work, web_env, cold_repeat)
    current = variants["current"]
    return {
        "benchmark": "coldstart",
        "profile": profile.name,
        "repeat": repeat,
        "variants": variants,
        "targets": TARGETS,
        "meets_targets": {
            "plan_warm_cache": current["plan_warm_cache"]["wall_p50"] <= TARGETS["plan_warm_cache_wall_seconds"],
            "web_worker_ready": current["web_worker_ready"]["wall_p50"] <= TARGETS["web_worker_ready_wall_seconds"]
            if "web_worker_ready" in current
            else None,
        },
        "bytecode": "compiled once before timing (PYTHONPYCACHEPREFIX), as an installed package has it",
        "load_average": {"start": [round(x, 2) for x in load_start], "end": [round(x, 2) for x in os.getloadavg()]},
        "machine": {"python": platform.python_version(), "cpu": platform.machine(), "cores": os.cpu_count()},
    }
