"""From a document's rows and lines to projects and their indicator rows.

One reader of the common block shape (see readers/blocks.py) for every file type, so a
.txt export, a .docx and an .xlsx of the same table give the same records.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .categories import (PARENT, canonical_level2, is_category_word, level1_category, level2_category,
                         parent_of, squeeze)
from .models import Category, IndicatorRow, Money, ParseIssue, Project, Provenance
from .readers.blocks import Block, Row, Text
from .table_text import column_role, find_unit, is_header, region_of, split_goals
from .values import money_unit_from_header, parse_money, parse_target_value

_TITLE = re.compile(r"(绩效目标(申报)?表|部门整体支出绩效指标)$")
_DEPARTMENT = re.compile(r"部门整体")
_GOAL_NO = re.compile(r"^目标(\d+)$")
_TERMINATOR = re.compile(r"^(其他需要?说明|财政部门|审核意见|备注|填报说明|部门政府采购|政府采购)")
_SECTION = re.compile(r"^(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、)")
_NAME_PREFIX = re.compile(r"^指标\s*\d+\s*[:：]\s*")
_TITLE_NUMBER = re.compile(r"^[（(]?[\d一二三四五六七八九十]+[)）.、．]\s*")
_YEAR = re.compile(r"(20\d{2})\s*年")

# keys of metadata cells whose value is the next filled cell
_FIELD_KEYS = {
    "项目编码": "code", "项目名称": "name", "项目属性": "attribute", "项目期": "period",
    "主管部门": "unit_main", "实施单位": "unit_impl", "预算单位": "unit_impl", "单位名称": "unit_impl",
    "资金用途": "purpose",
}
_META_STARTS = ("项目编码", "项目名称", "预算规模", "项目资金", "主管部门", "项目属性", "预算单位")



def _has_digit(s: str) -> bool:
    return any(ch.isdigit() for ch in re.sub(r"[（(][^)）]*[)）]", "", s))


@dataclass
class _Table:
    """The project being read, until its table ends."""

    title: str = ""
    titled: bool = False  # started by a title line, so it must hold an indicator table
    kind: str = "project"
    where: Provenance | None = None
    fields: dict[str, str] = field(default_factory=dict)
    budget: Money = field(default_factory=Money)
    fiscal: Money = field(default_factory=Money)
    other: Money = field(default_factory=Money)
    money_unit: str = ""
    plan: dict[str, str] = field(default_factory=dict)
    goals: list[str] = field(default_factory=list)
    columns: list[str] | None = None
    header_where: Provenance | None = None
    rows: list[tuple[int | None, IndicatorRow]] = field(default_factory=list)
    pending: tuple[str, list[str]] | None = None  # a key row whose values come in the next row
    goal_no: int | None = None
    text_since_row: list[str] = field(default_factory=list)
    last_l1: Category = field(default_factory=Category)
    last_l2: Category = field(default_factory=Category)

    @property
    def in_data(self) -> bool:
        """Past the indicator header: rows are indicator rows until the table ends."""
        return self.columns is not None

    def has_metadata(self) -> bool:
        return bool(self.fields or self.budget.raw or self.goals)


class Interpreter:
    def __init__(self, source: str, blocks: list[Block]):
        self.source = source
        self.blocks = blocks
        self.projects: list[Project] = []
        self.issues: list[ParseIssue] = []
        head = [b.text if isinstance(b, Text) else " ".join(b.cells) for b in blocks[:60]]
        explicit = [" ".join(b.cells[1:]) for b in blocks
                    if isinstance(b, Row) and b.nonempty() and any(k in b.nonempty()[0] for k in ("主管部门", "预算单位", "实施单位"))]
        self.unit = find_unit(explicit + head)
        years = [int(m.group(1)) for t in head[:30] for m in [_YEAR.search(t)] if m]
        self.year = years[0] if years else None
        self.money_unit = ""  # a unit header met outside any project
        self.table: _Table | None = None

    # -- driving -------------------------------------------------------------
    def run(self) -> tuple[list[Project], list[ParseIssue]]:
        i = 0
        while i < len(self.blocks):
            block = self.blocks[i]
            if isinstance(block, Text):
                self._text(block)
            else:
                i = self._row(i)
            i += 1
        self._close()
        return self.projects, self.issues

    def _issue(self, where: Provenance | None, message: str, severity: str = "error") -> None:
        self.issues.append(ParseIssue(source=self.source, where=where.where() if where else self.source,
                                      severity=severity, message=message))

    def _start(self, title: str, where: Provenance) -> None:
        self._close()
        kind = "department" if _DEPARTMENT.search(title) else "project"
        name = _TITLE_NUMBER.sub("", title)
        name = re.sub(r"(绩效目标(申报)?表|绩效指标)$", "", name)
        if re.fullmatch(r"(20\d{2}年)?(部门)?(项目支出)?(预算)?", name):
            name = ""  # generic heading such as "2024年部门项目支出预算绩效目标表"
        self.table = _Table(title=name, titled=True, kind=kind, where=where)

    def _ensure(self, where: Provenance) -> _Table:
        if self.table is None:
            self.table = _Table(where=where)
        return self.table

    # -- text lines ----------------------------------------------------------
    def _text(self, block: Text) -> None:
        text = squeeze(block.text)
        if _TITLE.search(text):
            self._start(text, block.where)
            return
        t = self.table
        if t is None:
            return
        if t.in_data and (_SECTION.match(text) or _TERMINATOR.match(text)):
            self._close()
            return
        t.text_since_row.append(text)
        unit = money_unit_from_header(text)
        if unit and text.startswith(("单位", "金额单位")):
            t.money_unit = unit

    # -- rows ----------------------------------------------------------------
    def _row(self, i: int) -> int:
        """Read the row at i; return the index of the last block it consumed."""
        row: Row = self.blocks[i]  # type: ignore[assignment]
        filled = row.nonempty()
        if not filled:
            return i
        first = filled[0]
        if len(filled) == 1 and _TITLE.search(first):
            self._start(first, row.where)
            return i
        t = self.table
        if t is not None and t.in_data:
            if _TERMINATOR.match(first):
                self._close()
                return i
            if first.startswith(_META_STARTS):  # a new project without a title line
                self._close()
                t = None
        if is_header(row):
            t = self._ensure(row.where)
            t.columns = [column_role(c) for c in row.cells]
            t.header_where = row.where
            # a second header row splitting 指标值 into 符号 / 值 / 单位
            nxt = self.blocks[i + 1] if i + 1 < len(self.blocks) else None
            if isinstance(nxt, Row) and nxt.nonempty() and set(nxt.nonempty()) <= {"符号", "值", "单位", "计量单位"}:
                k = len(nxt.nonempty())
                pos = t.columns.index("value")
                span = 1  # a merged 指标值 header cell may already cover its sub-columns
                while span < k and pos + span < len(t.columns) and not t.columns[pos + span]:
                    span += 1
                t.columns[pos:pos + span] = ["op", "num", "unit"][:k]
                return i + 1
            return i
        if t is not None and t.in_data:
            return self._data_row(i)
        self._metadata(row)
        return i

    def _metadata(self, row: Row) -> None:
        cells = row.squeezed()
        filled = row.nonempty()
        t = self.table
        unit = next(filter(None, map(money_unit_from_header, cells)), "")
        if unit and t is None:
            self.money_unit = unit
        if t is None and not filled[0].startswith(_META_STARTS) and not filled[0].startswith(("绩效目标", "年度绩效目标")):
            return
        t = self._ensure(row.where)
        if unit:
            t.money_unit = unit
        default_unit = t.money_unit or self.money_unit

        if t.pending:  # values row under a key row (资金支出计划, 支出合计 …)
            kind, keys = t.pending
            t.pending = None
            if kind == "keys" and not cells[0]:  # the values row leaves the label column empty
                for key, value in zip(keys, row.cells):
                    key, value = squeeze(key), value.strip()
                    if not key or not value:
                        continue
                    if key.endswith("月底"):
                        t.plan[key] = value
                    elif key == "支出合计" and not t.budget.raw:
                        t.budget = parse_money(value, default_unit)
                return
            if kind == "purpose" and not cells[0] and len(filled) == 1:
                t.fields["purpose"] = row.cells[[bool(c) for c in cells].index(True)].strip()
                return
            if kind == "goals" and not filled[0].startswith(("绩效指标", "一级")):
                t.goals += [g for g in split_goals(" ".join(c for c in row.cells if c.strip())) if g not in t.goals]
                return

        label = filled[0]
        if label.startswith(("绩效目标", "年度绩效目标", "年度总体绩效目标")):
            texts = [c for c, s in zip(row.cells, cells) if s and s != label]
            goals = list(dict.fromkeys(g for c in texts for g in split_goals(c.strip())))
            if not goals and label != "绩效目标":
                goals = split_goals(row.cells[cells.index(label)])
            t.goals += [g for g in goals if g not in t.goals]
            if not goals:
                t.pending = ("goals", [])
            return
        if "资金支出计划" in label or any(c in ("支出合计", "收入合计") for c in cells):
            if "收入合计" not in cells:
                t.pending = ("keys", row.cells)
            return
        for j, sq in enumerate(cells):
            money_field = ("budget" if (sq.startswith("预算数") or "资金总额" in sq) else
                           "fiscal" if ("财政拨款" in sq or "财政资金" in sq) else
                           "other" if "其他资金" in sq else "")
            if money_field:
                if _has_digit(sq):
                    value = row.cells[j]
                elif j + 1 < len(cells) and _has_digit(cells[j + 1]):
                    value = row.cells[j + 1]
                else:
                    continue
                if not getattr(t, money_field).raw:
                    setattr(t, money_field, parse_money(value, default_unit))
                continue
            key = next((k for k in _FIELD_KEYS if sq == k), None)
            if key:
                value = next((c.strip() for c, s in zip(row.cells[j + 1:], cells[j + 1:])
                              if s and s not in _FIELD_KEYS), "")
                if value and _FIELD_KEYS[key] not in t.fields:
                    t.fields[_FIELD_KEYS[key]] = value
        if cells[0].startswith("预算规模"):
            t.pending = ("purpose", [])

    # -- indicator rows --------------------------------------------------------
    def _data_row(self, i: int) -> int:
        t = self.table
        assert t is not None and t.columns is not None
        row: Row = self.blocks[i]  # type: ignore[assignment]
        width = len(t.columns)
        cells = list(row.cells)
        where = row.where
        consumed = i
        if row.layout == "tabs":
            mapped = self._align_by_content(cells, t.columns)
        else:
            while len(cells) > width and not cells[-1].strip():
                cells.pop()
            if row.layout == "cells" and len(cells) < width:
                # a blank line inside a Word row splits it: join the pieces when they add up
                j, merged = i, list(cells)
                while len(merged) < width and j + 1 < len(self.blocks) and isinstance(self.blocks[j + 1], Row):
                    j += 1
                    merged += self.blocks[j].cells  # type: ignore[union-attr]
                if len(merged) == width:
                    cells, consumed = merged, j
                    where = Provenance(source=self.source, line_start=row.where.line_start,
                                       line_end=self.blocks[j].where.line_end)
            if len(cells) > width:
                extra, cells = cells[: len(cells) - width], cells[len(cells) - width:]
                t.text_since_row += [squeeze(c) for c in extra]
            elif len(cells) < width:
                cells = ([""] * (width - len(cells)) + cells) if row.layout == "cells" else cells + [""] * (width - len(cells))
            mapped = {}
            for role, cell in zip(t.columns, cells):
                if role and role not in mapped:
                    mapped[role] = cell.strip()
                elif not role and _GOAL_NO.match(squeeze(cell)):
                    t.text_since_row.append(squeeze(cell))
        goal = next((int(m.group(1)) for s in t.text_since_row for m in [_GOAL_NO.match(s)] if m), None)
        joined = "".join(t.text_since_row)
        if goal is None:
            m = re.search(r"目标(\d+)$", joined)
            goal = int(m.group(1)) if m else None
        if goal is not None and goal != t.goal_no:
            t.goal_no = goal
            t.last_l1 = t.last_l2 = Category()
        t.text_since_row = []
        self._add_row(t, mapped, where)
        return consumed

    def _align_by_content(self, cells: list[str], columns: list[str]) -> dict[str, str]:
        """Tab-per-row exports: read categories, the '指标N:' name and the value by what they are."""
        filled = [c.strip() for c in cells if c.strip()]
        while filled and squeeze(filled[0]) in ("绩效指标",):
            filled.pop(0)
        cats: list[str] = []
        while filled and is_category_word(filled[0]) and len(cats) < 2:
            cats.append(filled.pop(0))
        mapped: dict[str, str] = {}
        if len(cats) == 2:
            mapped["level1"], mapped["level2"] = cats
        elif len(cats) == 1:
            mapped["level2" if canonical_level2(cats[0]) else "level1"] = cats[0]
        if filled:
            mapped["name"] = filled.pop(0)
        tail = [c for c in columns[columns.index("name") + 1:] if c] if "name" in columns else ["value"]
        for role, cell in zip(tail, filled):
            mapped[role] = cell
        if len(filled) > len(tail) and tail:
            mapped[tail[-1]] = " ".join([mapped[tail[-1]]] + filled[len(tail):])
        return mapped

    def _add_row(self, t: _Table, mapped: dict[str, str], where: Provenance) -> None:
        if "value" in mapped:
            value_raw = mapped["value"]
        else:
            value_raw = "".join(mapped.get(k, "").strip() for k in ("op", "num", "unit"))
        name_raw = mapped.get("name", "")
        if not squeeze(name_raw) and not squeeze(value_raw):
            return
        l1_raw, l2_raw = mapped.get("level1", ""), mapped.get("level2", "")
        l1 = level1_category(l1_raw) if squeeze(l1_raw) else t.last_l1
        l2 = level2_category(l2_raw) if squeeze(l2_raw) else t.last_l2
        if not squeeze(l1_raw) and squeeze(l2_raw) and l2.name and l1.name not in PARENT.get(l2.name, ()):
            # the 一级 cell was merged into the 二级 one ("满意度指标" spanning both): the 二级 tells
            l1 = Category(name=parent_of(l2.name), raw="")
        if squeeze(l1_raw) and not squeeze(l2_raw) and l1.name != t.last_l1.name:
            l2 = Category()  # a new 一级 group starts without a 二级 of the old one
        t.last_l1, t.last_l2 = l1, l2
        name = " ".join(_NAME_PREFIX.sub("", name_raw.strip()).split())
        weight = None
        if mapped.get("weight"):
            try:
                weight = float(squeeze(mapped["weight"]))
            except ValueError:
                self._issue(where, f"权重无法识别：{mapped['weight']}", "warning")
        row = IndicatorRow(
            level1=l1, level2=l2, name=name.replace("\n", ""), name_raw=name_raw,
            description=" ".join(mapped.get("description", "").split()),
            value=parse_target_value(value_raw), basis=" ".join(mapped.get("basis", "").split()),
            scoring=" ".join(mapped.get("scoring", "").split()), weight=weight, provenance=where,
        )
        if not row.name:
            self._issue(where, "指标行缺少三级指标名称", "warning")
        if not l1.name or not l2.name:
            self._issue(where, f"指标类别无法识别：一级「{l1.raw}」二级「{l2.raw}」", "warning")
        t.rows.append((t.goal_no, row))

    # -- finishing -------------------------------------------------------------
    def _close(self) -> None:
        t, self.table = self.table, None
        if t is None:
            return
        if not t.rows:
            if t.columns is not None:
                self._issue(t.header_where, f"表格中断：「{t.title or t.fields.get('name', '')}」有表头但没有指标行")
            elif t.titled and t.has_metadata():
                self._issue(t.where, f"表格中断：「{t.fields.get('name') or t.title}」只有项目信息，没有指标表")
            return
        unit = t.fields.get("unit_impl") or t.fields.get("unit_main") or self.unit
        base = dict(
            source=self.source, kind=t.kind, unit=unit, region=region_of(unit), year=self.year,
            name=t.fields.get("name") or t.title, code=t.fields.get("code", ""),
            attribute=t.fields.get("attribute", ""), period=t.fields.get("period", ""),
            budget=t.budget, fiscal=t.fiscal, other_funds=t.other,
            money_unit=t.money_unit or self.money_unit, purpose=t.fields.get("purpose", ""),
            spending_plan=t.plan,
        )
        groups: dict[int | None, list[IndicatorRow]] = {}
        for goal, row in t.rows:
            groups.setdefault(goal, []).append(row)
        for goal, rows in groups.items():
            goals = t.goals
            if goal is not None:
                own = [g for g in t.goals if re.match(rf"目标{goal}\D", g)]
                goals = own or t.goals
            first, last = rows[0].provenance, rows[-1].provenance
            # a goal's own rows, or the whole table from its title
            start = first if goal is not None or t.where is None else t.where
            where = (Provenance(source=self.source, line_start=start.line_start or first.line_start,
                                line_end=last.line_end)
                     if first.line_start is not None else (t.where or first))
            self.projects.append(Project(**base, goal_number=goal, goals=goals, rows=rows, provenance=where))


def interpret(source: str, blocks: list[Block]) -> tuple[list[Project], list[ParseIssue]]:
    return Interpreter(source, blocks).run()
