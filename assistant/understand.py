"""What a project is about, read from its name and goal: object, activity, served party, the
quantities, per-unit standards and deadline it states. Drafting and the reviewer rules both read
a project through `understand`."""

from __future__ import annotations

import functools
import re

from pydantic import BaseModel, Field

from corpus.values import COUNT_UNITS, SIZE_UNITS, normalise_text

from . import domain


class NotChinese(ValueError):
    """A description with no Chinese in it: drafting from it would be a silent generic table."""


class Quantity(BaseModel):
    number: float
    unit: str  # 个, 名, 辆, 公里 …
    noun: str = ""  # what is counted: 社区, 老人, 车 …
    raw: str

    def named_in(self, text: str) -> bool:
        """Does an indicator name speak of what this quantity counts? (shares a 2-character word)"""
        grams = {self.noun[i:i + 2] for i in range(len(self.noun) - 1)}
        return any(g in text for g in grams)

    @property
    def people(self) -> bool:
        return self.unit in domain.PEOPLE_UNITS

    def object_name(self) -> str:
        """The thing counted, as a table names it: 3辆车 → 车辆, 600名老人 → 老人, 12公里河道 → 河道."""
        noun = self.noun
        if self.unit == "辆" and noun in ("", "车"):
            return "车辆"
        return noun

    def indicator_name(self, activity: str = "") -> str:
        """The 数量 row that carries this quantity: 社区数量, 老人人数, 保洁河道长度, 助餐餐次."""
        obj = self.object_name() or activity
        if self.unit in domain.SIZE_MEASURE:
            return f"{obj}{domain.SIZE_MEASURE[self.unit]}"
        if self.unit == "人次":
            return f"{obj}服务人次" if obj and not obj.endswith(("人", "者")) else f"{obj}人次"
        if self.people:
            return f"{obj}人数" if not obj.endswith("人数") else obj
        if self.unit in ("餐", "餐次"):
            return f"{obj or '助餐'}餐次"
        if self.unit in domain.EVENT_UNITS:
            return f"{obj}{'次数' if self.unit == '次' else '场次' if self.unit != '期' else '期数'}"
        return f"{obj}数量"


class Standard(BaseModel):
    """A per-unit amount the project states: 704元/村, 每餐15元."""

    number: float
    unit: str  # 元 | 万元
    per: str  # 村, 餐, 人 …
    raw: str
    period: str = ""  # 月 in 每人每月600元: the amount is per person and per month

    @property
    def yuan(self) -> float:
        return self.number * (10000 if self.unit == "万元" else 1)


class Understanding(BaseModel):
    text: str  # simplified characters, numerals as digits
    core: str  # the name without region head and tail words: 执法车辆租赁
    objects: list[str] = Field(default_factory=list)
    activities: list[str] = Field(default_factory=list)
    served: str = ""  # canonical party (domain.SERVED_PARTIES), "" when none is named
    served_word: str = ""  # the text's own word for it (社区工作者, 老人), else the canonical party
    quantities: list[Quantity] = Field(default_factory=list)
    standards: list[Standard] = Field(default_factory=list)
    deadline_month: int | None = None
    deadline_raw: str = ""

    def object_grams(self) -> set[str]:
        """Content words of what the project produces or serves (not its activity alone)."""
        return content_grams(" ".join([*self.objects, *(q.noun for q in self.quantities), self.served]))

    def grams(self) -> set[str]:
        """The project's content words (2-character grams), without the ones every table shares."""
        return content_grams(" ".join([self.text, *self.objects, *self.activities]))


# ---- text ---------------------------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def _t2s():
    import opencc  # converter tables load once, on first use

    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    return _t2s().convert(text or "")


_CJK = re.compile(r"[\u4e00-\u9fff]")


def require_chinese(text: str) -> None:
    if len(_CJK.findall(text or "")) < 2:
        raise NotChinese(f"项目描述中没有中文：「{(text or '').strip()[:60]}」。请用中文写项目名称和内容，"
                         "例如「社区老年人助餐服务，预算45万元，为12个社区600名老人提供助餐」。")


_QUANTITY_UNITS = sorted((COUNT_UNITS | SIZE_UNITS | domain.EXTRA_QUANTITY_UNITS | {"人次", "场次", "平方米"})
                         - {"万人", "万人次"}, key=len, reverse=True)
_UNIT_ALT = "|".join(map(re.escape, _QUANTITY_UNITS))
_CN_NUM = re.compile(r"(?<![第星周礼])([零〇一二两三四五六七八九十百千万亿点]+)(?=(?:" + _UNIT_ALT
                     + r"|万元|元|万)(?!性))")


