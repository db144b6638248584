"""A knowledge-base entry as a flat list of labelled fields, for the site's editor form and the policy spreadsheet.

The fields are read off the engine's own pydantic model (nested models become dotted paths: ``award.rate``), so
the form, the spreadsheet and the engine never disagree on what a policy or a price holds. Every field has a label
and every choice a name in the reader's language; a field this module does not know is shown by its path rather
than dropped. Cell or form text is turned back into the nested JSON the engine validates; what cannot be read
(a date, a number) is an error on that field, in the reader's language, and pydantic's own errors are translated
the same way (``error_messages``).
"""

from __future__ import annotations

import datetime
import json
import types
import typing
from dataclasses import dataclass
from typing import Any, Literal

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from pydantic import BaseModel, ValidationError

LABELS: dict[str, Promise] = {
    "id": _l("编号（小写字母、数字和下划线）"),
    "name_zh": _l("中文名称"),
    "name_en": _l("英文名称"),
    "issuer_zh": _l("发文机关"),
    "document_zh": _l("文件名称"),
    "level": _l("层级"),
    "region_zh": _l("适用地区"),
    "status": _l("状态"),
    "valid_from": _l("有效期起"),
    "valid_to": _l("有效期止"),
    "eligibility": _l("适用条件（规则，JSON）"),
    "award": _l("补贴方式"),
    "award.kind": _l("支持方式"),
    "award.base": _l("计入的支出类别"),
    "award.rate": _l("比例（0–1）"),
    "award.lpr_share": _l("贴息占一年期LPR的比例（0–1）"),
    "award.amount": _l("固定金额（万元）"),
    "award.cap_per_item": _l("每个项目上限（万元）"),
    "award.cap_per_enterprise": _l("每家企业上限（万元）"),
    "award.cap_period": _l("上限的计算期间"),
    "award.uplift_note_zh": _l("未计入的加码说明"),
    "award.points": _l("贴息百分点（小数，0.015 即1.5个百分点）"),
    "award.years": _l("贴息最多年数"),
    "award.min_loan": _l("最低贷款额（万元）"),
    "award.max_loan": _l("最高计息本金（万元）"),
    "award.unit_cap": _l("单台（套）价值上限（万元）"),
    "award.selective": _l("评审或名额制（只显示，不计入）"),
    "award.source": _l("支持金额的出处"),
    "award.source_zh": _l("支持金额的出处（中文，出处为英文时填写）"),
    "award.source_en": _l("支持金额的出处（英文，出处为中文时填写）"),
    "award.as_of": _l("支持金额的日期"),
    "award.estimate": _l("支持金额的估算方法"),
    "award.verified": _l("支持金额已核对原文"),
    "award.reliability": _l("支持金额的可靠性"),
    "award.note": _l("支持金额备注"),
    "apply": _l("申报信息"),
    "apply.beneficiaries_zh": _l("申报对象"),
    "apply.conditions_zh": _l("申报条件"),
    "apply.deadline_zh": _l("申报时间（说明）"),
    "apply.where_zh": _l("受理部门"),
    "apply.contact_zh": _l("联系方式"),
    "apply.beneficiaries_en": _l("申报对象（英文）"),
    "apply.conditions_en": _l("申报条件（英文）"),
    "apply.deadline_en": _l("申报时间（英文）"),
    "apply.where_en": _l("受理部门（英文）"),
    "apply.contact_en": _l("联系方式（英文）"),
    "apply.deadline": _l("申报截止日期"),
    "apply.materials_zh": _l("申报材料"),
    "apply.materials_en": _l("申报材料（英文）"),
    "summary_zh": _l("摘要"),
    "summary_en": _l("英文摘要"),
    "document_no": _l("文号"),
    "issued": _l("发布日期"),
    "official_url": _l("发文机关官网网址"),
    "official_url_missing": _l("没有官网网址的原因"),
    "reposts": _l("转载网址（每行一个）"),
    "ask_zh": _l("需企业确认的问题"),
    "ask_en": _l("需企业确认的问题（英文）"),
    "source": _l("出处（网址或文件）"),
    "source_zh": _l("出处（中文，出处为英文时填写）"),
    "source_en": _l("出处（英文，出处为中文时填写）"),
    "as_of": _l("出处日期"),
    "estimate": _l("估算方法（没有出处时）"),
    "verified": _l("已核对原文"),
    "reliability": _l("可靠性"),
    "note": _l("备注"),
    # prices
    "vendor": _l("厂商"),
    "model": _l("模型"),
    "tier": _l("档次"),
    "currency": _l("币种"),
    "input_per_m": _l("输入价格（每百万词元，元）"),
    "output_per_m": _l("输出价格（每百万词元，元）"),
    "cached_input_per_m": _l("缓存输入价格（每百万词元，元）"),
    "context_k": _l("上下文长度（千词元）"),
    "gpu": _l("显卡"),
    "memory_gb": _l("显存（GB）"),
    "bf16_tflops": _l("BF16 算力（TFLOPS）"),
    "market": _l("市场"),
    "per_hour_low": _l("每卡时价格下限（元）"),
    "per_hour_high": _l("每卡时价格上限（元）"),
    "gpu_memory_gb": _l("可用显存（GB）"),
    "complete_system": _l("整机（不是部件）"),
    "price_low": _l("价格下限（万元）"),
    "price_high": _l("价格上限（万元）"),
    "serves_zh": _l("可运行的模型"),
    "value": _l("数值"),
    # cases
    "enterprise_zh": _l("企业（匿名时写“某……企业”）"),
    "enterprise_en": _l("企业（英文）"),
    "anonymous": _l("出处未披露企业名称"),
    "division": _l("行业大类代码（如 C36）"),
    "size": _l("规模"),
    "province_zh": _l("省份"),
    "city_zh": _l("城市"),
    "scenarios": _l("涉及的场景编号（每行一个）"),
    "done_zh": _l("做了什么"),
    "done_en": _l("做了什么（英文）"),
    "outcomes_zh": _l("成效（按出处原文，每行一条）"),
    "outcomes_en": _l("成效（英文，逐行对应）"),
    "investment_wan": _l("投资（万元，仅限公开数据）"),
    "payback_months": _l("回收期（月，仅限公开数据）"),
    "source_name_zh": _l("出处名称"),
}

