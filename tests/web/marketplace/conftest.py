"""Marketplace personas on top of tests/web/conftest.py: pete and paula are providers with their own provider
profiles; olivia organises a programme, oscar another. Everything is built through the real use cases."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from tests.web.conftest import make_user
from wendao.web.accounts.models import Role, User
from wendao.web.enterprises.models import Enterprise
from wendao.web.marketplace import services
from wendao.web.marketplace.models import Challenge, Proposal, Provider

VISION = {
    "name": "鲁视智能（测试）",
    "kind": "ai_firm",
    "description": "工业视觉缺陷检测，小样本训练，产线在线质检与追溯。",
    "scenario_ids": ["online_inspection", "ai_visual_inspection_small_model", "quality_traceability"],
    "industries": ["C34", "C38"],
    "regions": ["weifang", "jinan"],
    "price_low": 30.0,
    "price_high": 120.0,
}
ENERGY = {
    "name": "齐鲁能效研究院（测试）",
    "kind": "university",
    "description": "能源管理系统、能耗预测与碳核算。",
    "scenario_ids": ["energy_management", "ai_energy_optimisation", "ai_carbon_accounting_assistant"],
    "industries": ["C26"],
    "regions": ["zibo"],
    "price_low": 20.0,
    "price_high": 80.0,
}


def in_days(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


def challenge_data(**changes: Any) -> dict[str, Any]:
    return {
        "title": "冲压件表面缺陷在线检测",
        "scenario": "online_inspection",
        "description": "冲压件表面划伤、凹坑靠人工目检，漏检率高，希望产线上自动检测。",
        "requirements": "检出率 ≥ 99%，误报率 ≤ 2%；本地部署。",
        "budget": 80.0,
        "deadline": in_days(30),
        "visibility": Challenge.Visibility.PUBLIC,
    } | changes


def proposal_data(**changes: Any) -> dict[str, Any]:
    return {"approach": "工业相机 + 小样本缺陷检测模型，边缘部署。", "price": 60.0, "duration_months": 4} | changes


@pytest.fixture
def paula(db: Any) -> User:
    return make_user("paula", Role.PROVIDER)


@pytest.fixture
def pete_co(pete: User) -> Provider:
    return services.save_provider(
        pete, VISION, [services.CaseData("某汽车零部件厂外观检测", "民营企业", "C36", "漏检率下降八成")]
    )


@pytest.fixture
def paula_co(paula: User) -> Provider:
    return services.save_provider(paula, ENERGY)


@pytest.fixture
def draft(alice: User, alice_co: Enterprise) -> Challenge:
    return services.create_challenge(alice, alice_co, challenge_data())


@pytest.fixture
def published(alice: User, draft: Challenge) -> Challenge:
    return services.transition_challenge(alice, draft, "publish")


@pytest.fixture
def private(alice: User, alice_co: Enterprise) -> Challenge:
    c = services.create_challenge(alice, alice_co, challenge_data(title="定向邀请：焊缝检测", visibility="invited"))
    return services.transition_challenge(alice, c, "publish")


@pytest.fixture
def pete_proposal(pete: User, published: Challenge, pete_co: Provider) -> Proposal:
    return services.submit_proposal(pete, published, pete_co, proposal_data())
