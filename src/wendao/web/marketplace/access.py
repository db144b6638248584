"""The only way views and the API fetch marketplace objects for a user.

- anonymous or inactive: nothing;
- provider members: public non-draft challenges, challenges their provider was invited to or proposed to,
  their own proposals, and plan items shared with the whole marketplace or with their provider — never a plan;
- enterprise members: their enterprises' challenges (drafts included), the proposals made to them, their
  enterprises' shared items, and the joint challenges their enterprises are invited into (to opt in or out);
- organisers: their programmes' challenges and the proposals made to them;
- a proposal's attachments and a challenge's questions: the provider concerned and the publisher, nobody else
  (another provider's question or attachment may reveal its approach);
- everyone else: Http404, never 403 (a 403 would confirm that the object exists).

Listed providers (the public directory) are visible to every signed-in user; an unlisted one to its members.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from wendao.web.accounts.models import Role
from wendao.web.accounts.types import Visitor
from wendao.web.enterprises.access import enterprises_for_user
from wendao.web.enterprises.models import Enterprise
from wendao.web.marketplace.models import (
    Attachment,
    Challenge,
    JointMember,
    Proposal,
    Provider,
    Question,
    SharedItem,
)
from wendao.web.programmes.access import programmes_for_user
from wendao.web.programmes.models import Programme


def _active(user: Visitor) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def _role(user: Visitor, role: str) -> bool:
    return _active(user) and user.role == role


# --- providers --------------------------------------------------------------------------------------------


def providers_of_member(user: Visitor) -> QuerySet[Provider]:
    """The providers the user edits (provider role only)."""
    if not _role(user, Role.PROVIDER):
        return Provider.objects.none()
    return Provider.objects.filter(members=user)


def get_own_provider(user: Visitor, pk: int) -> Provider:
    try:
        return providers_of_member(user).get(pk=pk)
    except Provider.DoesNotExist:
        raise Http404("no such provider") from None


def providers_visible_to_user(user: Visitor) -> QuerySet[Provider]:
    if not _active(user):
        return Provider.objects.none()
    return Provider.objects.filter(Q(listed=True) | Q(pk__in=providers_of_member(user).values("pk"))).distinct()


def get_provider_for_user(user: Visitor, pk: int) -> Provider:
    try:
        return providers_visible_to_user(user).get(pk=pk)
    except Provider.DoesNotExist:
        raise Http404("no such provider") from None


# --- challenges -------------------------------------------------------------------------------------------


def _published_by_user(user: Visitor) -> Q:
    if _role(user, Role.ENTERPRISE):
        return Q(enterprise__in=enterprises_for_user(user))
    if _role(user, Role.ORGANISER):
        return Q(programme__in=programmes_for_user(user))
    return Q(pk__in=[])


def challenges_published_by_user(user: Visitor) -> QuerySet[Challenge]:
    """Challenges the user may manage: their enterprises' or their programmes'."""
    if not _active(user):
        return Challenge.objects.none()
    return Challenge.objects.filter(_published_by_user(user))


def challenges_for_user(user: Visitor) -> QuerySet[Challenge]:
    if not _active(user):
        return Challenge.objects.none()
    if user.role == Role.PROVIDER:
        mine = providers_of_member(user)
        reach = (
            Q(visibility=Challenge.Visibility.PUBLIC)
            | Q(invited__in=mine)
            | Q(pk__in=Proposal.objects.filter(provider__in=mine).values("challenge"))
        )
        return Challenge.objects.filter(reach).exclude(state=Challenge.State.DRAFT).distinct()
    if user.role == Role.ENTERPRISE:  # their own, and joint challenges their firms are invited into (drafts too)
        invited = Q(pk__in=joint_members_for_user(user).values("challenge"))
        return Challenge.objects.filter(_published_by_user(user) | invited)
    return challenges_published_by_user(user)


def get_challenge_for_user(user: Visitor, pk: int) -> Challenge:
    try:
        return challenges_for_user(user).select_related("enterprise", "programme").get(pk=pk)
    except Challenge.DoesNotExist:
        raise Http404("no such challenge") from None


def get_challenge_for_publisher(user: Visitor, pk: int) -> Challenge:
    try:
        return challenges_published_by_user(user).select_related("enterprise", "programme").get(pk=pk)
    except Challenge.DoesNotExist:
        raise Http404("no such challenge") from None


def publishers_for_user(user: Visitor) -> list[Enterprise | Programme]:
    """Whom the user may publish challenges for: their enterprises (members) and programmes (organisers)."""
    mine: list[Enterprise | Programme] = []
    if _role(user, Role.ENTERPRISE):
        mine += list(enterprises_for_user(user).order_by("pk"))
    if _role(user, Role.ORGANISER):
        mine += list(programmes_for_user(user).order_by("pk"))
    return mine


def get_publisher_for_user(user: Visitor, kind: str, pk: int) -> Enterprise | Programme:
    """One of ``publishers_for_user``: kind "enterprise" or "programme"."""
    for publisher in publishers_for_user(user):
        if publisher_kind(publisher) == kind and publisher.pk == pk:
            return publisher
    raise Http404("no such publisher")


def publisher_kind(publisher: Enterprise | Programme) -> str:
    return "enterprise" if isinstance(publisher, Enterprise) else "programme"


def user_publishes(user: Visitor, challenge: Challenge) -> bool:
    return challenges_published_by_user(user).filter(pk=challenge.pk).exists()


# --- proposals --------------------------------------------------------------------------------------------


def proposals_for_user(user: Visitor) -> QuerySet[Proposal]:
    if not _active(user):
        return Proposal.objects.none()
    own = Q(provider__in=providers_of_member(user))
    received = Q(challenge__in=challenges_published_by_user(user))
    return Proposal.objects.filter(own | received).select_related("challenge", "provider")


def get_proposal_for_provider(user: Visitor, pk: int) -> Proposal:
    try:
        return Proposal.objects.select_related("challenge", "provider").get(
            pk=pk, provider__in=providers_of_member(user)
        )
    except Proposal.DoesNotExist:
        raise Http404("no such proposal") from None


def get_proposal_for_publisher(user: Visitor, pk: int) -> Proposal:
    try:
        return Proposal.objects.select_related("challenge", "provider").get(
            pk=pk, challenge__in=challenges_published_by_user(user)
        )
    except Proposal.DoesNotExist:
        raise Http404("no such proposal") from None


# --- shared plan items ------------------------------------------------------------------------------------


def shares_for_user(user: Visitor) -> QuerySet[SharedItem]:
    """Active shares a provider may see, or every share (withdrawn too) of the user's enterprises."""
    if not _active(user):
        return SharedItem.objects.none()
    if user.role == Role.PROVIDER:
        reach = Q(provider__isnull=True) | Q(provider__in=providers_of_member(user))
        return SharedItem.objects.filter(reach, withdrawn_at__isnull=True)
    if user.role == Role.ENTERPRISE:
        return SharedItem.objects.filter(plan__enterprise__in=enterprises_for_user(user))
    return SharedItem.objects.none()


