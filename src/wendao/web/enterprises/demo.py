"""The demo's enterprises: synthetic enterprises (labelled as such) with completed assessments, and the demo
accounts (the demo enterprise's member with the Weifang example). The whole demo is built in order by
``wendao.web.demo.build_demo``. Everything here is idempotent: re-running finds what exists and creates only what is missing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from wendao.engine.profile import read_profile_file
from wendao.synthetic import synthetic_profile
from wendao.web.accounts.models import Role, User
from wendao.web.catalog.services import active_catalog
from wendao.web.enterprises import services
from wendao.web.enterprises.models import Enterprise, Membership

DEMO_SEED = 20260524
DEMO_PASSWORD = "wendao-demo-2026"  # loopback demo only; printed by `wendao demo`
EXAMPLE_PROFILE = Path(__file__).resolve().parents[2] / "data" / "examples" / "weifang_machinery.yaml"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    what_zh: str


DEMO_ACCOUNTS = (
    DemoAccount("demo-enterprise", Role.ENTERPRISE.value, "企业成员：示例企业已完成评估，可直接生成规划"),
    DemoAccount("demo-new", Role.ENTERPRISE.value, "企业成员：新账号，从登记企业档案开始"),
    DemoAccount(
        "demo-participant",
        Role.ENTERPRISE.value,
        "参训企业联系人：演示项目第1组，我的培训周和晚间小组讨论（/programmes/me/）",
    ),
    DemoAccount(
        "demo-organiser", Role.ORGANISER.value, "项目组织方：演示项目 /programmes/（300家企业、讨论分组、参观）"
    ),
    DemoAccount("demo-provider", Role.PROVIDER.value, "服务商"),
    DemoAccount(
        "demo-city",
        Role.CITY_OFFICIAL.value,
        "济南市主管部门：本市同意共享的参训企业的看板、需求分析和报告（/insights/city/）",
    ),
    DemoAccount(
        "demo-editor",
        Role.CATALOG_EDITOR.value,
        "知识库编辑：/catalog/ 维护场景、政策、价格和案例，审核组织方的修改建议",
    ),
    DemoAccount("demo-admin", Role.ADMIN.value, "管理员（后台 /admin/）"),
)


@transaction.atomic
def generate_demo_programme(count: int = 300, seed: int = DEMO_SEED) -> int:
    """``count`` synthetic enterprises spread over the 16 Shandong cities, each with a completed T0 round.
    Returns how many were created (0 on a re-run)."""
    loaded = active_catalog()
    cities = [c.id for c in loaded.catalog.cities if c.in_shandong]
    existing = set(Enterprise.objects.filter(synthetic=True).values_list("name", flat=True))
    rng = random.Random(seed)
    created = 0
    for i in range(count):
        data = synthetic_profile(loaded, rng, i)  # drawn even when skipped, so every index keeps its data
        data["city"] = cities[i % len(cities)]
        if data["name"] in existing:
            continue
        enterprise = services.save_profile(None, data, synthetic=True)
        rnd = services.open_round(enterprise, loaded)
        rnd.answers = data["answers"]
        rnd.save(update_fields=["answers"])
        services.complete_round(None, rnd, loaded)
        created += 1
    return created


@transaction.atomic
def create_demo_accounts(password: str = DEMO_PASSWORD) -> list[DemoAccount]:
    for account in DEMO_ACCOUNTS:
        user, made = User.objects.get_or_create(username=account.username, defaults={"role": account.role})
        if made:
            user.set_password(password)
            # staff reach the admin: organisers read the knowledge base there, catalog editors and admins edit it
            user.is_staff = account.role in (Role.ORGANISER, Role.CATALOG_EDITOR, Role.ADMIN)
            user.is_superuser = account.role == Role.ADMIN
            user.save()
    member = User.objects.get(username="demo-enterprise")
    if not Membership.objects.filter(user=member).exists():
        loaded = active_catalog()
        data = read_profile_file(EXAMPLE_PROFILE)
        enterprise = services.save_profile(member, data)
        rnd = services.open_round(enterprise, loaded)
        rnd.answers = data.get("answers") or {}
        rnd.evidence = data.get("evidence") or {}
        rnd.save(update_fields=["answers", "evidence"])
        services.complete_round(member, rnd, loaded)
    return list(DEMO_ACCOUNTS)
