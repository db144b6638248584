from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wendao.web.forms import PlainLabels
from wendao.web.programmes.models import Session


class ImportForm(forms.Form):
    file = forms.FileField(label=_("参训企业名单（.xlsx 或 .csv）"))


class GroupSizeForm(forms.Form):
    size = forms.IntegerField(label=_("每组人数"), min_value=2, max_value=50, initial=8)


class MoveForm(forms.Form):
    participant = forms.IntegerField()
    group = forms.IntegerField()


class SiteVisitForm(PlainLabels, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Session
        fields = ["title", "starts_at", "location", "capacity"]
        widgets = {"starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["capacity"].required = True
        self.fields["capacity"].min_value = 1
        # the model's help text is for developers ("site visits: places"); the organiser reads this
        self.fields["capacity"].help_text = _("可参观的企业数（名额）。")


class PreferenceForm(PlainLabels, forms.Form):
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


class SessionForm(forms.ModelForm):  # type: ignore[type-arg]
    """One session of the timetable; the groups offered are the programme's own."""

    class Meta:
        model = Session
        fields = ["kind", "title", "starts_at", "ends_at", "location", "host", "capacity", "groups"]
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "groups": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        programme = self.instance.programme
        groups = self.fields["groups"]
        groups.queryset = programme.groups.all()  # type: ignore[attr-defined]
        groups.label_from_instance = lambda g: _("第 %(n)s 组") % {"n": g.number}  # type: ignore[attr-defined]
        groups.help_text = _("不选：全体参加。现场参观的参加者是分配到的企业。")
        self.fields["capacity"].min_value = 1
        self.fields["capacity"].help_text = _("现场参观的名额；其他类型可不填。")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("starts_at"), data.get("ends_at")
        if start and end and end <= start:
            self.add_error("ends_at", _("结束时间应晚于开始时间。"))
        if end and not start:
            self.add_error("starts_at", _("有结束时间就要有开始时间。"))
        if data.get("kind") == Session.Kind.SITE_VISIT and not data.get("capacity"):
            self.add_error("capacity", _("现场参观要填名额。"))
        title = data.get("title")
        if (
            title
            and Session.objects.filter(programme=self.instance.programme, title=title)
            .exclude(pk=self.instance.pk)
            .exists()
        ):
            self.add_error("title", _("本项目已有同名日程。"))
        return data


class TimetableImportForm(PlainLabels, forms.Form):
    file = forms.FileField(label=_("日程表（.xlsx 或 .csv）"))
