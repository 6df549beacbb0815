"""Intents: one message → one action and its arguments, deterministically (regex + rapidfuzz,
no language model)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..drafting.profile import extract_quantities
from .description import CLAUSE_SPLIT, LABEL, REQUEST, REQUEST_TAIL, budget_of, looks_like_sentence, spoken_budget
from .numerals import NUMERAL, cn_number
from .slots import slot_in
from .state import ChatState

_ROW_REF = re.compile(r"第\s*" + NUMERAL + r"\s*(?:行|条|项|个指标|个)?|(?<![\d.%\-－第])([0-9]+)\s*行")
_LAST_ROW = re.compile(r"最后一行|最后一条|末行|最末一行")
_THIS_ROW = re.compile(r"这一行|这行|该行|此行|这条|这一条|这个指标|这个值|这一项|它")
_ALT_REF = re.compile(r"(?:备选|候选|替代项?|选项|方案)\s*第?\s*" + NUMERAL
                      + r"|第?\s*" + NUMERAL + r"\s*个?\s*(?:备选|候选|替代项?|选项|方案)")
_SET_VERB = re.compile(r"(修改为|修改成|改为|改成|改到|设置为|设定为|设为|设成|调整为|调整成|调为|调到|调成|定为|"
                       r"变为|变成|替换为|替换成|换成|换为|写成|写为|填写为|填为|填成|更正为|=)")
_FIELD_WORDS = [("指标值确定依据", "basis"), ("确定依据", "basis"), ("取值依据", "basis"), ("依据", "basis"),
                ("指标名称", "name"), ("三级指标", "name"), ("名称", "name"), ("名字", "name"),
                ("指标描述", "description"), ("绩效指标描述", "description"), ("描述", "description"),
                ("说明", "description"), ("指标值", "value"), ("目标值", "value"), ("数值", "value"), ("值", "value")]
_PROFILE_FIELDS = {"项目名称": "项目名称", "项目名": "项目名称", "项目": "项目名称", "项目预算": "预算", "预算": "预算",
                   "总预算": "预算", "预算金额": "预算", "绩效目标": "目标", "项目目标": "目标", "目标": "目标",
                   "项目类型": "类型", "类型": "类型", "单位": "单位", "实施单位": "单位", "年度": "年度", "预算年度": "年度"}

_HELP = re.compile(r"^(?:帮助|help|菜单|命令|功能|说明|使用说明|\?|？)$|你能做什么|你可以做什么|你会什么|你会做什么|"
                   r"能做什么|能干什么|怎么用|如何使用|有什么功能|有哪些功能|帮助")
_EXPORT = re.compile(r"导出|下载|另存|保存为|保存成|输出为|输出成|生成文件")
_EXPORT_FMT = re.compile(r"(?:导出|下载|另存|保存|输出|生成)\s*(?:为|成|到)?\s*(?:一个|一份)?\s*(?:\.)?([a-z]+)")
_VALIDATE = re.compile(r"检查|校验|审核|审查|核查|核对|验证|有没有问题|有什么问题|有问题吗|合不合规|合规吗|体检")
_ACCEPT = re.compile(r"接受|采纳|采用|确认|同意|认可")
_ALL = re.compile(r"全部|所有|全都|都|整张|整个表|全表")
_REMOVE = re.compile(r"删除|删掉|删去|删了|去掉|去除|移除|拿掉|不要")
_ADD = re.compile(r"增加|添加|新增|加一行|加一个|加一条|加个|再加|补充|补一个|补一行|补一条|加上|多加|添上")
_REPLACE = re.compile(r"换一个|换个|换掉|换一下|换别的|换一换|再换|替换|更换|换一条|换一行|换$|换了")
_EXPLAIN = re.compile(r"为什么|为啥|为何|怎么来的|怎么定的|怎么算的|怎么得出|依据是什么|依据呢|理由|解释|讲讲|"
                      r"凭什么|根据什么|出处|来源|详情|详细|查看|看看|看一下|显示")
_PRECEDENTS = re.compile(r"先例|可比项目|可比|参考项目|类似项目|相似项目|同类项目|参照|对标|参考了哪些|哪些项目|参考了什么")
_DRAFT = re.compile(r"^(?:请|帮我|麻烦|那就|那么)?(?:你)?(?:帮我)?(?:重新|再|开始|马上|现在)?"
                    r"(?:起草|生成|做|出|拟|编制|写|来)(?:一下|一份|一个|一版|一遍|一次)?"
                    r"(?:草稿|指标|指标表|绩效目标表|绩效目标|绩效指标|目标表|表格|表)?(?:吧|了|啊|呢)?$"
                    r"|^(?:重来|重新来|再来一次|重做|重新生成|重新起草)$")
_NAMEISH = re.compile(r"(项目|经费|费用|费|工程|服务|运营|运行|建设|改造|维修|补贴|补助|采购|购置|活动|培训|整治|管理|"
                      r"保障|中心|站|室|资金|工作|宣传|保险|租赁|奖励|慰问|计划|行动|专项)$")
_FILLER = re.compile(r"^(?:请|麻烦|帮我|把|将|给|对|让)+|(?:吧|吗|呢|啊|一下|即可|就行|就好|谢谢)+$")


@dataclass
class Intent:
    action: str
    position: int | None = None  # 1-based row as displayed
    this_row: bool = False  # "这一行" / "这个值": the focused row
    all_rows: bool = False
    level2: str | None = None
    target: str = ""  # a phrase naming a row ("满意度")
    field: str | None = None
    value: str = ""
    fmt: str | None = None
    index: int | None = None  # 0-based alternative
    text: str = ""


def _clean(text: str) -> str:
    t = (text or "").translate(str.maketrans({"？": "?", "！": "!", "：": ":", "，": ",", "；": ";", "（": "(", "）": ")"}))
    return re.sub(r"\s+", "", t).strip().lower()


def _row_ref(t: str) -> tuple[int | None, str]:
    """(position, text without the reference); -1 for the last row."""
    m = _ROW_REF.search(t)
    if m:
        return cn_number(m.group(1) or m.group(2)), t[: m.start()] + t[m.end():]
    m = _LAST_ROW.search(t)
    if m:
        return -1, t[: m.start()] + t[m.end():]
    return None, t


def _strip_punct(t: str) -> str:
    return re.sub(r"^[\s,.;:!?。，；：！？、\"'“”「」]+|[\s,.;:!?。，；：！？、\"'“”「」]+$", "", t)


def _target_phrase(t: str, *patterns: re.Pattern) -> str:
    for p in patterns:
        t = p.sub("", t)
    t = _THIS_ROW.sub("", t)
    t = re.sub(r"(?:一个|一行|一条|这个|那个|的)", "", t)
    return _FILLER.sub("", _strip_punct(t))


def parse_intent(text: str, state: ChatState) -> Intent:
    """Map one message to one action, deterministically. Earlier rules win."""
    raw = text or ""
    t = _clean(raw)
    if not re.search(r"[\u4e00-\u9fa5a-z0-9]", t):
        return Intent("unknown", text=raw)
    has_profile = state.profile is not None
    pos, rest = _row_ref(t)

    # a project description stated outright (labels, or a clause that states the budget)
    if LABEL.match(raw.strip()) or (pos is None and any(budget_of(c)[0] or spoken_budget(c)
                                                        for c in CLAUSE_SPLIT.split(t))):
        return Intent("describe", text=raw)
    # commands are read before a set verb only: "第2行描述改为检查合格的比例" sets a description
    setting = _SET_VERB.search(t)
    head = t[: setting.start()] if setting else t
    if _HELP.search(head) and len(head) <= 15:
        return Intent("help", text=raw)
    if _EXPORT.search(head):
        m = _EXPORT_FMT.search(head)
        fmt = m.group(1) if m else None
        if fmt is None:
            fmt = "docx" if re.search(r"文档|word", head) else "xlsx"
        return Intent("export", fmt=fmt, text=raw)
    if _VALIDATE.search(head):
        return Intent("validate", text=raw)
    m = _ALT_REF.search(head)
    if m:
        return _alternative_intent(head, m, raw)
    if setting:
        return _set_intent(raw, t, setting, state)

    if _ACCEPT.search(t) and not (_EXPLAIN.search(t) or _PRECEDENTS.search(t)):
        return Intent("accept", position=pos, all_rows=pos is None and bool(_ALL.search(t)),
                      this_row=pos is None, text=raw)
    if _REPLACE.search(t):
        return _row_or_slot("replace", pos, rest, raw)
    if _REMOVE.search(t):
        return _row_or_slot("remove_row", pos, rest, raw)
    if _ADD.search(t):
        return Intent("add_row", level2=slot_in(t), text=raw)
    if pos is None and _PRECEDENTS.search(t) and not _THIS_ROW.search(t):
        return Intent("precedents", text=raw)
    if _EXPLAIN.search(t) or _PRECEDENTS.search(t):
        this = pos is None and bool(_THIS_ROW.search(t))
        target = "" if pos is not None or this else _target_phrase(
            rest, _EXPLAIN, _PRECEDENTS, re.compile(r"建议|指标值|值|是|这么|有哪些|哪些|什么|用了|怎么"))
        return Intent("explain", position=pos, this_row=pos is None and not target, target=target, text=raw)
    if _DRAFT.search(_strip_punct(t)):
        return Intent("draft", text=raw)
    if pos is not None and len(_strip_punct(rest)) <= 3:  # "第4行" / "第4行呢"
        return Intent("explain", position=pos, text=raw)
    # a description without budget or labels: a project name, quantities, or a request to draft one
    clauses = [c for c in CLAUSE_SPLIT.split(raw.strip()) if c.strip()]
    if clauses and re.search(r"[\u4e00-\u9fa5]{2}", raw):
        head = REQUEST_TAIL.sub("", REQUEST.sub("", _clean(clauses[0])))
        nameish = bool(head) and not looks_like_sentence(head) and bool(_NAMEISH.search(head))
        asks = bool(REQUEST.match(_clean(clauses[0]))) and len(head) >= 4
        counts = bool(extract_quantities(raw))
        if nameish or asks or (counts and (has_profile or len(clauses) > 1)):
            return Intent("describe", text=raw)
    return Intent("unknown", text=raw)


def _alternative_intent(text: str, m: re.Match, raw: str) -> Intent:
    """'第3行用备选2' / '用第二个备选' (the focused row)."""
    pos, _ = _row_ref(text[: m.start()] + text[m.end():])
    return Intent("pick_alternative", position=pos, this_row=pos is None,
                  index=cn_number(m.group(1) or m.group(2)) - 1, text=raw)


def _set_intent(raw: str, t: str, m: re.Match, state: ChatState) -> Intent:
    lhs, rhs = t[: m.start()], _strip_punct(raw_tail(raw, m.group(1)) or t[m.end():])
    rhs = re.sub(r"(?:吧|就行|即可|就好|可以吗|行吗)$", "", rhs)
    pos, lhs_rest = _row_ref(lhs)
    lhs_rest = _FILLER.sub("", _strip_punct(lhs_rest))
    # a profile field: "预算改为50万元", "项目名称改为…"
    key = re.sub(r"的$", "", lhs_rest)
    if pos is None and key in _PROFILE_FIELDS:
        return Intent("describe", text=f"{_PROFILE_FIELDS[key]}：{rhs}")
    fld = None
    for word, f in _FIELD_WORDS:
        if lhs_rest.endswith(word) or lhs_rest.endswith(word + "的"):
            fld, lhs_rest = f, lhs_rest[: lhs_rest.rfind(word)]
            break
    target = _target_phrase(lhs_rest)
    intent = Intent("set_value", position=pos, this_row=pos is None and not target, target=target,
                    value=rhs, text=raw)
    if m.group(1) in ("换成", "换为", "替换为", "替换成") and fld is None:
        alt = _ALT_REF.fullmatch(_clean(rhs))
        if alt:  # "第3行换成备选2"
            return _alternative_intent(lhs + _clean(rhs), _ALT_REF.search(lhs + _clean(rhs)), raw)
        if not re.search(r"\d|[≥≤<>=]", rhs):
            intent.action, intent.field = "pick_alternative", "name"  # by name; else a new name
        return intent
    if fld in ("name", "description", "basis"):
        intent.action, intent.field = "edit", fld
    return intent


def raw_tail(raw: str, verb: str) -> str:
    """The text after the verb as the user typed it (keeps '≥ 95 %' spacing out, case in)."""
    i = raw.find(verb)
    if i < 0:
        r = raw.replace("：", ":").replace("＝", "=")
        i = r.find(verb)
    return re.sub(r"\s+", "", raw[i + len(verb):]) if i >= 0 else ""


def _row_or_slot(action: str, pos: int | None, rest: str, raw: str) -> Intent:
    target = _target_phrase(rest, _REPLACE, _REMOVE, re.compile(r"掉|别的|其他|另外"))
    return Intent(action, position=pos, target=target, this_row=pos is None and not target, text=raw)
