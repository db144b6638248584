from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from pydantic import ValidationError

from wendao.engine.catalog.schema import ApiPrice, GpuPrice, HardwarePrice, Rate
from wendao.web.catalog.services import ENGINE_MODELS

PRICE_MODELS: dict[str, Any] = {
    "api": ApiPrice,
    "gpu": GpuPrice,
    "hardware": HardwarePrice,
    "usd_cny": Rate,
    "lpr_1y": Rate,
}


class EntryForm(forms.ModelForm):
    """Admin form of a knowledge-base entry: source and date are required; the JSON must pass the engine's schema."""

    def engine_model(self, cleaned: dict[str, Any]) -> Any:
        model = self._meta.model
        if model.__name__ == "PriceEntry":
            return PRICE_MODELS.get(cleaned.get("kind") or "")
        return ENGINE_MODELS.get(model)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for field in ("source", "as_of"):
            if field in self.fields and not cleaned.get(field) and field not in self.errors:
                self.add_error(field, _("必须填写来源和日期。"))
        schema = self.engine_model(cleaned)
        data = cleaned.get("data")
        if schema is None:
            self.add_error(None, _("未知的价格类型。"))
        elif data is not None:
            try:
                schema.model_validate(data)
            except ValidationError as exc:
                for err in exc.errors():
                    loc = ".".join(str(p) for p in err["loc"]) or "(entry)"
                    self.add_error("data", f"{loc}: {err['msg']}")
        return cleaned
