from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from wendao.engine.catalog import load_catalog
from wendao.engine.catalog.cache import cached_catalog
from wendao.engine.catalog.loader import CATALOG_FILES, DEFAULT_DATA_DIR


class CountingLoad:
    """``load_catalog`` that counts how often the files were really read and validated."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, root: Path):  # type: ignore[no-untyped-def]
        self.calls += 1
        return load_catalog(root)


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("WENDAO_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache" / "catalog"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, copy, ignore=shutil.ignore_patterns("examples", "search", "*.csv"))
    return copy


def test_a_second_process_reads_the_validated_catalog_instead_of_the_yaml(cache: Path, data: Path) -> None:
    load = CountingLoad()
    first = cached_catalog(data, CATALOG_FILES, load)
    second = cached_catalog(data, CATALOG_FILES, load)
    assert load.calls == 1
    assert second == first
    assert second.content_hash == load_catalog(data).content_hash
    assert len(list(cache.glob("catalog-*.pickle"))) == 1


def test_an_edited_catalog_file_is_read_again_never_served_stale(cache: Path, data: Path) -> None:
    load = CountingLoad()
    before = cached_catalog(data, CATALOG_FILES, load)
    miit = data / "scenarios" / "miit.yaml"
    name = before.catalog.scenarios[0].name_zh
    text = miit.read_text(encoding="utf-8")
    assert text.count(f"name_zh: {name}\n") == 1
    miit.write_text(text.replace(f"name_zh: {name}\n", f"name_zh: {name}（改）\n"), encoding="utf-8")
    after = cached_catalog(data, CATALOG_FILES, load)
    assert load.calls == 2
    assert after.catalog.scenarios[0].name_zh == f"{name}（改）"
    assert after.content_hash != before.content_hash


def test_a_broken_or_shared_cache_file_is_ignored_and_rewritten(cache: Path, data: Path) -> None:
    load = CountingLoad()
    cached_catalog(data, CATALOG_FILES, load)
    (stored,) = cache.glob("catalog-*.pickle")
    stored.write_bytes(stored.read_bytes()[:1000])  # a truncated write
    assert cached_catalog(data, CATALOG_FILES, load).catalog.scenarios
    assert load.calls == 2
    stored.chmod(0o666)  # writable by others: it could run anyone's code when read
    cached_catalog(data, CATALOG_FILES, load)
    assert load.calls == 3


def test_with_the_cache_off_the_files_are_read_every_time(
    data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WENDAO_CACHE_DIR", "off")
    load = CountingLoad()
    cached_catalog(data, CATALOG_FILES, load)
    cached_catalog(data, CATALOG_FILES, load)
    assert load.calls == 2
