"""Model-route advisor: the cheapest sound way to a custom model for one use case, from first principles.

For a use case (task, data, volume, on-premise or not, traffic, quality bar) every route is costed:
hosted API with prompting, RAG over own documents (hosted or private), LoRA/QLoRA of an open 7B–72B
model, full fine-tuning, a small task-specific model, a classical ML model. Figures come from:
- API prices per million tokens and GPU-hour prices: data/prices.yaml (dated, sourced, editable);
- model architectures: data/open_models.yaml (layers, KV heads, head size -> KV cache);
- training compute C ≈ 6·N·D (Kaplan et al. 2020) at an assumed utilisation, cross-checked against the
  measured LLaMA-Factory throughput; fine-tuning memory from the LLaMA-Factory hardware table;
- serving memory = weights (bytes per parameter) + overhead + KV cache for the concurrent users;
- engineering effort in person-days (data/modelroute.yaml, an estimate).
All money is in 元 (CNY) in this module (per-call prices are fractions of a 元); documents show it in 万元.
Why a route cannot be used is a value (wendao.engine.reasons), rendered per language where it is shown.
Routes are ranked by their 3-year total cost among those that meet the
constraints and the quality bar; a route that cannot be used says why.
"""

from __future__ import annotations

import math
from itertools import pairwise
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, Field

from wendao.engine.catalog import LoadedCatalog
from wendao.engine.catalog.schema import ApiPrice, GpuPrice, HardwarePrice, OpenModel
from wendao.engine.reasons import Reason, legacy_reason
from wendao.engine.scenarios import money_range_en

Task = Literal[
    "document_qa", "report_drafting", "classification_extraction", "visual_inspection", "forecasting", "code"
]
Quality = Literal["basic", "high", "critical"]
RouteKind = Literal["hosted_api", "rag_api", "rag_private", "lora", "full_finetune", "small_task_model", "classical_ml"]

ROUTE_NAMES: dict[str, tuple[str, str]] = {
    "hosted_api": ("调用云端大模型API + 提示词工程", "Hosted LLM API with prompt engineering"),
    "rag_api": ("检索增强（RAG）+ 云端大模型API", "Retrieval-augmented generation over own documents, hosted LLM"),
    "rag_private": ("检索增强（RAG）+ 私有化部署开源模型", "RAG with a privately deployed open model"),
    "lora": ("开源模型LoRA/QLoRA微调 + 私有化部署", "LoRA/QLoRA fine-tuning of an open model, deployed privately"),
    "full_finetune": ("开源模型全参数微调", "Full fine-tuning of an open model"),
    "small_task_model": (
        "小型视觉检测/分类模型（少样本或微调），部署在产线旁的工控机或边缘盒",
        "A small vision detector or classifier (few-shot or fine-tuned) on an industrial PC or edge box by the line",
    ),
    "classical_ml": (
        "传统机器学习模型（如梯度提升、时序模型）",
        "Classical machine learning (gradient boosting, time series)",
    ),
}

TASK_ROUTES: dict[str, tuple[RouteKind, ...]] = {
    "document_qa": ("hosted_api", "rag_api", "rag_private", "lora", "full_finetune"),
    "report_drafting": ("hosted_api", "rag_api", "rag_private", "lora", "full_finetune"),
    "classification_extraction": ("hosted_api", "lora", "small_task_model", "full_finetune"),
    "visual_inspection": ("small_task_model",),
    "forecasting": ("classical_ml",),
    "code": ("hosted_api", "rag_api", "rag_private", "lora"),
}
TASK_NAMES: dict[str, tuple[str, str]] = {
    "document_qa": ("文档问答", "question answering over documents"),
    "report_drafting": ("报告起草", "report drafting"),
    "classification_extraction": ("分类与信息抽取", "classification and extraction"),
    "visual_inspection": ("视觉检测", "visual inspection"),
    "forecasting": ("预测", "forecasting"),
    "code": ("编程辅助", "coding assistance"),
}
# which open model size a quality bar calls for (a privately run model must be strong enough)
QUALITY_MODEL: dict[str, str] = {
    "basic": "qwen2_5_7b_instruct",
    "high": "qwen2_5_14b_instruct",
    "critical": "qwen2_5_32b_instruct",
}
QUALITY_TIER: dict[str, str] = {"basic": "small", "high": "medium", "critical": "large"}


