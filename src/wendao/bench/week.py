"""`wendao bench web --scenario week --participants 300`: a training class arrives in the same minute and spends its
evening in the group workspace, against a real gunicorn server of wendao started here on loopback. The programme
has the demo's five-day timetable (``programmes.demo.create_demo_week``); the firms have no plans (a plan each
would add minutes of set-up; ``--scenario week-cpu`` measures the views with the demo's plans).

The server, its settings, the no-op baselines (apart before the load, and interleaved: right after each request
on the participant's connection) and the time measurement are those of ``wendao.bench.web`` (same helpers). The participants (user, enterprise, joined participant, discussion groups of 8, a sign-in link each)
are created beforehand through the use cases the web app uses, in a helper process.

Each participant is one asyncio task with its own httpx client, all started at once (or, with
``--arrival-seconds N``, each at a moment drawn uniformly within N seconds: the issue's "arriving in the same
minute" is N = 60), then no think time. It does
what the phone does: open its sign-in link (the confirmation page), tap "sign in" (POST -> 302), load "my week",
open its group's workspace, poll the board three times (HX-Request, as htmx's ``every 4s``: the board's own
hx-get URL, which carries the version of the copy the phone holds; 204 when nothing changed since), autosave its
stated problem (hx-post), post one comment on the next member's problem (hx-post, answered with the board) and
poll once more. Afterwards the database is checked: every problem and every comment acknowledged with 200 must be
stored (lost writes = 0).
"""

from __future__ import annotations

import asyncio
import json
import os
import platform
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wendao.bench.web import (
    NOOP_PATH,
    TARGET_P95_RATIO,
    StepError,
    _bounded,
    _find,
    _summary,
    baseline_figures,
    bench_run,
    helper_main,
    p95_targets_met,
    paired_noop,
    ratio,
    step_figures,
)

GROUP_SIZE = 8
POLLS = 3
ARRIVAL_SEED = 17  # arrival moments drawn the same way in every run
BASELINES = ("noop", "noop_first", "noop_during")
STEPS = ("link_page", "link_signin", "my_week", "workspace", "poll", "problem", "comment")
STEP_WHAT = {
    "link_page": "GET /programmes/signin/<id>/<token>/ (who is signed in; the QR code's URL)",
    "link_signin": "POST the same URL (CSRF token of the page) -> 302 to my week",
    "my_week": "GET /programmes/me/<participant>/",
    "workspace": "GET /programmes/workspace/<group>/ (full page)",
    "poll": f"GET /programmes/workspace/<group>/board/?v=<version held> with HX-Request ({POLLS + 1} per "
    "participant; 200 with the board, or 204 when unchanged)",
    "problem": "POST /programmes/workspace/<group>/problem/ autosave (X-CSRFToken, HX-Request)",
    "comment": "POST /programmes/workspace/<group>/comment/<member>/ (HX-Request; answered with the board)",
}


# --- helper processes -------------------------------------------------------------------------------------------


