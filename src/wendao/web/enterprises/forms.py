"""Forms parse input only. Validation of the profile is the engine's parse_profile; its problems are mapped
back onto the fields they name. Ranges and lengths are the engine's too: the form states them with each field
(in the user's language) so that a figure out of range is named next to its field before the engine runs."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.text import format_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel

from wendao.engine.catalog import LoadedCatalog
from wendao.engine.objectives import OBJECTIVES
from wendao.engine.plan import PlanOptions
from wendao.engine.profile import (
    MAX_ITEMS,
    MAX_NAME_LENGTH,
    QUALIFICATION_NAMES,
    TAX_STATUS_NAMES,
    Baseline,
    EnterpriseProfile,
    ProfileError,
    ProfileProblem,
    parse_profile,
    size_class,
)
from wendao.engine.text import MAX_LINE_LENGTH, control_character
from wendao.web.enterprises.profile_errors import problem_message, profile_lines

BASELINE_FIELDS: list[tuple[str, Any]] = [
    ("annual_energy_cost", _("年能源费用（万元）")),
    ("annual_quality_loss", _("年质量损失：报废、返工、索赔（万元）")),
    ("unplanned_downtime_hours", _("年非计划停机（小时）")),
    ("downtime_cost_per_hour", _("每小时停机损失（万元）")),
    ("inventory_value", _("平均库存（万元）")),
    ("inspection_staff", _("质检人员（人）")),
    ("production_staff", _("生产人员（人）")),
    ("labour_cost_per_person", _("人均人工成本（万元/年）")),
    # the other figures the value model uses (issue 13 item 7), and the units of deployment a scenario covers
    ("annual_maintenance_cost", _("年设备维护费用（万元）")),
    ("annual_logistics_cost", _("年物流费用（万元）")),
    ("annual_rd_cost", _("年研发费用（万元）")),
    ("annual_sheet_material_cost", _("年板材采购额（万元）")),
    ("engineering_staff", _("技术人员（人）")),
    ("service_staff", _("客服与售后人员（人）")),
    ("production_lines", _("产线数（条）")),
    ("key_machines", _("关键设备数（台）")),
    ("inspection_stations", _("人工质检工位数（个）")),
    ("process_units", _("主要工艺装置/窑炉数（套）")),
    ("warehouses", _("仓库数（个）")),
]
COUNT_FIELDS = ("production_lines", "key_machines", "inspection_stations", "process_units", "warehouses")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _name(item: Any) -> str:
    return item.name_en if (get_language() or "").startswith("en") else item.name_zh


def _shown(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def figure_field(label: Any, model: type[BaseModel], name: str, required: bool = True) -> forms.Field:
    """A number field with the range the engine's model gives the figure (its Field's ge and le), and one
    message for anything else: not a number, out of range, NaN or infinity."""
    info = model.model_fields[name]
    low = next(m.ge for m in info.metadata if hasattr(m, "ge"))
    high = next(m.le for m in info.metadata if hasattr(m, "le"))
    whole = info.annotation in (int, int | None)
    message = format_lazy(
        _("{label}应为 {low} 到 {high} 之间的整数") if whole else _("{label}应为 {low} 到 {high} 之间的数"),
        label=label,
        low=_shown(low),
        high=_shown(high),
    )
    messages = {"invalid": message, "min_value": message, "max_value": message}
    field_class = forms.IntegerField if whole else forms.FloatField
    return field_class(label=label, required=required, min_value=low, max_value=high, error_messages=messages)


class TextField(forms.CharField):
    """Text without control characters (U+0000 included): one line, or with ``multiline`` several."""

    def __init__(self, *args: Any, multiline: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.multiline = multiline
        # the check below names every control character, U+0000 as well
        self.validators = [v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)]

    def validate(self, value: Any) -> None:
        super().validate(value)
        code = control_character(value or "", self.multiline)
        if code is not None:
            raise ValidationError(
                _("不能含有控制字符（发现 %(code)s），请删除后再保存。"),
                code="control_character",
                params={"code": code},
            )


class LinesField(TextField):
    """One item per line, as many items and as long as the engine's profile allows."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, multiline=True, **kwargs)

    def validate(self, value: Any) -> None:
        super().validate(value)
        lines = _lines(value)
        if len(lines) > MAX_ITEMS:
            raise ValidationError(
                _("最多 %(most)s 条（现有 %(count)s 条）。"),
                code="max_items",
                params={"most": MAX_ITEMS, "count": len(lines)},
            )
        for number, line in enumerate(lines, start=1):
            if len(line) > MAX_LINE_LENGTH:
                raise ValidationError(
                    _("第 %(number)s 条超过 %(most)s 个字（%(length)s 个字）。"),
                    code="max_length",
                    params={"number": number, "most": MAX_LINE_LENGTH, "length": len(line)},
                )