class UseCase(BaseModel):
    name: str = "use case"
    task: Task
    documents: int = Field(default=0, ge=0, description="documents to search (RAG)")
    tokens_per_document: int = Field(default=3000, ge=1)
    training_examples: int = Field(default=0, ge=0, description="labelled examples available for fine-tuning")
    tokens_per_example: int = Field(default=800, ge=1)
    images: int = Field(default=0, ge=0, description="labelled images (visual inspection)")
    on_premise: bool = Field(default=False, description="data may not leave the plant")
    requests_per_day: float = Field(default=200, ge=0)
    input_tokens: int = Field(default=1500, ge=0)
    output_tokens: int = Field(default=500, ge=0)
    concurrent_users: int = Field(default=5, ge=1)
    quality: Quality = "high"
    months: int = Field(default=36, ge=1, le=120, description="period for the total-cost comparison")


class MoneyRange(BaseModel):
    low: float
    high: float

    @classmethod
    def of(cls, low: float, high: float) -> MoneyRange:
        return cls(low=round(min(low, high), 0), high=round(max(low, high), 0))


MIN_EXAMPLES = 200  # "a few hundred" labelled examples (or images) before fine-tuning is worth a try


def _reasons(value: Any) -> Any:
    """Advice stored before reasons were values carries "中文 / English" strings: read them as text reasons."""
    if isinstance(value, list):
        return [legacy_reason(v) if isinstance(v, str) else v for v in value]
    return value


class Route(BaseModel):
    route: RouteKind
    name_zh: str
    name_en: str
    usable: bool
    why_not: Annotated[list[Reason], BeforeValidator(_reasons)] = Field(default_factory=list)
    model: str | None = None
    one_off_yuan: MoneyRange
    monthly_yuan: MoneyRange
    total_yuan: MoneyRange = Field(description="one-off + monthly × months")
    gpu_memory_gb: float | None = None
    hardware: str | None = None
    hardware_en: str | None = None
    training_gpu_hours: float | None = None
    training_flops: float | None = None
    weeks_to_first_result: tuple[int, int]
    risks_zh: list[str]
    risks_en: list[str]
    workings: list[str] = Field(description="how each figure was computed, with its source ids")


class RouteAdvice(BaseModel):
    use_case: UseCase
    routes: list[Route]
    recommended: RouteKind | None
    price_table_as_of: str
    notes: list[str]
    # English added without a version bump: advice stored before it reads as an empty list
    notes_en: list[str] = Field(default_factory=list)


def _to_cny(value: float, currency: str, usd_cny: float) -> float:
    return value * usd_cny if currency == "USD" else value


def _cheapest_api(loaded: LoadedCatalog, tier: str) -> ApiPrice:
    """Cheapest API of a tier, newest price date first among equals; CNY-listed prices preferred."""
    fx = loaded.prices.usd_cny.value
    pool = [p for p in loaded.prices.api if p.tier == tier] or list(loaded.prices.api)

    def cost(p: ApiPrice) -> tuple[float, int]:
        blended = _to_cny(p.input_per_m * 3 + p.output_per_m, p.currency, fx)
        return (blended, -(p.as_of.toordinal() if p.as_of else 0))

    return min(pool, key=cost)


def _gpu_for(loaded: LoadedCatalog, memory_gb: float, need_flops: bool = False) -> tuple[GpuPrice, int] | None:
    """Cheapest rental (CNY per hour, low end) that fits the memory, with the number of GPUs needed (≤ 8).
    ``need_flops``: only GPUs whose BF16 peak is known (training time is computed from it)."""
    fx = loaded.prices.usd_cny.value
    best: tuple[float, GpuPrice, int] | None = None
    for g in loaded.prices.gpu:
        if need_flops and g.bf16_tflops is None:
            continue
        count = max(1, math.ceil(memory_gb / g.memory_gb))
        if count > 8:
            continue
        hourly = _to_cny(g.per_hour_low, g.currency, fx) * count
        if best is None or hourly < best[0]:
            best = (hourly, g, count)
    return None if best is None else (best[1], best[2])


