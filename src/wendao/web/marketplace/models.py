"""Providers and their capabilities, 揭榜挂帅 challenges with proposals, and plan items an enterprise shares.

States are explicit (``Challenge.State``, ``Proposal.State``) and change only through the use cases in
``services`` (each validates the transition and writes the audit log); nothing else assigns ``state``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wendao.web.enterprises.models import Enterprise, PlanRecord
from wendao.web.programmes.models import Programme


class Provider(models.Model):
    class Kind(models.TextChoices):
        AI_FIRM = "ai_firm", _("人工智能企业")
        UNIVERSITY = "university", _("高校与科研院所")
        CAPABILITY_CENTRE = "capability_centre", _("赋能中心")
        OTHER = "other", _("其他")

    name = models.CharField(_("机构名称"), max_length=200)
    kind = models.CharField(_("机构类型"), max_length=24, choices=Kind.choices, default=Kind.AI_FIRM)
    description = models.TextField(_("机构简介"), blank=True)
    # catalog scenario ids, GB/T 4754 divisions (C13–C43) and catalog city ids; empty = any
    scenario_ids = models.JSONField(_("能力场景"), default=list, blank=True)
    industries = models.JSONField(_("服务行业"), default=list, blank=True)
    regions = models.JSONField(_("服务地区"), default=list, blank=True)
    price_low = models.FloatField(_("报价下限（万元）"), null=True, blank=True)
    price_high = models.FloatField(_("报价上限（万元）"), null=True, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=64, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    contact_email = models.EmailField(_("联系邮箱"), blank=True)
    website = models.URLField(_("网站"), blank=True)
    listed = models.BooleanField(_("在服务市场公开"), default=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="providers", blank=True)
    synthetic = models.BooleanField(default=False, help_text="generated demo data, not a real organisation")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["listed", "updated_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(price_low__isnull=True)
                | Q(price_high__isnull=True)
                | Q(price_low__lte=models.F("price_high")),
                name="provider_price_low_not_above_high",
            )
        ]

    def __str__(self) -> str:
        return self.name


class ReferenceCase(models.Model):
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="cases")
    title = models.CharField(_("案例名称"), max_length=200)
    client_type = models.CharField(_("客户类型"), max_length=100, blank=True)
    industry = models.CharField(_("客户行业"), max_length=8, blank=True)
    result = models.TextField(_("实施成效"), blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title


class Challenge(models.Model):
    """A 揭榜挂帅 problem published by an enterprise (one of its members) or a programme (its organiser)."""

    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("征集中")
        SHORTLISTING = "shortlisting", _("评审中")
        AWARDED = "awarded", _("已揭榜")
        CLOSED = "closed", _("已关闭")
        CANCELLED = "cancelled", _("已撤销")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("公开")
        INVITED = "invited", _("仅受邀服务商")

    title = models.CharField(_("榜单名称"), max_length=200)
    scenario = models.CharField(_("场景"), max_length=64)
    description = models.TextField(_("问题描述"))
    requirements = models.TextField(_("揭榜要求"), blank=True)
    budget = models.FloatField(_("预算（万元）"), null=True, blank=True)
    deadline = models.DateField(_("截止日期"), null=True, blank=True)
    visibility = models.CharField(_("可见范围"), max_length=16, choices=Visibility.choices, default=Visibility.PUBLIC)
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.DRAFT, db_index=True)
    enterprise = models.ForeignKey(
        Enterprise, null=True, blank=True, on_delete=models.CASCADE, related_name="challenges"
    )
    programme = models.ForeignKey(Programme, null=True, blank=True, on_delete=models.CASCADE, related_name="challenges")
    invited = models.ManyToManyField(Provider, related_name="invitations", blank=True)
    # a joint challenge (联合揭榜) pools one scenario's demand of many firms of a programme in one city: each firm
    # opts in (JointMember) and providers answer for all who did
    joint = models.BooleanField(_("联合榜单"), default=False)
    city = models.CharField(_("城市"), max_length=32, blank=True, help_text="catalog city id of a joint challenge")
    # a chain leader's (链主) joint challenge pools one scenario's demand of the firms of its industrial chain
    chain = models.CharField(_("产业链"), max_length=64, blank=True, default="", help_text="catalog chain id")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "visibility"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(enterprise__isnull=False, programme__isnull=True)
                | Q(enterprise__isnull=True, programme__isnull=False),
                name="challenge_has_one_publisher",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def publisher_name(self) -> str:
        return self.enterprise.name if self.enterprise_id else self.programme.name  # type: ignore[union-attr]


class Proposal(models.Model):
    class State(models.TextChoices):
        SUBMITTED = "submitted", _("已提交")
        SHORTLISTED = "shortlisted", _("入围")
        AWARDED = "awarded", _("中选")
        NOT_SELECTED = "not_selected", _("未中选")
        WITHDRAWN = "withdrawn", _("已撤回")

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="proposals")
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="proposals")
    approach = models.TextField(_("技术方案"))
    price = models.FloatField(_("报价（万元）"))
    duration_months = models.PositiveSmallIntegerField(_("工期（月）"))
    team = models.TextField(_("团队"), blank=True)
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.SUBMITTED)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["challenge", "provider"], name="one_proposal_per_provider")]

    def __str__(self) -> str:
        return f"{self.provider} → {self.challenge}"


class SharedItem(models.Model):
    """One roadmap item of a plan, shared by an enterprise member with the whole marketplace (provider empty) or
    one provider. Only the columns below are ever shown to providers: never the plan, never the baseline."""

    plan = models.ForeignKey(PlanRecord, on_delete=models.CASCADE, related_name="shared_items")
    scenario = models.CharField(max_length=64)
    name_zh = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    cost = models.FloatField(help_text="the item's one-off investment, 万元")
    city = models.CharField(max_length=32)
    industry = models.CharField(max_length=8, help_text="GB/T 4754 division, e.g. C34")
    note = models.TextField(_("补充说明（会向服务商展示）"), blank=True)
    provider = models.ForeignKey(Provider, null=True, blank=True, on_delete=models.CASCADE, related_name="shares")
    shared_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["withdrawn_at", "provider"])]

    def __str__(self) -> str:
        return f"{self.plan_id}:{self.scenario}"

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None


class Attachment(models.Model):
    """A PDF a provider attaches to its proposal. Kept in the database, not under a public media URL: it is
    served only through ``access.get_attachment_for_user`` (the proposal's provider and the publisher)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.name


class Question(models.Model):
    """A provider's question on a challenge and the publisher's answer: a thread between the two only (another
    provider's questions may reveal its approach)."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="questions")
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="questions")
    text = models.TextField(_("问题"))
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    answer = models.TextField(_("答复"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["challenge", "provider"])]

    def __str__(self) -> str:
        return self.text[:40]


class JointMember(models.Model):
    """A firm invited into a joint challenge. Until one of its members opts in it is not counted and nothing of
    it reaches a provider; providers only ever see how many firms joined, by industry."""

    class State(models.TextChoices):
        INVITED = "invited", _("待确认")
        JOINED = "joined", _("已确认参与")
        DECLINED = "declined", _("不参与")

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="joint_members")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="joint_challenges")
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.INVITED)
    one_off = models.FloatField(help_text="the firm's plan estimate for the scenario when invited, 万元")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["challenge", "enterprise"], name="one_joint_member_per_firm")]

    def __str__(self) -> str:
        return f"{self.enterprise_id} → {self.challenge_id}"


class ChainLeaderConfirmation(models.Model):
    """An organiser's confirmation that a participant that states it leads an industrial chain (链主) does.

    A chain leader pools the demand of every firm of its chain and drafts challenges in the chain's name, so the
    status must not rest on the firm's own word: an organiser of a programme the firm joined (by its own consent)
    confirms it, for the chain the profile names; a later change of chain in the profile lapses it.
    """

    enterprise = models.OneToOneField(Enterprise, on_delete=models.CASCADE, related_name="chain_leader_confirmation")
    chain = models.CharField(max_length=64)
    programme = models.ForeignKey(Programme, null=True, on_delete=models.SET_NULL, related_name="+")
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    confirmed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.enterprise_id} leads {self.chain}"
