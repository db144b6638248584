from __future__ import annotations

from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "wendao.web.catalog"
    label = "catalog"
    verbose_name = "知识库 Knowledge base"
