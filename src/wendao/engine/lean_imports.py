"""Two third-party imports without the heavy packages they pull in and the engine never uses (issue 19, cold start).

- ``jieba`` imports ``pkg_resources`` (setuptools) only to open its own data files; without it jieba opens them by
  path, the same files. 0.22 -> 0.05 s of CPU (measured 2026-12-07, load ~2).
- ``ortools.sat.python.cp_model`` imports pandas (0.4 s of CPU in a cold process) only for its ``*_series``
  helpers, which take pandas objects; the engine writes its models into the proto and never calls them. When no
  pandas is loaded yet, cp_model is imported against a stand-in whose ``Index`` and ``Series`` are classes nothing
  is an instance of, so every type check in cp_model takes its non-pandas branch. 0.62 -> 0.23 s of CPU.

Call ``load_jieba()`` / ``load_cp_model()`` just before the usual import statement. Either stand-in lives only
for the one import: ``sys.modules`` is restored right after, so a later
``import pandas`` or ``import pkg_resources`` anywhere in the process loads the real package. If the real package
is already loaded, it is used as is.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


class _PandasAbsent(types.ModuleType):
    """What cp_model sees as pandas while it is imported: two classes and nothing else."""

    class Index:
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            raise RuntimeError("pandas was not loaded when ortools' cp_model was imported (wendao.engine.lean_imports)")

    class Series(Index):
        pass


@contextmanager
def _standing_in(name: str, module: types.ModuleType | None) -> Iterator[None]:
    """``sys.modules[name]`` is ``module`` (None: the import fails) for the block, unless the real one is loaded."""
    if name in sys.modules:
        yield
        return
    sys.modules[name] = module  # type: ignore[assignment]
    try:
        yield
    finally:
        if sys.modules.get(name) is module:
            del sys.modules[name]


def load_jieba() -> None:
    """Import jieba without setuptools' ``pkg_resources``; a following ``import jieba`` finds it loaded."""
    with _standing_in("pkg_resources", None):
        import jieba  # noqa: F401


def load_cp_model() -> None:
    """Import ortools' cp_model without pandas (when pandas is not loaded already); a following
    ``from ortools.sat.python import cp_model`` finds it loaded."""
    with _standing_in("pandas", _PandasAbsent("pandas")):
        from ortools.sat.python import cp_model  # noqa: F401

