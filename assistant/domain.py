"""The drafting domain's vocabulary, declared once: slots, served parties, generic indicator forms,
filler, and the words that tell what a project is about. Engine, rules, chat, UI and evaluation
import these lists; none keeps a copy of its own."""

from __future__ import annotations

from corpus import categories as cat

# ---- slots ----------------------------------------------------------------------------------
# The official 二级 order in a table; a draft is laid out and added rows are placed by it.
SLOT_ORDER = [cat.QUANTITY, cat.QUALITY, cat.TIMELINESS, cat.COST, cat.ECONOMIC, cat.SOCIAL,
              cat.ECOLOGICAL, cat.SUSTAINABLE, cat.SERVED_SATISFACTION]
REQUIRED_SLOTS = [cat.QUANTITY, cat.QUALITY, cat.TIMELINESS, cat.COST]
BENEFIT_SLOTS = [cat.ECONOMIC, cat.SOCIAL, cat.ECOLOGICAL, cat.SUSTAINABLE]

# ---- placeholders ---------------------------------------------------------------------------
# What published tables write in an unused cell: neither an indicator nor a target.
PLACEHOLDERS = frozenset({"无", "/", "／", "-", "—", "——", "暂无", "无此项", "不适用", "空"})

# Cost slots: where a value must be money (成本, and 经济成本 of the newer hierarchy), and every
# 二级 that counts as a cost indicator when checking that a table has one.
MONEY_SLOTS = (cat.COST, cat.ECON_COST)
COST_SLOTS = frozenset({cat.COST, cat.ECON_COST, cat.SOCIAL_COST, cat.ECO_COST})

# ---- units ----------------------------------------------------------------------------------
# Words that make a cost a per-unit cost (人均成本, 每户补贴标准, 单价).
PER_UNIT_WORDS = ("人均", "平均", "单位", "每", "标准", "单价")
PEOPLE_UNITS = frozenset({"人", "名", "人次"})
# Units of events held (开展12次, 举办4期): how often, not what the project produces.
EVENT_UNITS = frozenset({"次", "场", "场次", "期"})
# Units of services delivered (600餐): a target reached at least, like people served.
SERVICE_UNITS = frozenset({"餐", "餐次", "份", "份次"})
# Units a project description counts its outputs in (beyond the value parser's count units).
EXTRA_QUANTITY_UNITS = frozenset({"餐", "餐次", "份次", "床", "栋", "村", "盏", "吨", "顶"})
# The measure a size unit names: 12公里 of river is a length, 8亩 a surface.
SIZE_MEASURE = {"公里": "长度", "千米": "长度", "米": "长度", "延米": "长度", "km": "长度",
                "亩": "面积", "平方米": "面积", "公顷": "面积", "平方公里": "面积", "立方米": "体积"}

# ---- who is served ----------------------------------------------------------------------------
# (canonical party, the words that name it), most specific first: 学生家长 before 学生.
SERVED_PARTIES: list[tuple[str, tuple[str, ...]]] = [
    ("学生家长", ("学生家长", "家长")),
    ("老年人", ("老年人", "老人", "高龄", "长者", "养老", "敬老", "助餐")),
    ("残疾人", ("残疾人", "残疾")),
    ("退役军人", ("退役军人", "退役士兵", "优抚对象", "军属", "涉军")),
    ("干警", ("干警", "民警", "警务")),
    ("执法人员", ("执法",)),
    ("游客", ("游客", "景区", "旅游")),
    ("学生", ("学生", "学校", "校园")),
    ("儿童", ("儿童", "幼儿", "未成年人")),
    ("患者", ("患者", "病人")),
    ("村民", ("村民", "农户", "行政村", "农村", "乡村", "种植户", "养殖户")),
    ("企业", ("企业", "商户", "个体工商户")),
    ("困难群众", ("困难群众", "低保", "特困", "救助对象", "困难家庭")),
    ("妇女", ("妇女",)),
    ("参训人员", ("参训", "学员")),
    ("干部职工", ("干部职工", "职工", "在职人员", "工作人员", "社区工作者", "网格员")),
    # shelters, disaster prevention and public toilets serve the public, whoever buys or runs them
    ("居民", ("居民", "社区", "小区", "辖区", "群众", "市民", "避难", "防灾", "减灾", "公厕", "公共厕所")),
]
GENERIC_SERVED = "服务对象"  # a satisfaction row of 服务对象 agrees with any party
# Words that name a place, not who is served: 社区 in 社区工作经费 says where, and the kind of project
# (its staff, its residents) decides the party.
PLACE_WORDS = frozenset({"社区", "小区", "辖区"})
# Words that name the served people themselves: a satisfaction row keeps the user's word
# (社区工作者满意度, 老人满意度); other words (养老, 行政村, 景区) give the canonical party.
PERSON_WORDS = frozenset({
    "学生家长", "家长", "老年人", "老人", "长者", "残疾人", "退役军人", "退役士兵", "优抚对象", "军属", "干警",
    "民警", "执法人员", "游客", "学生", "儿童", "幼儿", "未成年人", "患者", "病人", "村民", "农户", "种植户",
    "养殖户", "企业", "商户", "个体工商户", "困难群众", "救助对象", "困难家庭", "妇女", "学员", "干部职工", "职工",
    "在职人员", "工作人员", "社区工作者", "网格员", "居民", "群众", "市民",
})

