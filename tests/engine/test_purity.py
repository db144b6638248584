"""The engine is plain Python: importing all of it must not import Django (DESIGN §2)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import wendao.engine


def test_engine_modules_import_without_django() -> None:
    modules = [m.name for m in pkgutil.walk_packages(wendao.engine.__path__, "wendao.engine.")]
    assert "wendao.engine.assessment" in modules
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in modules)
        + ("bad = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\nprint(','.join(bad))\n")
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_engine_source_never_mentions_django_imports() -> None:
    from pathlib import Path

    root = Path(wendao.engine.__file__).parent
    offenders = [
        p
        for p in root.rglob("*.py")
        if any(line.lstrip().startswith(("import django", "from django")) for line in p.read_text().splitlines())
    ]
    assert offenders == []