CHOICES: dict[str, Promise] = {
    "national": _l("国家"),
    "provincial": _l("省级"),
    "city": _l("市级"),
    "other_province": _l("外省（参考）"),
    "active": _l("有效"),
    "announced": _l("已公布，细则待出"),
    "expired": _l("已过期"),
    "unverified": _l("未核实"),
    "reference": _l("参考（不适用于山东企业）"),
    "share_of_cost": _l("按投入比例补助"),
    "interest_subsidy": _l("贷款贴息"),
    "fixed_amount": _l("固定金额奖补"),
    "tax_deduction": _l("税前加计扣除"),
    "tax_credit": _l("税额抵免"),
    "tax_expensing": _l("一次性税前扣除"),
    "tax_rate": _l("优惠税率"),
    "pending": _l("待定（细则未公布）"),
    "compute": _l("算力"),
    "equipment": _l("设备"),
    "software": _l("软件"),
    "services": _l("服务"),
    "data": _l("数据"),
    "per_year": _l("每年"),
    "cumulative": _l("累计"),
    "official": _l("官方原文"),
    "verbatim": _l("原文转载"),
    "media": _l("媒体报道"),
    "secondary": _l("二手资料"),
    "low": _l("较低"),
    "estimate": _l("估算"),
    "small": _l("小型"),
    "medium": _l("中型"),
    "large": _l("大型"),
    "reasoning": _l("推理"),
    "cn": _l("国内"),
    "global": _l("海外"),
    "CNY": _l("人民币"),
    "micro": _l("微型"),
    "unknown": _l("未知"),
    "official_collection": _l("官方案例集"),
    "company": _l("企业自述"),
    "vendor_claim": _l("供应商宣称"),
    "USD": _l("美元"),
    # the kinds of data a data-maturity minimum means (engine/catalog/schema.py DataKind; "equipment" is 设备 above)
    "production": _l("生产现场"),
    "quality": _l("质量"),
    "energy": _l("能源"),
    "business": _l("经营（订单、销售、库存）"),
    "design": _l("设计"),
}

