from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wendao.web.programmes.models import Session


class ImportForm(forms.Form):
    file = forms.FileField(label=_("参训企业名单（.xlsx 或 .csv）"))


class GroupSizeForm(forms.Form):
    size = forms.IntegerField(label=_("每组人数"), min_value=2, max_value=50, initial=8)


class MoveForm(forms.Form):
    participant = forms.IntegerField()
    group = forms.IntegerField()


class SiteVisitForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Session
        fields = ["title", "starts_at", "location", "capacity"]
        widgets = {"starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["capacity"].required = True
        self.fields["capacity"].min_value = 1


class PreferenceForm(forms.Form):
    """Up to three ranked site visits (first choice first), each at most once."""

    def __init__(self, *args: Any, visits: list[Session], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "—")] + [(str(v.pk), v.title) for v in visits]
        self.visits = {str(v.pk): v for v in visits}
        for rank in range(1, min(3, len(visits)) + 1):
            self.fields[f"choice_{rank}"] = forms.ChoiceField(
                label=_("第%(rank)s志愿") % {"rank": rank}, choices=choices, required=False
            )

    def ranked(self) -> list[Session]:
        picked = [self.cleaned_data[name] for name in self.fields if self.cleaned_data.get(name)]
        return [self.visits[v] for v in picked]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        picked = [data[name] for name in self.fields if data.get(name)]
        if len(picked) != len(set(picked)):
            raise forms.ValidationError(_("每个参观点只能选一次。"))
        return data
