"""Users with one role each, login throttling records and the audit log."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业成员")
    ORGANISER = "organiser", _("项目组织方")
    PROVIDER = "provider", _("服务商")
    # maintains the platform-wide knowledge base (scenarios, policies, prices): an organiser of one programme
    # must not change every other programme's plans (DESIGN §1)
    CATALOG_EDITOR = "catalog_editor", _("知识库编辑")
    ADMIN = "admin", _("管理员")
    # a city's government (分管负责同志, 工业和信息化局): reads the dashboards of its own city's enterprises that
    # joined a programme and agreed to share with their city (insights.CityShare), nothing else
    CITY_OFFICIAL = "city_official", _("城市主管部门")


class User(AbstractUser):
    role = models.CharField(_("角色"), max_length=16, choices=Role.choices, default=Role.ENTERPRISE)
    # a city official's city (the knowledge base's city id, as Enterprise.city); empty for every other role
    city = models.CharField(_("所属城市"), max_length=32, blank=True, default="")

    @property
    def is_organiser(self) -> bool:
        return self.role in (Role.ORGANISER, Role.ADMIN)


class LoginFailure(models.Model):
    """One failed sign-in. Kept in the database so every gunicorn worker sees the same count
    (the policy is in ratelimit.py)."""

    username = models.CharField(max_length=150)  # as typed, lower-cased; also for usernames that do not exist
    ip = models.GenericIPAddressField(null=True, blank=True)
    # the nonce of the valid device cookie the browser presented for this username; "" = untrusted browser
    device = models.CharField(max_length=32, blank=True, default="")
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [
            models.Index(fields=["username", "ip", "at"]),
            models.Index(fields=["username", "device", "at"], name="accounts_loginfail_device"),
            models.Index(fields=["ip", "device", "at"], name="accounts_loginfail_spray"),
        ]


class AuditEvent(models.Model):
    """Who changed what, when: every change to profiles, answers, plans and the catalog."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    action = models.CharField(max_length=64)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    changes = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_id} {self.action} {self.object_type}#{self.object_id}"