def _hardware_for(loaded: LoadedCatalog, memory_gb: float, complete: bool = True) -> HardwarePrice | None:
    fitting = [
        h for h in loaded.prices.hardware if h.gpu_memory_gb >= memory_gb and (h.complete_system or not complete)
    ]
    return min(fitting, key=lambda h: h.price_low) if fitting else None


def finetune_memory_gb(loaded: LoadedCatalog, method: str, params_b: float) -> float:
    """GPU memory to fine-tune a model of ``params_b`` billion parameters with ``method`` (full_amp, full_bf16,
    lora_16bit, qlora_8bit, qlora_4bit): the LLaMA-Factory table interpolated linearly between its columns,
    scaled in proportion beyond its first and last column; the per-billion rule if no table is given."""
    memory = loaded.modelroute.finetune_memory
    points = sorted(memory.table.get(method, []))
    if not points:
        return float(params_b * getattr(memory, method))
    (b0, g0), (bn, gn) = points[0], points[-1]
    if params_b <= b0:
        return g0 * params_b / b0
    if params_b >= bn:
        return gn * params_b / bn
    for (b1, g1), (b2, g2) in pairwise(points):
        if b1 <= params_b <= b2:
            return g1 + (g2 - g1) * (params_b - b1) / (b2 - b1)
    raise AssertionError("unreachable: params_b lies between the table's ends")


def gpu_hours_text(hours: float, lang: str = "zh") -> str:
    """GPU-hours as a reader wants them: never "0.00" — under 0.1 h reads "<0.1", one decimal below 10."""
    unit = "GPU·小时" if lang == "zh" else "GPU-hours"
    if hours < 0.1:
        return f"<0.1 {unit}"
    return f"{hours:.1f} {unit}" if hours < 10 else f"{hours:,.0f} {unit}"


def _model(loaded: LoadedCatalog, model_id: str) -> OpenModel:
    for m in loaded.open_models:
        if m.id == model_id:
            return m
    return loaded.open_models[0]


def kv_cache_gb(model: OpenModel, tokens: int, bytes_per_value: float = 2.0) -> float:
    """KV cache: 2 (K and V) × layers × KV heads × head size × bytes, per token."""
    return 2 * model.layers * model.kv_heads * model.head_dim * bytes_per_value * tokens / 1e9


def serving_memory_gb(loaded: LoadedCatalog, model: OpenModel, users: int, bytes_per_param: float) -> float:
    p = loaded.modelroute.serving
    weights = model.params_b * bytes_per_param
    return weights * (1 + p.overhead) + kv_cache_gb(model, users * p.context_tokens_per_user)


def _effort(loaded: LoadedCatalog, route: str) -> MoneyRange:
    e = loaded.modelroute.effort
    lo, hi = e.person_days[route]
    return MoneyRange.of(lo * e.day_rate_yuan_low, hi * e.day_rate_yuan_high)


def _api_monthly(price: ApiPrice, fx: float, requests_per_day: float, tokens_in: int, tokens_out: int) -> float:
    per_request = (tokens_in * price.input_per_m + tokens_out * price.output_per_m) / 1e6
    return _to_cny(per_request, price.currency, fx) * requests_per_day * 30


