"""What programmes shows on the enterprise's pages, without enterprises importing programmes:
``{% my_training_week %}``, the way into "my week", for its members only; ``{% open_invitations_notice %}``, the
invitations the signed-in contact has still to answer."""

from __future__ import annotations

from typing import Any

from django import template

from wendao.web.programmes.access import participations_for_user
from wendao.web.programmes.services import open_invitations

register = template.Library()


@register.inclusion_tag("programmes/_my_week_link.html", takes_context=True)
def my_training_week(context: Any, enterprise: Any = None) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    mine = participations_for_user(user)
    if enterprise is not None:
        mine = mine.filter(enterprise=enterprise)
    return {"participations": list(mine[:5])}


@register.inclusion_tag("programmes/_invitations_notice.html", takes_context=True)
def open_invitations_notice(context: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"invitations": open_invitations(user).count() if user is not None and user.is_authenticated else 0}