def arabic_numerals(text: str) -> str:
    """'四十五万元' → '450000元', '三辆车' → '3辆车'; 第一季度, 一次性, 统一 stay as written."""
    if not _CN_NUM.search(text):
        return text  # nothing to convert: spare the import of cn2an (a quarter second)
    import cn2an

    def convert(m: re.Match) -> str:
        numeral, scale = m.group(1), ""
        if len(numeral) > 1 and numeral[-1] in "万亿":  # 四十五万元 stays in 万元: 45万元
            numeral, scale = numeral[:-1], numeral[-1]
        try:
            n = cn2an.cn2an(numeral, "smart")
        except (ValueError, KeyError):
            return m.group(1)
        return (f"{n:g}" if isinstance(n, float) else str(n)) + scale

    return _CN_NUM.sub(convert, text)


def normalised(text: str) -> str:
    """Traditional → simplified first, then full-width → half-width, then numerals."""
    return arabic_numerals(normalise_text(simplified(text)))


# ---- quantities ------------------------------------------------------------------------------

# number, 万 (5万平方米), unit, the noun that may follow
_QUANTITY = re.compile(r"(\d+(?:\.\d+)?)(万)?(" + _UNIT_ALT + r")([\u4e00-\u9fa5]{0,4})")
_NOUN_STOP = re.compile(r"(的|和|及|与|、|，|。|开展|进行|完成|以上|左右|共|服务|提供|补|经费|工资|发放|到|两侧|"
                        r"每|以|为|用于|给|实现|达到|覆盖|涉及|受益|参与|参加|开展|提升|确保).*$")
_BEFORE = re.compile(r"([\u4e00-\u9fa5]{1,8})$")
_BEFORE_TRIM = re.compile(r"^(?:.*?(?:为|对|向|给|在|覆盖|涉及|完成|实施|开展|共|约|总计|合计|计划|预计|全长|总长))|"
                          r"(?:总长度|长度|面积|总面积|总量|共计|共|约|达|为|计)$")


def extract_quantities(text: str) -> list[Quantity]:
    """'13个社区', '350名老人', '租赁3辆车', '保洁河道长度12公里' … money and percentages are not quantities."""
    t = normalised(text)
    out: list[Quantity] = []
    for m in _QUANTITY.finditer(t):
        number, wan, unit, after = float(m.group(1)), m.group(2) or "", m.group(3), m.group(4)
        if t[m.end(3):m.end(3) + 1] in ("%", "元") or t[m.start(1) - 1:m.start(1)] in ("第", "/"):
            continue
        if unit in ("年", "月", "日", "天") or t[m.end(3):m.end(3) + 1] == "/":
            continue  # dates and durations; 15元/餐 is a standard, read below
        noun = _NOUN_STOP.sub("", after)
        if not noun or unit in domain.SIZE_MEASURE:  # 12公里河道 / 河道长度12公里: the object may stand before
            before = _BEFORE.search(t[:m.start(1)])
            if before and not noun:
                noun = _BEFORE_TRIM.sub("", before.group(1))
                act = next((a for a in domain.ACTIVITIES if noun.startswith(a) and len(noun) > len(a) + 1), "")
                # 建设高标准农田 → 高标准农田; 物资储备购置应急帐篷 (name and goal run together) → 应急帐篷
                cut = len(act) or max((noun.rfind(a) + len(a) for a in domain.ACTIVITIES
                                       if noun.rfind(a) > 0 and len(noun) - noun.rfind(a) - len(a) >= 2), default=0)
                noun = noun[cut:][-6:]
        raw = f"{m.group(1)}{wan}{unit}{after and _NOUN_STOP.sub('', after)}"  # as written (5万平方米)
        out.append(Quantity(number=number * (10_000 if wan else 1), unit=unit, noun=noun, raw=raw))
    return out


_STANDARD = re.compile(r"(\d+(?:\.\d+)?)(万元|元)/(?:每)?([\u4e00-\u9fa5]{1,3}?)(?=[/，,。；;、\s)）]|$|[\u4e00-\u9fa5]*$)")
_STANDARD_EACH = re.compile(r"每(?:个|名|位)?([\u4e00-\u9fa5])(?:每([月年天日周季]))?(?:补贴|补助|标准|发放|支付)?"
                            r"(\d+(?:\.\d+)?)(万元|元)")


def extract_standards(text: str) -> list[Standard]:
    """Per-unit amounts: '704元/村', '15元/餐', '每餐补贴15元', '每人每月600元' (per person, per month)."""
    t = normalised(text)
    out: list[Standard] = []
    for m in _STANDARD.finditer(t):
        out.append(Standard(number=float(m.group(1)), unit=m.group(2), per=m.group(3), raw=m.group(0)))
    for m in _STANDARD_EACH.finditer(t):
        if not any(s.per == m.group(1) and s.number == float(m.group(3)) for s in out):
            out.append(Standard(number=float(m.group(3)), unit=m.group(4), per=m.group(1), raw=m.group(0),
                                period=m.group(2) or ""))
    return out


