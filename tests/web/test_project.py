"""Project-level checks that belong in every test run (STYLE rule 9)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from wendao.web.settings import database_from_url


def test_manage_py_check_passes() -> None:
    call_command("check", fail_level="WARNING")


@pytest.mark.django_db
def test_models_and_migrations_agree() -> None:
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_database_url_selects_postgresql_and_otherwise_sqlite() -> None:
    pg = database_from_url("postgres://app:s%40cret@127.0.0.1:5433/wendao", Path("/tmp/x.sqlite3"))
    assert pg["ENGINE"] == "django.db.backends.postgresql"
    assert (pg["NAME"], pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"]) == (
        "wendao",
        "app",
        "s@cret",
        "127.0.0.1",
        "5433",
    )
    lite = database_from_url(None, Path("/tmp/x.sqlite3"))
    assert lite["ENGINE"] == "django.db.backends.sqlite3"
    assert lite["NAME"] == Path("/tmp/x.sqlite3")
    # a server thread keeps its connection between requests (opening one and setting WAL cost every request)
    assert lite["CONN_MAX_AGE"] == 60
    assert pg["CONN_MAX_AGE"] == 60


@pytest.mark.django_db
def test_sqlite_connections_use_wal() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("WAL is a SQLite setting")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        mode = cursor.fetchone()[0]
    # an in-memory test database cannot use WAL and reports "memory"; a file database must be WAL
    assert mode == (
        "memory"
        if connection.settings_dict["NAME"] in (":memory:", "") or "memory" in str(connection.settings_dict["NAME"])
        else "wal"
    )


def test_compiled_english_translations_are_present_and_current() -> None:
    locale = Path(__file__).resolve().parents[2] / "src" / "wendao" / "web" / "locale" / "en" / "LC_MESSAGES"
    po, mo = locale / "django.po", locale / "django.mo"
    assert mo.exists()
    assert mo.stat().st_mtime >= po.stat().st_mtime - 1
    assert 'msgstr ""\n\n' not in po.read_text(encoding="utf-8").split("\n\n", 1)[1] + "\n\n"


def test_no_cdn_anywhere_in_templates() -> None:
    web = Path(__file__).resolve().parents[2] / "src" / "wendao" / "web"
    for template in web.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert "http://" not in text, template
        assert "https://" not in text, template


def test_english_translations_name_money_in_10k_cny_never_in_chinese_units() -> None:
    """An English reader meets one unit: 'Annual revenue (10k CNY)', not 'One-off investment (万元)' on the next page."""
    po = Path(__file__).resolve().parents[2] / "src" / "wendao" / "web" / "locale" / "en" / "LC_MESSAGES" / "django.po"
    translations: list[str] = []
    current_is_msgstr = False
    for line in po.read_text(encoding="utf-8").splitlines():
        if line.startswith("msgstr"):
            translations.append(line.split('"', 1)[1].rstrip('"'))
        elif line.startswith('"') and translations and current_is_msgstr:
            translations[-1] += line.strip('"')
        current_is_msgstr = line.startswith("msgstr") or (line.startswith('"') and current_is_msgstr)
    assert len(translations) > 1000
    assert [t for t in translations if "万元" in t] == []


def test_no_template_comment_spans_lines_where_django_would_print_it() -> None:
    """Django's ``{# #}`` ends at the line's end: a two-line one is printed to the reader (the plan page showed
    "{# the cases of the new plan's scenarios come with a what-if re-plan …" above its cases)."""
    web = Path(__file__).resolve().parents[2] / "src" / "wendao" / "web"
    open_comments = [
        f"{template.relative_to(web)}:{number}"
        for template in web.rglob("*.html")
        for number, line in enumerate(template.read_text(encoding="utf-8").splitlines(), start=1)
        if line.count("{#") > line.count("#}")
    ]
    assert open_comments == []
