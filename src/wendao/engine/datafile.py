"""Reading a user's YAML or JSON file (an enterprise profile, a model-route use case): the one loader every
command-line path uses for such a file.

A few hundred bytes of YAML can expand to billions of values through aliases ("billion laughs"): validating
or printing the result then takes minutes and gigabytes. These files are a few kB of plain fields, so the
loader refuses a file over ``MAX_BYTES`` before parsing it, and refuses any alias (``*name``) while
composing — before anything is expanded. Each refusal is one line naming the file (``DataFileError``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

MAX_BYTES = 1024 * 1024  # a profile or a use case is a few kB


class DataFileError(Exception):
    """The file cannot be read; the message is one line naming the file and what is wrong."""


class _NoAliasLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` that refuses aliases: the composer meets one before anything is built."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.composer.ComposerError(None, None, f"uses the YAML alias *{event.anchor}", event.start_mark)
        return super().compose_node(parent, index)


def _one_line(exc: Exception) -> str:
    if isinstance(exc, yaml.MarkedYAMLError) and exc.problem:
        mark = exc.problem_mark
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
        return " ".join(f"{exc.context or ''} {exc.problem}".split()) + where
    return " ".join(str(exc).split())


def parse_data(text: str, suffix: str, name: str = "file") -> Any:
    """Parse YAML (or JSON, for a ``.json`` suffix) text; raise ``DataFileError`` with one line."""
    try:
        if suffix.lower() == ".json":
            return json.loads(text)
        return yaml.load(text, Loader=_NoAliasLoader)  # a SafeLoader subclass: no arbitrary objects
    except yaml.composer.ComposerError as exc:
        if exc.problem and exc.problem.startswith("uses the YAML alias"):
            mark = exc.problem_mark
            where = f" (line {mark.line + 1})" if mark is not None else ""
            raise DataFileError(
                f"{name}: {exc.problem}{where}; aliases (*name) are not accepted here, write the values out"
            ) from None
        raise DataFileError(f"{name}: cannot parse {suffix or 'file'}: {_one_line(exc)}") from None
    except RecursionError:
        raise DataFileError(f"{name}: nested too deeply") from None
    except (yaml.YAMLError, ValueError) as exc:  # json.JSONDecodeError is a ValueError, as is a 5000-digit int
        raise DataFileError(f"{name}: cannot parse {suffix or 'file'}: {_one_line(exc)}") from None


def load_data_file(path: Path, max_bytes: int = MAX_BYTES) -> Any:
    """The parsed content of a user's YAML or JSON file, refused with one line when it is missing, not UTF-8,
    larger than ``max_bytes``, uses YAML aliases or does not parse."""
    try:
        with path.open("rb") as fh:
            raw = fh.read(max_bytes + 1)  # never more, whatever the file (or device) holds
    except (FileNotFoundError, NotADirectoryError):
        raise DataFileError(f"{path}: file not found") from None
    except IsADirectoryError:
        raise DataFileError(f"{path}: a folder, not a file") from None
    except OSError as exc:
        raise DataFileError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if len(raw) > max_bytes:
        raise DataFileError(f"{path}: too large (more than {max_bytes // 1024} kB; such a file is a few kB)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise DataFileError(f"{path}: not UTF-8 text") from None
    return parse_data(text, path.suffix, str(path))
