"""Programmes (cohorts of enterprises run by organisers): sessions, participants, discussion groups and
site-visit assignments.

A participant's progress (profile, assessment, plan, document) is not stored here: it is read from the
enterprise's own records when shown (``services.participants_with_status``), so it can never go stale.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wendao.web.accounts.models import Role
from wendao.web.enterprises.models import Enterprise


class Programme(models.Model):
    name = models.CharField(_("项目名称"), max_length=200)
    organisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="organised_programmes",
        limit_choices_to={"role": Role.ORGANISER},
        verbose_name=_("组织方"),
    )
    starts_on = models.DateField(_("开始日期"), null=True, blank=True)
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    description = models.TextField(_("说明"), blank=True)
    group_size = models.PositiveSmallIntegerField(_("讨论组规模"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-id"]

    def __str__(self) -> str:
        return self.name


class Session(models.Model):
    class Kind(models.TextChoices):
        LECTURE = "lecture", _("讲座")
        SITE_VISIT = "site_visit", _("现场参观")
        DISCUSSION = "discussion", _("分组讨论")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="sessions")
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("名称"), max_length=200)
    starts_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    location = models.CharField(_("地点"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("容量"), null=True, blank=True, help_text="site visits: places")

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [models.UniqueConstraint(fields=["programme", "title"], name="one_session_title_per_programme")]

    def __str__(self) -> str:
        return self.title


class ParticipantQuerySet(models.QuerySet["Participant"]):
    def joined(self) -> ParticipantQuerySet:
        """Participants whose enterprise accepted the invitation: the only ones whose own data (profile,
        assessments, plans) the programme's organisers, dashboards and exports may read."""
        return self.filter(joined_at__isnull=False)


class Participant(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="participants")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="participations")
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True, db_index=True)
    contact_name = models.CharField(_("联系人"), max_length=64, blank=True)
    phone = models.CharField(_("手机"), max_length=32, blank=True)
    email = models.EmailField(_("邮箱"), blank=True)
    # The contact's account: the one invited to accept. ``account_created``: this row's import created the
    # account, so (and only so) this programme's organisers may hand out its set-password link; an account
    # that existed before is only asked to accept, never given new credentials (an organiser must not be
    # able to take over another programme's or another firm's account by importing its phone number).
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="participations"
    )
    account_created = models.BooleanField(default=False)
    # Consent: an enterprise joins a programme only by accepting the invitation itself. Until then
    # ``enterprise`` is a record built from the import row alone (no members), so organisers see nothing
    # but what they imported; on acceptance it becomes the firm's own enterprise (see services.accept_invitation).
    joined_at = models.DateTimeField(_("接受邀请时间"), null=True, blank=True)
    declined_at = models.DateTimeField(_("谢绝邀请时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "enterprise"], name="one_participant_per_enterprise")
        ]

    def __str__(self) -> str:
        return f"{self.programme_id}:{self.enterprise_id}"

    @property
    def consent(self) -> str:
        """joined, declined or pending (the invitation not yet answered)."""
        if self.joined_at is not None:
            return "joined"
        return "declined" if self.declined_at is not None else "pending"


class DiscussionGroup(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="groups")
    number = models.PositiveIntegerField(help_text="1-based")

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["programme", "number"], name="one_group_number_per_programme")]


class GroupMembership(models.Model):
    group = models.ForeignKey(DiscussionGroup, on_delete=models.CASCADE, related_name="memberships")
    # a participant belongs to one programme, so one membership per participant is one group per programme
    participant = models.OneToOneField(Participant, on_delete=models.CASCADE, related_name="group_membership")


class VisitPreference(models.Model):
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="visit_preferences")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="preferences")
    rank = models.PositiveSmallIntegerField(help_text="1 = first choice")

    class Meta:
        ordering = ["participant_id", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["participant", "session"], name="one_preference_per_visit"),
            models.UniqueConstraint(fields=["participant", "rank"], name="one_visit_per_rank"),
        ]


class VisitAssignment(models.Model):
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="visit_assignments")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="assignments")
    rank = models.PositiveSmallIntegerField(null=True, blank=True, help_text="the participant's rank; None: unranked")

    class Meta:
        ordering = ["participant_id", "session_id"]
        constraints = [models.UniqueConstraint(fields=["participant", "session"], name="one_assignment_per_visit")]
