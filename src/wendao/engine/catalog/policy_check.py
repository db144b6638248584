"""`wendao catalog check` rules for funding policies (issue 14): what an organiser must give for a policy to be
shown at all, and what only deserves a warning.

Problems (the check fails): no issuing body; no issue date; no official page and no stated reason why none is
given; no beneficiaries or conditions (the 申兑 fields a reader acts on). (The status is required by the schema.)
Warnings (the check passes and says so): a policy marked active or announced whose validity ended before today, or
whose application deadline has passed; a policy in use with no 文号 or no office to apply to.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from wendao.engine.catalog.schema import Policy


def policy_problems(policies: Sequence[Policy]) -> list[str]:
    problems = []
    for p in policies:
        where = f"policies.yaml: policy {p.id}"
        if not p.issuer_zh.strip():
            problems.append(f"{where}: no issuing body (issuer_zh)")
        if p.issued is None:
            problems.append(f"{where}: no issue date (issued)")
        if not (p.official_url or "").strip() and not (p.official_url_missing or "").strip():
            problems.append(f"{where}: no official link (official_url) and no reason why none (official_url_missing)")
        if p.official_url and not p.official_url.startswith(("http://", "https://")):
            problems.append(f"{where}: official_url is not a web address: {p.official_url!r}")
        # the 申兑 fields a reader acts on: who may apply and on what conditions (the office falls back to the
        # enterprise's city bureau, the deadline to the validity, so those two are warnings)
        if not p.apply.beneficiaries_zh.strip():
            problems.append(f"{where}: no beneficiaries (apply.beneficiaries_zh)")
        if not p.apply.conditions_zh.strip():
            problems.append(f"{where}: no conditions (apply.conditions_zh)")
    return problems


def policy_warnings(policies: Sequence[Policy], today: date) -> list[str]:
    warnings = []
    for p in policies:
        if p.status in ("active", "announced") and p.valid_to is not None and p.valid_to < today:
            warnings.append(f"policy {p.id}: marked {p.status} but valid only to {p.valid_to.isoformat()}")
        live = p.status in ("active", "announced", "unverified")
        if live and not (p.document_no or "").strip():
            warnings.append(f"policy {p.id}: no document number (document_no); plans say it was not read")
        if live and not p.apply.where_zh.strip():
            warnings.append(f"policy {p.id}: no office to apply to (apply.where_zh); plans name the city bureau")
        deadline = p.apply.deadline
        if deadline is not None and deadline < today and p.status in ("active", "announced", "unverified"):
            warnings.append(f"policy {p.id}: the application deadline {deadline.isoformat()} has passed")
    return warnings
