"""Opening the corpus and its index once: the UI keeps the result, the CLI opens it per command."""

from __future__ import annotations

from collections.abc import Callable

from corpus.build import load_or_build


def load_services(progress: Callable[[int], None] | None = None, model: str | None = None,
                  fusion: str | None = None, rebuild: bool = False, backend: str = "auto"):
    """The chat's Services over the stored (or bundled) corpus, with a current index."""
    from assistant.chat import Services
    from index.embedders import get_embedder
    from index.settings import fusion_mode, model_spec
    from index.store import open_indexes

    corpus = load_or_build()
    indexes = open_indexes(corpus, get_embedder(model_spec(model)), rebuild=rebuild, backend=backend,
                           fusion=fusion_mode(fusion), progress=progress)
    return Services(indexes=indexes, corpus=corpus)