def advise_routes(use_case: UseCase, loaded: LoadedCatalog) -> RouteAdvice:
    fx = loaded.prices.usd_cny.value
    params = loaded.modelroute
    routes: list[Route] = []
    for kind in TASK_ROUTES[use_case.task]:
        routes.append(_cost_route(kind, use_case, loaded, fx))
    for r in routes:
        r.total_yuan = MoneyRange.of(
            r.one_off_yuan.low + r.monthly_yuan.low * use_case.months,
            r.one_off_yuan.high + r.monthly_yuan.high * use_case.months,
        )
    usable = [r for r in routes if r.usable]
    usable.sort(key=lambda r: (r.total_yuan.low + r.total_yuan.high, r.route))
    ranked = usable + [r for r in routes if not r.usable]
    notes = [
        f"汇率 USD/CNY {fx}（{loaded.prices.usd_cny.as_of}）",
        f"训练算力按 C≈6·N·D、GPU利用率 {params.training.mfu:.0%} 估算，并用实测吞吐交叉校验",
        "金额为规划区间，不是报价；电费、机房和人员运维未计入私有化部署的月度成本",
    ]
    notes_en = [
        f"Exchange rate USD/CNY {fx} ({loaded.prices.usd_cny.as_of})",
        f"Training compute estimated as C ≈ 6·N·D at {params.training.mfu:.0%} GPU utilisation, cross-checked "
        "against measured throughput",
        "Amounts are planning ranges, not quotations; electricity, server room and staff are not in the monthly "
        "cost of a private deployment",
    ]
    dates = [p.as_of for p in loaded.prices.api + loaded.prices.gpu + loaded.prices.hardware if p.as_of]
    return RouteAdvice(
        use_case=use_case,
        routes=ranked,
        recommended=usable[0].route if usable else None,
        price_table_as_of=max(dates).isoformat() if dates else "",
        notes=notes,
        notes_en=notes_en,
    )


def _route(
    kind: RouteKind,
    why_not: list[Reason],
    one_off: MoneyRange,
    monthly: MoneyRange,
    weeks: tuple[int, int],
    risks_zh: list[str],
    risks_en: list[str],
    workings: list[str],
    **extra: Any,
) -> Route:
    zh, en = ROUTE_NAMES[kind]
    return Route(
        route=kind,
        name_zh=zh,
        name_en=en,
        usable=not why_not,
        why_not=why_not,
        one_off_yuan=one_off,
        monthly_yuan=monthly,
        total_yuan=MoneyRange.of(0, 0),
        weeks_to_first_result=weeks,
        risks_zh=risks_zh,
        risks_en=risks_en,
        workings=workings,
        **extra,
    )


