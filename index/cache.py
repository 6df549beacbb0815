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


class EmbeddingCache:
    """Append-only store per model: `<model>.keys` (16-byte hashes) and `<model>.f32` (vectors).

    Appends write the vectors first, then the keys, so a crash mid-append leaves at worst
    unused vectors, never a key without its vector."""

    def __init__(self, folder: Path | None, embedder: Embedder, bundled: bool = True):
        self.embedder = embedder
        self.dim = embedder.dim
        self.memory: dict[bytes, np.ndarray] = {}
        self.hits = self.misses = 0
        self.paths = None
        if bundled:  # read-only: what ships with the package, under the user's own cache
            self._load(self.files(BUNDLED, embedder.name))
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
            self.paths = self.files(folder, embedder.name)
            self._load(self.paths)

    @staticmethod
    def files(folder: Path, model: str) -> tuple[Path, Path]:
        safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in model)
        return folder / f"{safe}.keys", folder / f"{safe}.f32"

    def _load(self, paths: tuple[Path, Path]) -> None:
        keys_path, vec_path = paths
        if not keys_path.exists() or not vec_path.exists():
            return
        keys = keys_path.read_bytes()
        vecs = np.fromfile(vec_path, dtype=np.float32)
        n = min(len(keys) // 16, vecs.size // self.dim)
        vecs = vecs[: n * self.dim].reshape(n, self.dim)
        for i in range(n):
            self.memory[keys[i * 16:(i + 1) * 16]] = vecs[i]

    def _append(self, keys: list[bytes], vecs: np.ndarray) -> None:
        if self.paths is None or not keys:
            return
        keys_path, vec_path = self.paths
        with open(vec_path, "ab") as f:
            f.write(np.ascontiguousarray(vecs, dtype=np.float32).tobytes())
        with open(keys_path, "ab") as f:
            f.write(b"".join(keys))

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
            vecs = self.embedder.encode([todo_text[k] for k in chunk], batch_size=batch_size)
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
