from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from wendao.engine.embedding_cache import cache_dir, cached_passages


class CountingEmbedder:
    """A deterministic stand-in for the model: a text's vector is made from its characters; counts what it embeds."""

    def __init__(self) -> None:
        self.embedded: list[str] = []
        self._lock = threading.Lock()

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        with self._lock:
            self.embedded.extend(texts)
        rows = [[float(sum(map(ord, t)) % 97), float(len(t)), 1.0] for t in texts]
        return np.asarray(rows, dtype=np.float32)


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("WENDAO_CACHE_DIR", str(tmp_path))
    return tmp_path / "embeddings"


TEXTS = ["质检人工成本高", "设备停机损失大", "库存积压"]


def test_a_second_process_reads_the_vectors_instead_of_embedding_again(cache: Path) -> None:
    first, second = CountingEmbedder(), CountingEmbedder()
    made = cached_passages("scenarios", "model-a", TEXTS, first)
    read = cached_passages("scenarios", "model-a", TEXTS, second)
    assert first.embedded == TEXTS
    assert second.embedded == []
    np.testing.assert_array_equal(made, read)
    assert len(list(cache.glob("scenarios-*.npz"))) == 1


def test_a_changed_text_embeds_only_that_text(cache: Path) -> None:
    cached_passages("providers", "model-a", TEXTS, CountingEmbedder())
    again = CountingEmbedder()
    changed = [TEXTS[0], "能耗偏高", TEXTS[2]]
    vectors = cached_passages("providers", "model-a", changed, again)
    assert again.embedded == ["能耗偏高"]
    np.testing.assert_array_equal(vectors, CountingEmbedder()(changed))


def test_another_model_never_reuses_a_vector(cache: Path) -> None:
    cached_passages("scenarios", "model-a", TEXTS, CountingEmbedder())
    other = CountingEmbedder()
    cached_passages("scenarios", "model-b", TEXTS, other)
    assert other.embedded == TEXTS


def test_a_corrupt_file_is_rebuilt(cache: Path) -> None:
    cached_passages("scenarios", "model-a", TEXTS, CountingEmbedder())
    (stored,) = cache.glob("scenarios-*.npz")
    stored.write_bytes(stored.read_bytes()[:100])  # a truncated write from a crashed process
    rebuilt = CountingEmbedder()
    vectors = cached_passages("scenarios", "model-a", TEXTS, rebuilt)
    assert rebuilt.embedded == TEXTS
    np.testing.assert_array_equal(vectors, CountingEmbedder()(TEXTS))
    assert cached_passages("scenarios", "model-a", TEXTS, (never := CountingEmbedder())).shape == (3, 3)
    assert never.embedded == []


def test_a_file_whose_rows_do_not_match_is_rebuilt(cache: Path) -> None:
    cached_passages("scenarios", "model-a", TEXTS, CountingEmbedder())
    (stored,) = cache.glob("scenarios-*.npz")
    np.savez(stored, keys=np.array([b"x" * 64], dtype="S64"), vectors=np.zeros((1, 3), dtype=np.float32))
    rebuilt = CountingEmbedder()
    cached_passages("scenarios", "model-a", TEXTS, rebuilt)
    assert rebuilt.embedded == TEXTS


def test_concurrent_writers_leave_one_whole_file_and_no_temporary_files(cache: Path) -> None:
    results: list[np.ndarray] = []

    def build() -> None:
        results.append(cached_passages("scenarios", "model-a", TEXTS, CountingEmbedder()))

    threads = [threading.Thread(target=build) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 8
    for r in results:
        np.testing.assert_array_equal(r, CountingEmbedder()(TEXTS))
    assert [p.suffix for p in cache.iterdir()] == [".npz"]


def test_an_unwritable_directory_still_returns_the_vectors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("WENDAO_CACHE_DIR", str(blocker))
    vectors = cached_passages("scenarios", "model-a", TEXTS, CountingEmbedder())
    assert vectors.shape == (3, 3)


def test_the_cache_can_be_turned_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WENDAO_CACHE_DIR", "off")
    assert cache_dir() is None
    first, second = CountingEmbedder(), CountingEmbedder()
    cached_passages("scenarios", "model-a", TEXTS, first)
    cached_passages("scenarios", "model-a", TEXTS, second)
    assert second.embedded == TEXTS


def test_the_default_directory_is_the_users_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("WENDAO_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_dir() == tmp_path / "wendao" / "embeddings"


def test_jiebas_dictionary_is_kept_beside_the_embeddings_and_read_back_identical(cache: Path) -> None:
    import jieba

    from wendao.engine import search

    own = jieba.Tokenizer()
    own.initialize()
    search._jieba_dictionary.cache_clear()
    try:
        first = search._jieba_dictionary()  # built by jieba, then written
        files = list((cache.parent / "jieba").glob("sorted-*.npz"))
        assert len(files) == 1
        search._jieba_dictionary.cache_clear()
        second = search._jieba_dictionary()  # read from the file
        assert second[1] == first[1] == own.total
        assert second[0] == first[0] == own.FREQ
        files[0].write_bytes(b"not an npz")  # a broken file is rebuilt, never trusted
        search._jieba_dictionary.cache_clear()
        assert search._jieba_dictionary()[0] == own.FREQ
    finally:
        search._jieba_dictionary.cache_clear()
