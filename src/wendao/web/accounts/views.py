from __future__ import annotations

from django.contrib.auth import views as auth_views

from wendao.web.accounts.forms import ThrottledLoginForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = ThrottledLoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """POST only (Django 5): a GET link cannot sign a user out behind their back."""
