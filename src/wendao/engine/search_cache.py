"""What a search index reads at start-up, kept on disk beside the embeddings (issue 19, cold start).

- ``JiebaFrequencies``: jieba's prefix dictionary (498 000 words) as one sorted list of words and one of counts,
  looked up by bisection. Building jieba's own dict from the same words took 0.30 s of CPU in every process (the
  hashing of half a million new strings); the two lists read in 0.1 s. A segmenter looks up a few hundred
  prefixes per sentence, so a lookup at 1 µs instead of 0.1 µs costs nothing a person notices. An analyzer's own
  words go into a small dict in front (``copy`` shares the lists, so a second analyzer costs nothing).
- ``cached_tokens``: the words, bigrams and English words of every document of an index (0.6 s of CPU for the
  catalog's scenarios: jieba, OpenCC, the stemmer), keyed by everything they depend on: the documents' texts, the
  analyzer's vocabulary, synonyms and stopwords, the search modules' source, every file of data/search and the
  versions of jieba, OpenCC and the stemmer. A catalog edited through the web has other texts, hence another key:
  a changed catalog is tokenised again, never served stale.

Files are written like the embeddings' (embedding_cache.write_arrays: atomic, numpy arrays only, no pickle); a
file that cannot be read, or whose shape does not match, is ignored and rewritten.
"""

from __future__ import annotations

import hashlib
import logging
from bisect import bisect_left
from collections.abc import Callable, Iterator, MutableMapping, Sequence
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from wendao.engine.embedding_cache import KEEP_PER_KIND, cache_dir, write_arrays

log = logging.getLogger(__name__)

# libyaml's parser where the wheel has it (the same safe constructor; the pure-Python one took 0.15 s of CPU for
# data/search's synonyms and symptoms in every process)
SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
KNOWN_TEXTS = 4096  # texts whose words an analyzer remembers; a long-lived web worker starts afresh past this

_WORD = "\x1f"  # between two tokens of one document
_DOC = "\x1e"  # between two documents
Tokens = tuple[list[list[str]], list[list[str]], list[list[str]]]  # words, bigrams, English words per document


class JiebaFrequencies(MutableMapping[str, int]):
    """jieba's ``Tokenizer.FREQ`` (word or prefix -> count) over sorted lists, with added words in front."""

    def __init__(self, words: list[str], counts: list[int], added: dict[str, int] | None = None) -> None:
        self._words = words  # sorted, no duplicates
        self._counts = counts
        self._added: dict[str, int] = added if added is not None else {}

    def _index(self, word: str) -> int:
        i = bisect_left(self._words, word)
        return i if i < len(self._words) and self._words[i] == word else -1

    def __getitem__(self, word: str) -> int:
        if word in self._added:
            return self._added[word]
        i = self._index(word)
        if i < 0:
            raise KeyError(word)
        return self._counts[i]

    def get(self, word: str, default: int | None = None) -> int | None:  # type: ignore[override]
        if word in self._added:
            return self._added[word]
        i = self._index(word)
        return self._counts[i] if i >= 0 else default

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and (word in self._added or self._index(word) >= 0)

    def __setitem__(self, word: str, count: int) -> None:
        self._added[word] = count

    def __delitem__(self, word: str) -> None:
        del self._added[word]  # the shared lists are read-only

    def __iter__(self) -> Iterator[str]:
        yield from (w for w in self._words if w not in self._added)
        yield from self._added

    def __len__(self) -> int:
        return len(self._words) + sum(1 for w in self._added if self._index(w) < 0)

    def copy(self) -> JiebaFrequencies:
        return JiebaFrequencies(self._words, self._counts, dict(self._added))


def remember_words(known: dict[str, tuple[str, ...]], text: str, words: list[str]) -> None:
    """Keep a text's words for the next time it is read: a plan's needs were segmented again for each of the
    scenarios shown with them (650 times for Weifang's five needs), 0.4 s of CPU of a cold plan (2026-12-07)."""
    if len(known) >= KNOWN_TEXTS:
        known.clear()
    known[text] = tuple(words)


def jieba_dictionary_path(directory: Path, version: str, size: int) -> Path:
    """Where jieba's dictionary of this version and file size is kept (sorted; earlier files were not)."""
    return directory.parent / "jieba" / f"sorted-{version}-{size}.npz"


def write_jieba_dictionary(path: Path, freq: dict[str, int], total: int) -> None:
    if any("\n" in word for word in freq):
        return
    ordered = sorted(freq.items())
    words = np.frombuffer("\n".join(w for w, _ in ordered).encode("utf-8"), dtype=np.uint8)
    counts = np.fromiter((c for _, c in ordered), dtype=np.int64, count=len(ordered))
    write_arrays(path, words=words, counts=counts, total=np.array([total], dtype=np.int64))


