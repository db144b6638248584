"""`wendao bench web --scenario week-cpu`: what each participant view of the training week costs the server, in one
process, with no queue in front of it: CPU milliseconds (``time.process_time``) and database queries per request.

Under a room's load (``--scenario week``) a view's latency is mostly the queue of a saturated server, so its ratio
to the no-op view is about the ratio of their costs per request; this table is that cost, measured where it is
steady (no other process's load in it beyond the machine's), so a change to a view shows in it at once.

The data is the demo's (``build_demo`` with a small cohort: synthetic firms with completed assessments and plans,
the five-day timetable, groups with a facilitator, group 1 mid-discussion), in a fresh SQLite file (WAL) of a
temporary directory, with the server's settings (DEBUG off). The participant is ``demo-participant`` (group 1),
who signs in with a sign-in link as a phone does. Requests go through Django's real WSGI handler (the
middleware, the request signals: a database connection per request as under gunicorn, unless the settings keep
it), with cookies, CSRF tokens and htmx headers like a phone's. Each view is asked ``warmup`` times untimed, then
``iterations`` times; the median and p90 of the CPU per request are reported, and the queries of one request
counted apart (counting them costs time).
"""

from __future__ import annotations

import json
import os
import platform
import re
import statistics
import sys
import tempfile
import time
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

from wendao.bench.web import _env, _free_port, _helper

VIEWS = (
    "healthz",
    "link_page",
    "link_signin",
    "my_week",
    "workspace",
    "poll_changed",
    "poll_unchanged",
    "problem",
    "comment",
)
VIEW_WHAT = {
    "healthz": "GET /healthz (the no-op view of the load bench)",
    "link_page": "GET the sign-in link (a fresh phone: no cookies)",
    "link_signin": "POST the sign-in link (one tap) -> 302",
    "my_week": "GET /programmes/me/<participant>/",
    "workspace": "GET /programmes/workspace/<group>/",
    "poll_changed": "GET the board with HX-Request and an old version -> 200 with the board",
    "poll_unchanged": "GET the board with HX-Request and the current version -> 204",
    "problem": "POST the stated problem (htmx autosave) -> 200",
    "comment": "POST a comment on the next member's problem (htmx) -> 200 with the board",
}
HOST = "127.0.0.1"
ORIGIN = f"http://{HOST}"


