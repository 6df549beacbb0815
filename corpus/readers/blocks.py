"""The common shape every reader produces: a document as an ordered list of text lines
and table rows, each with its place in the file. The interpreter reads only this."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..models import Provenance


@dataclass
class Row:
    cells: list[str]
    where: Provenance
    # 'grid': real table cells (docx/xlsx), positions are columns, short rows end early;
    # 'cells': a one-cell-per-line text export, where a blank line may split a row;
    # 'tabs': a tab-per-row export whose merged cells leave a varying number of tabs.
    layout: str = "cells"

    def squeezed(self) -> list[str]:
        return ["".join(c.split()) for c in self.cells]

    def nonempty(self) -> list[str]:
        return [c for c in self.squeezed() if c]


@dataclass
class Text:
    text: str
    where: Provenance


Block = Row | Text


@dataclass
class ReadResult:
    blocks: list[Block] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class ReadError(Exception):
    """A file that cannot be read at all; the message names the file and the place."""