# a nested field without its own label reads as its parts' names: "cost.large.one_off.low" -> 成本 · 大型 · 一次性投入 · 下限
SEGMENTS: dict[str, Promise] = {
    "kind": _l("类别"),
    "name_verified": _l("名称已核对原文"),
    "name_source": _l("名称出处"),
    "stage": _l("阶段"),
    "parent": _l("上级场景"),
    "variant_of": _l("是哪些场景的变体"),
    "foundation": _l("基础项目（为后续项目打基础）"),
    "data_kinds": _l("数据种类（数据成熟度要求所指）"),
    "description_zh": _l("说明"),
    "description_en": _l("说明（英文）"),
    "industries": _l("适用行业"),
    "high": _l("上限"),
    "medium": _l("中"),
    "low": _l("下限"),
    "basis": _l("依据"),
    "prerequisites": _l("前提条件"),
    "maturity": _l("成熟度要求"),
    "systems_all": _l("须全部具备的系统"),
    "systems_any": _l("具备其一即可的系统"),
    "scenarios": _l("须先实施的场景"),
    "data": _l("所需数据"),
    "kpi_effects": _l("效果（每行一项）"),
    "cost": _l("成本"),
    "large": _l("大型"),
    "small": _l("小型"),
    "micro": _l("微型"),
    "one_off": _l("一次性投入（万元）"),
    "annual": _l("年运行费用（万元）"),
    "buys": _l("采购内容"),
    "scope": _l("覆盖范围"),
    "unit": _l("单元"),
    "count": _l("单元数来自"),
    "pool_share": _l("资金池份额（0–1）"),
    "fixed": _l("固定部分"),
    "per_unit": _l("每单元"),
    "pilot_units": _l("试点单元数"),
    "pool_share_by_group": _l("各行业组的资金池份额（JSON）"),
    "by_division": _l("各行业大类的覆盖（JSON）"),
    "duration": _l("实施周期"),
    "months_low": _l("最短月数"),
    "months_high": _l("最长月数"),
    "technique": _l("技术"),
    "model_route": _l("模型路线"),
    "risks": _l("风险"),
    "keywords_zh": _l("关键词"),
    "keywords_en": _l("关键词（英文）"),
    "place_en": _l("地点（英文）"),
    "source_name_en": _l("出处名称（英文）"),
    "version": _l("版本"),
    "title_zh": _l("标题"),
    "title_en": _l("标题（英文）"),
    "dimensions": _l("维度"),
    "questions": _l("题目"),
    "scales": _l("评分档"),
}

Kind = Literal["text", "long", "number", "integer", "date", "bool", "choice", "choices", "lines", "json"]
PROVENANCE = ("source", "source_zh", "source_en", "as_of", "estimate", "verified", "reliability", "note")
LONG = {
    "summary_zh",
    "summary_en",
    "note",
    "estimate",
    "official_url_missing",
    "conditions_zh",
    "materials_zh",
    "uplift_note_zh",
    "ask_zh",
    "done_zh",
    "done_en",
    "outcomes_zh",
    "outcomes_en",
}