def get_share_for_user(user: Visitor, pk: int) -> SharedItem:
    try:
        return shares_for_user(user).get(pk=pk)
    except SharedItem.DoesNotExist:
        raise Http404("no such shared item") from None


def get_share_for_owner(user: Visitor, pk: int) -> SharedItem:
    if not _role(user, Role.ENTERPRISE):
        raise Http404("no such shared item")
    return get_share_for_user(user, pk)


# --- attachments and questions ----------------------------------------------------------------------------


def attachments_for_user(user: Visitor) -> QuerySet[Attachment]:
    return Attachment.objects.filter(proposal__in=proposals_for_user(user))


def get_attachment_for_user(user: Visitor, pk: int) -> Attachment:
    try:
        return attachments_for_user(user).select_related("proposal").get(pk=pk)
    except Attachment.DoesNotExist:
        raise Http404("no such attachment") from None


def questions_for_user(user: Visitor) -> QuerySet[Question]:
    """The questions of the user's providers, and every question on a challenge the user publishes."""
    if not _active(user):
        return Question.objects.none()
    own = Q(provider__in=providers_of_member(user))
    received = Q(challenge__in=challenges_published_by_user(user))
    return Question.objects.filter(own | received).select_related("provider", "challenge")


def get_question_for_publisher(user: Visitor, pk: int) -> Question:
    try:
        return Question.objects.select_related("challenge", "provider").get(
            pk=pk, challenge__in=challenges_published_by_user(user)
        )
    except Question.DoesNotExist:
        raise Http404("no such question") from None


# --- joint challenges -------------------------------------------------------------------------------------


def joint_members_for_user(user: Visitor) -> QuerySet[JointMember]:
    """The joint-challenge invitations of the user's enterprises (enterprise members only)."""
    if not _role(user, Role.ENTERPRISE):
        return JointMember.objects.none()
    return JointMember.objects.filter(enterprise__in=enterprises_for_user(user))


def get_joint_member_for_user(user: Visitor, pk: int) -> JointMember:
    try:
        return joint_members_for_user(user).select_related("challenge", "enterprise").get(pk=pk)
    except JointMember.DoesNotExist:
        raise Http404("no such joint-challenge invitation") from None


def chain_leaders_for_user(user: Visitor) -> list[Enterprise]:
    """The user's enterprises that state they lead an industrial chain (链主); only those an organiser confirmed
    (``joint.is_chain_leader``) may pool the chain's demand: ``get_chain_leader_for_user``."""
    from wendao.web.marketplace.joint import declares_chain_leader

    if not _role(user, Role.ENTERPRISE):
        return []
    return [e for e in enterprises_for_user(user).order_by("pk") if declares_chain_leader(e)]


def get_chain_leader_for_user(user: Visitor, pk: int) -> Enterprise:
    from wendao.web.marketplace.joint import is_chain_leader

    for enterprise in chain_leaders_for_user(user):
        if enterprise.pk == pk and is_chain_leader(enterprise):
            return enterprise
    raise Http404("no such chain leader")