def _cost_route(kind: RouteKind, uc: UseCase, loaded: LoadedCatalog, fx: float) -> Route:
    params = loaded.modelroute
    why_not: list[Reason] = []
    workings: list[str] = []
    one_off = _effort(loaded, kind)
    workings.append(
        f"engineering {params.effort.person_days[kind]} person-days × "
        f"{params.effort.day_rate_yuan_low:g}–{params.effort.day_rate_yuan_high:g} 元 (estimate)"
    )
    monthly = MoneyRange.of(0, 0)
    memory = hardware_name = hardware_en = None
    gpu_hours = flops = None
    weeks = (1, 3)
    risks_zh: list[str] = []
    risks_en: list[str] = []

    if kind in ("hosted_api", "rag_api"):
        if uc.on_premise:
            why_not.append(Reason(code="data_stays_on_site"))
        price = _cheapest_api(loaded, QUALITY_TIER[uc.quality])
        extra = params.rag.retrieved_tokens if kind == "rag_api" else 0
        lo = _api_monthly(price, fx, uc.requests_per_day, uc.input_tokens + extra, uc.output_tokens)
        monthly = MoneyRange.of(lo, lo * 1.5)
        workings.append(
            f"API {price.id}: ({uc.input_tokens + extra} in × {price.input_per_m} + {uc.output_tokens} out × "
            f"{price.output_per_m}) {price.currency}/M tokens × {uc.requests_per_day:g} requests/day × 30; "
            f"high end +50% for retries and growth; source {price.source} ({price.as_of})"
        )
        if kind == "rag_api":
            if uc.documents == 0:
                why_not.append(Reason(code="no_documents"))
            weeks = (3, 8)
            risks_zh += ["文档质量和切分影响答案准确率", "检索不到时模型可能编造答案"]
            risks_en += [
                "answer quality depends on document quality and chunking",
                "the model may invent an answer when retrieval misses",
            ]
        else:
            weeks = (1, 3)
            risks_zh += ["通用模型不了解企业内部知识", "提示词对输出格式的约束有限"]
            risks_en += [
                "a general model does not know the company's own knowledge",
                "prompts only loosely control the output format",
            ]
        if uc.task in ("document_qa",) and kind == "hosted_api" and uc.quality != "basic":
            why_not.append(Reason(code="needs_retrieval"))
        return _route(kind, why_not, one_off, monthly, weeks, risks_zh, risks_en, workings, model=price.model)

    if kind in ("rag_private", "lora", "full_finetune"):
        model = _model(loaded, QUALITY_MODEL[uc.quality])
        bytes_pp = params.serving.bytes_int4 if kind != "full_finetune" else params.serving.bytes_bf16
        memory = serving_memory_gb(loaded, model, uc.concurrent_users, bytes_pp)
        workings.append(
            f"serving {model.name}: {model.params_b:g}B × {bytes_pp:g} bytes × (1 + {params.serving.overhead:g}) + KV cache "
            f"{kv_cache_gb(model, uc.concurrent_users * params.serving.context_tokens_per_user):.1f} GB "
            f"({uc.concurrent_users} users × {params.serving.context_tokens_per_user} tokens; "
            f"{model.layers} layers × {model.kv_heads} KV heads × {model.head_dim}) = {memory:.1f} GB"
        )
        hw = _hardware_for(loaded, memory)
        if hw is None:
            why_not.append(Reason(code="no_hardware_fits", values={"memory_gb": round(memory)}))
        else:
            hardware_name, hardware_en = hw.name_zh, hw.name_en
            one_off = MoneyRange.of(one_off.low + hw.price_low * 1e4, one_off.high + hw.price_high * 1e4)
            workings.append(
                f"hardware {hw.id}: {money_range_en(hw.price_low, hw.price_high)} ({hw.gpu_memory_gb} GB); "
                f"source {hw.source} ({hw.as_of or 'undated'})"
            )
        weeks = (4, 10)
        risks_zh += ["需要有人负责模型、硬件和安全运维"]
        risks_en += ["someone must run the model, the hardware and its security"]
        if kind == "rag_private" and uc.documents == 0:
            why_not.append(Reason(code="no_documents"))
        if kind in ("lora", "full_finetune"):
            if uc.training_examples < MIN_EXAMPLES:
                why_not.append(
                    Reason(code="too_few_examples", values={"examples": uc.training_examples, "minimum": MIN_EXAMPLES})
                )
            tokens = uc.training_examples * uc.tokens_per_example * params.training.epochs
            flops = 6 * model.params_b * 1e9 * tokens
            method = "qlora_4bit" if kind == "lora" else "full_amp"
            train_mem = finetune_memory_gb(loaded, method, model.params_b)
            rental = _gpu_for(loaded, train_mem, need_flops=True)
            if rental is None:
                why_not.append(Reason(code="training_too_large", values={"memory_gb": round(train_mem)}))
            else:
                g, count = rental
                peak = (g.bf16_tflops or 0.0) * 1e12
                hours_flops = flops / (peak * params.training.mfu) / 3600
                # the measured LLaMA-Factory throughput (QLoRA, one A100) cross-checks the LoRA estimate only
                measured = params.throughput.qlora_7b_tokens_per_gpu_second * 7 / model.params_b
                hours_measured = tokens / measured / 3600 if kind == "lora" else 0.0
                gpu_hours = float(f"{max(hours_flops, hours_measured):.3g}")  # 3 significant figures, never 0
                price_lo = _to_cny(g.per_hour_low, g.currency, fx)
                price_hi = _to_cny(g.per_hour_high, g.currency, fx)
                train = MoneyRange.of(gpu_hours * price_lo * 3, gpu_hours * price_hi * 3)
                one_off = MoneyRange.of(one_off.low + train.low, one_off.high + train.high)
                measured_text = (
                    f"; measured QLoRA throughput scaled to {model.params_b:g}B = "
                    f"{gpu_hours_text(hours_measured, 'en')}; larger taken"
                    if kind == "lora"
                    else ""
                )
                workings.append(
                    f"training {tokens:,} tokens ({uc.training_examples} examples × {uc.tokens_per_example} × "
                    f"{params.training.epochs} epochs): 6·N·D = {flops:.2e} FLOPs at {params.training.mfu:.0%} of "
                    f"{g.bf16_tflops:g} TFLOPS = {gpu_hours_text(hours_flops, 'en')}{measured_text}; × 3 runs "
                    f"(tuning), on {count}× {g.gpu} at {price_lo:.1f}–{price_hi:.1f} 元/h ({g.source}, "
                    f"{g.as_of or g.estimate}); memory {train_mem:.0f} GB ({method}, LLaMA-Factory table "
                    f"interpolated to {model.params_b:g}B)"
                )
            weeks = (6, 14) if kind == "lora" else (10, 24)
            risks_zh += ["训练数据质量决定效果", "基座模型升级后需重新微调"]
            risks_en += ["the training data decides the result", "a new base model means fine-tuning again"]
        return _route(
            kind,
            why_not,
            one_off,
            monthly,
            weeks,
            risks_zh,
            risks_en,
            workings,
            model=model.name,
            gpu_memory_gb=round(memory, 1),
            hardware=hardware_name,
            hardware_en=hardware_en,
            training_gpu_hours=gpu_hours,
            training_flops=flops,
        )

    if kind == "small_task_model":
        v = params.vision
        samples = uc.images if uc.task == "visual_inspection" else uc.training_examples
        if samples < MIN_EXAMPLES:
            code = "too_few_images" if uc.task == "visual_inspection" else "too_few_examples"
            key = "samples" if uc.task == "visual_inspection" else "examples"
            why_not.append(Reason(code=code, values={key: samples, "minimum": MIN_EXAMPLES}))
        gpu_hours = float(f"{max(samples, 1) * v.epochs / v.images_per_second / 3600:.3g}")
        rental = _gpu_for(loaded, v.training_gpu_memory_gb)
        if rental is not None:
            g, _ = rental
            train = MoneyRange.of(
                gpu_hours * _to_cny(g.per_hour_low, g.currency, fx) * 5,
                gpu_hours * _to_cny(g.per_hour_high, g.currency, fx) * 5,
            )
            one_off = MoneyRange.of(one_off.low + train.low, one_off.high + train.high)
            workings.append(
                f"training {samples} samples × {v.epochs} epochs at {v.images_per_second:g}/s = "
                f"{gpu_hours_text(gpu_hours, 'en')} × 5 runs on {g.gpu} ({g.source}, {g.as_of or 'undated'})"
            )
        edge = params.edge_hardware
        if edge is not None:
            hardware_name, hardware_en = edge.name_zh, edge.name_en
            one_off = MoneyRange.of(one_off.low + edge.price_low * 1e4, one_off.high + edge.price_high * 1e4)
            workings.append(
                f"inference hardware by the line: {money_range_en(edge.price_low, edge.price_high)} "
                f"({edge.source or 'estimate'}; {edge.estimate or edge.as_of})"
            )
        memory = v.inference_memory_gb
        weeks = (4, 12)
        risks_zh += ["缺陷样本少时漏检率高", "光照、工件变化会导致模型退化，需要持续补充样本"]
        risks_en += ["few defect samples mean missed defects", "lighting or part changes degrade the model"]
        return _route(
            kind,
            why_not,
            one_off,
            monthly,
            weeks,
            risks_zh,
            risks_en,
            workings,
            model=None,
            gpu_memory_gb=memory,
            hardware=hardware_name,
            hardware_en=hardware_en,
            training_gpu_hours=gpu_hours,
        )

    # classical_ml: runs on existing servers; cost is the engineering effort
    weeks = (3, 8)
    risks_zh += ["历史数据不足两年时季节性难以学习", "业务变化后需重新训练"]
    risks_en += ["less than two years of history hides seasonality", "retrain when the business changes"]
    return _route(kind, why_not, one_off, monthly, weeks, risks_zh, risks_en, workings, model=None)
