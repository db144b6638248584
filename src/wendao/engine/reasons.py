"""Reasons as values: what a reason is (a code), what it refers to (scenarios, policies, requirements), its
figures and threshold. The text is made per language at the edge, by ``render_reason``, which the web, the
documents and the CLI all call — so no id is ever written into prose and no "中文 / English" string is split
again later.

Stored plans and route advice written before reasons were values carry plain strings; ``legacy_reason`` turns
such a string into a reason of code ``text`` that renders back to the same words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

RefKind = Literal["scenario", "policy", "requirement"]
Value = int | float | str


@dataclass(frozen=True, slots=True, kw_only=True)
class Ref:
    """What a reason points at. ``name_zh``/``name_en`` are filled by whoever knows the names (the plan
    assembler); the optimiser only knows ids."""

    kind: RefKind
    id: str
    name_zh: str = ""
    name_en: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Reason:
    code: str
    refs: tuple[Ref, ...] = ()
    values: dict[str, Value] = field(default_factory=dict)


# code -> (Chinese, English). Placeholders: {ref} the first reference, {refs} the others joined, {all} every
# reference joined, any key of ``values``. A reference renders as “name” in Chinese and "name" in English.
TEXTS: dict[str, tuple[str, str]] = {
    # roadmap.explain_exclusion
    "horizon": ("实施周期 {quarters} 个季度，超出规划期", "takes {quarters} quarters, longer than the horizon"),
    "after_missing": ("需要先完成{ref}，而它不在本规划中", "needs {ref} finished first, which is not in this plan"),
    "requires_unprovided": (
        "需要先具备{ref}；场景库中没有提供它的项目，需作为信息化基础先行建设",
        "needs {ref} first; no scenario in the catalog provides it, so it must be put in place as a basic IT "
        "project first",
    ),
    "requires_provider": (
        "需要先具备{ref}（可由{refs}提供），本规划中尚无",
        "needs {ref} first (provided by {refs}); none is in this plan",
    ),
    "alternative": ("与已选的{ref}作用于同一指标，二选一", "an alternative to {ref}, which is chosen (same figure)"),
    "subsidy_cap": ("政策{ref}的补贴额度已用满", "the cap of policy {ref} is used up by the chosen items"),
    "no_payback": (
        "在规划期内不能回本（风险调整后净现值不为正）",
        "does not pay back within the horizon (risk-adjusted NPV not positive)",
    ),
    # roadmap_payback.value_reason: judged with the chance the foundations' lifts give (issue 13); {all}: every one
    "pays_after": (
        "按目前的成熟度（成功概率 {chance}）在规划期内不能回本；在{all}完成后实施（成功概率升至 {lifted}）才能回本",
        "does not pay back within the horizon at today's maturity (chance of success {chance}); it does when started "
        "after {all} (chance of success {lifted})",
    ),
    "pays_after_plain": (
        "按目前的成熟度在规划期内不能回本；在{all}完成后实施才能回本",
        "does not pay back within the horizon at today's maturity; it does when started after {all}",
    ),
    "no_payback_lifted": (
        "在规划期内不能回本（风险调整后净现值不为正）；即使在{all}完成后实施（成功概率 {chance} → {lifted}）也不能",
        "does not pay back within the horizon (risk-adjusted NPV not positive), even started after {all} (chance of "
        "success {chance} → {lifted})",
    ),
    "no_payback_lifted_plain": (
        "在规划期内不能回本（风险调整后净现值不为正）；即使在{all}完成后实施也不能",
        "does not pay back within the horizon (risk-adjusted NPV not positive), even started after {all}",
    ),
    "small_increment": (
        "预算和产能允许，但与已选项目作用于同一指标，增量收益不足",
        "budget and capacity allow it, but its extra benefit over the chosen projects acting on the same "
        "figures is too small",
    ),
    "budget": (
        "任何开始时间都会超出年度预算（扣除补贴后）",
        "every possible start would exceed a yearly budget (net of subsidies)",
    ),
    "capacity": ("实施期间同时进行的项目已达上限", "the number of projects running at the same time is at its limit"),
    # roadmap.explain_exclusion, the enterprise's own choices (engine/needs.py)
    "dropped": ("企业选择不纳入本规划", "left out by the enterprise's choice"),
    "pin_infeasible": (
        "企业要求纳入，但在预算、产能和规划期内无法安排",
        "pinned by the enterprise, but it cannot be scheduled within the budget, capacity and horizon",
    ),
    # modelroute: why a route cannot be used
    "data_stays_on_site": ("数据不得出厂，不能调用公有云API", "data may not leave the plant, so no public cloud API"),
    "no_documents": ("没有可检索的文档", "no documents to retrieve from"),
    "needs_retrieval": (
        "问答需要企业自有知识，仅靠提示词达不到质量要求",
        "Q&A over the company's own knowledge needs retrieval; prompts alone miss the quality bar",
    ),
    "no_hardware_fits": (
        "价格表中没有显存≥{memory_gb}GB的私有化硬件",
        "no hardware in the price table has {memory_gb} GB of GPU memory or more",
    ),
    "too_few_examples": (
        "标注样本 {examples} 条，微调至少需要 {minimum} 条高质量样本",
        "{examples} labelled examples; fine-tuning needs at least {minimum} good examples",
    ),
    "too_few_images": (
        "标注图片 {samples} 张，至少需要 {minimum} 张（含缺陷样本）",
        "{samples} labelled images; at least {minimum} are needed, defects included",
    ),
    "training_too_large": (
        "训练需要约 {memory_gb} GB 显存，超出单机8卡",
        "training needs about {memory_gb} GB of GPU memory, more than one 8-GPU machine",
    ),
}


def legacy_reason(text: str) -> Reason:
    """A reason stored as text before reasons were values ("中文 / English", or one language)."""
    zh, sep, en = text.partition(" / ")
    return Reason(code="text", values={"zh": zh, "en": en if sep else zh})


def _quote(ref: Ref, zh: bool) -> str:
    name = (ref.name_zh if zh else ref.name_en) or ref.name_zh or ref.name_en
    if not name:
        return ref.id
    if ref.kind == "requirement":  # a requirement reads as a phrase ("生产数据采集"), not a title
        return name
    return f"“{name}”" if zh else f'"{name}"'


def _number(v: Value) -> str:
    if isinstance(v, float):
        return f"{v:,.0f}" if abs(v) >= 10 else f"{v:g}"
    return f"{v:,}" if isinstance(v, int) else v


def render_reason(reason: Reason, lang: str) -> str:
    """The reason in Chinese (``zh``) or English; an unknown code shows its figures rather than failing."""
    zh = lang == "zh"
    if reason.code == "text":
        return str(reason.values.get("zh" if zh else "en", ""))
    template = TEXTS.get(reason.code)
    if template is None:
        return "；".join(f"{_number(v)}" for v in reason.values.values()) if reason.values else reason.code
    first = _quote(reason.refs[0], zh) if reason.refs else ""
    sep = "、" if zh else ", "
    others = sep.join(_quote(r, zh) for r in reason.refs[1:])
    every = sep.join(_quote(r, zh) for r in reason.refs)
    return (template[0] if zh else template[1]).format(
        ref=first, refs=others, all=every, **{k: _number(v) for k, v in reason.values.items()}
    )


def with_names(reason: Reason, names: dict[tuple[str, str], tuple[str, str]]) -> Reason:
    """The reason with each reference's names filled from ``names`` ((kind, id) -> (zh, en)); references
    not found keep what they had."""
    if not reason.refs:
        return reason
    # built directly rather than with dataclasses.replace (several times slower; a plan names ~50 reasons)
    refs = tuple(
        Ref(kind=r.kind, id=r.id, name_zh=hit[0], name_en=hit[1]) if (hit := names.get((r.kind, r.id))) is not None else r
        for r in reason.refs
    )
    return Reason(code=reason.code, refs=refs, values=reason.values)
