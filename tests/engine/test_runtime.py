from __future__ import annotations

import subprocess
import sys


def test_a_batch_process_freezes_what_it_has_loaded_and_collects_young_objects_less_often() -> None:
    # in a child process: the settings are for the whole life of a worker, not for the test run
    code = (
        "import gc\n"
        "from wendao.engine.runtime import YOUNG_THRESHOLD, settle_for_batch\n"
        "keep = [[i] for i in range(1000)]\n"
        "before = gc.get_threshold()\n"
        "settle_for_batch()\n"
        "after = gc.get_threshold()\n"
        "assert after == (YOUNG_THRESHOLD, *before[1:]), after\n"
        "assert gc.get_freeze_count() >= 1000\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
