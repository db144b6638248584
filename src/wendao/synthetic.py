"""Synthetic enterprises for benchmarks, the demo programme and the CLI documents' peer averages.

A runtime module (not under wendao.bench): report/peers.py and the web demo use it. SYNTHETIC: every figure
here is generated from a seed, not observed; names say so. Baselines are drawn around the catalog's baseline
defaults, so the value model sees realistic magnitudes without any claim about a real firm."""

from __future__ import annotations

import random
from typing import Any

from wendao.engine.catalog import LoadedCatalog

# Industries and the pain points their managers typically raise (phrases written for the generator).
PAIN_POOL: dict[str, list[str]] = {
    "raw_materials": [
        "装置能耗高，蒸汽和电费压力大",
        "工艺参数靠老师傅经验调整，批次质量波动",
        "安全规程多，新员工查找困难",
        "环保排放监测要求越来越严",
        "关键机泵突发故障导致非计划停车",
        "碳排放核算不清楚，客户要求提供碳足迹",
        "化验数据多但没人分析",
        "危险岗位用人多，招工难",
    ],
    "equipment": [
        "关键设备经常突然停机，维修靠经验",
        "零件外观缺陷靠人工目检，漏检多",
        "排产靠Excel，插单一多就乱",
        "订单多品种小批量，换型时间长",
        "图纸和设计变更管理混乱",
        "售后服务响应慢，客户投诉多",
        "报价选型要靠老工程师，耗时长",
        "备件库存积压又经常缺件",
    ],
    "consumer": [
        "库存全靠手工记账，临期产品报废多",
        "订单忽多忽少，不知道该备多少货",
        "产品质量追溯困难，出问题查不清批次",
        "包装和外观质检靠人眼",
        "能耗和用水成本高",
        "营销获客难，线上渠道不会做",
        "生产进度不透明，交期经常延误",
        "员工流动大，培训成本高",
    ],
    "electronics": [
        "贴片和组装的视觉检测误判多",
        "良率波动找不到原因",
        "测试数据量大但没有分析",
        "物料齐套难，经常缺料停线",
        "客户要求追溯到每一片板",
        "研发周期太长，跟不上客户节奏",
        "设备联网率低，数据靠手抄",
        "需求预测不准，库存高",
    ],
}
GOAL_POOL = [
    "三年内人均产值提高20%",
    "用大模型把企业知识沉淀下来",
    "建成数字化车间",
    "单位产品能耗下降10%",
    "一次合格率提高到99%以上",
    "交付周期缩短三分之一",
    "申报省级智能工厂",
    "降低库存资金占用",
]
# rough shares used only to spread synthetic firms over divisions
INDUSTRY_WEIGHTS: dict[str, int] = {
    "C13": 6,
    "C14": 3,
    "C15": 2,
    "C17": 4,
    "C18": 3,
    "C22": 2,
    "C25": 3,
    "C26": 9,
    "C27": 3,
    "C29": 5,
    "C30": 5,
    "C31": 3,
    "C32": 3,
    "C33": 6,
    "C34": 8,
    "C35": 7,
    "C36": 5,
    "C37": 3,
    "C38": 6,
    "C39": 5,
    "C40": 2,
    "C41": 1,
    "C42": 1,
}


def pain_phrases() -> list[str]:
    return sorted({p for ps in PAIN_POOL.values() for p in ps} | set(GOAL_POOL))


def _answers(loaded: LoadedCatalog, rng: random.Random, propensity: float) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for q in loaded.questionnaire.questions:
        if q.allows_na and rng.random() < 0.1:
            out[q.id] = "na"
            continue
        if q.type == "single":
            p = min(1.0, max(0.0, propensity + rng.gauss(0, 0.15)))
            k = sum(rng.random() < p for _ in range(len(q.options) - 1))
            out[q.id] = q.options[k].id
        else:
            plain = [o.id for o in q.options if not o.exclusive]
            chosen = [o for o in plain if rng.random() < propensity]
            none = next((o.id for o in q.options if o.exclusive), None)
            out[q.id] = chosen or ([none] if none else [plain[0]])
    return out


def synthetic_profile(loaded: LoadedCatalog, rng: random.Random, index: int) -> dict[str, Any]:
    """Raw profile data (validated by the same parser as a user's file)."""
    codes = list(INDUSTRY_WEIGHTS)
    industry = rng.choices(codes, weights=[INDUSTRY_WEIGHTS[c] for c in codes])[0]
    group = next(i.group for i in loaded.catalog.industries if i.code == industry)
    cities = [c.id for c in loaded.catalog.cities if c.in_shandong]
    employees = max(8, int(rng.lognormvariate(4.6, 1.0)))
    revenue = round(max(150.0, employees * rng.lognormvariate(3.9, 0.5)), 1)  # 万元: ~50万/person median
    propensity = min(0.95, max(0.03, rng.betavariate(2.2, 3.0) + (0.1 if employees > 300 else 0.0)))
    labour = round(rng.uniform(7, 12), 1)
    chains = [c.id for c in loaded.catalog.chains if industry in c.industries]
    energy_share = {"raw_materials": 0.08, "equipment": 0.015, "consumer": 0.025, "electronics": 0.015}[group]
    qualifications = []
    if employees < 1000 and rng.random() < propensity * 0.5:
        qualifications.append("zjtx")
    if revenue > 5000 and rng.random() < 0.3:
        qualifications.append("high_tech")
    systems = [
        s
        for s, p in (
            ("ERP", 0.3 + propensity),
            ("MES", propensity * 0.8),
            ("PLC", 0.5),
            ("CAD", 0.5),
            ("WMS", propensity * 0.5),
            ("SCADA", propensity * 0.4),
            ("QMS", propensity * 0.4),
            ("OA", 0.5),
        )
        if rng.random() < p
    ]
    pains = rng.sample(PAIN_POOL[group], k=rng.randint(1, 3))
    return {
        "name": f"合成示例企业{index:05d}（虚构）",
        "city": rng.choice(cities),
        "industry": industry,
        "chain": rng.choice(chains) if chains and rng.random() < 0.4 else None,
        "employees": employees,
        "revenue": revenue,
        "qualifications": qualifications,
        "systems": systems,
        "pain_points": pains,
        "goals": rng.sample(GOAL_POOL, k=rng.randint(0, 2)),
        "budget": round(max(5.0, revenue * rng.uniform(0.003, 0.02)), 1),
        "answers": _answers(loaded, rng, propensity),
        "baseline": {
            "annual_energy_cost": round(revenue * energy_share * rng.lognormvariate(0, 0.3), 1),
            "annual_quality_loss": round(revenue * 0.02 * rng.lognormvariate(0, 0.4), 1),
            "unplanned_downtime_hours": round(rng.uniform(50, 600)),
            # an hour of stoppage loses an hour's contribution margin (8-30 % of the revenue of ~8 000 operating
            # hours), not 0.3-1.5x the revenue itself: research/pools.md §2 ("value downtime at lost contribution
            # margin"). The old draw gave a 160-person firm 1 138 万元 of downtime loss a year, 7 % of revenue.
            "downtime_cost_per_hour": round(revenue / 8000 * rng.uniform(0.08, 0.3), 3),
            "inventory_value": round(revenue * rng.uniform(0.05, 0.25), 1),
            "production_staff": int(employees * rng.uniform(0.55, 0.75)),
            "inspection_staff": max(1, int(employees * rng.uniform(0.02, 0.07))),
            "engineering_staff": max(1, int(employees * rng.uniform(0.05, 0.15))),
            "labour_cost_per_person": labour,
            "capacity_constrained": rng.random() < 0.3,
        },
    }
