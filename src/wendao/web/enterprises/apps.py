from __future__ import annotations

from django.apps import AppConfig


class EnterprisesConfig(AppConfig):
    name = "wendao.web.enterprises"
    label = "enterprises"
    verbose_name = "企业 Enterprises"
