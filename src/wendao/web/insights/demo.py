"""Demo programme: plans for some participants, a few roadmap items marked started / deployed by their
(absent) members, and targets with progress — so the organiser's targets page is not empty. Idempotent.
SYNTHETIC: every enterprise and status here is generated; the targets cite where their figures come from."""

from __future__ import annotations

import datetime as dt

from wendao.engine.plan import PlanError
from wendao.web.enterprises import services
from wendao.web.enterprises.models import Enterprise, PlanRecord
from wendao.web.insights.models import CityShare, ProgressStatus, Target
from wendao.web.insights.progress import set_progress
from wendao.web.insights.targets import PRESETS
from wendao.web.programmes.models import Programme

DEMO_CITY = "jinan"  # demo-city answers for Jinan
DEMO_CITY_DECLINES = 4  # every 4th synthetic Jinan firm keeps its data from the city: consent is a choice
DEMO_PLANS = 24  # plans made at demo start-up: a few seconds, enough for every metric to move
PROGRAMME_START = dt.date(2026, 5, 19)  # first day of the Hangzhou training (李梦瑶, May 2026)


def create_demo_targets(programme: Programme) -> int:
    """Plans for the first DEMO_PLANS synthetic participants that lack one, progress on some of their items,
    and the demo targets if the programme has none. Returns how many plans were made."""
    firms = Enterprise.objects.filter(participations__programme=programme, synthetic=True).order_by("pk")
    with_plan = set(PlanRecord.objects.filter(enterprise__in=firms).values_list("enterprise_id", flat=True))
    made = 0
    for index, firm in enumerate(firms[:DEMO_PLANS]):
        if firm.pk in with_plan:
            continue
        try:
            rec = services.create_plan(None, firm, services.plan_options({}))
        except (PlanError, services.NoAssessmentError):
            continue
        made += 1
        items = rec.plan.get("items", [])
        if items and index % 3 == 0:
            set_progress(None, rec, items[0]["scenario"], ProgressStatus.DEPLOYED)
        if len(items) > 1 and index % 2 == 0:
            set_progress(None, rec, items[1]["scenario"], ProgressStatus.STARTED)
    if not Target.objects.filter(programme=programme).exists():
        for preset in PRESETS:
            Target.objects.create(
                programme=programme,
                metric=preset.metric,
                parameter=preset.parameter,
                value=preset.value,
                start_date=PROGRAMME_START,
                due_date=preset.due_date,
                source=str(preset.source),
            )
        Target.objects.create(
            programme=programme,
            metric="maturity_at_least",
            parameter=40.0,
            value=150,
            scope="",
            start_date=PROGRAMME_START,
            due_date=dt.date(2027, 12, 31),
            source="演示目标（虚构）：半数参训企业成熟度总分达到 40 分",
        )
    return made


def queue_demo_plans() -> tuple[int, int, int] | None:
    """The demo as it looks mid-programme: when some synthetic participants of the demo programme have no plan
    yet, queue the programme's plan job (``jobs`` regenerate: every assessed participant re-planned with its
    own options) for the task worker the demo starts beside the web server. Start-up is not held up: the
    plans appear on the dashboards as the worker makes them, and the job page
    shows the progress. Returns (job id, participants without a plan, participants) or None when every
    participant has one (a restart does not plan again)."""
    from wendao.web.jobs.services import start_job
    from wendao.web.programmes.demo import DEMO_PROGRAMME

    programme = Programme.objects.filter(name=DEMO_PROGRAMME).first()
    if programme is None:
        return None
    firms = Enterprise.objects.filter(participations__programme=programme, synthetic=True)
    missing = firms.exclude(pk__in=PlanRecord.objects.values("enterprise")).count()
    if not missing:
        return None
    job, _created = start_job(None, programme, "regenerate")
    return job.pk, missing, firms.count()


def create_demo_city_official() -> int:
    """demo-city is Jinan's official; the synthetic Jinan participants agree to share with their city, except
    every DEMO_CITY_DECLINES-th (their consent is as made up as they are). Returns how many consents were
    added (0 on a re-run)."""
    from wendao.web.accounts.models import User

    official = User.objects.filter(username="demo-city").first()
    if official is None:
        return 0
    if official.city != DEMO_CITY:
        official.city = DEMO_CITY
        official.save(update_fields=["city"])
    firms = Enterprise.objects.filter(synthetic=True, city=DEMO_CITY, participations__joined_at__isnull=False)
    shared = set(CityShare.objects.values_list("enterprise_id", flat=True))
    chosen = [e for i, e in enumerate(firms.distinct().order_by("pk"), 1) if i % DEMO_CITY_DECLINES]
    return len(CityShare.objects.bulk_create([CityShare(enterprise=e) for e in chosen if e.pk not in shared]))
