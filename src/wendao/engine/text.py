"""Free text a user types (a name, a pain point, a note): printable characters only, bounded in length.

Control characters have no business in a name or a sentence and break what the text later goes into:
PostgreSQL refuses U+0000 in text and JSON columns, python-docx refuses every C0 control but tab and line
breaks, and a line break inside a Markdown table cell or heading ends it. Unpaired surrogates (which JSON's
``\\ud800`` escapes can produce) cannot be encoded as UTF-8 at all. ``Line`` is one line (tab allowed);
``Text`` may also hold line breaks.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, StringConstraints
from pydantic_core import PydanticCustomError

# C0 and C1 controls, DEL and unpaired surrogates; a line keeps tab, a text also keeps line breaks
_NOT_IN_LINE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\ud800-\udfff]")
_NOT_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")

MAX_LINE_LENGTH = 500  # a pain point, goal or note is a sentence or two
MAX_TEXT_LENGTH = 10_000  # a description of a few pages


def control_character(value: str, multiline: bool = False) -> str | None:
    """The first character a line (or, ``multiline``, a text) may not hold, as ``U+XXXX``; None when clean."""
    found = (_NOT_IN_TEXT if multiline else _NOT_IN_LINE).search(value)
    return None if found is None else f"U+{ord(found.group()):04X}"


def _checked(value: str, multiline: bool) -> str:
    code = control_character(value, multiline)
    if code is not None:
        where = "" if multiline or code not in ("U+000A", "U+000D") else " (a line break: one item per line)"
        raise PydanticCustomError(
            "control_character",
            "must not contain control characters; found {character}{where}",
            {"character": code, "where": where},
        )
    return value


def printable_line(value: str) -> str:
    return _checked(value, multiline=False)


def printable_text(value: str) -> str:
    return _checked(value, multiline=True)


Line = Annotated[str, StringConstraints(max_length=MAX_LINE_LENGTH), AfterValidator(printable_line)]
Text = Annotated[str, StringConstraints(max_length=MAX_TEXT_LENGTH), AfterValidator(printable_text)]
