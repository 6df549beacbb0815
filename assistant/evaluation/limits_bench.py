"""Hostile files (a zip bomb .docx, a million-row .xlsx) made from a good file, and a script that
prints their refusal time and extra peak RSS and the time to validate a ~5 MB text file of seed
projects. Usage: python -m assistant.evaluation.limits_bench (tests/test_limits.py uses the makers)."""

import resource
import tempfile
import time
import zipfile
from pathlib import Path

from corpus.build import bundled_files
from corpus.export import write_docx, write_xlsx
from corpus.parse import parse_path


def zip_bomb_docx(good, out, expand_to=1024 ** 3):
    """A copy of a real .docx whose word/document.xml expands to `expand_to` bytes."""
    chunk = b"<w:p/>" * (1024 * 1024 // 6)
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename == "word/document.xml":
                with dst.open("word/document.xml", "w", force_zip64=True) as f:
                    written = 0
                    while written < expand_to:
                        f.write(chunk)
                        written += len(chunk)
            else:
                dst.writestr(info, src.read(info))
    return out


def many_rows_xlsx(good, out, rows=1_000_000):
    """A real .xlsx whose first sheet holds `rows` rows (hand-written sheet XML, streamed)."""
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename == "xl/worksheets/sheet1.xml":
                with dst.open(info.filename, "w", force_zip64=True) as f:
                    f.write(b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                            b'spreadsheetml/2006/main"><sheetData>')
                    for start in range(1, rows + 1, 10000):
                        f.write(b"".join(b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>x</t></is></c></row>' % (n, n)
                                         for n in range(start, min(start + 10000, rows + 1))))
                    f.write(b"</sheetData></worksheet>")
            else:
                dst.writestr(info, src.read(info))
    return out



def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    from assistant.review import check_document

    tmp = Path(tempfile.mkdtemp())
    seeds = bundled_files()
    p = parse_path(seeds[0]).projects[0]
    docx, xlsx = write_docx([p], tmp / "good.docx"), write_xlsx([p], tmp / "good.xlsx")
    bomb = zip_bomb_docx(docx, tmp / "bomb.docx")
    big = many_rows_xlsx(xlsx, tmp / "rows.xlsx")
    streamed = many_rows_xlsx(xlsx, tmp / "rows-400k.xlsx", rows=400_000)  # under the part limit: the row cap
    for f in (bomb, big, streamed):
        base = peak_mb()
        t = time.perf_counter()
        r = parse_path(f)
        print(f"{f.name}: {f.stat().st_size / 1e6:.1f} MB on disk, refused in {time.perf_counter() - t:.2f} s, "
              f"extra peak RSS {peak_mb() - base:.0f} MB: {r.issues[0].message}")
    texts = [s.read_bytes().decode("utf-8-sig") for s in seeds if s.suffix == ".txt"]
    out, n = [], 0
    while n < 5 * 1024 * 1024:
        for t in texts:
            out.append(t)
            n += len(t.encode())
    text = tmp / "big.txt"
    text.write_text("\n\n".join(out), encoding="utf-8")
    t = time.perf_counter()
    result = parse_path(text)
    parsed = time.perf_counter() - t
    findings = check_document(result, None)
    total = time.perf_counter() - t
    print(f"big.txt: {text.stat().st_size / 1e6:.1f} MB, {len(result.projects)} projects, parsed in {parsed:.1f} s, "
          f"parsed+validated in {total:.1f} s, {sum(len(f) for _, f in findings)} findings")


if __name__ == "__main__":
    main()
