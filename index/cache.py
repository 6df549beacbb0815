"""Embeddings cached on disk by a hash of their text: published tables repeat the same
phrases thousands of times, and embedding (not search) is what costs time."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from .embedders import Embedder

# Vectors of the bundled corpus's texts, shipped with the package for the default model, so that a
# fresh machine builds its first index without a model pass (`python -m index.evaluation.bundle_vectors`
# writes them; a test checks they cover the bundled corpus and equal what the model computes).
BUNDLED = Path(__file__).resolve().with_name("bundled")


def text_key(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


def _chunk_sum(keys: bytes, vecs: bytes) -> str:
    return hashlib.blake2b(keys + vecs, digest_size=16).hexdigest()


class EmbeddingCache:
    """Append-only store per model: `<model>.keys` (16-byte hashes), `<model>.f32` (vectors) and
    `<model>.sums` (one line per append: the entry count after it and a blake2b of its keys and vectors).

    Appends write the vectors first, then the keys, then the checksum line, so a crash mid-append
    leaves at worst a tail without its checksum. On open the appends are verified in order; from the
    first that does not match (or has keys and vectors of different lengths) the tail is ignored and
    cut off, with a message: those texts are embedded again when next needed."""

    def __init__(self, folder: Path | None, embedder: Embedder, bundled: bool = True, query: bool = False):
        self.embedder = embedder
        self.dim = embedder.dim
        # queries (what is searched for) are embedded differently from passages by asymmetric models
        # (e5: "query: "), so they live in files of their own: `<model>.query.keys` …
        self.query = query
        self._embed = embedder.encode_query if query else embedder.encode
        self.memory: dict[bytes, np.ndarray] = {}
        self.hits = self.misses = 0
        self.paths = None
        name = self.model_name(embedder.name, query)
        if bundled:  # read-only: what ships with the package, under the user's own cache
            self._load(self.files(BUNDLED, name))
        if folder is not None:
            self.paths = self.files(folder, name)
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError:
                self.paths = None  # read-only and absent: work in memory
            if self.paths is not None:
                self._load(self.paths, verify=True)

    @staticmethod
    def model_name(model: str, query: bool = False) -> str:
        return f"{model}.query" if query else model

    @staticmethod
    def files(folder: Path, model: str) -> tuple[Path, Path]:
        safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in model)
        return folder / f"{safe}.keys", folder / f"{safe}.f32"

    def _load(self, paths: tuple[Path, Path], verify: bool = False) -> None:
        keys_path, vec_path = paths
        if not keys_path.exists() or not vec_path.exists():
            return
        keys = keys_path.read_bytes()
        raw = vec_path.read_bytes()
        n = min(len(keys) // 16, len(raw) // (4 * self.dim))
        if verify:
            n = self._verified(paths, keys, raw, n)
        vecs = np.frombuffer(raw, dtype=np.float32, count=n * self.dim).reshape(n, self.dim)
        for i in range(n):
            self.memory[keys[i * 16:(i + 1) * 16]] = vecs[i]

    def _sums_path(self) -> Path:
        return self.paths[0].with_suffix(".sums")

    def _verified(self, paths: tuple[Path, Path], keys: bytes, raw: bytes, n: int) -> int:
        """How many entries pass their checksums; a damaged or unchecked tail is cut off with a message."""
        from corpus.store import notice

        keys_path, vec_path = paths
        sums_path = self._sums_path()
        width = 4 * self.dim
        entries: list[tuple[int, str]] = []
        if sums_path.exists():
            good, why = 0, ""
            for line in sums_path.read_text(encoding="ascii", errors="replace").splitlines():
                try:
                    end, digest = line.split()
                    end = int(end)
                except ValueError:
                    why = "校验记录损坏"
                    break
                if end <= good or end > n or _chunk_sum(keys[good * 16:end * 16], raw[good * width:end * width]) != digest:
                    why = "校验和不符"
                    break
                entries.append((end, digest))
                good = end
            if good < n and not why:
                why = "末尾有未校验的条目"
        else:  # a cache from before checksums: trusted once, checksummed from now on
            good = n
            if n:
                entries = [(n, _chunk_sum(keys[: n * 16], raw[: n * width]))]
            why = ""
        exact = len(keys) == good * 16 and len(raw) == good * width
        if why or len(keys) // 16 != len(raw) // width:
            why = why or f"键 {len(keys) // 16} 条与向量 {len(raw) // width} 条不一致"
            notice(f"嵌入缓存已损坏（{keys_path.name}：{why}），已忽略损坏的 {max(len(keys) // 16, len(raw) // width) - good} 条，"
                   "这些文本需要时会重新计算。")
        try:
            if not exact:
                with open(keys_path, "r+b") as f:
                    f.truncate(good * 16)
                with open(vec_path, "r+b") as f:
                    f.truncate(good * width)
            if not sums_path.exists() or why:
                sums_path.write_text("".join(f"{e} {d}\n" for e, d in entries), encoding="ascii")
        except OSError:
            self.paths = None  # read-only: use what is good, append nothing
        return good

    def _append(self, keys: list[bytes], vecs: np.ndarray) -> None:
        if self.paths is None or not keys:
            return
        keys_path, vec_path = self.paths
        data = np.ascontiguousarray(vecs, dtype=np.float32).tobytes()
        joined = b"".join(keys)
        try:
            end = keys_path.stat().st_size // 16 + len(keys) if keys_path.exists() else len(keys)
            with open(vec_path, "ab") as f:
                f.write(data)
            with open(keys_path, "ab") as f:
                f.write(joined)
            with open(self._sums_path(), "a", encoding="ascii") as f:
                f.write(f"{end} {_chunk_sum(joined, data)}\n")
        except OSError:
            from corpus.store import notice

            self.paths = None
            notice("嵌入缓存无法写入（数据文件夹只读？）：新计算的向量只在本次使用。")

    def encode(self, texts: Sequence[str], batch_size: int = 64,
               progress: Callable[[int], None] | None = None) -> np.ndarray:
        """Vectors for texts, embedding each distinct unseen text once."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        todo: dict[bytes, list[int]] = {}
        todo_text: dict[bytes, str] = {}
        for i, text in enumerate(texts):
            if not text:
                continue  # an empty field contributes nothing
            key = text_key(text)
            vec = self.memory.get(key)
            if vec is not None:
                out[i] = vec
                self.hits += 1
            else:
                todo.setdefault(key, []).append(i)
                todo_text[key] = text
                self.misses += 1
        keys = list(todo)
        step = 64 if progress else 512  # smaller steps when someone watches the progress
        for start in range(0, len(keys), step):
            chunk = keys[start:start + step]
            vecs = self._embed([todo_text[k] for k in chunk], batch_size=batch_size)
            for k, v in zip(chunk, vecs):
                self.memory[k] = v
                out[todo[k]] = v
            self._append(chunk, vecs)
            if progress:
                progress(len(chunk))
        return out

    def hit_rate(self) -> float:
        total = self.hits + self.misses
        return self.hits / total if total else 0.0
