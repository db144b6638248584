"""A process's start-up with fewer garbage-collector passes (issue 19: a plan from a cold process, a web worker
ready).

Start-up creates hundreds of thousands of long-lived objects (modules, classes, pydantic models, the knowledge
base, jieba's dictionary, Django's URL patterns) and almost no garbage; with CPython's default threshold (a
collection every 700 new container objects) the collector ran its passes over all of them again and again. Measured
here (load average 5-7): a web worker getting ready 8.2-8.7 -> 5.8-6.7 s of CPU and `wendao plan` 4.8-5.0 ->
3.7-4.3 s with the threshold at 50 000 during start-up. ``settle`` puts the default back once the process is
ready and freezes what start-up built (``gc.freeze``: the collector no longer walks it, and forked web workers do
not touch, hence copy, the pages it lives on)."""

from __future__ import annotations

import gc

START_UP_THRESHOLD = (50_000, 20, 20)
_DEFAULT = gc.get_threshold()


def quick_start() -> None:
    """Few collections while the process loads (the program's entry points call this first)."""
    gc.set_threshold(*START_UP_THRESHOLD)


def settle() -> None:
    """The collector's default back, with what start-up built frozen out of its passes."""
    gc.freeze()
    gc.set_threshold(*_DEFAULT)
