"""The web page where a signed-in user issues and revokes their own API tokens (the token is shown once)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from wendao.web.api.models import TOKEN_LIFETIME, ApiToken
from wendao.web.api.tokens import TokenRefusedError, issue_token, revoke_token
from wendao.web.forms import PlainLabels


class TokenForm(PlainLabels, forms.Form):
    name = forms.CharField(
        label=_("用途"),
        max_length=100,
        help_text=_("例如：ERP 同步脚本。令牌只显示一次，请立即复制保存。"),
    )

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("请填写令牌的用途"))
        return name


def get_token_for_user(user: object, pk: int) -> ApiToken:
    """A user's own token; anyone else's is a 404."""
    try:
        return ApiToken.objects.get(pk=pk, user=user)
    except ApiToken.DoesNotExist:
        raise Http404("no such token") from None


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    new_token = None
    if request.method == "POST":
        form = TokenForm(request.POST)
        if form.is_valid():
            try:
                _record, new_token = issue_token(request.user, form.cleaned_data["name"])
            except TokenRefusedError as exc:
                form.add_error(None, str(exc))
            else:
                form = TokenForm()
    else:
        form = TokenForm()
    mine = ApiToken.objects.filter(user=request.user)
    status = 422 if form.errors else 200
    context = {"form": form, "tokens": mine, "new_token": new_token, "lifetime_days": TOKEN_LIFETIME.days}
    return render(request, "api/tokens.html", context, status=status)


@login_required
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    revoke_token(request.user, get_token_for_user(request.user, pk))
    return redirect("api_tokens")
