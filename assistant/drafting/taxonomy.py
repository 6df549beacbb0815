"""Project types (one place): derived from the bundled corpus and the domain's common projects."""

from __future__ import annotations

from pydantic import BaseModel


class ProjectType(BaseModel):
    key: str
    label: str
    keywords: tuple[str, ...]


TYPES: list[ProjectType] = [
    ProjectType(key="personnel", label="人员经费与补贴",
                keywords=("工资", "报酬", "补贴", "津贴", "补助", "社会保险", "社保", "公积金", "年金", "劳务", "人员经费", "生活补")),
    ProjectType(key="operating", label="办公及运转经费",
                keywords=("办公", "工作经费", "运转", "综合事务", "公用经费", "业务经费", "事务管理", "物业")),
    ProjectType(key="construction", label="工程建设与改造",
                keywords=("工程", "改造", "维修", "建设", "修缮", "提升", "节能", "质保金", "保证金", "基础设施")),
    ProjectType(key="publicity", label="宣传与文化活动",
                keywords=("宣传", "活动", "文化", "融媒体", "文明实践", "创城", "文明城市", "开放")),
    ProjectType(key="stability", label="维稳、综治与安全",
                keywords=("维稳", "信访", "综治", "平安", "调解", "安全生产", "消防", "网格", "地震", "应急")),
    ProjectType(key="party", label="党建与纪检",
                keywords=("党建", "党组织", "党员", "纪委", "纪工委", "纪检", "团委", "群众说事")),
    ProjectType(key="elderly", label="养老服务", keywords=("养老", "老年", "老人", "敬老", "老饭桌", "退休人员")),
    ProjectType(key="sanitation", label="环境卫生与整治",
                keywords=("环境卫生", "保洁", "清扫", "垃圾", "整治", "绿化", "门楣")),
    ProjectType(key="rent", label="房屋租赁", keywords=("租房", "房租", "租赁", "租金")),
    ProjectType(key="insurance", label="车辆及财产保险", keywords=("车辆保险", "保险费")),
    ProjectType(key="equipment", label="设备购置", keywords=("购置", "设备", "采购", "刻制")),
    ProjectType(key="training", label="培训与教育", keywords=("培训", "教育", "职业教育")),
    ProjectType(key="military", label="武装与退役军人", keywords=("武装", "征兵", "民兵", "退役", "涉军", "军人")),
    ProjectType(key="welfare", label="社会救助与群团",
                keywords=("残疾", "妇联", "计生", "救助", "低保", "妇女", "儿童", "统计")),
]
BY_KEY = {t.key: t for t in TYPES}
OTHER = ProjectType(key="other", label="其他", keywords=())


def classify(name: str, goal: str = "") -> tuple[ProjectType, dict[str, float]]:
    """Keyword vote: the name counts double, longer keywords more (「车辆保险」 beats 「保险」)."""
    scores: dict[str, float] = {}
    for t in TYPES:
        s = sum((2.0 * (kw in name) + 0.5 * (kw in goal)) * (1 + 0.2 * len(kw)) for kw in t.keywords)
        if s:
            scores[t.key] = round(s, 2)
    if not scores:
        return OTHER, {}
    best = max(scores, key=lambda k: scores[k])
    return BY_KEY[best], scores


def type_of(key: str | None) -> ProjectType:
    if key is None or key in (OTHER.key, OTHER.label):
        return OTHER
    if key in BY_KEY:
        return BY_KEY[key]
    for t in TYPES:  # the user may give the Chinese label
        if key == t.label or key in t.label:
            return t
    raise ValueError(f"未知的项目类型：{key}（可选：{'、'.join(t.label for t in TYPES)}）")
