"""Deployment settings (security issue, finding 9): the documented production environment passes
`check --deploy`, weak keys are refused whenever DEBUG is off, yes/no variables are read strictly.

Settings are read when the module is imported, so whole-settings checks run in a fresh interpreter with
the environment under test."""

from __future__ import annotations

import os
import re
import secrets
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from wendao.web import settings as wendao_settings
from wendao.web.settings import DEVELOPMENT_SECRET_KEY, env_bool, env_int, secret_key

README = Path(__file__).resolve().parents[2] / "README.md"
STRONG_KEY = secrets.token_urlsafe(50)


def clean_env(tmp_path: Path, **variables: str) -> dict[str, str]:
    """This process's environment without any WENDAO_/Django setting (the browser tests set
    DJANGO_ALLOW_ASYNC_UNSAFE, which check --deploy rightly rejects), plus ``variables``."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("WENDAO_", "DJANGO_")) and k not in ("DATABASE_URL", "ALLOWED_HOSTS")
    }
    env.update({"DJANGO_SETTINGS_MODULE": "wendao.web.settings", "WENDAO_VAR_DIR": str(tmp_path / "var")})
    env.update(variables)
    return env


def run_django(code: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    script = "import django\ndjango.setup()\n" + code
    return subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120)


def documented_production_environment() -> dict[str, str]:
    """The variables of the README's Production block, with the placeholders (…) filled in."""
    text = README.read_text(encoding="utf-8")
    block = text[text.index("Production:") :].split("```bash", 1)[1].split("```", 1)[0]
    found = dict(re.findall(r"^([A-Z][A-Z0-9_]*)=(\S+)", block, flags=re.MULTILINE))
    assert "WENDAO_SECRET_KEY" in found, "the README's production block names WENDAO_SECRET_KEY"
    found["WENDAO_SECRET_KEY"] = STRONG_KEY
    return {k: v.replace("…", "secret") for k, v in found.items()}


# --- check --deploy ------------------------------------------------------------------------------------------------


def test_the_documented_production_environment_passes_check_deploy(tmp_path: Path) -> None:
    env = clean_env(tmp_path, **documented_production_environment())
    done = run_django(
        "from django.core.management import call_command\n"
        "call_command('check', '--deploy', '--fail-level', 'WARNING')\n",
        env,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "System check identified no issues" in done.stdout


def test_check_deploy_does_warn_without_the_documented_environment(tmp_path: Path) -> None:
    done = run_django(
        "from django.core.management import call_command\n"
        "call_command('check', '--deploy', '--fail-level', 'WARNING')\n",
        clean_env(tmp_path, WENDAO_SECRET_KEY=STRONG_KEY),
    )
    assert done.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in done.stderr


def test_the_hsts_and_ssl_redirect_switches_reach_django(tmp_path: Path) -> None:
    done = run_django(
        "from django.conf import settings as s\n"
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD, s.SECURE_SSL_REDIRECT)\n",
        clean_env(
            tmp_path,
            WENDAO_HSTS_SECONDS="600",
            WENDAO_HSTS_INCLUDE_SUBDOMAINS="yes",
            WENDAO_HSTS_PRELOAD="off",
            WENDAO_SSL_REDIRECT="TRUE",
        ),
    )
    assert done.stdout.split() == ["600", "True", "False", "True"], done.stderr[-2000:]


# --- the secret key ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "why"),
    [
        ("x", "too short"),
        (DEVELOPMENT_SECRET_KEY, "public development key"),
        ("ab" * 40, "too few distinct characters"),
        ("django-insecure-" + STRONG_KEY, "django-insecure-"),
    ],
    ids=["too-short", "development-key", "few-distinct", "django-insecure"],  # the same ids in every process
)
def test_settings_refuse_a_weak_key_whenever_debug_is_off(tmp_path: Path, key: str, why: str) -> None:
    for debug in ({}, {"WENDAO_DEBUG": "0"}):
        done = run_django("", clean_env(tmp_path, WENDAO_SECRET_KEY=key, **debug))
        assert done.returncode != 0
        assert "ImproperlyConfigured" in done.stderr
        assert "WENDAO_SECRET_KEY" in done.stderr
        assert why in done.stderr


