from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from wendao.web.accounts import ratelimit


class ThrottledLoginForm(AuthenticationForm):
    """Django's login form, refusing to even check the password once the username + IP pair is locked out."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("用户名或密码不正确。"),
        "locked_out": _("登录失败次数过多，请 15 分钟后再试。"),
    }

    def clean(self) -> dict[str, Any]:
        username = (self.cleaned_data.get("username") or "").strip()
        ip = ratelimit.client_ip(self.request) if self.request else None
        if username and ratelimit.is_locked_out(username, ip):
            raise forms.ValidationError(self.error_messages["locked_out"], code="locked_out")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if username:
                ratelimit.note_failure(username, ip)
            raise
        if username:
            ratelimit.clear_failures(username, ip)
        return cleaned
