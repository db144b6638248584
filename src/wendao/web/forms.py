"""Form behaviour shared by every app."""

from __future__ import annotations

from typing import Any


class PlainLabels:
    """A form whose labels carry no suffix. Django appends ':' to every label it renders (``as_p``, ``label_tag``),
    which reads "第1志愿:" on a Chinese page, where the colon would be '：'; the site's labels stand above their
    fields, as the hand-written forms render them, so they need none in either language."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
