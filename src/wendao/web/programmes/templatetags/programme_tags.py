"""``{% my_training_week %}``: the way into "my week" from the enterprise's pages, for its members only."""

from __future__ import annotations

from typing import Any

from django import template

from wendao.web.programmes.access import participations_for_user

register = template.Library()


@register.inclusion_tag("programmes/_my_week_link.html", takes_context=True)
def my_training_week(context: Any, enterprise: Any = None) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    mine = participations_for_user(user)
    if enterprise is not None:
        mine = mine.filter(enterprise=enterprise)
    return {"participations": list(mine[:5])}