@dataclass(frozen=True)
class Field:
    path: str
    kind: Kind
    required: bool
    options: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        if self.path in LABELS:
            return str(LABELS[self.path])
        return " · ".join(str(SEGMENTS.get(s) or LABELS.get(s) or CHOICES.get(s) or s) for s in self.path.split("."))

    @property
    def name(self) -> str:
        """The HTML form field name."""
        return "f-" + self.path.replace(".", "-")

    def choice_names(self) -> list[tuple[str, str]]:
        return [(o, str(CHOICES.get(o, o))) for o in self.options]


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """The annotation without ``| None`` and whether None was allowed."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return (args[0] if len(args) == 1 else annotation), len(args) < len(typing.get_args(annotation))
    return annotation, False


def _literal(annotation: Any) -> tuple[str, ...]:
    if typing.get_origin(annotation) is Literal:
        return tuple(str(a) for a in typing.get_args(annotation))
    return ()


def fields_of(model: type[BaseModel], prefix: str = "") -> list[Field]:
    """The flat fields of an engine model, nested models expanded (a list of models is not flattened)."""
    out: list[Field] = []
    own = [n for n in model.model_fields if n not in PROVENANCE]
    for name in [*own, *(n for n in model.model_fields if n in PROVENANCE)]:  # where-from fields last
        info = model.model_fields[name]
        path = prefix + name
        annotation, optional = _unwrap(info.annotation)
        required = info.is_required() and not optional
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            out.extend(fields_of(annotation, path + "."))
            continue
        origin = typing.get_origin(annotation)
        if options := _literal(annotation):
            out.append(Field(path, "choice", required, options))
        elif origin is list:
            (arg,) = typing.get_args(annotation)
            arg = _unwrap(arg)[0]
            if options := _literal(arg):
                out.append(Field(path, "choices", required, options))
            else:
                out.append(Field(path, "lines", required))
        elif origin is dict or annotation is dict:
            out.append(Field(path, "json", required))
        elif annotation is bool:
            out.append(Field(path, "bool", required))
        elif annotation is int:
            out.append(Field(path, "integer", required))
        elif annotation is float:
            out.append(Field(path, "number", required))
        elif annotation is datetime.date:
            out.append(Field(path, "date", required))
        else:
            out.append(Field(path, "long" if name in LONG else "text", required))
    return out


# --- values: nested JSON <-> flat text ----------------------------------------------------------------------


def get(data: dict[str, Any], path: str) -> Any:
    node: Any = data
    for part in path.split("."):
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


def put(data: dict[str, Any], path: str, value: Any) -> None:
    """Set ``path`` to ``value``; None removes the key (the model's default then applies)."""
    *parents, last = path.split(".")
    node = data
    for part in parents:
        node = node.setdefault(part, {})
    if value is None:
        node.pop(last, None)
    else:
        node[last] = value


def as_text(field: Field, value: Any, *, shown: bool = False) -> str:
    """A stored value as the text a form input or a spreadsheet cell holds (what ``from_text`` reads back), or,
    ``shown``, as a reader reads it on a page: choices by their names in the choices' order, yes or no in the
    reader's language. The editor's read-only view and a proposal's changes both show values this way."""
    if value is None:
        return ""
    if shown and field.kind in ("choice", "choices"):
        order = [v for v, _n in field.choice_names()]
        names = dict(field.choice_names())
        values = value if isinstance(value, list) else [value]
        values = sorted(values, key=lambda v: order.index(v) if v in order else len(order))
        return "、".join(str(names.get(v, v)) for v in values)
    if field.kind == "bool":
        if shown:
            return _("是") if value else _("否")
        return "是" if value else "否"
    if field.kind == "choices":
        return "、".join(str(v) for v in value)
    if field.kind == "lines":
        return "\n".join(str(v) for v in value)
    if field.kind == "json":
        return json.dumps(value, ensure_ascii=False)
    if field.kind == "number" and isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


TRUE = {"是", "true", "yes", "y", "1", "on", "对", "√"}
FALSE = {"否", "false", "no", "n", "0", "off", "", "×"}


class CellError(ValueError):
    """The text of one field could not be read; the message is in the reader's language."""


def _choice(field: Field, text: str) -> str:
    for value, name in field.choice_names():
        if text in (value, name, str(CHOICES.get(value, value))):
            return value
    names = "、".join(f"{n}" for _v, n in field.choice_names())
    raise CellError(_("只能是以下之一：%(names)s") % {"names": names})


def from_text(field: Field, raw: Any) -> Any:
    """Form or cell input as the JSON value of ``field`` (None when empty). Raises CellError."""
    if raw is None:
        return None
    if isinstance(raw, datetime.datetime):
        raw = raw.date()
    if field.kind == "date" and isinstance(raw, datetime.date):
        return raw.isoformat()
    if field.kind == "bool" and isinstance(raw, bool):
        return raw
    if field.kind in ("number", "integer") and isinstance(raw, int | float) and not isinstance(raw, bool):
        if field.kind == "integer" and float(raw) != int(raw):
            raise CellError(_("必须是整数，收到：%(text)s") % {"text": raw})
        return int(raw) if field.kind == "integer" else float(raw)
    text = str(raw).strip()
    if field.kind == "bool":
        low = text.lower()
        if low in TRUE:
            return True
        if low in FALSE:
            return False if field.required else None
        raise CellError(_("请填“是”或“否”，收到：%(text)s") % {"text": text})
    if not text:
        return [] if field.kind in ("choices", "lines") and field.required else None
    if field.kind == "number":
        try:
            return float(text.replace(",", "").replace("，", ""))
        except ValueError:
            raise CellError(_("必须是数字，收到：%(text)s") % {"text": text}) from None
    if field.kind == "integer":
        try:
            return int(text)
        except ValueError:
            raise CellError(_("必须是整数，收到：%(text)s") % {"text": text}) from None
    if field.kind == "date":
        try:
            return datetime.date.fromisoformat(text.replace("/", "-")).isoformat()
        except ValueError:
            raise CellError(_("日期格式应为 2026-05-31，收到：%(text)s") % {"text": text}) from None
    if field.kind == "choice":
        return _choice(field, text)
    if field.kind == "choices":
        parts = [p.strip() for p in text.replace("，", "、").replace(",", "、").split("、") if p.strip()]
        return [_choice(field, p) for p in parts]
    if field.kind == "lines":
        return [line.strip() for line in text.splitlines() if line.strip()]
    if field.kind == "json":
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CellError(
                _("不是有效的 JSON（第 %(line)s 行第 %(col)s 个字符）") % {"line": exc.lineno, "col": exc.colno}
            ) from None
        if not isinstance(value, dict):
            raise CellError(_("必须是一个 JSON 对象（用 { } 括起来）"))
        return value
    return text


def read_into(data: dict[str, Any], field: Field, raw: Any) -> None:
    """Put the input of ``field`` into ``data`` (the entry's data until now). An empty required text keeps an
    empty stored text (several published policies leave a contact blank) but may not blank a filled one."""
    value = from_text(field, raw)
    if value is None and field.required and field.kind in ("text", "long"):
        if get(data, field.path) != "":
            raise CellError(_("必须填写"))
        value = ""
    put(data, field.path, value)


# --- pydantic errors in the reader's language ---------------------------------------------------------------


@dataclass(frozen=True)
class FieldError:
    path: str  # dotted, "" for the entry as a whole
    label: str
    message: str


VALUE_ERRORS = {
    "number without provenance": _l("数字缺少出处：请填写出处和日期，或写明估算方法"),
    "share_of_cost needs": _l("按投入比例补助需要填写比例和计入的支出类别"),
    "tax_deduction needs": _l("加计扣除需要填写比例和计入的支出类别"),
    "tax_credit needs": _l("税额抵免需要填写比例和计入的支出类别"),
    "tax_expensing needs": _l("一次性税前扣除需要填写计入的支出类别"),
    "tax_rate needs": _l("优惠税率需要填写比例"),
    "interest_subsidy needs": _l("贷款贴息需要填写贴息百分点或占LPR的比例"),
    "fixed_amount needs": _l("固定金额奖补需要填写金额"),
}


def _number(x: Any) -> Any:
    return int(x) if isinstance(x, float) and x.is_integer() else x


def _message(err: Any) -> str:
    kind, ctx = err["type"], err.get("ctx") or {}
    if kind == "missing":
        return _("必须填写")
    if kind == "extra_forbidden":
        return _("不认识这一项（可能拼写有误），没有保存")
    if kind == "literal_error":
        options = [o.strip(" '") for o in str(ctx.get("expected", "")).replace(" or ", ",").split(",")]
        return _("只能是以下之一：%(names)s") % {"names": "、".join(str(CHOICES.get(o, o)) for o in options if o)}
    if kind in ("greater_than_equal", "greater_than"):
        return _("不能小于 %(n)s") % {"n": _number(ctx.get("ge", ctx.get("gt")))}
    if kind in ("less_than_equal", "less_than"):
        return _("不能大于 %(n)s") % {"n": _number(ctx.get("le", ctx.get("lt")))}
    if kind in ("float_parsing", "float_type"):
        return _("必须是数字")
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return _("必须是整数")
    if kind.startswith("date"):
        return _("日期格式应为 2026-05-31")
    if kind in ("bool_parsing", "bool_type"):
        return _("请填“是”或“否”")
    if kind == "string_pattern_mismatch":
        return _("格式不对：只能用小写字母、数字和下划线，以字母开头")
    if kind == "too_short":
        return _("至少要有 %(n)s 项") % {"n": ctx.get("min_length")}
    if kind in ("string_type", "list_type", "dict_type", "model_type"):
        return _("类型不对")
    if kind == "value_error":
        text = str(ctx.get("error", err.get("msg", "")))
        for start, message in VALUE_ERRORS.items():
            if start in text:
                return str(message)
    return _("内容无效：%(detail)s") % {"detail": err.get("msg", "")}


def error_messages(exc: ValidationError, known: set[str] | None = None) -> list[FieldError]:
    """pydantic's errors as (path, label, message) in the reader's language. A location below a known field is
    reported on that field (``award.base.0`` on ``award.base``); a model rule on ``award`` stays on ``award``."""
    out: list[FieldError] = []
    for err in exc.errors():
        parts = [str(p) for p in err["loc"]]
        path = ".".join(parts)
        if known:
            while path and path not in known and "." in path:
                path = path.rsplit(".", 1)[0]
        label = str(LABELS.get(path, path)) if path else _("整条内容")
        out.append(FieldError(path, label, _message(err)))
    return out
