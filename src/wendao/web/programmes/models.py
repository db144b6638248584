"""Programmes (cohorts of enterprises run by organisers): the timetable (sessions), participants, discussion
groups with their evening workspace, and site-visit assignments.

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
        PLENARY = "plenary", _("全体会议")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="sessions")
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("名称"), max_length=200)
    starts_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    ends_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    location = models.CharField(_("地点"), max_length=200, blank=True)
    # the lecture's speaker, the visited firm, or the discussion's host
    host = models.CharField(_("主讲人或接待企业"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("容量"), null=True, blank=True, help_text="site visits: places")
    # which discussion groups attend; none: everyone (a site visit's attendees are its assignments)
    groups = models.ManyToManyField("DiscussionGroup", blank=True, related_name="sessions", verbose_name=_("参加小组"))

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
    # what the participant shares with their discussion group (their own choice, off until they say so): the
    # mobile number, and the full plan (the stated problem and the plan's one-page summary are always shared)
    share_phone = models.BooleanField(_("向本组成员公开手机号"), default=False)
    share_plan = models.BooleanField(_("向本组成员公开完整规划"), default=False)
    # the last day: the organisers may show this participant's one-page summary on the projector
    share_projector = models.BooleanField(_("允许组织方在大屏展示我的一页摘要"), default=False)
    # the last day: the participant marks their plan final (the organiser counts final plans per group and city)
    final_plan = models.ForeignKey(
        "enterprises.PlanRecord", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    final_at = models.DateTimeField(_("定稿时间"), null=True, blank=True)
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
    class Round(models.IntegerChoices):
        PROBLEMS = 1, _("第一轮：各自的首要问题")
        ADVICE = 2, _("第二轮：互相点评与建议")
        STEPS = 3, _("第三轮：各自承诺前三步")
        CLOSED = 4, _("讨论结束")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="groups")
    number = models.PositiveIntegerField(help_text="1-based")
    # the evening workspace: who runs it (a member's contact or staff), where it stands, what it wrote down
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="facilitated_groups"
    )
    # how the group knows its facilitator (a staff member may have no account here)
    facilitator_name = models.CharField(_("主持人"), max_length=64, blank=True)
    round = models.PositiveSmallIntegerField(_("讨论进度"), choices=Round.choices, default=Round.PROBLEMS)
    notes = models.TextField(_("主持人记录"), blank=True, max_length=5000)
    questions = models.TextField(_("请专家解答的问题"), blank=True, max_length=5000)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["programme", "number"], name="one_group_number_per_programme")]

    @property
    def facilitator_label(self) -> str:
        if self.facilitator_name:
            return self.facilitator_name
        user = self.facilitator
        return (user.first_name or user.get_username()) if user is not None else ""


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


# --- the evening group workspace ------------------------------------------------------------------------------


class StatedProblem(models.Model):
    """Round 1: the member's top problem as they state it to the group (prefilled from their plan's needs)."""

    participant = models.OneToOneField(Participant, on_delete=models.CASCADE, related_name="stated_problem")
    text = models.TextField(_("首要问题"), max_length=1000)
    updated_at = models.DateTimeField(auto_now=True)


class GroupComment(models.Model):
    """Round 2: a peer's or the facilitator's comment on one member's problem, with an optional catalog scenario."""

    group = models.ForeignKey(DiscussionGroup, on_delete=models.CASCADE, related_name="comments")
    about = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="comments_received")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField(_("建议"), max_length=1000)
    scenario = models.CharField(_("推荐场景"), max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]


class Commitment(models.Model):
    """Round 3: one of the member's first three steps, in order."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="commitments")
    position = models.PositiveSmallIntegerField(help_text="1..3")
    text = models.CharField(_("行动"), max_length=300)
    # a step may name a catalog scenario; with the consent of a member of the participant's enterprise (who ticks
    # it: ``pinned_by``), that scenario is pinned in the enterprise's next plans (programmes/pins.py)
    scenario = models.CharField(_("对应场景"), max_length=64, blank=True)
    pinned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    pinned_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["participant_id", "position"]
        constraints = [models.UniqueConstraint(fields=["participant", "position"], name="one_commitment_per_position")]


# --- sign-in for a room of 300 --------------------------------------------------------------------------------


class SignInLink(models.Model):
    """A participant's sign-in link (printed as a QR code on a badge or table card), valid for the programme's
    dates and revocable. Only a random nonce is stored: the link's token is an HMAC of it under the site's
    secret key (``programmes.signin``), so neither a database copy nor a guess yields a working link."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="signin_links")
    nonce = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("有效期至"))
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    uses = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]


class SummaryShare(models.Model):
    """A read-only link to a participant's one-page summary, made by the participant to forward (to their boss),
    expiring and revocable. As with sign-in links only a nonce is stored; the token is an HMAC of it."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="summary_shares")
    nonce = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("有效期至"))
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
