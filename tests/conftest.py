from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
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


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """`wendao ARGS` in this process, through typer's CliRunner on the app the console script runs.

    A fresh interpreter costs about 2 s of CPU per call (imports, the catalog, the embedding model); here those
    are paid once per test session. Exit codes, stdout and stderr come back as from a subprocess; an unexpected
    exception is raised in the test rather than passed off as exit code 1. A few tests (tests/test_cli.py) keep
    starting the console script itself: the entry point, exit codes of a real process, a cold start.
    """
    from typer.testing import CliRunner

    from wendao.cli import app

    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    return subprocess.CompletedProcess(["wendao", *args], result.exit_code, result.stdout, result.stderr)


# Django's default PBKDF2 (1 000 000 iterations) costs about 0.45 s of CPU per password hashed or checked, and
# nearly every database test creates its personas with a password: in tests a cheap hasher does that work
# (production keeps Django's default; tests/web/test_settings.py checks that the settings never weaken it).
FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hasher() -> Iterator[None]:
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=FAST_PASSWORD_HASHERS):
        yield


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
