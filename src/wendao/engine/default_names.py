"""How a reader knows the industry defaults (data/baseline_defaults.yaml) and what they apply to: the plan's
appendix names them, never by their ids ("缺省基线：技术人员查找资料的时间占比（所有行业）")."""

from __future__ import annotations

from wendao.engine.catalog.schema import Catalog

DEFAULT_FIGURE_NAMES: dict[str, tuple[str, str]] = {
    "contribution_margin_rate": ("边际贡献率", "contribution margin rate"),
    "energy_cost_share_of_revenue": ("能源费用占营业收入的比例", "energy cost as a share of revenue"),
    "engineering_staff_share": ("技术人员占员工的比例", "engineers as a share of employees"),
    "engineering_time_share_on_information": (
        "技术人员查找整理资料的时间占比",
        "share of engineers' time spent finding information",
    ),
    "inspection_staff_share": ("质检人员占员工的比例", "inspectors as a share of employees"),
    "inventory_carrying_rate": ("库存持有成本率", "inventory carrying-cost rate"),
    "inventory_share_of_revenue": ("库存占营业收入的比例", "inventory as a share of revenue"),
    "labour_cost_per_person": ("人均年人工成本", "labour cost per person and year"),
    "logistics_cost_share_of_revenue": ("物流费用占营业收入的比例", "logistics cost as a share of revenue"),
    "maintenance_cost_share_of_revenue": ("设备维护费用占营业收入的比例", "maintenance cost as a share of revenue"),
    "production_staff_share": ("生产人员占员工的比例", "production workers as a share of employees"),
    "quality_loss_share_of_revenue": ("质量损失占营业收入的比例", "quality loss as a share of revenue"),
    "rd_cost_share_of_revenue": ("研发费用占营业收入的比例", "R&D cost as a share of revenue"),
}
GROUP_NAMES: dict[str, tuple[str, str]] = {
    "all": ("所有行业", "all industries"),
    "raw_materials": ("原材料工业", "raw materials"),
    "equipment": ("装备制造业", "equipment manufacturing"),
    "consumer": ("消费品工业", "consumer goods"),
    "electronics": ("电子信息制造业", "electronics"),
}


def default_figure_name(figure: str) -> tuple[str, str]:
    return DEFAULT_FIGURE_NAMES.get(figure, (figure, figure))


def applies_to_name(applies_to: str, catalog: Catalog) -> tuple[str, str]:
    """'all', an industry group or a GB/T 4754 division code, as words."""
    if applies_to in GROUP_NAMES:
        return GROUP_NAMES[applies_to]
    industry = next((i for i in catalog.industries if i.code == applies_to), None)
    return (industry.name_zh, industry.name_en) if industry else (applies_to, applies_to)
