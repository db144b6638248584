from __future__ import annotations

import re

import pytest

from wendao.engine.catalog import default_catalog
from wendao.engine.catalog.schema import Policy

POLICIES = default_catalog().policies
APPLY_FIELDS = ("beneficiaries", "conditions", "deadline", "where", "contact")
# Chinese document or programme names may be quoted as they are: 《…》 and “…” are left out of the check.
QUOTED = re.compile(r"《[^》]*》|“[^”]*”")
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
PHONE = re.compile(r"\d{3,4}-\d{7,8}")


def test_the_shipped_catalog_has_policies_to_check() -> None:
    assert len(POLICIES) >= 17


@pytest.mark.parametrize("policy", POLICIES, ids=lambda p: p.id)
def test_every_shipped_policy_says_how_to_apply_in_english(policy: Policy) -> None:
    # an empty field means "not published" (the plan says once where to ask); a Chinese text needs its English
    missing = [
        f"{field}_en"
        for field in APPLY_FIELDS
        if getattr(policy.apply, f"{field}_zh").strip() and not getattr(policy.apply, f"{field}_en").strip()
    ]
    assert not missing, f"{policy.id}: no English text for {missing}"


@pytest.mark.parametrize("policy", POLICIES, ids=lambda p: p.id)
def test_no_english_apply_text_is_left_in_chinese(policy: Policy) -> None:
    for field in APPLY_FIELDS:
        text = getattr(policy.apply, f"{field}_en")
        leftover = CJK.findall(QUOTED.sub("", text))
        assert not leftover, f"{policy.id}.apply.{field}_en has Chinese text outside quotes: {''.join(leftover)}"


@pytest.mark.parametrize("policy", POLICIES, ids=lambda p: p.id)
def test_the_english_contact_keeps_every_phone_number_of_the_chinese_one(policy: Policy) -> None:
    assert set(PHONE.findall(policy.apply.contact_zh)) <= set(PHONE.findall(policy.apply.contact_en))
