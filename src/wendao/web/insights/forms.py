from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wendao.web.catalog.services import active_catalog
from wendao.web.forms import PlainLabels
from wendao.web.insights.labels import labels
from wendao.web.insights.models import ProgressStatus, Scope, Target
from wendao.web.insights.pilots import Weights
from wendao.web.insights.progress import plan_item
from wendao.web.insights.targets import METRICS, metric_choices

DEFAULTS = Weights()


class WeightsForm(PlainLabels, forms.Form):
    foundation = forms.FloatField(label=_("基础扎实（权重）"), min_value=0, max_value=10, required=False)
    willingness = forms.FloatField(label=_("转型意愿（权重）"), min_value=0, max_value=10, required=False)
    demonstration = forms.FloatField(label=_("示范带动（权重）"), min_value=0, max_value=10, required=False)

    def weights(self) -> Weights:
        """The submitted weights; defaults for anything missing or invalid (a GET form never fails)."""
        if not self.is_valid():
            return DEFAULTS
        data = self.cleaned_data
        return Weights(
            foundation=DEFAULTS.foundation if data["foundation"] is None else data["foundation"],
            willingness=DEFAULTS.willingness if data["willingness"] is None else data["willingness"],
            demonstration=DEFAULTS.demonstration if data["demonstration"] is None else data["demonstration"],
        )


ALL = ""  # a filter left open
NO_CHAIN = "-"  # the chain filter's value for enterprises in no provincial key chain (their chain is "")


class PilotFilterForm(PlainLabels, forms.Form):
    """Which of the programme's enterprises the pilot ranking shows: by city, chain and size class, each choice
    one the programme's enterprises hold (a GET form never fails: an unknown value shows everyone)."""

    city = forms.ChoiceField(label=_("城市"), required=False)
    chain = forms.ChoiceField(label=_("产业链"), required=False)
    size = forms.ChoiceField(label=_("规模"), required=False)

    FIELDS = {"city": "city", "chain": "chain", "size": "size_class"}  # form field -> Enterprise field

    def __init__(self, data: Any, enterprises: Any) -> None:
        super().__init__(data)
        names = labels()
        for field, column in self.FIELDS.items():
            keys = sorted({str(k or "") for k in enterprises.values_list(column, flat=True).distinct()})
            everyone: list[tuple[str, str]] = [(ALL, str(_("全部")))]
            self.fields[field].choices = everyone + [  # type: ignore[attr-defined]
                (NO_CHAIN if field == "chain" and not k else k, names.of(field, k)) for k in keys
            ]

    def apply(self, enterprises: Any) -> Any:
        if not self.is_valid():
            return enterprises
        for field, column in self.FIELDS.items():
            value = self.cleaned_data.get(field) or ALL
            if value != ALL:
                enterprises = enterprises.filter(**{column: "" if value == NO_CHAIN else value})
        return enterprises

    def chosen(self) -> bool:
        return self.is_valid() and any(self.cleaned_data.get(f) for f in self.FIELDS)


class TargetForm(forms.ModelForm):  # type: ignore[type-arg]
    """A programme target; every problem is reported on the field that causes it."""

    metric = forms.ChoiceField(label=_("指标"))

    class Meta:
        model = Target
        fields = ["metric", "parameter", "scope", "scope_value", "value", "start_date", "due_date", "source"]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "source": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "parameter": _(
                "“已上线的高价值场景数”填净现值门槛（万元）；“成熟度总分达到门槛”填分数（0–100）；其他指标留空。"
            ),
            "scope_value": _("按范围选一个城市、产业链或行业大类；范围为全部参训企业时选“—”。"),
            "source": _("例如省级目标的出处。"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["metric"].choices = metric_choices()
        # a list of names, grouped by scope, in place of a text box that wanted "weifang" or "C34" typed in
        self.fields["scope_value"].widget = forms.Select(choices=scope_value_choices())

    def clean_value(self) -> float:
        value = float(self.cleaned_data["value"])
        if value <= 0:
            raise forms.ValidationError(_("目标值须大于 0。"))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        metric = METRICS.get(data.get("metric", ""))
        if metric is not None:
            parameter = data.get("parameter")
            if metric.parameter_label is None and parameter is not None:
                self.add_error("parameter", _("该指标不需要参数，请留空。"))
            elif metric.parameter_label is not None and parameter is None:
                self.add_error("parameter", _("该指标需要参数：%(what)s。") % {"what": metric.parameter_label})
            elif metric.id == "maturity_at_least" and parameter is not None and not 0 <= parameter <= 100:
                self.add_error("parameter", _("成熟度门槛须在 0 到 100 之间。"))
        scope, scope_value = data.get("scope", ""), (data.get("scope_value") or "").strip()
        data["scope_value"] = scope_value
        if not scope and scope_value:
            self.add_error("scope_value", _("范围为全部参训企业时，范围取值须留空。"))
        elif scope and not scope_value:
            self.add_error("scope_value", _("请填写范围取值。"))
        elif scope and scope_value not in scope_keys(scope):
            self.add_error(
                "scope_value",
                _("“%(value)s”不是已知的取值；可选：%(known)s") % {"value": scope_value, "known": _examples(scope)},
            )
        start, due = data.get("start_date"), data.get("due_date")
        if start and due and due <= start:
            self.add_error("due_date", _("截止日期须晚于起始日期。"))
        return data


def scope_keys(scope: str) -> set[str]:
    catalog = active_catalog().catalog
    if scope == Scope.CITY:
        return {c.id for c in catalog.cities}
    if scope == Scope.CHAIN:
        return {c.id for c in catalog.chains}
    if scope == Scope.DIVISION:
        return {i.code[:3] for i in catalog.industries}
    return set()


def scope_value_choices() -> list[tuple[str, Any]]:
    """Every value a scope may take, by name, grouped under 城市 / 产业链 / 行业大类 (the stored key is the value)."""
    names = labels().by_dimension
    divisions = {code[:3]: name for code, name in names["division"].items() if len(code) >= 3}
    return [
        ("", "—"),
        (str(Scope.CITY.label), list(names["city"].items())),
        (str(Scope.CHAIN.label), list(names["chain"].items())),
        (str(Scope.DIVISION.label), sorted(divisions.items())),
    ]


def _examples(scope: str) -> str:
    keys = sorted(scope_keys(scope))
    return "、".join(keys[:20]) + ("…" if len(keys) > 20 else "")


class ProgressForm(forms.Form):
    scenario = forms.CharField(label=_("场景"), max_length=64)
    status = forms.ChoiceField(label=_("实施进度"), choices=ProgressStatus.choices)

    def __init__(self, *args: Any, plan: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.item: dict[str, Any] | None = None

    def clean_scenario(self) -> str:
        scenario = str(self.cleaned_data["scenario"])
        self.item = plan_item(self.plan, scenario)
        if self.item is None:
            raise forms.ValidationError(_("该场景不在这份规划的路线图中。"))
        return scenario
