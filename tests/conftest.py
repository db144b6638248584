from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

# The same examples on every run (CI included), so a run fails only for a change, never for the draw; run with
# --hypothesis-profile=explore to draw new ones. A counterexample found that way is kept as an explicit test.
hypothesis_settings.register_profile("repeatable", derandomize=True, print_blob=True)
hypothesis_settings.register_profile("explore", derandomize=False, print_blob=True)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
DEV_CASES = REPO.parent / "shared" / "eval" / "cases_dev.csv"


def wendao_executable() -> str:
    """The installed console script: the CLI is tested through its real entry point."""
    beside = Path(sys.executable).parent / "wendao"
    found = str(beside) if beside.exists() else shutil.which("wendao")
    assert found, "the `wendao` console script is not installed (pip install -e .)"
    return found


@pytest.fixture(scope="session")
def wendao() -> str:
    return wendao_executable()


def require_dev_cases() -> Path:
    """The shared dev cases sit beside the repo (as in CI). In CI their absence is a failure, not a skip."""
    if not DEV_CASES.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{DEV_CASES} missing in CI")
        pytest.skip(f"{DEV_CASES} not present outside CI")
    return DEV_CASES