def _prepare(out: Path, participants: int, prefix: str) -> None:
    import random

    import django

    django.setup()
    import datetime as dt

    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from wendao.synthetic import synthetic_profile
    from wendao.web.accounts.models import Role, User
    from wendao.web.catalog.services import active_catalog, seed_catalog
    from wendao.web.enterprises import services
    from wendao.web.programmes import signin
    from wendao.web.programmes.models import DiscussionGroup, GroupMembership, Participant, Programme

    call_command("migrate", interactive=False, verbosity=0)
    seed_catalog()
    loaded = active_catalog()
    rng = random.Random(20261206)
    rows = []
    with transaction.atomic():
        programme = Programme.objects.create(
            name=f"{prefix}压测培训班", ends_on=timezone.localdate() + dt.timedelta(days=4)
        )
        group = None
        for i in range(participants):
            data = synthetic_profile(loaded, rng, i)
            data.pop("answers", None)
            data.pop("evidence", None)
            data["name"] = f"{data['name']}（压测{i + 1:03d}）"
            user = User.objects.create_user(username=f"{prefix}{i + 1:03d}", role=Role.ENTERPRISE)
            user.set_unusable_password()  # a link is their only way in
            user.save(update_fields=["password"])
            enterprise = services.save_profile(user, data, synthetic=True)
            p = Participant.objects.create(
                programme=programme, enterprise=enterprise, account=user, contact_name=f"联系人{i + 1:03d}",
                phone=f"199{i + 1:08d}",  # a link goes to a listed mobile number (signin.listed)
                joined_at=timezone.now(), account_created=True,  # made here, as the import makes it (signin rule)
            )  # fmt: skip
            if i % GROUP_SIZE == 0:
                group = DiscussionGroup.objects.create(programme=programme, number=i // GROUP_SIZE + 1, round=2)
            assert group is not None
            GroupMembership.objects.create(group=group, participant=p)
            link = signin.issue(None, p)
            rows.append({"participant": p.pk, "group": group.pk, "link": signin.link_path(link)})
    # the demo's week around them: the five-day timetable (17 sessions, four site visits), a facilitator per group
    # and group 1 mid-discussion, so "my week" shows what a participant's does
    from wendao.web.programmes.demo import create_demo_week

    create_demo_week(programme)
    by_group: dict[int, list[int]] = {}
    for r in rows:
        by_group.setdefault(r["group"], []).append(r["participant"])
    for r in rows:  # each comments on the next member of their group (themselves when alone)
        members = by_group[r["group"]]
        r["peer"] = members[(members.index(r["participant"]) + 1) % len(members)]
    out.write_text(json.dumps({"participants": rows, "database": connection.vendor}), encoding="utf-8")


def _verify(out: Path, expected_file: Path) -> None:
    import django

    django.setup()
    from wendao.web.programmes.models import GroupComment, StatedProblem

    expected = json.loads(expected_file.read_text(encoding="utf-8"))
    ids = [int(k) for k in expected]
    problems = dict(StatedProblem.objects.filter(participant__in=ids).values_list("participant_id", "text"))
    comments = {
        (c.about_id, c.text) for c in GroupComment.objects.filter(about__in=[r["peer"] for r in expected.values()])
    }
    # planned: two writes per participant; sent: those its client sent (a participant stopped by an error before
    # a write never sends it: counted under errors, not as lost); lost: sent and not stored
    planned = sent = stored = lost_after_200 = 0
    for key, row in expected.items():
        for kind, ok in (
            ("problem", problems.get(int(key)) == row["problem"]),
            ("comment", (row["peer"], row["comment"]) in comments),
        ):
            planned += 1
            sent += kind in row["attempted"]
            stored += ok
            lost_after_200 += (not ok) and kind in row["acknowledged"]
    out.write_text(
        json.dumps(
            {
                "planned": planned,
                "sent": sent,
                "stored": stored,
                "lost": sent - stored,
                "lost_after_200": lost_after_200,
            }
        ),
        encoding="utf-8",
    )


# --- the load -------------------------------------------------------------------------------------------------


@dataclass
class Recorder:
    times: dict[str, list[float]] = field(default_factory=lambda: {s: [] for s in (*STEPS, *BASELINES)})
    requests: dict[str, int] = field(default_factory=lambda: dict.fromkeys((*STEPS, *BASELINES), 0))
    errors: dict[str, int] = field(default_factory=lambda: dict.fromkeys((*STEPS, *BASELINES), 0))
    samples: list[str] = field(default_factory=list)
    status: dict[str, int] = field(default_factory=dict)  # "step status" -> responses
    paired: dict[str, list[float]] = field(default_factory=lambda: {s: [] for s in STEPS})

    def error(self, step: str, what: str) -> None:
        """Counts the error; keeps the first three of each step as samples (a noisy step hides no other)."""
        self.errors[step] += 1
        if sum(x.startswith(f"{step}: ") for x in self.samples) < 3:
            self.samples.append(f"{step}: {what}")


async def _timed(
    rec: Recorder, step: str, client: Any, method: str, url: str, expect: int | tuple[int, ...], **kwargs: Any
) -> Any:
    start = time.perf_counter()
    try:
        response = await client.request(method, url, **kwargs)
    except Exception as exc:
        rec.requests[step] += 1
        rec.error(step, f"{method} {url}: {type(exc).__name__} {exc}")
        raise StepError from exc
    rec.times[step].append(time.perf_counter() - start)
    rec.requests[step] += 1
    rec.status[f"{step} {response.status_code}"] = rec.status.get(f"{step} {response.status_code}", 0) + 1
    if response.status_code not in (expect if isinstance(expect, tuple) else (expect,)):
        rec.error(step, f"{method} {url}: HTTP {response.status_code}, expected {expect}")
        raise StepError
    if step in rec.paired:
        await paired_noop(rec, step, client)
    return response


async def _participant(rec: Recorder, base: str, row: dict[str, Any], timeout: float, done: list[int]) -> None:
    import httpx

    await asyncio.sleep(row["arrives_after"])  # the arrival window: each phone's first tap at its own moment

    headers = {"Accept-Language": "zh-CN,zh;q=0.9", "User-Agent": "wendao-bench-week"}
    origin = {"Origin": base}
    g, me = row["group"], row["participant"]
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=timeout) as client:
        try:
            page = await _timed(rec, "link_page", client, "GET", row["link"], 200)
            token = _find(rec, "link_page", r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text, "CSRF token")
            await _timed(
                rec, "link_signin", client, "POST", row["link"], 302,
                data={"csrfmiddlewaretoken": token}, headers=origin,
            )  # fmt: skip
            await _timed(rec, "my_week", client, "GET", f"/programmes/me/{me}/", 200)
            page = await _timed(rec, "workspace", client, "GET", f"/programmes/workspace/{g}/", 200)
            csrf = _find(rec, "workspace", r'"X-CSRFToken": "([^"]+)"', page.text, "hx-headers CSRF token")
            hx = {"HX-Request": "true", "HX-Current-URL": f"{base}/programmes/workspace/{g}/"}
            post = {**origin, **hx, "X-CSRFToken": csrf}
            board = _board_url(rec, page.text)
            for _ in range(POLLS):
                polled = await _timed(rec, "poll", client, "GET", board, (200, 204), headers=hx)
                board = _board_url(rec, polled.text) if polled.status_code == 200 else board
            row["attempted"].append("problem")
            await _timed(
                rec, "problem", client, "POST", f"/programmes/workspace/{g}/problem/", 200,
                data={"text": row["problem"]}, headers=post,
            )  # fmt: skip
            row["acknowledged"].append("problem")
            row["attempted"].append("comment")
            answered = await _timed(
                rec, "comment", client, "POST", f"/programmes/workspace/{g}/comment/{row['peer']}/", 200,
                data={"text": row["comment"], "scenario": ""}, headers=post,
            )  # fmt: skip
            row["acknowledged"].append("comment")
            board = _board_url(rec, answered.text)
            await _timed(rec, "poll", client, "GET", board, (200, 204), headers=hx)
            done[0] += 1
        except StepError:
            done[1] += 1
        except Exception as exc:  # a bug of the client itself still counts, and never hides
            rec.error("poll", f"client: {type(exc).__name__} {exc}")
            done[1] += 1