class Phone:
    """A cookie-keeping client that calls the WSGI application itself (``django.core.handlers.wsgi``), so every
    request goes through what gunicorn's would: the request signals, the middleware, the response's close."""

    _app: Any = None  # one application for every phone, as one per server process (its start-up is not timed)

    def __init__(self) -> None:
        from django.core.handlers.wsgi import WSGIHandler
        from django.test.client import RequestFactory

        if Phone._app is None:
            Phone._app = WSGIHandler()
        self.app = Phone._app
        self.factory = RequestFactory(HTTP_HOST=HOST, HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
        self.cookies: SimpleCookie = SimpleCookie()

    def request(self, method: str, path: str, data: dict[str, str] | None = None, **headers: str) -> tuple[int, str]:
        make = getattr(self.factory, method.lower())
        extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
        if self.cookies:
            extra["HTTP_COOKIE"] = "; ".join(f"{k}={m.value}" for k, m in self.cookies.items())
        environ = make(path, data or {}, **extra).environ
        status: list[str] = []
        response = self.app(environ, lambda s, h, exc_info=None: status.append(s))
        try:
            body = b"".join(response)
        finally:
            response.close()  # request_finished: the database connection is closed or kept as the settings say
        for key, morsel in response.cookies.items():
            if morsel["max-age"] == 0:
                self.cookies.pop(key, None)
            else:
                self.cookies[key] = morsel.value
        return int(status[0].split()[0]), body.decode("utf-8", errors="replace")


def _find(pattern: str, text: str, what: str) -> str:
    found = re.search(pattern, text)
    if found is None:
        raise RuntimeError(f"no {what} in the page")
    return found.group(1).replace("&amp;", "&")


def _prepare(out: Path, cohort: str) -> None:
    """The demo's data for a cohort of ``cohort`` synthetic firms, and a sign-in link for demo-participant."""
    import django

    django.setup()
    from django.core.management import call_command

    from wendao.web.catalog.services import seed_catalog
    from wendao.web.demo import build_demo
    from wendao.web.programmes import signin
    from wendao.web.programmes.models import GroupMembership, Participant

    call_command("migrate", interactive=False, verbosity=0)
    seed_catalog()
    build_demo(int(cohort))
    me = Participant.objects.select_related("programme").get(account__username="demo-participant")
    group = GroupMembership.objects.get(participant=me).group
    peers = list(Participant.objects.joined().filter(group_membership__group=group).exclude(pk=me.pk).order_by("pk"))
    # a link is only for a contact without a password of their own (signin.link_refusal); the demo account has the
    # demo password, so in this throwaway database it stands for a contact who never set one
    assert me.account is not None
    me.account.set_unusable_password()
    me.account.save(update_fields=["password"])
    link = signin.issue(None, me)
    out.write_text(
        json.dumps(
            {
                "participant": me.pk,
                "group": group.pk,
                "peer": peers[0].pk,
                "members": len(peers) + 1,
                "link": signin.link_path(link),
                "sessions": me.programme.sessions.count(),
                "plans": me.enterprise.plans.count(),
            }
        ),
        encoding="utf-8",
    )


def _measure(out: Path, prepared_file: Path, iterations_text: str, warmup_text: str) -> None:
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from wendao.web.programmes.models import GroupComment

    prepared = json.loads(prepared_file.read_text(encoding="utf-8"))
    iterations, warmup = int(iterations_text), int(warmup_text)
    me, g, peer, link = prepared["participant"], prepared["group"], prepared["peer"], prepared["link"]
    signed = Phone()
    page = signed.request("GET", link)[1]
    token = _find(r'name="csrfmiddlewaretoken" value="([^"]+)"', page, "CSRF token")
    assert signed.request("POST", link, {"csrfmiddlewaretoken": token}, Origin=ORIGIN)[0] == 302
    workspace_page = signed.request("GET", f"/programmes/workspace/{g}/")[1]
    csrf = _find(r'"X-CSRFToken": "([^"]+)"', workspace_page, "hx-headers CSRF token")
    hx = {"HX-Request": "true", "HX-Current-URL": f"{ORIGIN}/programmes/workspace/{g}/"}
    post = {**hx, "Origin": ORIGIN, "X-CSRFToken": csrf}
    board_url = _find(r'id="board" hx-get="([^"]+)"', workspace_page, "board poll URL")
    stale_url = re.sub(r"v=[0-9a-f]+", "v=0", board_url)
    comments_before = set(GroupComment.objects.values_list("pk", flat=True))

    def fresh_page() -> tuple[int, str]:
        return Phone().request("GET", link)

    def fresh_signin() -> Any:  # untimed: the page (CSRF cookie and token); timed: the tap
        phone = Phone()
        token = _find(r'name="csrfmiddlewaretoken" value="([^"]+)"', phone.request("GET", link)[1], "CSRF token")
        return lambda: phone.request("POST", link, {"csrfmiddlewaretoken": token}, Origin=ORIGIN)

    def unchanged_poll() -> Any:  # untimed: the phone's current copy, polled once (as the phone did 4 s before)
        url = _find(r'id="board" hx-get="([^"]+)"', signed.request("GET", f"/programmes/workspace/{g}/")[1], "board")
        signed.request("GET", url, **hx)
        return lambda: signed.request("GET", url, **hx)

    # each view: (set-up, untimed, returning the call to time; the status it must answer)
    calls: dict[str, tuple[Any, int]] = {
        "healthz": (lambda: lambda: signed.request("GET", "/healthz"), 200),
        "link_page": (lambda: fresh_page, 200),
        "link_signin": (fresh_signin, 302),
        "my_week": (lambda: lambda: signed.request("GET", f"/programmes/me/{me}/"), 200),
        "workspace": (lambda: lambda: signed.request("GET", f"/programmes/workspace/{g}/"), 200),
        "poll_changed": (lambda: lambda: signed.request("GET", stale_url, **hx), 200),
        "poll_unchanged": (unchanged_poll, 204),
        "problem": (
            lambda: (
                lambda: signed.request(
                    "POST", f"/programmes/workspace/{g}/problem/", {"text": "关键设备突然停机（测量）"}, **post
                )
            ),
            200,
        ),
        "comment": (
            lambda: (
                lambda: signed.request(
                    "POST", f"/programmes/workspace/{g}/comment/{peer}/", {"text": "先做一台设备的试点（测量）"}, **post
                )
            ),
            200,
        ),
    }
    # round robin: every iteration asks every view once, so a change of the machine's load touches all alike
    cpu: dict[str, list[float]] = {name: [] for name in VIEWS}
    size: dict[str, int] = {}
    for i in range(warmup + iterations):
        for name in VIEWS:
            setup, expect = calls[name]
            call = setup()
            start = time.process_time()
            status, body = call()
            spent = time.process_time() - start
            if status != expect:
                raise RuntimeError(f"{name}: HTTP {status}, expected {expect}")
            if name == "comment":  # the board stays as it was: every comment is measured on the same board
                GroupComment.objects.exclude(pk__in=comments_before).delete()
            if i >= warmup:
                cpu[name].append(spent * 1000)
                size[name] = len(body.encode())
    rows: dict[str, Any] = {}
    for name in VIEWS:
        setup, _expect = calls[name]
        call = setup()
        with CaptureQueriesContext(connection) as queries:
            call()
        if name == "comment":
            GroupComment.objects.exclude(pk__in=comments_before).delete()
        ordered = sorted(cpu[name])
        rows[name] = {
            "what": VIEW_WHAT[name],
            "cpu_ms_median": round(statistics.median(ordered), 2),
            "cpu_ms_p90": round(ordered[max(0, int(0.9 * len(ordered)) - 1)], 2),
            "cpu_ms_min": round(ordered[0], 2),
            "queries": len(queries.captured_queries),
            "bytes": size[name],
        }
    out.write_text(json.dumps(rows), encoding="utf-8")


def run_week_cpu_bench(cohort: int = 24, iterations: int = 40, warmup: int = 5) -> dict[str, Any]:
    """The per-view CPU table: a helper process builds the demo's data, another measures (fresh processes, the
    server's settings)."""
    with tempfile.TemporaryDirectory(prefix="wendao-bench-week-cpu-") as tmp:
        var_dir = Path(tmp)
        env = _env(var_dir, _free_port(), 1, 1, plain_static=True)
        env["WENDAO_PLAN_MATCHER"] = "0"  # the demo's plans without the need matcher: the same views, a quicker set-up
        started = time.perf_counter()
        prepared = _helper("prepare", [str(cohort)], env, 1800, module="wendao.bench.week_cpu")
        prepare_wall = time.perf_counter() - started
        prepared_file = var_dir / "prepared.json"
        prepared_file.write_text(json.dumps(prepared), encoding="utf-8")
        views = _helper(
            "measure", [str(prepared_file), str(iterations), str(warmup)], env, 1800, module="wendao.bench.week_cpu"
        )
    noop = views["healthz"]["cpu_ms_median"]
    for row in views.values():
        row["cpu_over_healthz"] = round(row["cpu_ms_median"] / noop, 1) if noop else None
    return {
        "benchmark": "web",
        "scenario": "week-cpu",
        "data": {"cohort": cohort, **{k: prepared[k] for k in ("members", "sessions", "plans")}},
        "iterations": iterations,
        "warmup": warmup,
        "views": views,
        "prepare_wall_seconds": round(prepare_wall, 1),
        "load_average": list(os.getloadavg()),
        "machine": {"python": platform.python_version(), "cpu": platform.machine(), "cores": os.cpu_count()},
    }


def _main(argv: list[str]) -> None:
    command, out = argv[0], Path(argv[1])
    if command == "prepare":
        _prepare(out, argv[2])
    elif command == "measure":
        _measure(out, Path(argv[2]), argv[3], argv[4])
    else:
        raise SystemExit(f"unknown helper command {command!r}")


if __name__ == "__main__":
    _main(sys.argv[1:])