POLICY_FIELD = "policy_"  # a form field answering one policy's own question: policy_<policy id>
FUNDING_FIELDS = (
    "tax_status",
    "rd_project",
    "techreno_listed",
    "equipment_renewal_listed",
    "loan_share",
    "loan_years",
    "special_equipment",
    "model_product",
    "private",
)


class ProfileForm(forms.Form):
    name = TextField(label=_("企业名称"), max_length=MAX_NAME_LENGTH)
    city = forms.ChoiceField(label=_("所在城市"))
    # free text with suggestions: a 4-digit class (C3441) is as valid as a division (C34); the engine decides
    industry = forms.CharField(
        label=_("所属行业（国民经济行业分类 GB/T 4754-2017）"),
        max_length=8,
        widget=forms.TextInput(attrs={"list": "industry-codes", "autocomplete": "off"}),
    )
    chain = forms.ChoiceField(label=_("所属产业链（可选）"), required=False)
    employees = figure_field(_("从业人员（人）"), EnterpriseProfile, "employees")
    revenue = figure_field(_("年营业收入（万元）"), EnterpriseProfile, "revenue")
    budget = figure_field(_("每年数字化/人工智能预算（万元）"), EnterpriseProfile, "budget", required=False)
    qualifications = forms.MultipleChoiceField(label=_("资质"), required=False, widget=forms.CheckboxSelectMultiple)
    systems = forms.MultipleChoiceField(label=_("已有信息系统"), required=False, widget=forms.CheckboxSelectMultiple)
    pain_points = LinesField(
        label=_("痛点（每行一条，用自己的话写）"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    goals = LinesField(label=_("目标（每行一条）"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    data_assets = LinesField(label=_("已有数据（每行一条）"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    on_premise_only = forms.BooleanField(label=_("数据不得出厂（只能本地部署）"), required=False)
    # decides whether a sourced sales effect counts (DESIGN rule 3); empty: the plan uses the division's default
    business_model = forms.ChoiceField(
        label=_("主要客户"),
        required=False,
        choices=[
            ("", _("按行业默认")),
            ("b2b", _("企业客户（B2B）")),
            ("b2c", _("个人消费者（B2C）")),
            ("mixed", _("两者都有")),
        ],
        help_text=_("决定营销、销售类项目的增收效果能否计入收益。不填时按行业默认：原材料、装备、电子行业按企业客户，消费品行业按两者都有。"),
    )
    # the facts that decide the most support money (issue 14): unanswered ones make policies "to confirm"
    tax_status = forms.ChoiceField(
        label=_("企业所得税身份"),
        required=False,
        help_text=_("决定税收优惠值多少；不填时税收优惠只列为“需确认”。"),
    )
    rd_project = forms.NullBooleanField(label=_("人工智能和数字化项目按研发项目立项、单独归集研发费用"), required=False)
    techreno_listed = forms.NullBooleanField(label=_("项目已纳入省级技改项目库"), required=False)
    equipment_renewal_listed = forms.NullBooleanField(label=_("项目已进入国家设备更新备选项目清单"), required=False)
    loan_share = forms.DecimalField(
        label=_("投资中用银行贷款支付的比例（%）"), required=False, min_value=0, max_value=100, decimal_places=1
    )
    loan_years = forms.IntegerField(label=_("贷款几年还清"), required=False, min_value=1, max_value=10)
    special_equipment = forms.NullBooleanField(
        label=_("所购设备列入节能节水、环境保护或安全生产专用设备税收优惠目录"), required=False
    )
    model_product = forms.NullBooleanField(label=_("开发垂直行业大模型产品并送国家级机构评测"), required=False)
    private = forms.NullBooleanField(label=_("民营企业"), required=False)

    def __init__(self, *args: Any, loaded: LoadedCatalog, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.loaded = loaded
        c = loaded.catalog
        self.fields["city"].choices = [(x.id, _name(x)) for x in c.cities]
        self.industry_options = [(x.code, _name(x)) for x in c.industries]
        self._name_the_industry(dict(self.industry_options))
        self.fields["chain"].choices = [("", "—"), *((x.id, _name(x)) for x in c.chains)]
        en = (get_language() or "").startswith("en")
        self.fields["qualifications"].choices = [(k, v[1] if en else v[0]) for k, v in QUALIFICATION_NAMES.items()]
        self.fields["systems"].choices = [(x.id, _name(x)) for x in c.systems]  # the names carry ERP, MES …
        taxes = [(k, v[1] if en else v[0]) for k, v in TAX_STATUS_NAMES.items()]
        self.fields["tax_status"].choices = [("", "—"), *taxes]
        for key, label in BASELINE_FIELDS:
            self.fields[key] = figure_field(label, Baseline, key, required=False)
            self.fields[key].help_text = _("不填则按行业与规模的默认值估算，并在规划中标明。")
        self._show_count_defaults(loaded)
        self._add_policy_questions(loaded, en)
        self.profile = None

    def _add_policy_questions(self, loaded: LoadedCatalog, en: bool) -> None:
        """A yes/no field for each policy whose own question no profile fact answers (Policy.ask_zh): the
        answer settles the policy's "to confirm" line in the who-pays view (issue 14)."""
        for p in loaded.policies:
            if p.ask_zh and p.status not in ("expired", "reference"):
                self.fields[POLICY_FIELD + p.id] = forms.NullBooleanField(
                    label=(p.ask_en or p.ask_zh) if en else p.ask_zh, required=False
                )

    def _name_the_industry(self, names: dict[str, str]) -> None:
        """The box holds a code (C3441); under it, the division's name, so an owner sees what the code means."""
        code = str((self.data.get("industry") if self.is_bound else self.initial.get("industry")) or "").strip()
        name = names.get(code[:3].upper())
        if name:
            self.fields["industry"].help_text = _("当前：%(name)s。可输入代码，或输入行业名称从列表中选择。") % {"name": name}
        else:
            self.fields["industry"].help_text = _("可输入代码，或输入行业名称从列表中选择。")

    def _show_count_defaults(self, loaded: LoadedCatalog) -> None:
        """The industry default of each unit count as the field's placeholder, when the industry and size are
        known from the stored profile."""
        initial = self.initial or {}
        industry, employees, revenue = initial.get("industry"), initial.get("employees"), initial.get("revenue")
        if not industry or employees is None or revenue is None:
            return
        groups = {i.code: i.group for i in loaded.catalog.industries}
        size = size_class(int(employees), float(revenue))
        division = str(industry)[:3]
        for key in COUNT_FIELDS:
            for scope in (division, groups.get(division, ""), "all"):
                d = next((c for c in loaded.count_defaults if c.count == key and c.applies_to == scope), None)
                if d is not None:
                    value = d.by_size[size]
                    self.fields[key].widget.attrs["placeholder"] = str(value)
                    self.fields[key].help_text = format_lazy(_("不填则按行业默认 {value} 估算，并在规划中标明。"), value=value)
                    break

    @staticmethod
    def initial_from(profile: dict[str, Any]) -> dict[str, Any]:
        """Form values from a stored profile (the inverse of to_profile_data)."""
        initial = {
            k: profile.get(k)
            for k in (
                "name",
                "city",
                "industry",
                "chain",
                "employees",
                "revenue",
                "budget",
                "qualifications",
                "systems",
                "business_model",
            )
        }
        for key in ("pain_points", "goals", "data_assets"):
            initial[key] = "\n".join(profile.get(key) or [])
        initial["on_premise_only"] = (profile.get("constraints") or {}).get("on_premise_only", False)
        for key, _label in BASELINE_FIELDS:
            initial[key] = (profile.get("baseline") or {}).get(key)
        funding = profile.get("funding") or {}
        for key in FUNDING_FIELDS:
            initial[key] = funding.get(key)
        for pid, said in (funding.get("policy_answers") or {}).items():
            initial[POLICY_FIELD + pid] = said
        if funding.get("loan_share") is not None:
            initial["loan_share"] = round(float(funding["loan_share"]) * 100, 1)
        return initial

    def to_profile_data(self, stored: dict[str, Any] | None = None) -> dict[str, Any]:
        """Profile data from the form; baseline figures the form does not show are kept from ``stored``."""
        d = self.cleaned_data
        shown = {k for k, _label in BASELINE_FIELDS}
        kept = {k: v for k, v in ((stored or {}).get("baseline") or {}).items() if k not in shown and v is not None}
        baseline = kept | {k: d[k] for k in shown if d.get(k) is not None}
        return {
            "name": d["name"],
            "city": d["city"],
            "industry": d["industry"],
            "chain": d.get("chain") or None,
            "employees": d["employees"],
            "revenue": d["revenue"],
            "budget": d.get("budget"),
            "qualifications": d.get("qualifications") or [],
            "systems": d.get("systems") or [],
            "pain_points": _lines(d.get("pain_points", "")),
            "goals": _lines(d.get("goals", "")),
            "data_assets": _lines(d.get("data_assets", "")),
            "baseline": baseline,
            "constraints": {"on_premise_only": bool(d.get("on_premise_only"))},
            "business_model": d.get("business_model") or None,
            "funding": self._funding(d),
        }

    @staticmethod
    def _funding(d: dict[str, Any]) -> dict[str, Any]:
        """The profile's funding facts from the form: only those answered (a percentage becomes a share)."""
        out = {k: d.get(k) for k in FUNDING_FIELDS if d.get(k) not in (None, "")}
        if "loan_share" in out:
            out["loan_share"] = float(out["loan_share"]) / 100
        answers = {k[len(POLICY_FIELD) :]: v for k, v in d.items() if k.startswith(POLICY_FIELD) and v is not None}
        if answers:
            out["policy_answers"] = answers
        return out

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            self.profile = parse_profile(self.to_profile_data(), self.loaded)
        except ProfileError as exc:
            self.add_problems(exc)
        return cleaned

    def add_problems(self, exc: ProfileError) -> None:
        """The engine's problems, each next to the field it names, in the reader's language."""
        for problem in exc.details:
            self.add_error(self.field_of(problem), problem_message(problem))
        if not exc.details:  # a file error has no field (parse_profile always gives details)
            self.add_error(None, profile_lines(exc)[0])

    def field_of(self, problem: ProfileProblem) -> str | None:
        """The form field an engine problem names (``baseline.inspection_staff`` → ``inspection_staff``), None for the form."""
        parts = problem.loc or ("",)
        for candidate in (parts[-1], parts[0]):
            if candidate in self.fields:
                return candidate
        if parts[0] == "constraints":
            return "on_premise_only"
        return None


OBJECTIVE_LABELS = {"npv": _("净现值最大"), "quick_wins": _("尽快见效"), "pain_points": _("优先解决痛点")}


class WhatIfForm(forms.Form):
    """Inputs of a plan re-run; ranges are the engine's PlanOptions."""

    budget = figure_field(_("每年预算（万元）"), PlanOptions, "budget", required=False)
    horizon_quarters = figure_field(_("规划期（季度）"), PlanOptions, "horizon_quarters", required=False)
    objective = forms.ChoiceField(
        label=_("优化目标"),
        choices=[(o, OBJECTIVE_LABELS[o]) for o in OBJECTIVES],  # a new objective fails here until it has a label
    )
    # the enterprise's choices (engine/needs.py): the plan states what they cost in NPV
    pin = forms.MultipleChoiceField(
        label=_("固定纳入的场景"),
        required=False,
        choices=lambda: _scenario_choices(),
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    drop = forms.MultipleChoiceField(
        label=_("排除的场景"),
        required=False,
        choices=lambda: _scenario_choices(),
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )


def _scenario_choices() -> list[tuple[str, str]]:
    """Every scenario of the active knowledge base by its name in the reader's language."""
    from wendao.web.catalog.services import active_catalog  # the catalog app's models load after this module

    en = (get_language() or "").startswith("en")
    return [(s.id, s.name_en if en else s.name_zh) for s in active_catalog().catalog.scenarios]
