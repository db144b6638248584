"""Reading a JSON request body of the API: one function for every operation, ninja's bodies and the profile's.

Python's json module recurses once per nesting level: a body of a few kilobytes nested 5 000 deep raises
RecursionError (a server error) instead of a refusal, and every later walk over deeply nested data (validation,
serialisation) recurses as deep again. No wendao body nests more than a handful of levels, so a body nested
deeper than ``MAX_DEPTH`` is refused, whether the parser gave up on it or not. NaN and Infinity are not JSON
numbers and are refused too; a number too large for a float (1e400) parses as infinity, which every model
refuses by name. The size of a body is bounded by Django's DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB by default;
a larger body is a 400).
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from ninja.parser import Parser
from ninja.types import DictStrAny

MAX_DEPTH = 64


class BodyError(ValueError):
    """The body is no JSON wendao reads; the message says why in one line."""


def nesting_depth(data: Any) -> int:
    """How deeply lists and dicts nest in parsed JSON (0 for a scalar); iterative, so any depth is measured."""
    deepest = 0
    stack = [(data, 1)] if isinstance(data, dict | list) else []
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        children = node.values() if isinstance(node, dict) else node
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return deepest


def _no_constant(name: str) -> None:
    raise BodyError(f"{name} is not a JSON number")


def loads_body(body: bytes) -> Any:
    """The parsed body; ``BodyError`` when it is no JSON, nests deeper than MAX_DEPTH or holds NaN/Infinity."""
    too_deep = BodyError(f"JSON nested deeper than {MAX_DEPTH} levels")
    try:
        data = json.loads(body, parse_constant=_no_constant)
    except RecursionError:
        raise too_deep from None
    except BodyError:
        raise
    except (ValueError, UnicodeDecodeError) as exc:  # JSONDecodeError is a ValueError
        raise BodyError(f"invalid JSON: {exc}") from None
    if nesting_depth(data) > MAX_DEPTH:
        raise too_deep
    return data


class BoundedParser(Parser):
    """ninja's parser with ``loads_body``; ninja answers 400 for any parse error, views.py names the reason."""

    def parse_body(self, request: HttpRequest) -> DictStrAny:
        data: DictStrAny = loads_body(request.body)
        return data
