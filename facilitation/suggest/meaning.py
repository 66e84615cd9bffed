"""General Russian word meaning for the suggestions: the navec word vectors that ship inside the
`natasha` wheel (news_v1_1B_250K_300d_100q: 250 000 words, product-quantized), read with the
standard library and numpy, nothing fetched. An idea becomes the weighted mean of its words'
vectors; ideas said in other words ("интервью с пожилыми", "устные истории старожилов") meet.

The table is built on first use and kept per process in a compact form (about 35 MB): 64-bit
hashes of the words, sorted, instead of navec's dict of 250 000 strings. When the wheel is missing
or unreadable `vectors()` returns None and the method stays lexical.
"""
import gzip
import importlib.util
import json
import tarfile
import threading
from pathlib import Path

NAVEC_FILE = Path("data") / "emb" / "navec_news_v1_1B_250K_300d_100q.tar"
# Smooth inverse frequency (Arora et al. 2017): a word weighs a / (a + its share of the corpus),
# so "проект" or "город" count little and "семенотека"'s neighbours much.
SIF_A = 1e-3

_table = None
_failed = False
_lock = threading.Lock()


class WordVectors:
    """Word -> 300-d vector and corpus frequency, by a sorted array of word hashes."""

    def __init__(self, words, counts, indexes, codes):
        import numpy as np
        keys = np.fromiter((hash(w) for w in words), dtype=np.int64, count=len(words))
        order = np.argsort(keys, kind="stable")
        self.keys = keys[order]
        self.rows = order.astype(np.int32)
        self.share = counts.astype(np.float64) / float(counts.sum())
        self.indexes = indexes          # words x parts: one code per part of the vector
        self.codes = codes              # parts x centroids x part size
        self.parts = np.arange(codes.shape[0])
        self.dim = codes.shape[0] * codes.shape[2]

    def row(self, word):
        """The row of a word, or -1 when navec does not know it."""
        import numpy as np
        key = hash(word.encode("utf-8"))
        at = int(np.searchsorted(self.keys, key))
        return int(self.rows[at]) if at < len(self.keys) and self.keys[at] == key else -1

    def matrix(self, rows):
        """The vectors of the given rows, as a float32 matrix."""
        import numpy as np
        if not len(rows):
            return np.zeros((0, self.dim), dtype=np.float32)
        index = self.indexes[np.asarray(rows)]
        return self.codes[self.parts, index].reshape(len(rows), self.dim)


def _navec_path():
    spec = importlib.util.find_spec("natasha")   # finds the package without importing it
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / NAVEC_FILE
    return path if path.is_file() else None


def _read(path):
    """navec's archive: vocab.bin (gzip: count, counts, words by lines), pq.bin (sizes, codes)."""
    import numpy as np
    with tarfile.open(path) as tar:
        meta = json.loads(tar.extractfile("meta.json").read())
        if meta.get("protocol") != 1:
            raise ValueError(f"navec protocol {meta.get('protocol')}")
        raw = gzip.decompress(tar.extractfile("vocab.bin").read())
        pq = tar.extractfile("pq.bin").read()
    size = int(np.frombuffer(raw[:4], np.uint32)[0])
    counts = np.frombuffer(raw[4:4 + 4 * size], np.uint32)
    words = raw[4 + 4 * size:].split(b"\n")
    del raw
    vectors, dim, parts, centroids = (int(v) for v in np.frombuffer(pq[:16], np.uint32))
    if len(words) != size or vectors != size:
        raise ValueError("navec vocabulary and vectors disagree")
    indexes = np.frombuffer(pq[16:16 + vectors * parts], np.uint8).reshape(vectors, parts).copy()
    codes = np.frombuffer(pq[16 + vectors * parts:], np.float32)
    codes = codes.reshape(parts, centroids, -1).copy()
    if codes.shape[2] * parts != dim:
        raise ValueError("navec vector size")
    return WordVectors(words, counts.copy(), indexes, codes)


def vectors():
    """The process's word vectors, read on first use; None when they cannot be had."""
    global _table, _failed
    if _table is None and not _failed:
        with _lock:
            if _table is None and not _failed:
                try:
                    path = _navec_path()
                    if path is None:
                        raise FileNotFoundError(NAVEC_FILE)
                    _table = _read(path)
                except (OSError, ValueError, KeyError, tarfile.TarError) as error:
                    import logging
                    logging.getLogger(__name__).warning(
                        "word vectors unavailable, suggestions stay lexical: %s", error)
                    _failed = True
    return _table


def embed(docs, weight_of=None):
    """A unit vector per doc (a list of words): the SIF-weighted mean of its known words' vectors,
    the batch's common direction removed (what every idea of a session shares says nothing of
    any one). `weight_of(word)` multiplies a word's weight (setting words, say). Docs with no known
    word get a zero vector. None when there are no word vectors."""
    import numpy as np
    table = vectors()
    if table is None:
        return None
    vocabulary, rows = {}, []
    for doc in docs:
        for word in doc:
            if word not in vocabulary:
                row = _lookup(table, word)
                vocabulary[word] = len(rows) if row >= 0 else -1
                if row >= 0:
                    rows.append(row)
    words_matrix = table.matrix(rows).astype(np.float64)
    shares = table.share[np.asarray(rows, dtype=np.int64)]
    sif = SIF_A / (SIF_A + shares)
    out = np.zeros((len(docs), table.dim))
    for i, doc in enumerate(docs):
        known = [(vocabulary[w], w) for w in doc if vocabulary[w] >= 0]
        if not known:
            continue
        ids = np.array([k for k, _ in known])
        weights = sif[ids] * np.array([weight_of(w) if weight_of else 1.0 for _, w in known])
        if weights.sum() <= 0:
            continue
        out[i] = weights @ words_matrix[ids] / weights.sum()
    live = np.linalg.norm(out, axis=1) > 0
    if live.sum() >= 2:
        # the first singular direction of the batch is what all ideas share
        _, _, vt = np.linalg.svd(out[live], full_matrices=False)
        common = vt[0]
        out[live] -= np.outer(out[live] @ common, common)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return np.divide(out, norms, out=np.zeros_like(out), where=norms > 0)


def _lookup(table, word):
    """The row of a lemma, trying its spelling with "ё" (the lemmas are written with "е")."""
    row = table.row(word)
    if row < 0 and "е" in word:
        for at in [i for i, c in enumerate(word) if c == "е"]:
            row = table.row(word[:at] + "ё" + word[at + 1:])
            if row >= 0:
                break
    return row