def _board_url(rec: Recorder, html: str) -> str:
    """The board's own hx-get (as htmx polls it): its URL with the version of this copy."""
    return _find(rec, "poll", r'id="board" hx-get="([^"]+)"', html, "board poll URL").replace("&amp;", "&")


async def _noop_client(rec: Recorder, base: str, requests: int, timeout: float, arrives_after: float = 0.0) -> None:
    import httpx

    await asyncio.sleep(arrives_after)

    async with httpx.AsyncClient(base_url=base, timeout=timeout) as client:
        try:
            await _timed(rec, "noop_first", client, "GET", NOOP_PATH, 200)  # its TCP connect included
            for _ in range(requests):
                await _timed(rec, "noop", client, "GET", NOOP_PATH, 200)
        except StepError:
            return


async def _load(
    base: str, rows: list[dict[str, Any]], noop_requests: int, request_timeout: float, phase_timeout: float
) -> dict[str, Any]:
    rec = Recorder()
    await _bounded([_noop_client(Recorder(), base, 5, request_timeout) for _ in range(20)], phase_timeout)
    # the baseline: the no-op view, as many clients at once, each on its own connection (its first request, the
    # TCP connect with it, apart: "noop_first", the like-for-like of a phone's first request, link_page)
    noop_wall, noop_in_time = await _bounded(
        [_noop_client(rec, base, noop_requests, request_timeout, r["arrives_after"]) for r in rows], phase_timeout
    )
    done = [0, 0]
    wall, in_time = await _bounded([_participant(rec, base, r, request_timeout, done) for r in rows], phase_timeout)
    return {
        "recorder": rec, "noop_wall": noop_wall, "wall": wall, "in_time": in_time and noop_in_time,
        "finished": done[0], "cancelled": len(rows) - done[0] - done[1],
    }  # fmt: skip


