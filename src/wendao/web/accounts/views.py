from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from wendao.web.accounts import ratelimit
from wendao.web.accounts.audit import record
from wendao.web.accounts.forms import ThrottledLoginForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = ThrottledLoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        # this browser is now a trusted device for this username (ratelimit.py)
        ratelimit.issue_device_cookie(response, form.get_user().get_username())
        return response


class LogoutView(auth_views.LogoutView):
    """POST only (Django 5): a GET link cannot sign a user out behind their back. The device cookie stays:
    it marks the browser, not the session."""


class PasswordChangeView(auth_views.PasswordChangeView):
    """A signed-in user sets a new password, giving the old one (Django's view and form, our template). The save
    revokes every API token of the user (``api.tokens.revoke_on_password_change``) and keeps this session signed
    in while ending the others (Django's session hash)."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        record(self.request.user, "account.password_change", form.user)
        messages.success(self.request, _("密码已修改。您的 API 令牌已全部撤销，其他设备上的登录已退出。"))
        return response