def read_jieba_dictionary(path: Path) -> tuple[JiebaFrequencies, int] | None:
    try:
        with np.load(path, allow_pickle=False) as stored:
            words = stored["words"].tobytes().decode("utf-8").split("\n")
            counts = stored["counts"].tolist()
            total = int(stored["total"][0])
    except (OSError, ValueError, KeyError, IndexError, UnicodeDecodeError):
        return None
    if len(words) != len(counts):
        return None
    return JiebaFrequencies(words, counts), total


@lru_cache(maxsize=1)
def _code_identity() -> bytes:
    """What tokenising depends on besides the texts: the search modules' source (engine/search*.py), the files of
    data/search (question words, synonyms, stopwords …) and the versions of the libraries it calls."""
    from wendao.engine import search

    digest = hashlib.sha256()
    code = sorted(Path(search.__file__).parent.glob("search*.py"))
    for file in [*code, *sorted(p for p in search.DATA_DIR.rglob("*") if p.is_file())]:
        digest.update(f"{file.name}\0".encode())
        digest.update(file.read_bytes())
    for package in ("jieba", "opencc", "snowballstemmer"):
        try:
            digest.update(f"{package}={metadata.version(package)}\0".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{package}=?\0".encode())
    return digest.digest()


def analyzer_signature(vocabulary: Sequence[str], synonyms: dict[str, list[str]], stopwords: set[str]) -> str:
    """A hash of an analyzer's inputs (order-free where the analyzer is)."""
    digest = hashlib.sha256(_code_identity())
    for part in (sorted(set(vocabulary)), sorted(stopwords)):
        digest.update(_WORD.join(part).encode())
        digest.update(_DOC.encode())
    for tag in sorted(synonyms):
        digest.update(f"{tag}{_WORD}{_WORD.join(synonyms[tag])}{_DOC}".encode())
    return digest.hexdigest()


def _documents_key(kind: str, signature: str, documents: Sequence[tuple[Sequence[tuple[str, int]], str]]) -> str:
    digest = hashlib.sha256(f"{kind}\0{signature}\0".encode())
    for fields, english in documents:
        for text, repeat in fields:
            digest.update(f"{repeat}{_WORD}{text}{_WORD}".encode())
        digest.update(f"{english}{_DOC}".encode())
    return digest.hexdigest()[:32]


def cached_tokens(
    kind: str,
    signature: str,
    documents: Sequence[tuple[Sequence[tuple[str, int]], str]],
    tokenise: Callable[[], Tokens],
) -> Tokens:
    """``tokenise()``, read from the cache when the same analyzer has tokenised the same documents (each given as
    its Chinese fields with their repeat weights and its English text)."""
    directory = cache_dir()
    if directory is None or not documents:
        return tokenise()
    prefix = f"tokens-{kind}"
    path = directory / f"{prefix}-{_documents_key(kind, signature, documents)}.npz"
    stored = _read(path, len(documents))
    if stored is not None:
        return stored
    tokens = tokenise()
    if not any(_WORD in t or _DOC in t for lists in tokens for doc in lists for t in doc):
        write_arrays(path, **{name: _pack(lists) for name, lists in zip(("words", "grams", "english"), tokens, strict=True)})
        _prune(directory, prefix, keep=path)
    return tokens


def _pack(lists: list[list[str]]) -> np.ndarray:
    return np.frombuffer(_DOC.join(_WORD.join(doc) for doc in lists).encode("utf-8"), dtype=np.uint8)


def _unpack(blob: np.ndarray, count: int) -> list[list[str]]:
    docs = blob.tobytes().decode("utf-8").split(_DOC)
    if len(docs) != count:
        raise ValueError(f"{len(docs)} documents stored, {count} expected")
    return [doc.split(_WORD) if doc else [] for doc in docs]


def _read(path: Path, count: int) -> Tokens | None:
    try:
        with np.load(path, allow_pickle=False) as stored:
            return _unpack(stored["words"], count), _unpack(stored["grams"], count), _unpack(stored["english"], count)
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, UnicodeDecodeError) as exc:
        log.warning("token cache %s unreadable (%s); rebuilding it", path.name, exc)
        return None


def _prune(directory: Path, prefix: str, keep: Path) -> None:
    try:
        found = sorted(directory.glob(f"{prefix}-*.npz"), key=lambda p: p.stat().st_mtime, reverse=True)
    except OSError:
        return
    for old in [p for p in found if p != keep][KEEP_PER_KIND - 1 :]:
        old.unlink(missing_ok=True)
