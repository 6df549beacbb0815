"""What the assistant and the UI may use of an index: `Index`.

`index.store.Indexes` is the implementation (checked in tests/test_index.py); code outside
index/ is typed against this protocol, so anything else it needed would show up here first."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from .cache import EmbeddingCache
    from .embedders import Embedder
    from .records import Filters, Hit, RowRecord
    from .store import Manifest


@runtime_checkable
class Index(Protocol):
    """The row and project indexes of one corpus, searchable with one embedder."""

    embedder: Embedder  # the model the vectors were made with (to reopen after the corpus changed)
    cache: EmbeddingCache  # its embedding cache (the evaluation embeds indicator names through it)
    manifest: Manifest  # what was indexed: model, backends, corpus hash, counts
    status: str  # how it was opened (up to date, extended, rebuilt and why), for the user
    folder: Path  # where it is stored

    def search_rows(self, query: str, k: int = 10, filters: Filters | None = None,
                    distinct: bool = False) -> list[Hit]:
        """Indicator rows like the query, best first; `distinct`: one hit per indicator name."""
        ...

    def search_projects(self, query: str, k: int = 10, filters: Filters | None = None) -> list[Hit]:
        """Projects like the query (name, goals, unit), best first, one per name."""
        ...

    def rows_of_project(self, project_id: int) -> list[RowRecord]:
        """The indicator rows of one project (by ProjectRecord.id), in table order."""
        ...

    def rows_in_slot(self, level2: str) -> list[RowRecord]:
        """Every indicator row under one 二级指标 (for tools over the whole corpus; a draft reads
        `slot_prior`, whose size does not grow with the corpus)."""
        ...

    def slot_prior(self, level2: str) -> list[RowRecord]:
        """What the field writes under one 二级, aggregated when the index is built: the most used
        distinct indicator names (by units, then projects), each with a bounded sample of its rows."""
        ...

    def stored_version(self) -> str | None:
        """`manifest.version()` of the index as stored now (None: unknown); differs from the loaded
        manifest's once another process (a CLI command, another replica) extended or rebuilt it."""
        ...

    def prime_queries(self, texts: list[str]) -> None:
        """Encode these query texts in one model call and keep their vectors for the searches that follow."""
        ...
