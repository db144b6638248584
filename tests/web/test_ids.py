"""One reading of an id from a query string or form field (``wendao.web.ids``); the views that use it are asked
with such values in tests/web/security/test_odd_digits.py."""

from __future__ import annotations

import pytest
from django.http import Http404

from wendao.web.ids import MAX_ID, id_from, is_id, optional_id_from


def test_an_id_is_ascii_digits_up_to_the_largest_64_bit_key() -> None:
    assert id_from("7") == 7
    assert id_from("007") == 7
    assert id_from(str(MAX_ID)) == MAX_ID


@pytest.mark.parametrize("raw", [None, "", "abc", "²", "１２", "٣", "-1", "+1", " 1", "1.0", str(MAX_ID + 1), "9" * 5000])
def test_anything_else_is_not_found(raw: str | None) -> None:
    assert not is_id(raw)
    with pytest.raises(Http404):
        id_from(raw)


def test_an_optional_id_left_empty_is_none_and_a_bad_one_still_not_found() -> None:
    assert optional_id_from(None) is None
    assert optional_id_from("") is None
    assert optional_id_from("12") == 12
    with pytest.raises(Http404):
        optional_id_from("²")
