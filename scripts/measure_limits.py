"""Print refusal time and extra peak RSS for the hostile files of tests/test_limits.py, and the time
to validate a ~5 MB text file of seed projects. Usage: python scripts/measure_limits.py"""

import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parents[1]), str(Path(__file__).resolve().parents[1] / "tests")]

from corpus.build import bundled_files  # noqa: E402
from corpus.export import write_docx, write_xlsx  # noqa: E402
from corpus.parse import parse_path  # noqa: E402
from test_limits import many_rows_xlsx, zip_bomb_docx  # noqa: E402


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
