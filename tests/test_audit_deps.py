"""`make audit` (scripts/audit_deps.py, security issue finding 11): real findings fail, an unreachable
vulnerability database is said plainly and passes, ignores need a reason, nothing hangs.

pip-audit itself is replaced by a fake ``pip_audit`` module on PYTHONPATH that writes a given report, so these
tests need no network."""

from __future__ import annotations

import importlib.util
import json
import sys
import textwrap
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.conftest import REPO


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("audit_deps", REPO / "scripts" / "audit_deps.py")
    assert spec
    assert spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["audit_deps"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


audit = load_script()

DJANGO_FINDING = {
    "name": "django",
    "version": "5.2.1",
    "vulns": [{"id": "PYSEC-2025-1", "aliases": ["CVE-2025-0001"], "fix_versions": ["5.2.2"]}],
}
CLEAN = {"name": "pyyaml", "version": "6.0.2", "vulns": []}
NOT_FOUND = {"name": "absl-py", "skip_reason": "Dependency not found on PyPI and could not be audited: absl-py (2.5.1)"}


def fake_pip_audit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, report: Any, sleep: float = 0) -> None:
    """A ``pip_audit`` that writes ``report`` (None: crashes like pip-audit without network) to --output."""
    package = tmp_path / "fake" / "pip_audit"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "__main__.py").write_text(
        textwrap.dedent(
            f"""
            import json, sys, time
            time.sleep({sleep})
            report = {json.dumps(report)!r}
            if report == "null":
                sys.exit("requests.exceptions.ConnectionError: Failed to resolve 'pypi.org'")
            out = sys.argv[sys.argv.index("--output") + 1]
            open(out, "w").write(report)
            sys.exit(1 if '"vulns": [{{' in report else 0)
            """
        )
    )
    monkeypatch.setenv("PYTHONPATH", str(tmp_path / "fake"))


def run_main(capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = audit.main()
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_a_known_vulnerability_fails_the_audit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    fake_pip_audit(tmp_path, monkeypatch, {"dependencies": [DJANGO_FINDING, CLEAN], "fixes": []})
    monkeypatch.setattr(audit, "IGNORE_FILE", tmp_path / "none.txt")
    code, text = run_main(capsys)
    assert code == 1
    assert "2 packages checked, 1 known vulnerabilities" in text
    assert "django 5.2.1: PYSEC-2025-1 (CVE-2025-0001); fixed in 5.2.2" in text


def test_a_finding_listed_with_a_reason_is_accepted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    fake_pip_audit(tmp_path, monkeypatch, {"dependencies": [DJANGO_FINDING, CLEAN], "fixes": []})
    ignore = tmp_path / "audit-ignore.txt"
    ignore.write_text("# comment\nCVE-2025-0001 only the admin's password reset form, which wendao does not route\n")
    monkeypatch.setattr(audit, "IGNORE_FILE", ignore)
    code, text = run_main(capsys)
    assert code == 0
    assert "ignored PYSEC-2025-1 in django 5.2.1: only the admin's password reset form" in text


def test_an_ignore_without_a_reason_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    fake_pip_audit(tmp_path, monkeypatch, {"dependencies": [DJANGO_FINDING], "fixes": []})
    ignore = tmp_path / "audit-ignore.txt"
    ignore.write_text("CVE-2025-0001\n")
    monkeypatch.setattr(audit, "IGNORE_FILE", ignore)
    code, text = run_main(capsys)
    assert code == 1
    assert "audit-ignore.txt:1: CVE-2025-0001 has no reason" in text


def test_no_reachable_database_is_said_plainly_and_passes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    # what pip-audit does here: every package "not found on PyPI" (the JSON API is not reachable), and it
    # would still print "No known vulnerabilities found"
    fake_pip_audit(tmp_path, monkeypatch, {"dependencies": [NOT_FOUND], "fixes": []})
    code, text = run_main(capsys)
    assert code == 0
    assert text.startswith("dependency audit: could not check (no vulnerability database reachable): ")
    assert "none of 1 packages could be looked up" in text
    assert len(text.strip().splitlines()) == 1


def test_a_crash_without_network_is_a_could_not_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    fake_pip_audit(tmp_path, monkeypatch, None)
    code, text = run_main(capsys)
    assert code == 0
    assert "could not check (no vulnerability database reachable)" in text
    assert "Failed to resolve 'pypi.org'" in text


def test_a_hanging_pip_audit_is_cut_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    fake_pip_audit(tmp_path, monkeypatch, {"dependencies": [CLEAN]}, sleep=30)
    monkeypatch.setattr(audit, "BUDGET_SECONDS", 6)
    code, text = run_main(capsys)
    assert code == 0
    assert "could not check" in text
    assert "did not finish within" in text


def test_packages_that_could_not_be_checked_are_named(tmp_path: Path) -> None:
    outcome = audit.interpret(0, json.dumps({"dependencies": [CLEAN, NOT_FOUND]}), "")
    code, lines = audit.verdict({"pypi": outcome}, {})
    assert code == 0
    assert "1 packages checked, 0 known vulnerabilities" in lines[0]
    assert "could not check 1 packages: absl-py" in lines[1]


def test_the_audit_runs_in_make_test() -> None:
    makefile = (REPO / "Makefile").read_text()
    assert "test: lint audit" in makefile
    assert "scripts/audit_deps.py" in makefile
