"""`wendao demo` and `wendao serve`: the embedded default and the production server."""

from __future__ import annotations

import atexit
import ipaddress
import os
import subprocess
import sys
from pathlib import Path
from typing import Any


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 or localhost: reachable from this machine only."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip().strip("[]")).is_loopback
    except ValueError:
        return False  # a host name or 0.0.0.0-style wildcard: assume other machines reach it


def public_demo_refusal(host: str, force: bool) -> str | None:
    """Why `wendao demo` must not listen on ``host``, or None. The demo accounts (admin included) and their
    one password are printed in the README: on any address other machines reach, anyone is the admin."""
    if force or is_loopback(host):
        return None
    return (
        f"wendao demo: refusing to listen on {host}. 演示账号（含管理员）及其密码公开写在 README 中，"
        "在其他机器可访问的地址上运行演示，任何人都能以管理员身份登录。\n"
        "The demo accounts (the admin included) and their password are public in the README: served on an "
        "address other machines can reach, anyone can sign in as the admin. Use the default 127.0.0.1, or "
        "`wendao serve` with real accounts for a shared platform; to expose the demo anyway (a closed "
        "training network), add --force-public-demo."
    )


def _setup(var_dir: Path | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wendao.web.settings")
    os.environ.setdefault("WENDAO_STATIC_MANIFEST", "1")
    if var_dir is not None:
        os.environ.setdefault("WENDAO_VAR_DIR", str(var_dir))
    import django

    django.setup()


def prepare(demo_enterprises: int = 300, quiet: bool = False) -> list[Any]:
    """Migrate, load the catalog into the database, generate the demo programme, create demo accounts."""
    from django.conf import settings
    from django.core.management import call_command

    from wendao.web.catalog.services import seed_catalog
    from wendao.web.demo import build_demo

    Path(settings.VAR_DIR).mkdir(parents=True, exist_ok=True)
    verbosity = 0 if quiet else 1
    call_command("migrate", interactive=False, verbosity=verbosity)
    call_command("collectstatic", interactive=False, verbosity=0)
    seeded = seed_catalog()
    built = build_demo(demo_enterprises)
    if not quiet:
        print(
            f"knowledge base: {seeded} entries added; demo programme: {built.enterprises_added} synthetic "
            "enterprises added"
        )
    return built.accounts


def start_worker() -> subprocess.Popen[bytes]:
    """A task worker (django-tasks-db's db_worker) as a child process, stopped when this process exits.

    A separate process rather than a thread: gunicorn forks its web workers from this process (a thread and
    its database connection do not survive a fork cleanly), and rendering PDFs is seconds of CPU per document
    that should not compete with the master. On SQLite (WAL, IMMEDIATE transactions, each kept short: a claim,
    a status update) it shares the database file with the web processes."""
    command = [sys.executable, "-m", "wendao.web.manage", "db_worker", "--no-reload", "--interval", "1"]
    worker = subprocess.Popen(command, env=os.environ.copy())  # our own interpreter and module

    def stop() -> None:
        if worker.poll() is None:
            worker.terminate()  # SIGTERM: db_worker finishes the task at hand, then exits
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()

    atexit.register(stop)
    return worker


def prepare_worker() -> int:
    """What every web worker would otherwise build on its first request, built once before the fork so the
    workers share it: the knowledge base, the need matcher and the ask router's examples, every view module
    (the URL configuration imports them lazily: the first request of each worker paid the imports), and the
    provider matcher behind a provider's matched demand (issue 20: ≤ 1 s on first load; it was 6.4 s).
    Returns the number of listed providers. Needs the database (migrated); `bench coldstart` times exactly this."""
    from django.urls import get_resolver

    from wendao.engine.ask import prepare_ask
    from wendao.web.catalog.services import active_catalog, scenario_matcher
    from wendao.web.marketplace.services import provider_matcher

    prepare_ask(scenario_matcher(active_catalog()))  # the ask router's examples, embedded before the first question
    get_resolver().url_patterns  # noqa: B018 (imports every app's urls and views)
    _matcher, providers = provider_matcher()
    from wendao.startup import settle

    settle()  # what start-up built, frozen out of the collector's passes before the workers fork
    return len(providers)


def _gunicorn(host: str, port: int, workers: int, threads: int) -> None:
    from django.db import connections
    from gunicorn.app.base import BaseApplication

    from wendao.web.wsgi import application

    # Many requests at once: one thread per embedding query rather than every query fighting for all cores.
    os.environ.setdefault("WENDAO_EMBED_THREADS", "1")
    prepare_worker()
    connections.close_all()

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("threads", threads)
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("timeout", 120)
            # A kept-alive connection waits this long for its next request (gunicorn's default is 2 s). Phones in
            # the group workspace poll every 4 s: with 2 s each poll opened a new connection, and a request sent
            # just as the server dropped an idle connection failed ("Server disconnected" in bench web --scenario
            # week, 73-275 errors per run, even on /healthz). Idle connections cost a poller entry, not a thread.
            self.cfg.set("keepalive", int(os.environ.get("WENDAO_KEEPALIVE", "15")))
            self.cfg.set("accesslog", os.environ.get("WENDAO_ACCESS_LOG") or None)

        def load(self) -> Any:
            return application

    Server().run()


def demo(host: str = "127.0.0.1", port: int = 8000, force_public_demo: bool = False) -> None:
    """The embedded default: SQLite under ./var, demo programme and accounts, served on loopback."""
    refusal = public_demo_refusal(host, force_public_demo)
    if refusal:
        print(refusal, file=sys.stderr)
        raise SystemExit(2)
    _setup(Path.cwd() / "var")
    from wendao.web.enterprises.demo import DEMO_PASSWORD

    accounts = prepare()
    url = f"http://{host}:{port}/"
    print()
    print(f"问道 wendao demo: {url}")
    print(f"logins (password for all: {DEMO_PASSWORD}):")
    for a in accounts:
        print(f"  {a.username:<18} {a.role:<14} {a.what_zh}")
    print("The 300 programme enterprises are synthetic (generated, clearly labelled 虚构).")
    worker = start_worker()
    print(f"task worker (batch exports, plan regeneration): pid {worker.pid}")
    from wendao.web.insights.demo import queue_demo_plans

    queued = queue_demo_plans()
    if queued is not None:
        job, missing, total = queued
        print(
            f"demo plans: {missing} of {total} participants have none yet; the worker makes them now "
            f"(progress: {url}jobs/{job}/ or `wendao jobs status {job} --wait`)"
        )
    sys.stdout.flush()
    _gunicorn(host, port, workers=int(os.environ.get("WENDAO_WORKERS", "2")), threads=4)


def serve(host: str | None = None, port: int | None = None) -> None:
    """Production: gunicorn + whitenoise with settings from the environment (DATABASE_URL for PostgreSQL)."""
    _setup()
    from django.core.management import call_command

    from wendao.web.catalog.services import seed_catalog
    from wendao.web.settings import env_bool

    bind = host or os.environ.get("WENDAO_HOST", "127.0.0.1")
    # Settings refuse a weak key whenever DEBUG is off. Without WENDAO_SECRET_KEY they use a random key kept in
    # WENDAO_VAR_DIR: fine on loopback behind a proxy on one machine, but a platform listening on other
    # addresses is a real deployment, whose machines must share one key.
    if not is_loopback(bind) and not os.environ.get("WENDAO_SECRET_KEY", "").strip():
        sys.exit(
            f"wendao serve: set WENDAO_SECRET_KEY before serving on {bind} "
            '(python3 -c "import secrets; print(secrets.token_urlsafe(50))"; the same on every machine)'
        )
    call_command("migrate", interactive=False, verbosity=1)
    call_command("collectstatic", interactive=False, verbosity=0)
    seed_catalog()
    # Batch jobs need at least one `wendao jobs worker` (any machine that reaches the database; run several to
    # scale out). WENDAO_SERVE_WORKER=1 starts one alongside, for a single-machine install.
    if env_bool("WENDAO_SERVE_WORKER", False):
        start_worker()
    else:
        print("wendao serve: batch jobs run in `wendao jobs worker` processes (or set WENDAO_SERVE_WORKER=1)")
    _gunicorn(
        bind,
        port or int(os.environ.get("WENDAO_PORT", "8000")),
        workers=int(os.environ.get("WENDAO_WORKERS", str((os.cpu_count() or 1) * 2 + 1))),
        threads=int(os.environ.get("WENDAO_THREADS", "4")),
    )