def run_week_bench(
    participants: int = 300,
    noop_requests: int = 20,
    request_timeout: float = 300.0,
    phase_timeout: float = 1200.0,
    startup_timeout: float = 900.0,  # serve() took 338 s to answer at a load of 20
    plain_static: bool = False,
    arrival_seconds: float = 0.0,
) -> dict[str, Any]:
    import httpx

    with bench_run("week", "week", "wendao.bench.week", participants, startup_timeout, plain_static) as run:
        rows: list[dict[str, Any]] = run.prepared["participants"]
        arrivals = random.Random(ARRIVAL_SEED)
        for r in rows:
            r["arrives_after"] = arrivals.uniform(0.0, arrival_seconds)
            r["problem"] = f"压测问题 {r['participant']}：关键设备突然停机"
            r["comment"] = f"压测建议 {r['participant']} → {r['peer']}"
            r["acknowledged"] = []
            r["attempted"] = []
        with run.serving():
            load = asyncio.run(_load(run.base, rows, noop_requests, request_timeout, phase_timeout))
        expected_file = run.var_dir / "expected.json"
        expected_file.write_text(json.dumps({str(r["participant"]): r for r in rows}, ensure_ascii=False), "utf-8")
        writes = run.helper("verify", [str(expected_file)])

    rec: Recorder = load["recorder"]
    walls, workers, threads, postgres = run.walls, run.workers, run.threads, run.postgres
    walls["noop_phase"] = round(load["noop_wall"], 2)
    walls["participant_phase"] = round(load["wall"], 2)
    noop = _summary(rec.times["noop"])
    steps = step_figures(rec, STEPS, STEP_WHAT, noop)
    errors = sum(rec.errors[s] for s in (*STEPS, "noop_during")) + load["cancelled"]
    return {
        "benchmark": "web",
        "scenario": "week",
        "participants": participants,
        "group_size": GROUP_SIZE,
        "participants_finished": load["finished"],
        "participants_cancelled_at_deadline": load["cancelled"],
        "requests": sum(rec.requests[s] for s in STEPS),
        "errors": errors,
        "error_samples": rec.samples,
        "writes": writes,
        "lost_writes": writes["lost"],
        "responses_by_status": dict(sorted(rec.status.items())),
        "steps": steps,
        "noop_baseline": {
            "what": f"GET {NOOP_PATH} (no database, no session), {participants} clients "
            + (f"arriving over {arrival_seconds:g} s like the participants" if arrival_seconds else "at once"),
            "requests": rec.requests["noop"],
            "errors": rec.errors["noop"],
            "seconds": noop,
            "first_request_errors": rec.errors["noop_first"],
            "first_request_seconds": (first := _summary(rec.times["noop_first"])),
            "link_page_p95_over_first_request_p95": ratio(steps["link_page"]["seconds"]["p95"], first["p95"]),
        },
        "interleaved_baseline": baseline_figures(rec),
        "wall_seconds": walls,
        "finished_within_phase_timeout": bool(load["in_time"]),
        "server": {
            "launch": "wendao.web.launch.serve() (gunicorn gthread)",
            "static_files": "plain names (--plain-static)" if plain_static else "hashed and compressed (manifest)",
            "workers": workers,
            "threads": threads,
            "workers_booted": run.workers_booted,
            "database": "postgresql (DATABASE_URL)" if postgres else "sqlite, fresh file, WAL",
        },
        "client": {
            "library": f"httpx {httpx.__version__} (asyncio), one AsyncClient per participant",
            "concurrency": participants,
            "arrival": (
                f"each participant's first request at a uniformly drawn moment within {arrival_seconds:g} s "
                f"(seed {ARRIVAL_SEED}), then no think time"
                if arrival_seconds
                else "all at once"
            ),
            "arrival_seconds": arrival_seconds,
            "think_time_seconds": 0,
        },
        "target": {
            "errors": 0,
            "lost_writes": 0,
            "p95_over_noop_p95_max": TARGET_P95_RATIO,
            "met": {
                "errors": errors == 0,
                "lost_writes": writes["lost"] == 0,
                **p95_targets_met(steps),
            },
        },
        "machine": {"python": platform.python_version(), "cpu": platform.machine(), "cores": os.cpu_count()},
    }


if __name__ == "__main__":
    helper_main(sys.argv[1:], _prepare, _verify)
