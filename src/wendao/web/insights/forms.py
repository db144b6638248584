from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from wendao.web.insights.pilots import Weights

DEFAULTS = Weights()


class WeightsForm(forms.Form):
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
