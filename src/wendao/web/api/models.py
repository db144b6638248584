"""Personal API tokens. Only a SHA-256 digest of each token is stored: the token is shown once, at creation.
A token expires ``TOKEN_LIFETIME`` after it was made, and every token of a user is revoked when their password
changes (``api.tokens.revoke_on_password_change``)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# a wendao choice: a token copied into a script or a laptop outlives the reason it was made; 90 days is a quarter
# of a programme's follow-up, and making a new one takes a minute (the page and docs/api.md say so)
TOKEN_LIFETIME = timedelta(days=90)


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("名称"), max_length=100, help_text=_("what the token is for, e.g. the script using it"))
    digest = models.CharField(max_length=64, unique=True, help_text="SHA-256 (hex) of the token")
    prefix = models.CharField(max_length=12, help_text="first characters of the token, to tell tokens apart")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def expires_at(self) -> datetime:
        return self.created_at + TOKEN_LIFETIME

    @property
    def expired(self) -> bool:
        return timezone.now() >= self.expires_at

    def __str__(self) -> str:
        return f"{self.prefix}… {self.name}"
