"""The chain-leader state of a participant, for the organiser's participant page (programmes/participant.html),
kept here so the programmes app does not import the marketplace."""

from __future__ import annotations

from typing import Any

from django import template

from wendao.web.marketplace.joint import declares_chain_leader, is_chain_leader

register = template.Library()


@register.simple_tag
def chain_leader_state(enterprise: Any) -> str:
    """'' (does not state it), 'stated' (waiting for an organiser) or 'confirmed'."""
    if not declares_chain_leader(enterprise):
        return ""
    return "confirmed" if is_chain_leader(enterprise) else "stated"
