"""An object's id as a query string or form field gives it: one reading for every view, and 404 for anything else.

A crafted value must get "not found", never a 500: "²" and other digit-like characters pass ``str.isdigit()`` but
not ``int()``, and a number past the database's integer (SQLite INTEGER and PostgreSQL bigint, both signed 64-bit)
is no id of anything. Ids are written in ASCII digits only, so full-width or other scripts' digits are refused too.
"""

from __future__ import annotations

from django.http import Http404

# The largest key a BigAutoField (settings.DEFAULT_AUTO_FIELD) can hold: signed 64-bit on SQLite and PostgreSQL.
MAX_ID = 2**63 - 1


def is_id(raw: str | None) -> bool:
    """Whether ``raw`` is written as an id: ASCII digits, at most ``MAX_ID`` (so ``int()`` never refuses it)."""
    return raw is not None and raw.isascii() and raw.isdecimal() and len(raw) <= len(str(MAX_ID)) and int(raw) <= MAX_ID


def id_from(raw: str | None) -> int:
    """The id ``raw`` names, or Http404 when it is missing, empty or not an id."""
    if raw is None or not is_id(raw):
        raise Http404("no such object")
    return int(raw)


def optional_id_from(raw: str | None) -> int | None:
    """None when ``raw`` is missing or empty (the form chose nothing); otherwise the id it names, or Http404."""
    if raw is None or raw == "":
        return None
    return id_from(raw)