_DEADLINE = re.compile(r"(?:(20\d{2})年)?(1[0-2]|[1-9])月(?:底|末|份|(?:[1-3]?\d)日)?(?:前|之前|以前)?(?:完成|竣工|完工|交付|结束|办结)")
_YEAR_END = re.compile(r"年底前|年内|年底|年末前?(?:完成|竣工)")


def extract_deadline(text: str) -> tuple[int | None, str]:
    """'2025年6月底前完成' → (6, raw); '年底前完成' → (12, raw)."""
    t = normalised(text)
    m = _DEADLINE.search(t)
    if m:
        return int(m.group(2)), m.group(0)
    m = _YEAR_END.search(t)
    return (12, m.group(0)) if m else (None, "")


# Staff a project provides (配备网格员50名, 聘用50名保洁员) do the work; they are not whom it serves.
_PROVIDED = re.compile(r"(?:配备|聘用|聘请|招聘|配置|选聘|选派|增配|招录)\d*(?:名|个|位|人)?$")


def _serves(t: str, word: str) -> bool:
    """The text names `word` as served somewhere: not only as staff the project provides."""
    at = t.find(word)
    while at >= 0:
        if not _PROVIDED.search(t[max(0, at - 8):at]):
            return True
        at = t.find(word, at + 1)
    return False


def served_in(text: str) -> tuple[str, str]:
    """(canonical party, the word the text uses for it) of the most specific party a project text
    names; place words (社区, 辖区) and staff it provides (配备网格员) name none. ('', '') when none."""
    t = simplified(text)
    for party, words in domain.SERVED_PARTIES:
        word = next((w for w in words if w in t and w not in domain.PLACE_WORDS and _serves(t, w)), "")
        if word:
            return party, word if word in domain.PERSON_WORDS else party
    return "", ""


def served_party(text: str) -> str:
    return served_in(text)[0]


# ---- object and activity ------------------------------------------------------------------------

def name_core(name: str) -> str:
    """'街道综合执法队执法车辆租赁项目' → '执法队执法车辆租赁': region head and tail words off."""
    core = normalise_text(simplified(name))
    core = re.sub(r"^20\d{2}年度?", "", core)
    for head in domain.NAME_HEADS:
        if core.startswith(head) and len(core) - len(head) >= 2:
            core = core[len(head):]
            break
    changed = True
    while changed:
        changed = False
        for tail in domain.NAME_TAILS:
            if core.endswith(tail) and len(core) - len(tail) >= 2:
                core, changed = core[:-len(tail)], True
    return core


_SPLIT = re.compile(r"[及和与、,，/（）()]+")


def objects_and_activities(core: str) -> tuple[list[str], list[str]]:
    """'河道保洁及垃圾清运' → objects [河道, 垃圾], activities [保洁, 清运]."""
    objects: list[str] = []
    activities: list[str] = []
    for part in _SPLIT.split(core):
        rest = part
        for act in domain.ACTIVITIES:
            if act in rest:
                activities.append(act)
                before, _, after = rest.partition(act)
                for piece in (before, after):
                    piece = piece.strip()
                    if len(piece) >= 2 and piece not in domain.ACTIVITIES:
                        objects.append(piece)
                rest = ""
                break
        if rest and len(rest) >= 2:
            objects.append(rest)
    # an object is a short noun phrase: no place or owner head (社区老年人 → 老年人), at most
    # 4 characters from its end when long (执法队执法车辆 → 执法车辆)
    objects = [re.sub(r"^(?:社区|街道|辖区|综合|城区|全县|全区)+", "", o) or o for o in objects]
    objects = [o[-4:] if len(o) > 5 else o for o in objects]
    return list(dict.fromkeys(objects)), list(dict.fromkeys(activities))


def content_grams(text: str) -> set[str]:
    t = re.sub(r"[^\u4e00-\u9fa5]", " ", simplified(text))
    grams = {w[i:i + 2] for w in t.split() for i in range(len(w) - 1)}
    return grams - domain.STOP_GRAMS


def understand(name: str, goal: str = "") -> Understanding:
    text = normalised(f"{name} {goal}")
    core = name_core(name)
    objects, activities = objects_and_activities(core)
    quantities = extract_quantities(text)
    for q in quantities:  # what the project counts is an object too (12个行政村, 3辆车)
        obj = q.object_name()
        if obj and len(obj) >= 2 and obj not in objects and not q.people:
            objects.append(obj)
    month, raw = extract_deadline(text)
    party, word = served_in(text)
    return Understanding(text=text, core=core, objects=objects, activities=activities,
                         served=party, served_word=word, quantities=quantities,
                         standards=extract_standards(text), deadline_month=month, deadline_raw=raw)
