"""Building a corpus from the bundled documents plus the user's files and folders."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from pydantic import BaseModel

from .models import Corpus, DocumentResult, ParseIssue
from .parse import SUPPORTED_SUFFIXES, parse_path
from . import store
from .store import bundled_files

# Files a folder scan reports as unreadable instead of passing over in silence.
_REPORTED_SUFFIXES = SUPPORTED_SUFFIXES | {".doc", ".xls", ".wps", ".et", ".pdf", ".csv"}


class DocumentStats(BaseModel):
    source: str
    projects: int
    rows: int
    unclean: int
    errors: int
    warnings: int


def expand(paths: Iterable[Path | str]) -> tuple[list[Path], list[ParseIssue]]:
    files: list[Path] = []
    issues: list[ParseIssue] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files += sorted(p for p in path.rglob("*")
                            if p.is_file() and p.suffix.lower() in _REPORTED_SUFFIXES and not p.name.startswith((".", "~$")))
        elif path.exists():
            files.append(path)
        else:
            issues.append(ParseIssue(source=str(path), where=str(path), message=f"{path}: 文件不存在"))
    return files, issues


def build(paths: Iterable[Path | str] = (), include_bundled: bool = True,
          progress: Callable[[Path], None] | None = None) -> Corpus:
    """Parse every file; a bad file becomes a document with issues and the batch goes on.
    The bundled documents and the ones the user added through the UI come first."""
    files, missing = expand(paths)
    if include_bundled:
        library = store.documents_dir()
        files = bundled_files() + (expand([library])[0] if library.is_dir() else []) + files
    documents: list[DocumentResult] = [DocumentResult(source=i.source, issues=[i]) for i in missing]
    seen: set[str] = set()
    for path in files:
        source = path.name if path.name not in seen else str(path)
        seen.add(source)
        documents.append(parse_path(path, source))
        if progress:
            progress(path)
    return Corpus(documents=documents)


def stats(corpus: Corpus) -> list[DocumentStats]:
    return [
        DocumentStats(
            source=d.source, projects=len(d.projects), rows=sum(len(p.rows) for p in d.projects),
            unclean=sum(1 for p in d.projects for r in p.rows if not r.value.clean),
            errors=sum(1 for i in d.issues if i.severity == "error"),
            warnings=sum(1 for i in d.issues if i.severity == "warning"),
        )
        for d in corpus.documents
    ]


def export_records(corpus: Corpus) -> Iterable[dict]:
    """One flat record per indicator row: the stable export format (`jixiao corpus export --jsonl`)."""
    for p in corpus.projects():
        for r in p.rows:
            yield {
                "source": p.source, "unit": p.unit, "region": p.region, "year": p.year,
                "project": p.name, "project_code": p.code, "kind": p.kind, "goal_number": p.goal_number,
                "budget_wan": p.budget.wan, "level1": r.level1.name, "level1_raw": r.level1.raw,
                "level2": r.level2.name, "level2_raw": r.level2.raw, "name": r.name,
                "description": r.description, "value_raw": r.value.raw, "op": r.value.op,
                "number": r.value.number, "value_unit": r.value.unit, "qualitative": r.value.qualitative,
                "clean": r.value.clean, "problem": r.value.problem, "basis": r.basis,
                "scoring": r.scoring, "where": r.provenance.where(),
            }


def load_or_build() -> Corpus:
    """The stored corpus, or the bundled one built and stored on the spot (every entry point works at once)."""
    path = store.corpus_path()
    try:
        corpus = store.load()
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        corpus = None
        moved = store.set_aside(path)
        what = f"已改名为 {moved.name} 留存" if moved else "无法改名留存"
        store.notice(f"语料文件已损坏（{path.name}：{type(exc).__name__}），{what}；已从内置文档和资料库重新建立语料。")
    if corpus is None:
        try:
            corpus = build()  # the bundled documents and the user's library
        except Exception as exc:  # noqa: BLE001 — any failure here is "cannot rebuild"
            raise store.DamagedData(f"语料已损坏且无法重新建立：{exc}") from exc
        if not corpus.projects():
            raise store.DamagedData("语料已损坏且无法重新建立：内置文档和资料库中没有读入任何绩效目标表。")
        try:
            store.save(corpus)
        except OSError:
            store.notice("数据文件夹只读：语料只能读取，更改无法保存。")
    return corpus
