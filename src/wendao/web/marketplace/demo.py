"""The demo marketplace: made-up providers (every name labelled 虚构; six written here, the directory's other rows
in ``demo_providers``), the demo provider login's organisation, and a few 揭榜挂帅 challenges in different states, published by the demo enterprise and the demo programme.

Built through the real use cases (so the audit log reads like real use) and idempotent: providers are found by
name, challenges by publisher and title; a re-run creates only what is missing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from wendao.web.accounts.models import User
from wendao.web.catalog.services import active_catalog
from wendao.web.enterprises.models import Enterprise
from wendao.web.marketplace import services
from wendao.web.marketplace.demo_providers import ROWS, price_for
from wendao.web.marketplace.models import Challenge, Provider
from wendao.web.programmes.demo import DEMO_PROGRAMME
from wendao.web.programmes.models import Programme

DEMO_PROVIDER_LOGIN = "demo-provider"  # created by enterprises.demo.create_demo_accounts, printed by `wendao demo`


@dataclass(frozen=True)
class DemoProvider:
    name: str
    kind: str
    description: str
    scenario_ids: tuple[str, ...]
    industries: tuple[str, ...]
    regions: tuple[str, ...]
    price: tuple[float, float]
    cases: tuple[services.CaseData, ...] = ()

    def data(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "description": self.description,
            "scenario_ids": list(self.scenario_ids),
            "industries": list(self.industries),
            "regions": list(self.regions),
            "price_low": self.price[0],
            "price_high": self.price[1],
            "contact_name": "演示联系人（虚构）",
            "listed": True,
        }


C = services.CaseData
DEMO_PROVIDERS = (
    DemoProvider(
        "济南慧眼视觉科技有限公司（虚构）",
        "ai_firm",
        "工业视觉缺陷检测：小样本训练、边缘部署，覆盖冲压、铸造、机加工件的表面缺陷和尺寸测量，检测结果接入质量追溯。",
        (
            "online_inspection",
            "ai_visual_inspection_small_model",
            "quality_traceability",
            "quality_analysis_improvement",
        ),
        ("C33", "C34", "C35", "C36"),
        ("jinan", "zibo", "weifang", "taian"),
        (30, 150),
        (
            C("某齿轮厂齿面缺陷在线检测（虚构）", "民营中型企业", "C34", "漏检率由约 3% 降到 0.5% 以下（演示数据）"),
            C("某汽车零部件厂冲压件外观检测（虚构）", "专精特新企业", "C36", "质检人员由 12 人减至 4 人（演示数据）"),
        ),
    ),
    DemoProvider(
        "青岛海智工业互联网有限公司（虚构）",
        "ai_firm",
        "设备联网与状态监测，振动、电流、温度数据的故障诊断与预测性维护模型，远程运维平台。",
        (
            "equipment_monitoring",
            "equipment_fault_prediction",
            "ai_predictive_maintenance",
            "equipment_maintenance",
            "remote_operation_service",
        ),
        ("C34", "C35", "C38", "C39"),
        ("qingdao", "yantai", "weihai", "weifang"),
        (40, 200),
        (C("某空压机厂远程运维平台（虚构）", "规上企业", "C34", "非计划停机减少约 30%（演示数据）"),),
    ),
    DemoProvider(
        "山东某大学智能制造研究院（虚构）",
        "university",
        "生产计划与车间排产优化（约束规划、启发式算法），需求预测，工艺参数优化；可联合培养企业工程师。",
        (
            "production_plan_optimisation",
            "workshop_scheduling",
            "ai_scheduling_agent",
            "ai_demand_forecasting",
            "process_dynamic_optimisation",
        ),
        (),
        (),
        (20, 80),
        (C("某家电配件厂 APS 排产（虚构）", "民营中型企业", "C38", "订单准时交付率提高约 15 个百分点（演示数据）"),),
    ),
    DemoProvider(
        "淄博化工数智赋能中心（虚构）",
        "capability_centre",
        "面向化工园区的能源管控、安全一体化、污染在线监测与碳核算，先进过程控制改造。",
        (
            "energy_management",
            "ai_energy_optimisation",
            "safety_integrated_control",
            "ai_safety_video_analytics",
            "pollution_monitoring",
            "carbon_asset_management",
            "advanced_process_control",
        ),
        ("C25", "C26", "C27", "C28"),
        ("zibo", "dongying", "binzhou"),
        (30, 300),
        (C("某精细化工企业能源管控中心（虚构）", "规上企业", "C26", "单位产品综合能耗下降约 6%（演示数据）"),),
    ),
    DemoProvider(
        "潍坊大模型应用服务有限公司（虚构）",
        "ai_firm",
        "基于开源大模型的企业知识库问答、设备维修知识助手、质量报告生成和作业指导，支持本地部署。",
        (
            "ai_maintenance_knowledge_assistant",
            "ai_enterprise_knowledge_qa",
            "ai_quality_report_drafting",
            "ai_sop_training_assistant",
            "ai_data_query_agent",
            "ai_shift_handover_assistant",
        ),
        (),
        ("weifang", "jinan", "qingdao", "linyi"),
        (10, 60),
        (C("某动力装备企业维修知识助手（虚构）", "国有企业", "C34", "故障排查平均用时缩短约 40%（演示数据）"),),
    ),
    DemoProvider(
        "烟台供应链智能科技有限公司（虚构）",
        "ai_firm",
        "供应链数字化管理、采购计划协同、智能仓储与物料配送，采购单据智能处理。",
        (
            "supply_chain_digital_management",
            "procurement_planning",
            "smart_warehousing",
            "material_delivery",
            "ai_procurement_document_processing",
            "supply_chain_risk_warning",
        ),
        ("C13", "C14", "C15", "C34"),
        ("yantai", "qingdao", "weihai"),
        (25, 120),
    ),
)
MEMBER_OF = "济南慧眼视觉科技有限公司（虚构）"  # the demo provider login's organisation


def all_demo_providers() -> tuple[DemoProvider, ...]:
    """The hand-written six (the challenges' proposals come from them) and the directory rows of
    ``demo_providers``, priced from the active catalog's cost estimates."""
    loaded = active_catalog()
    rows = tuple(
        DemoProvider(
            row.name,
            row.kind,
            row.description,
            row.scenario_ids,
            row.industries,
            row.regions,
            price_for(row, loaded),
        )
        for row in ROWS
    )
    return DEMO_PROVIDERS + rows


@dataclass(frozen=True)
class DemoChallenge:
    publisher: str  # "enterprise" (the demo enterprise) | "programme" (the demo programme)
    title: str
    scenario: str
    description: str
    requirements: str
    budget: float
    days: int  # deadline, days from today
    path: tuple[str, ...] = ()  # transitions after creation
    proposals: tuple[tuple[str, float, int, str], ...] = ()  # provider, price, months, what happens to it
    award: str | None = None


DEMO_CHALLENGES = (
    DemoChallenge(
        "enterprise",
        "齿轮箱壳体外观缺陷在线检测（演示）",
        "online_inspection",
        "壳体铸件和机加工面的砂眼、划伤靠人工目检，夜班漏检多，客户投诉逐年增加。希望在产线末端实现在线自动检测。",
        "检出率不低于 99%，误报率不高于 2%；节拍 30 秒/件；本地部署，数据不出厂；三个月内完成试运行。",
        60,
        30,
        ("publish",),
        (("青岛海智工业互联网有限公司（虚构）", 75, 4, "submitted"),),
    ),
    DemoChallenge(
        "enterprise",
        "多品种小批量车间排产优化（演示）",
        "workshop_scheduling",
        "订单品种多、插单频繁，排产靠经验，设备利用率不高、交期常延误。",
        "与现有 ERP 对接；排产结果可人工调整；提供三个月驻场支持。",
        45,
        20,
        ("publish",),
        (
            ("山东某大学智能制造研究院（虚构）", 38, 5, "shortlisted"),
            ("烟台供应链智能科技有限公司（虚构）", 52, 4, "submitted"),
        ),
    ),
    DemoChallenge(
        "enterprise",
        "设备维修知识助手（草稿，演示）",
        "ai_maintenance_knowledge_assistant",
        "维修手册、故障记录分散，新员工排查故障慢。",
        "",
        20,
        40,
    ),
    DemoChallenge(
        "programme",
        "参训企业设备预测性维护揭榜挂帅（演示）",
        "equipment_fault_prediction",
        "面向本期参训的装备制造企业，征集设备故障诊断与预测性维护的成熟方案，入选方案在参观点示范。",
        "至少两个已落地案例；可在三家参训企业同时试点；报价含一年运维。",
        150,
        45,
        ("publish",),
    ),
    DemoChallenge(
        "programme",
        "化工园区能耗优化揭榜（已揭榜，演示）",
        "energy_management",
        "园区企业能源计量分散、能耗高，征集能源管控与优化方案。",
        "接入园区能源平台；节能量可核证。",
        200,
        15,
        ("publish",),
        (("淄博化工数智赋能中心（虚构）", 180, 8, "shortlisted"),),
        award="淄博化工数智赋能中心（虚构）",
    ),
)


def _provider(spec: DemoProvider) -> Provider:
    found = Provider.objects.filter(name=spec.name, synthetic=True).first()
    if found is not None:
        return found
    provider = services.save_provider(None, spec.data(), list(spec.cases))
    Provider.objects.filter(pk=provider.pk).update(synthetic=True)
    provider.synthetic = True
    return provider


def _challenge(
    spec: DemoChallenge, publisher: Enterprise | Programme, actor: User, providers: dict[str, Provider]
) -> bool:
    lookup = {"enterprise": publisher} if isinstance(publisher, Enterprise) else {"programme": publisher}
    if Challenge.objects.filter(title=spec.title, **lookup).exists():
        return False
    deadline = timezone.localdate() + dt.timedelta(days=spec.days)
    data = {
        "title": spec.title,
        "scenario": spec.scenario,
        "description": spec.description,
        "requirements": spec.requirements,
        "budget": spec.budget,
        "deadline": deadline,
        "visibility": Challenge.Visibility.PUBLIC,
    }
    challenge = services.create_challenge(actor, publisher, data)
    for action in spec.path:
        services.transition_challenge(actor, challenge, action)
    proposals = {}
    for name, price, months, _fate in spec.proposals:
        approach = f"{name} 的方案：需求调研、数据采集、模型训练、试运行与验收（演示数据）。"
        proposals[name] = services.submit_proposal(
            None, challenge, providers[name], {"approach": approach, "price": price, "duration_months": months}
        )
    if any(fate == "shortlisted" for *_rest, fate in spec.proposals):
        services.transition_challenge(actor, challenge, "shortlist")
        for name, *_rest, fate in spec.proposals:
            if fate == "shortlisted":
                services.shortlist_proposal(actor, proposals[name])
    if spec.award:
        services.award_proposal(actor, proposals[spec.award])
    return True


@transaction.atomic
def create_demo_marketplace() -> dict[str, int]:
    """Providers, the demo provider login's membership, challenges. Returns what was created (zeros on a re-run).
    Needs the demo accounts (and, for the programme's challenges, the demo programme) to exist first."""
    made = {"providers": 0, "challenges": 0}
    providers: dict[str, Provider] = {}
    for spec in all_demo_providers():
        existed = Provider.objects.filter(name=spec.name, synthetic=True).exists()
        providers[spec.name] = _provider(spec)
        made["providers"] += not existed
    login = User.objects.filter(username=DEMO_PROVIDER_LOGIN).first()
    if login is not None:
        providers[MEMBER_OF].members.add(login)
    member = User.objects.filter(username="demo-enterprise").first()
    enterprise = Enterprise.objects.filter(memberships__user=member).order_by("pk").first() if member else None
    programme = Programme.objects.filter(name=DEMO_PROGRAMME).first()
    organiser = programme.organisers.order_by("pk").first() if programme else None
    for spec in DEMO_CHALLENGES:
        if spec.publisher == "enterprise" and member is not None and enterprise is not None:
            made["challenges"] += _challenge(spec, enterprise, member, providers)
        elif spec.publisher == "programme" and programme is not None and organiser is not None:
            made["challenges"] += _challenge(spec, programme, organiser, providers)
    return made
