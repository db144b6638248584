"""Forms parse input only; the rules (transitions, price ranges, catalog ids) are in ``services``, whose
``MarketplaceError.field`` names the field an error is shown on (``show_error``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from wendao.engine.catalog import LoadedCatalog
from wendao.web.marketplace.models import Challenge, Provider
from wendao.web.marketplace.services import CaseData, MarketplaceError


def local_name(item: Any) -> str:
    return str(item.name_en if (get_language() or "").startswith("en") else item.name_zh)


def scenario_choices(loaded: LoadedCatalog) -> list[tuple[str, str]]:
    return [(s.id, local_name(s)) for s in loaded.catalog.scenarios]


def show_error(form: forms.Form, error: MarketplaceError) -> None:
    """A use case's error on the field it names (or on the form as a whole)."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


class ProviderForm(forms.Form):
    name = forms.CharField(label=_("机构名称"), max_length=200)
    kind = forms.ChoiceField(label=_("机构类型"), choices=Provider.Kind.choices)
    description = forms.CharField(
        label=_("机构简介与核心能力"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    scenario_ids = forms.MultipleChoiceField(
        label=_("能力场景（可多选）"), required=False, widget=forms.CheckboxSelectMultiple
    )
    industries = forms.MultipleChoiceField(
        label=_("服务行业（不选表示不限）"), required=False, widget=forms.CheckboxSelectMultiple
    )
    regions = forms.MultipleChoiceField(
        label=_("服务地区（不选表示不限）"), required=False, widget=forms.CheckboxSelectMultiple
    )
    price_low = forms.FloatField(label=_("典型项目报价下限（万元）"), min_value=0, required=False)
    price_high = forms.FloatField(label=_("典型项目报价上限（万元）"), min_value=0, required=False)
    contact_name = forms.CharField(label=_("联系人"), max_length=64, required=False)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=32, required=False)
    contact_email = forms.EmailField(label=_("联系邮箱"), required=False)
    website = forms.URLField(label=_("网站"), required=False, assume_scheme="https")
    listed = forms.BooleanField(label=_("在服务市场公开（企业可检索到本机构）"), required=False, initial=True)

    WIDE = ("description", "scenario_ids", "industries", "regions")

    def __init__(self, *args: Any, loaded: LoadedCatalog, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cat = loaded.catalog
        self.fields["scenario_ids"].choices = scenario_choices(loaded)  # type: ignore[attr-defined]
        self.fields["industries"].choices = [(i.code, local_name(i)) for i in cat.industries]  # type: ignore[attr-defined]
        self.fields["regions"].choices = [(c.id, local_name(c)) for c in cat.cities]  # type: ignore[attr-defined]

    @staticmethod
    def initial_from(provider: Provider) -> dict[str, Any]:
        return {f: getattr(provider, f) for f in ProviderForm.base_fields}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("price_low"), data.get("price_high")
        if low is not None and high is not None and low > high:
            self.add_error("price_high", _("报价下限不能高于上限。"))
        return data


class CaseForm(forms.Form):
    title = forms.CharField(label=_("案例名称"), max_length=200)
    client_type = forms.CharField(label=_("客户类型"), max_length=100, required=False)
    industry = forms.CharField(label=_("客户行业（如 C34）"), max_length=8, required=False)
    result = forms.CharField(label=_("实施成效"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


CaseFormSet = forms.formset_factory(CaseForm, extra=1, can_delete=True, max_num=20, validate_max=True)


def cases_of(formset: Any) -> list[CaseData]:
    return [
        CaseData(
            title=f.cleaned_data["title"].strip(),
            client_type=f.cleaned_data.get("client_type", "").strip(),
            industry=f.cleaned_data.get("industry", "").strip().upper(),
            result=f.cleaned_data.get("result", "").strip(),
        )
        for f in formset.forms
        if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("title")
    ]


class ChallengeForm(forms.Form):
    publisher = forms.ChoiceField(label=_("发布方"))
    title = forms.CharField(label=_("榜单名称"), max_length=200)
    scenario = forms.ChoiceField(label=_("场景"))
    description = forms.CharField(label=_("问题描述"), widget=forms.Textarea(attrs={"rows": 5}))
    requirements = forms.CharField(
        label=_("揭榜要求（资质、交付物、验收指标）"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    budget = forms.FloatField(label=_("预算（万元）"), min_value=0, required=False)
    deadline = forms.DateField(label=_("截止日期"), widget=forms.DateInput(attrs={"type": "date"}))
    visibility = forms.ChoiceField(label=_("可见范围"), choices=Challenge.Visibility.choices)

    def __init__(self, *args: Any, loaded: LoadedCatalog, publishers: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scenario"].choices = scenario_choices(loaded)  # type: ignore[attr-defined]
        self.fields["publisher"].choices = publishers  # type: ignore[attr-defined]
        if len(publishers) == 1:
            self.fields["publisher"].initial = publishers[0][0]

    def clean_deadline(self) -> date:
        deadline: date = self.cleaned_data["deadline"]
        if deadline <= timezone.localdate():
            raise forms.ValidationError(_("截止日期必须晚于今天。"))
        return deadline

    def challenge_data(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "publisher"}


class ProposalForm(forms.Form):
    approach = forms.CharField(label=_("技术方案"), widget=forms.Textarea(attrs={"rows": 5}))
    price = forms.FloatField(label=_("报价（万元）"), min_value=0)
    duration_months = forms.IntegerField(label=_("工期（月）"), min_value=1, max_value=120)
    team = forms.CharField(label=_("团队与分工"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ShareForm(forms.Form):
    audience = forms.ChoiceField(label=_("共享给"))
    note = forms.CharField(
        label=_("补充说明（会向服务商展示，可写联系方式）"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, providers: list[Provider], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("public", _("服务市场中的所有服务商"))]
        choices += [(str(p.pk), p.name) for p in providers]
        self.fields["audience"].choices = choices  # type: ignore[attr-defined]
        self.providers = {str(p.pk): p for p in providers}

    def provider(self) -> Provider | None:
        return self.providers.get(self.cleaned_data["audience"])


class QuestionForm(forms.Form):
    text = forms.CharField(
        label=_("向发布方提问（只有发布方和您能看到）"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("答复"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("方案附件（PDF，不超过 5 MB）"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
    )


class JointChallengeForm(forms.Form):
    """A joint challenge's own terms; the programme, scenario and city come from the demand cell chosen."""

    title = forms.CharField(label=_("榜单名称"), max_length=200)
    description = forms.CharField(label=_("问题描述"), widget=forms.Textarea(attrs={"rows": 5}))
    requirements = forms.CharField(
        label=_("揭榜要求（资质、交付物、验收指标）"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    budget = forms.FloatField(label=_("预算合计（万元）"), min_value=0, required=False)
    deadline = forms.DateField(label=_("截止日期"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean_deadline(self) -> date:
        deadline: date = self.cleaned_data["deadline"]
        if deadline <= timezone.localdate():
            raise forms.ValidationError(_("截止日期必须晚于今天。"))
        return deadline
