"""Reading a project description: name, goal, budget, unit, year, type from free or labelled text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from corpus.values import normalise_text

from .numerals import CN_MONEY, cn_number


@dataclass
class Description:
    name: str = ""
    name_guessed: bool = False  # taken from a sentence, not given as a name
    goal: str = ""
    goal_replaces: bool = False  # given as 目标：… (replaces the old goal rather than adding to it)
    budget: str | None = None  # the text parse_budget reads
    budget_error: str = ""
    unit: str = ""
    year: int | None = None
    project_type: str | None = None

    def empty(self) -> bool:
        return not (self.name or self.goal or self.budget or self.unit or self.year or self.project_type)


LABEL = re.compile(r"(项目名称|项目类型|项目目标|绩效目标|项目内容|预算金额|预算年度|实施单位|主管部门|"
                   r"项目|名称|目标|内容|预算|单位|年度|类型)\s*[:：]")
_LABEL_FIELD = {"项目名称": "name", "项目": "name", "名称": "name", "项目目标": "goal", "绩效目标": "goal",
                "目标": "goal", "项目内容": "goal", "内容": "goal", "预算金额": "budget", "预算": "budget",
                "实施单位": "unit", "主管部门": "unit", "单位": "unit", "预算年度": "year", "年度": "year",
                "项目类型": "type", "类型": "type"}
CLAUSE_SPLIT = re.compile(r"[，,。；;！!？?\n]+")
_BUDGET_CLAUSE = re.compile(r"^(?:本项目|项目|年度|全年)?(?:总)?(?:预算|资金|经费|投入|投资|拨款|总额|金额)"
                            r"(?:总额|金额|总计|合计|数|额)?(?:为|是|约|共|有|计|改为|改成|调整为|调为|变为|:|：)?"
                            r"(?:约|共)?\s*\d")
_MONEY_CLAUSE = re.compile(r"^(?:共|总计|合计|约|预计)?\d[\d,]*(?:\.\d+)?\s*(?:万元|万|元)$")
_BUDGET_WORD = re.compile(r"^(?:本项目|项目|年度|全年)?(?:总)?(?:预算|资金|经费|投资)")
REQUEST = re.compile(r"^(?:请|麻烦)?(?:你)?(?:帮我|帮忙|给我|替我)?(?:我想|我要|想|要)?"
                     r"(?:起草|写|做|生成|编制|填写|填|拟)(?:一份|一个|一下|下)?")
REQUEST_TAIL = re.compile(r"(?:的)?(?:项目)?(?:支出)?(?:绩效目标表|绩效目标|绩效指标|目标表|指标表|指标)$")
_SENTENCE = re.compile(r"^(?:我|我们|咱|本项目|该项目|这个项目|此项目|今年|明年|计划|拟|为|给|对|向|需要|要|想|在|"
                       r"通过|主要|用于|提供|开展|组织|完成|保障|确保|实现|购买|发放|支付|负责|共|将)")
_YEAR_PREFIX = re.compile(r"^(20\d{2})\s*年(?:度)?")
_OBJECT_AFTER_VERB = re.compile(r"(?:提供|开展|实施|进行|完成|建设|购置|采购|发放|组织|运营|改造|维修|支付)"
                                r"([\u4e00-\u9fa5]{2,16})$")


def looks_like_sentence(clause: str) -> bool:
    rest = _YEAR_PREFIX.sub("", clause)
    return bool(_SENTENCE.match(clause)) or len(clause) > 30 or any(ch.isdigit() for ch in rest)


def budget_of(clause: str) -> tuple[str | None, str]:
    """(budget text, remainder) when the clause states the budget; (None, clause) otherwise."""
    c = normalise_text(clause)
    if _BUDGET_WORD.match(c):  # 预算四十万 → 预算40万
        c = CN_MONEY.sub(lambda m: f"{cn_number(m.group(1))}{m.group(2)}", c)
    if _BUDGET_CLAUSE.match(c) or _MONEY_CLAUSE.match(c):
        m = re.search(r"\d[\d,]*(?:\.\d+)?\s*(?:万元|万|元)?", c)
        return m.group(0), c[m.end():].strip()
    return None, clause


def spoken_budget(clause: str) -> bool:
    """'预算四十' – a budget in words we could not read: still a description, answered with why."""
    return bool(_BUDGET_WORD.match(clause)) and len(clause) <= 12 and bool(re.search(r"[一二两三四五六七八九十百千万]", clause))


def parse_description(text: str) -> Description:
    """'社区居家养老服务站运营，预算40万元，服务350名老人' → name, budget, goal.
    Labelled fields (项目：… 预算：… 目标：…) are read first; the rest clause by clause."""
    info = Description()
    text = (text or "").strip()
    free: list[str] = []
    labels = list(LABEL.finditer(text))
    free.append(text[: labels[0].start()] if labels else text)
    for i, m in enumerate(labels):
        seg = text[m.end(): labels[i + 1].start() if i + 1 < len(labels) else len(text)].strip()
        kind = _LABEL_FIELD[m.group(1)]
        if kind != "goal":  # one clause; what follows is free text
            head, *tail = CLAUSE_SPLIT.split(seg, maxsplit=1)
            seg, rest = head.strip(), (tail[0] if tail else "")
            free.append(rest)
        seg = seg.strip(" ，,。；;")
        if not seg:
            continue
        if kind == "name":
            info.name = seg
        elif kind == "goal":
            info.goal, info.goal_replaces = seg, True
        elif kind == "budget":
            budget, _ = budget_of("预算" + seg)
            info.budget, info.budget_error = (budget, "") if budget else (None, seg)
        elif kind == "unit":
            info.unit = seg
        elif kind == "year":
            m2 = re.search(r"20\d{2}", seg)
            info.year = int(m2.group(0)) if m2 else None
        else:
            info.project_type = seg
    goals: list[str] = []
    first = True
    for part in free:
        for clause in CLAUSE_SPLIT.split(part):
            clause = clause.strip()
            if not clause:
                continue
            budget, rest = budget_of(clause)
            if budget is not None:
                info.budget = budget
                if re.search(r"[\u4e00-\u9fa5]{2,}", rest):
                    goals.append(rest)
                first = False
                continue
            if spoken_budget(clause) and not any(ch.isdigit() for ch in clause):
                info.budget_error = clause  # "预算四十万"
                continue
            if first and not info.name:
                first = False
                cleaned = REQUEST_TAIL.sub("", REQUEST.sub("", clause)).strip()
                if cleaned and not looks_like_sentence(cleaned):
                    info.name = cleaned
                    continue
                goals.append(clause)
                m = _OBJECT_AFTER_VERB.search(cleaned or clause)
                info.name, info.name_guessed = (m.group(1) if m else (cleaned or clause)[:20]), True
                continue
            first = False
            goals.append(clause)
    if goals:
        info.goal = "，".join(g for g in ([info.goal] if info.goal else []) + goals)
    if info.name and info.year is None:
        m = _YEAR_PREFIX.match(info.name)
        info.year = int(m.group(1)) if m else None
    return info
