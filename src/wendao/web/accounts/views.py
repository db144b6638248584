from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.http import HttpResponse

from wendao.web.accounts import ratelimit
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