# ---- indicator names: generic tails and subjects ------------------------------------------------
# The measuring tail of a 三级指标 name. Two names with the same tail measure the same thing only
# when their subjects agree (居民满意度 ≠ 游客满意度). Longest first.
GENERIC_TAILS = tuple(sorted((
    "满意度", "满意率", "合格率", "完成率", "及时率", "达标率", "准确率", "覆盖率", "知晓率", "完好率",
    "执行率", "发放率", "使用率", "参与率", "到位率", "办结率", "处置率", "整改率", "正确率", "通过率",
    "受益率", "履约率", "保障率", "运行率", "发生率", "投诉率", "事故率", "知晓度", "完成时间",
    "完工时间", "时间", "时限", "数量", "人数", "次数", "场次", "人次", "户数", "面积", "长度", "成本",
    "费用", "总额", "标准", "金额", "资金",
), key=len, reverse=True))

# Subjects that make a name a generic measurable form, fit for any project:
# 资金支付及时率, 工程验收合格率, 项目完成率, 完成时间, 项目总成本.
GENERIC_SUBJECTS = frozenset({
    "", "项目", "工程", "工作", "任务", "资金", "资金支付", "支付", "验收", "项目验收", "工程验收", "服务",
    "计划", "预算", "预算执行", "按时", "按期", "年度", "总", "项目总", "整体", "服务对象", "项目完成",
    "工作完成", "任务完成", "资金拨付", "拨付", "合同", "合同履约", "服务合同", "采购", "政府采购",
    "重点工作", "年度任务", "目标任务", "工作任务", "项目实施", "实施", "完成", "资金使用", "资金发放",
    "发放", "按时完成", "按时支付", "及时支付", "项目资金", "项目成本", "单位", "平均", "人均", "经费",
    "经费支出", "支出", "安全", "安全事故", "综合", "总体", "整体工作", "质量", "服务质量", "工程质量", "工程完工", "项目完工",
})

# Grams too common to show that a row is about a project: every street office's table has them.
STOP_GRAMS = frozenset({
    "项目", "工作", "经费", "资金", "服务", "社区", "街道", "办事", "事处", "完成", "指标", "数量", "保障",
    "管理", "提高", "提升", "群众", "居民", "情况", "达到", "合格", "满意", "及时", "标准", "成本", "费用",
    "支出", "支付", "时间", "开展", "实施", "推进", "进一", "一步", "有效", "相关", "全年", "年度", "辖区",
    "人员", "单位", "运行", "正常", "建设", "发展", "水平", "能力", "质量", "社会", "效益", "影响", "持续",
    "覆盖", "人数", "次数", "金额", "总额", "按时", "计划", "任务", "目标", "率达", "以上", "不低", "低于",
    "综合", "文化", "预算", "万元", "元,", "提供", "进行", "全面", "加强", "做好", "确保", "落实", "组织",
})

# Boilerplate that measures no output of a project unless the project is about it.
FILLER_NAMES = (
    "社会影响力", "社会影响", "影响力", "绩效评价次数", "绩效评价", "社会效益", "可持续影响", "长效机制",
    "正常运行率", "宣传覆盖率", "工作效率", "群众获得感", "幸福感", "社会稳定", "社会满意度",
    "惠民实事", "形象", "知名度", "政府公信力", "公信力", "服务水平", "工作水平",
)

# ---- what a project does ----------------------------------------------------------------------------
# Activity words in project names, longest first when matched.
ACTIVITIES = tuple(sorted((
    "租赁", "保洁", "清运", "清扫", "清理", "助餐", "改造", "维修", "维护", "修缮", "建设", "新建", "购置",
    "采购", "购买", "发放", "补贴", "补助", "救助", "慰问", "培训", "宣传", "整治", "治理", "运营", "运维",
    "运行", "巡查", "排查", "监测", "绿化", "养护", "安装", "配备", "更新", "升级", "开发", "举办", "组织",
    "开展", "服务", "管理", "保险", "租用", "托管", "委托", "审计", "评估", "测绘", "普查", "调查", "征兵",
    "训练", "接待", "整修", "铺设", "拆除", "消杀", "收集", "处置", "转运", "配送", "教育", "演出", "比赛",
), key=len, reverse=True))

# Words that end a project name and say nothing about its object.
NAME_TAILS = ("项目", "经费", "专项", "资金", "费用", "工程", "工作", "支出", "服务费", "费", "补助资金")
# Region and owner words that start a project name.
NAME_HEADS = ("街道综合", "街道办事处", "街道办", "街道", "辖区内", "辖区", "全县", "全区", "全市", "本单位",
              "本街道", "县", "区", "镇", "乡")


# ---- what names and targets say (read by the rules and the drafting engine) ---------------------
# Words ending in 度 that are not degrees of anything measurable in %.
NOT_RATE_DU = ("进度", "年度", "季度", "月度", "额度", "制度", "力度", "长度", "宽度", "深度", "高度", "温度", "程度")

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

PEOPLE_WORDS = (
    "居民", "群众", "老人", "老年", "服务对象", "社区", "村民", "市民", "儿童", "青少年", "学生", "妇女",
    "残疾人", "退役军人", "困难", "受益", "患者", "家庭", "群体", "企业", "百姓", "公众",
)

VAGUE_WORDS = {
    "是", "否", "有", "好", "较好", "良好", "提高", "提升", "加强", "增加", "增强", "改善", "促进", "保障",
    "明显", "显著", "满意", "及时", "有效", "稳定", "减少", "降低", "达标", "完成", "按时", "按期", "正常",
    "进一步推动", "进一步保障", "效果明显", "有所提升", "有所提高", "有效保障", "有效提高", "有效提升",
    "有效促进", "效果显著", "显著提高", "有明显改善", "减少损失", "按要求支出", "维护社会稳定",
}

VAGUE_PREFIX = ("进一步", "有效", "明显", "显著", "有所", "不断", "切实", "逐步", "大力", "持续", "按要求", "较")

VAGUE_SUFFIX = ("提高", "提升", "加强", "改善", "保障", "促进", "增加", "增强", "明显", "显著", "稳定",
                 "减少", "降低", "好转", "推动", "有效")

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
