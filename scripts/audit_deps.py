#!/usr/bin/env python3
"""`make audit`: known vulnerabilities in the installed Python packages (pip-audit), honest about what it saw.

pip-audit looks every installed package up in a vulnerability service (PyPI's JSON API, else OSV). When a
service cannot be reached, pip-audit either crashes or marks every package "not found" and still says "No
known vulnerabilities found". This wrapper tells those cases apart:

* exit 1 and one line per finding when a package has a known vulnerability that ``audit-ignore.txt`` does not
  list (one ``ID reason`` per line: a finding is only ever ignored for a stated reason);
* exit 0 with ``dependency audit: could not check (no vulnerability database reachable): <reason>`` when no
  service answered for any package (CI reaches the package index only);
* exit 0 with a summary otherwise, naming the packages that could not be checked, if any.

All pip-audit runs together have a time limit (BUDGET_SECONDS), so the audit can never hang a build.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IGNORE_FILE = ROOT / "audit-ignore.txt"
SERVICES = ("pypi", "osv")  # pip-audit's default first; OSV when PyPI's JSON API is not reachable
BUDGET_SECONDS = 60  # all pip-audit runs together; a healthy run over ~120 packages takes 5-30 s
REQUEST_SECONDS = 10  # pip-audit's own per-request timeout


class AuditConfigError(Exception):
    pass


@dataclass
class Outcome:
    """What one pip-audit run established."""

    checked: list[str] = field(default_factory=list)
    unchecked: dict[str, str] = field(default_factory=dict)  # package -> why not
    findings: list[tuple[str, str, str, list[str], list[str]]] = field(
        default_factory=list
    )  # name, ver, id, aliases, fixes
    error: str | None = None  # the run failed as a whole (no JSON): why


def read_ignores(path: Path) -> dict[str, str]:
    """``ID reason`` per line, # comments; an ID without a reason is an error, not an ignore."""
    ignores: dict[str, str] = {}
    if not path.exists():
        return ignores
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        ident, _, reason = line.partition(" ")
        if not reason.strip():
            raise AuditConfigError(f"{path.name}:{number}: {ident} has no reason; write `{ident} <why it is ignored>`")
        ignores[ident] = reason.strip()
    return ignores


def interpret(returncode: int, report: str | None, stderr: str) -> Outcome:
    """pip-audit's JSON report (``--format json``), or why there is none."""
    outcome = Outcome()
    try:
        data = json.loads(report) if report else None
    except json.JSONDecodeError:
        data = None
    if not isinstance(data, dict) or not isinstance(data.get("dependencies"), list):
        lines = [line.strip() for line in stderr.splitlines() if line.strip()]
        reason = lines[-1] if lines else f"pip-audit exited with {returncode} and wrote no report"
        outcome.error = reason[:300]
        return outcome
    for dep in data["dependencies"]:
        name = str(dep.get("name"))
        if "skip_reason" in dep:
            outcome.unchecked[name] = str(dep["skip_reason"])
            continue
        outcome.checked.append(name)
        for vuln in dep.get("vulns", []):
            outcome.findings.append(
                (
                    name,
                    str(dep.get("version")),
                    str(vuln.get("id")),
                    [str(a) for a in vuln.get("aliases", [])],
                    [str(f) for f in vuln.get("fix_versions", [])],
                )
            )
    return outcome


def run_pip_audit(service: str, seconds: float) -> Outcome:
    with tempfile.TemporaryDirectory(prefix="wendao-audit-") as tmp:
        report = Path(tmp) / "report.json"
        command = [
            sys.executable,
            "-m",
            "pip_audit",
            "--vulnerability-service",
            service,
            "--format",
            "json",
            "--output",
            str(report),
            "--progress-spinner",
            "off",
            "--skip-editable",  # wendao itself, not on any index
            "--timeout",
            str(REQUEST_SECONDS),
        ]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=seconds)
        except subprocess.TimeoutExpired:
            return Outcome(error=f"pip-audit did not finish within {seconds:.0f} s")
        if "No module named pip_audit" in done.stderr:
            raise AuditConfigError("pip-audit is not installed in this environment (pip install -e '.[dev]')")
        text = report.read_text(encoding="utf-8") if report.exists() else None
        return interpret(done.returncode, text, done.stderr)


def verdict(outcomes: dict[str, Outcome], ignores: dict[str, str]) -> tuple[int, list[str]]:
    """Exit code and report lines for the runs made (service -> outcome), in order of preference."""
    usable = [(service, o) for service, o in outcomes.items() if o.checked]
    if not usable:
        reasons = []
        for service, o in outcomes.items():
            if o.error:
                reasons.append(f"{service}: {o.error}")
            elif o.unchecked:
                example = next(iter(o.unchecked.values()))
                reasons.append(f"{service}: none of {len(o.unchecked)} packages could be looked up (e.g. {example})")
            else:
                reasons.append(f"{service}: no packages reported")
        return 0, ["dependency audit: could not check (no vulnerability database reachable): " + "; ".join(reasons)]
    service, outcome = usable[0]
    lines: list[str] = []
    open_findings = []
    ignored = 0
    for name, version, ident, aliases, fixes in outcome.findings:
        reason = next((ignores[i] for i in (ident, *aliases) if i in ignores), None)
        if reason is not None:
            ignored += 1
            lines.append(f"  ignored {ident} in {name} {version}: {reason}")
            continue
        open_findings.append(ident)
        fix = f"; fixed in {', '.join(fixes)}" if fixes else "; no fixed version yet"
        alias = f" ({', '.join(aliases)})" if aliases else ""
        lines.append(f"  {name} {version}: {ident}{alias}{fix}")
    summary = (
        f"dependency audit ({service}): {len(outcome.checked)} packages checked, "
        f"{len(outcome.findings)} known vulnerabilities ({ignored} ignored with a reason in {IGNORE_FILE.name})"
    )
    if outcome.unchecked:
        names = ", ".join(sorted(outcome.unchecked))
        lines.append(f"  could not check {len(outcome.unchecked)} packages: {names}")
    if open_findings:
        return 1, [summary + ": FAILED", *lines]
    return 0, [summary, *lines]


def main() -> int:
    try:
        ignores = read_ignores(IGNORE_FILE)
        outcomes: dict[str, Outcome] = {}
        deadline = time.monotonic() + BUDGET_SECONDS
        for service in SERVICES:
            left = deadline - time.monotonic()
            if left < 5:
                outcomes[service] = Outcome(error=f"not tried: the {BUDGET_SECONDS} s budget is spent")
                continue
            outcomes[service] = run_pip_audit(service, left)
            if outcomes[service].checked:
                break
    except AuditConfigError as exc:
        print(f"dependency audit: {exc}", file=sys.stderr)
        return 1
    code, lines = verdict(outcomes, ignores)
    print("\n".join(lines), file=sys.stderr if code else sys.stdout)
    return code


if __name__ == "__main__":
    sys.exit(main())