def test_a_weak_key_is_allowed_with_debug_on(tmp_path: Path) -> None:
    done = run_django("", clean_env(tmp_path, WENDAO_SECRET_KEY="x", WENDAO_DEBUG="1"))
    assert done.returncode == 0, done.stderr[-2000:]


def test_without_a_key_a_random_one_is_kept_in_the_var_dir(tmp_path: Path) -> None:
    env = clean_env(tmp_path)
    first = run_django("from django.conf import settings\nprint(settings.SECRET_KEY)", env)
    second = run_django("from django.conf import settings\nprint(settings.SECRET_KEY)", env)
    assert first.returncode == 0, first.stderr[-2000:]
    key = first.stdout.strip()
    assert key == second.stdout.strip()  # every process on the directory signs with the same key
    assert wendao_settings.secret_key_problem(key) is None
    assert key != DEVELOPMENT_SECRET_KEY
    kept = tmp_path / "var" / "secret_key"
    assert kept.read_text().strip() == key
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert secret_key(False, tmp_path / "elsewhere") != key  # another installation, another key


def test_a_strong_key_from_the_environment_is_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WENDAO_SECRET_KEY", STRONG_KEY)
    assert secret_key(False, tmp_path) == STRONG_KEY
    assert not (tmp_path / "secret_key").exists()


# --- yes/no and number variables -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1", True),
        ("true", True),
        ("Yes", True),
        ("ON", True),
        (" on ", True),
        ("0", False),
        ("false", False),
        ("No", False),
        ("OFF", False),
    ],
)
def test_env_bool_reads_the_usual_words(monkeypatch: pytest.MonkeyPatch, value: str, expected: bool) -> None:
    monkeypatch.setenv("WENDAO_X", value)
    assert env_bool("WENDAO_X", not expected) is expected


def test_env_bool_takes_the_default_when_unset_or_empty(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WENDAO_X", raising=False)
    assert env_bool("WENDAO_X", True) is True
    monkeypatch.setenv("WENDAO_X", "  ")
    assert env_bool("WENDAO_X", False) is False


@pytest.mark.parametrize("value", ["ture", "enabled", "2", "y", "nein"])
def test_env_bool_refuses_what_it_does_not_understand(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("WENDAO_SECURE_COOKIES", value)
    with pytest.raises(ImproperlyConfigured) as refused:
        env_bool("WENDAO_SECURE_COOKIES", False)
    message = str(refused.value)
    assert "WENDAO_SECURE_COOKIES" in message
    assert repr(value) in message
    assert "1/true/yes/on" in message
    assert "0/false/no/off" in message


def test_a_misspelt_security_switch_stops_the_start(tmp_path: Path) -> None:
    done = run_django("", clean_env(tmp_path, WENDAO_SECURE_COOKIES="ture"))
    assert done.returncode != 0
    assert "WENDAO_SECURE_COOKIES='ture' is not understood" in done.stderr


def test_env_int_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WENDAO_HSTS_SECONDS", "a year")
    with pytest.raises(ImproperlyConfigured, match="WENDAO_HSTS_SECONDS"):
        env_int("WENDAO_HSTS_SECONDS", 0)


def test_passwords_are_hashed_with_djangos_strong_default_outside_the_tests(tmp_path: Path) -> None:
    # the suite swaps in a cheap hasher (tests/conftest.py); the settings themselves must not
    code = "from django.contrib.auth.hashers import get_hasher\nh = get_hasher()\nprint(h.algorithm, h.iterations)\n"
    result = run_django(code, clean_env(tmp_path, WENDAO_DEBUG="1"))
    assert result.returncode == 0, result.stderr
    algorithm, iterations = result.stdout.split()
    assert algorithm == "pbkdf2_sha256"
    assert int(iterations) >= 1_000_000  # Django 5.2's default; later releases raise it
