from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from wendao.web.accounts import ratelimit

THROTTLED = _("登录尝试过于频繁，请 %(wait)s后（%(time)s 之后）再试。在您此前成功登录过的浏览器上登录不受此限制。")
# the browser presents this username's device cookie, and that cookie itself failed too often
THROTTLED_DEVICE = _("此浏览器上的登录失败次数过多，请 %(wait)s后（%(time)s 之后）再试。")


def throttled_error(attempt: ratelimit.Attempt) -> forms.ValidationError:
    """When to try again, and that a browser used to sign in before is not held up (true: device cookies)."""
    left = ratelimit.seconds_left(attempt)
    if left < 60:
        wait = ngettext("%(n)s 秒", "%(n)s 秒", left) % {"n": left}
    else:
        minutes = -(-left // 60)
        wait = ngettext("%(n)s 分钟", "%(n)s 分钟", minutes) % {"n": minutes}
    assert attempt.throttled_until is not None
    until = timezone.localtime(attempt.throttled_until).strftime("%H:%M:%S")
    return forms.ValidationError(
        THROTTLED_DEVICE if attempt.trusted else THROTTLED,
        code="throttled",
        params={"wait": wait, "time": until},
    )


class ThrottleMessageMixin:
    """Explains a refusal of the throttling policy (backends.ThrottledModelBackend) instead of calling it a
    wrong password. The policy itself is in the backend, so it also holds where this mixin is not used."""

    request: Any

    def clean(self) -> dict[str, Any]:
        try:
            cleaned: dict[str, Any] = super().clean()  # type: ignore[misc]
        except forms.ValidationError:
            attempt = ratelimit.attempt_of(self.request)
            if attempt is not None and attempt.throttled_until is not None:
                raise throttled_error(attempt) from None
            raise
        return cleaned


class ThrottledLoginForm(ThrottleMessageMixin, AuthenticationForm):
    """Django's sign-in form under the throttling policy."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("用户名或密码不正确。"),
        "throttled": THROTTLED,
    }


class ThrottledAdminLoginForm(ThrottleMessageMixin, AdminAuthenticationForm):
    """The admin's sign-in form: the same policy (it is the backend's), the same explanation."""

    error_messages = {**AdminAuthenticationForm.error_messages, "throttled": THROTTLED}
