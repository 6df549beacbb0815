"""Word lists and name tests shared by the rules: what a name or a value says about an indicator."""

from __future__ import annotations

import re

from corpus.categories import SERVED_SATISFACTION, squeeze
from corpus.models import IndicatorRow, Project

_BRACKETS = re.compile(r"[（(][^）)]*[）)]")


def clean_name(name: str) -> str:
    """'各项任务完成及时率（%）' → '各项任务完成及时率': brackets carry units, not meaning."""
    return squeeze(_BRACKETS.sub("", name or ""))


# ---- rates ------------------------------------------------------------------
# Words ending in 度 that are not degrees of anything measurable in %.
_NOT_RATE_DU = ("进度", "年度", "季度", "月度", "额度", "制度", "力度", "长度", "宽度", "深度", "高度", "温度", "程度")


def is_rate_name(name: str) -> bool:
    """A rate or degree (…率, …度 such as 满意度, 覆盖率): its value must be a percentage."""
    n = clean_name(name)
    if n.endswith("率"):
        return not n.endswith("效率")  # 工作效率 is not a percentage
    return n.endswith("度") and not n.endswith(_NOT_RATE_DU)


# Reverse indicators: the lower the better, so the target is capped (≤ / <).
REVERSE_MARKERS = (
    "发生率", "投诉率", "事故率", "差错率", "结余率", "纠纷率", "问题率", "失误率", "返工率", "故障率",
    "违规率", "违纪率", "流失率", "损失率", "死亡率", "空置率", "误差率", "出错率", "超标率", "逾期率",
    "不合格率", "偏差率", "闲置率", "复发率", "案发率", "失败率", "退回率", "反映率",
)
# Positive indicators: the higher the better, so the target is a floor (≥ / =), never a cap.
POSITIVE_MARKERS = (
    "合格率", "满意度", "满意率", "完成率", "及时率", "覆盖率", "达标率", "准确率", "正确率", "到位率",
    "知晓率", "参与率", "使用率", "发放率", "处置率", "受益率", "完好率", "运行率", "开展率", "通过率",
    "办结率", "解决率", "处理率", "成功率", "出勤率", "到岗率", "验收率", "安全感", "及时性", "准确性",
)


def is_reverse_name(name: str) -> bool:
    n = clean_name(name)
    return any(m in n for m in REVERSE_MARKERS)


def is_reverse(row: IndicatorRow) -> bool:
    return is_reverse_name(row.name) or "反向指标" in squeeze(row.description)


def is_positive(row: IndicatorRow) -> bool:
    return not is_reverse(row) and any(m in clean_name(row.name) for m in POSITIVE_MARKERS)


def is_satisfaction(row: IndicatorRow) -> bool:
    return row.level2.name == SERVED_SATISFACTION or "满意" in clean_name(row.name)


# ---- people served ----------------------------------------------------------
PEOPLE_WORDS = (
    "居民", "群众", "老人", "老年", "服务对象", "社区", "村民", "市民", "儿童", "青少年", "学生", "妇女",
    "残疾人", "退役军人", "困难", "受益", "患者", "家庭", "群体", "企业", "百姓", "公众",
)


def people_served(project: Project) -> list[str]:
    """The words in name/goals/purpose that show the project serves people (empty when none)."""
    text = squeeze(" ".join([project.name, project.purpose, *project.goals]))
    return [w for w in PEOPLE_WORDS if w in text]


# ---- vague qualitative targets ------------------------------------------------
VAGUE_WORDS = {
    "是", "否", "有", "好", "较好", "良好", "提高", "提升", "加强", "增加", "增强", "改善", "促进", "保障",
    "明显", "显著", "满意", "及时", "有效", "稳定", "减少", "降低", "达标", "完成", "按时", "按期", "正常",
    "进一步推动", "进一步保障", "效果明显", "有所提升", "有所提高", "有效保障", "有效提高", "有效提升",
    "有效促进", "效果显著", "显著提高", "有明显改善", "减少损失", "按要求支出", "维护社会稳定",
}
_VAGUE_PREFIX = ("进一步", "有效", "明显", "显著", "有所", "不断", "切实", "逐步", "大力", "持续", "按要求", "较")
_VAGUE_SUFFIX = ("提高", "提升", "加强", "改善", "保障", "促进", "增加", "增强", "明显", "显著", "稳定",
                 "减少", "降低", "好转", "推动", "有效")


def is_vague(text: str) -> bool:
    """A qualitative target that says nothing checkable (是, 提高, 进一步推动, 效果明显 …)."""
    t = squeeze(text)
    if not t:
        return False
    return t in VAGUE_WORDS or t.startswith(_VAGUE_PREFIX) or t.endswith(_VAGUE_SUFFIX)


# ---- deadlines ----------------------------------------------------------------
# Qualitative deadlines that do fall within the budget year.
DEADLINE_PHRASE = re.compile(r"^(年底前|年内|年底|当年|本年度?内|年度内|(1[0-2]|[1-9])月(底|末|份)?前|(1[0-2]|[1-9])月底|年末前?|"
                             r"第?[一二三四1-4]季度(末|内|前|底)?(完成)?|年底前完成)$")

# ---- 确定依据 -------------------------------------------------------------------
OFFICIAL_BASES = ("计划标准", "行业标准", "历史标准", "预算支出标准", "其他")
# Free-text bases → the official term; the first keyword found wins, so order matters.
BASIS_KEYWORDS: list[tuple[tuple[str, ...], str]] = [
    (("历史", "历年", "上年", "上一年", "往年", "以前年度", "三年测算", "测算"), "历史标准"),
    (("预算", "支出标准", "资金", "工资表", "定额"), "预算支出标准"),
    (("行业", "国家标准", "国标", "验收标准", "技术规范", "规范"), "行业标准"),
    (("计划", "安排", "方案", "要求", "部署", "规定", "任务", "文件", "需求"), "计划标准"),
    (("满意度调查", "问卷", "调查", "反馈", "台账", "统计", "实际", "凭证", "审计", "合同", "验收", "市场",
      "实地", "报告", "单", "记录"), "其他"),
]


def official_basis(basis: str) -> str:
    """The official term a free-text 确定依据 corresponds to ('' when it already is one)."""
    b = squeeze(basis)
    if not b or b.startswith(OFFICIAL_BASES):
        return ""
    for words, term in BASIS_KEYWORDS:
        if any(w in b for w in words):
            return term
    return "其他"
