from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "wendao.web.accounts"
    label = "accounts"
    verbose_name = "账户 Accounts"
