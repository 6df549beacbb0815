"""The standard indicator library (共性指标库): for each common kind of project, the measurable rows
a reviewer expects. Written from the national guidance's categories (产出: 数量/质量/时效/成本;
效益: 经济/社会/生态/可持续; 满意度), not copied from any document.

Names and descriptions are templates over the project: {对象} its main object (车辆, 河道),
{活动} its activity (租赁, 保洁), {项目} the name without region and tail words, {服务对象} the
served party. Special rows expand per project:
  @quantities  one 数量 row per quantity the project states (else the kind's output, value left to the user)
  @total       项目总成本 ≤ budget
  @standards   one row per stated per-unit standard (15元/餐), else budget ÷ the main quantity
  @satisfaction {服务对象}满意度
  @deadline    完成时间 by the stated deadline, else 12月
"""

from __future__ import annotations

from pydantic import BaseModel

from corpus import categories as cat

Q, QL, T, C = cat.QUANTITY, cat.QUALITY, cat.TIMELINESS, cat.COST
EC, SO, ECO, SU, SAT = cat.ECONOMIC, cat.SOCIAL, cat.ECOLOGICAL, cat.SUSTAINABLE, cat.SERVED_SATISFACTION


class RowTemplate(BaseModel):
    level2: str
    name: str
    description: str = ""
    value: str = ""  # a target such as "=100%", or empty for the special rows
    basis: str = "计划标准"
    when: tuple[str, ...] = ()  # only for projects whose name or goal says one of these (食品安全 for 助餐)


class Output(BaseModel):
    """What the kind produces when the user named no quantity: the 数量 row left for them to fill."""

    name: str
    unit: str
    description: str


class Kind(BaseModel):
    key: str
    label: str
    keywords: tuple[str, ...]
    output: Output
    rows: list[RowTemplate]
    served: str = ""  # the usual served party when the description names none
    per_person: bool = False  # per-unit cost per person served rather than per object
    # its keywords, ending a project's name, say what the money buys (…岗位津贴 is an allowance); False for a kind
    # whose keywords say how the work is bought (外包, 委托), which says less than what is bought
    by_name_end: bool = True


def _r(level2: str, name: str, description: str, value: str = "", basis: str = "计划标准",
       when: tuple[str, ...] = ()) -> RowTemplate:
    return RowTemplate(level2=level2, name=name, description=description, value=value, basis=basis, when=when)


QUANTITIES = _r(Q, "@quantities", "")
TOTAL = _r(C, "@total", "项目全年支出总额，不超过批复的预算", basis="预算支出标准")
STANDARDS = _r(C, "@standards", "", basis="预算支出标准")
SATISFACTION = _r(SAT, "@satisfaction", "调查中{服务对象}表示满意和较满意的人数占调查总人数的比例", "≥90%", "行业标准")
DEADLINE = _r(T, "@deadline", "{项目}在预算年度内按计划完成的时间", "≤12月份")
PAY_ON_TIME = _r(T, "资金支付及时率", "按合同或计划约定时间支付的资金占应支付资金的比例", "=100%")

COMMON = [QUANTITIES, TOTAL, STANDARDS, SATISFACTION]
# events (publicity, culture): who came and whether the planned events took place
PARTICIPANTS = _r(Q, "参与人次", "参加活动的群众人次", "", "计划标准")
EVENTS_HELD = _r(QL, "活动计划完成率", "按计划举办的活动场次占计划场次的比例", "=100%")

KINDS: list[Kind] = [
    Kind(key="construction", label="工程建设与改造",
         keywords=("工程", "改造", "维修", "建设", "修缮", "提升", "节能", "质保金", "保证金", "基础设施", "铺设", "整修", "新建"),
         output=Output(name="{对象}改造数量", unit="处", description="本年度计划完成建设或改造的{对象}数量"),
         rows=[_r(QL, "工程验收合格率", "通过竣工验收的工程量占完成工程量的比例", "=100%", "行业标准"),
               DEADLINE,
               _r(SU, "工程质量保修期", "竣工验收后施工单位承担保修责任的期限", "≥2年", "行业标准"),
               _r(SO, "{对象}正常使用率", "改造完成后正常投入使用的{对象}占改造总数的比例", "≥95%"),
               *COMMON], served="居民"),
    Kind(key="equipment", label="设备购置",
         keywords=("购置", "设备", "采购", "刻制", "配备", "器材", "装备", "物资", "储备"),
         output=Output(name="{对象}购置数量", unit="台", description="本年度计划购置的{对象}数量"),
         rows=[_r(QL, "设备验收合格率", "验收合格的设备占购置设备总数的比例", "=100%", "行业标准"),
               DEADLINE,
               _r(SU, "设备正常使用率", "购置后正常使用的设备占购置总数的比例", "≥95%"),
               *COMMON], served="干部职工"),
    Kind(key="vehicle", label="车辆运行与租赁",
         keywords=("车辆租赁", "租车", "车辆运行", "公务用车", "车辆", "执法车", "用车", "燃油", "车辆维修"),
         output=Output(name="{对象}数量", unit="辆", description="本年度租赁或保障运行的{对象}数量"),
         rows=[_r(QL, "车辆完好率", "保持良好技术状况、可随时出车的车辆占车辆总数的比例", "≥95%", "行业标准"),
               _r(QL, "车辆安全事故发生次数", "车辆运行中发生的有责安全事故次数", "=0次", "行业标准"),
               _r(T, "用车保障及时率", "按要求时间派出车辆的次数占用车需求次数的比例", "≥95%"),
               _r(SO, "{活动}车辆出勤保障率", "车辆出勤满足工作用车需求的次数占用车需求总次数的比例", "≥95%"),
               *COMMON], served="干部职工"),
    Kind(key="subsidy", label="补贴补助发放",
         keywords=("补贴", "补助", "津贴", "生活补", "奖补", "慰问金", "一次性"),
         output=Output(name="补贴发放人数", unit="人", description="本年度符合条件、应发放补贴的人数"),
         rows=[_r(QL, "补贴发放准确率", "发放对象和金额准确无误的笔数占发放总笔数的比例", "=100%"),
               _r(T, "补贴按时发放率", "按规定时间发放到位的补贴占应发补贴的比例", "=100%"),
               _r(SO, "补贴对象覆盖率", "已发放补贴的对象占符合条件对象的比例", "=100%"),
               *COMMON], served="补贴对象", per_person=True),
    Kind(key="personnel", label="人员工资与劳务",
         keywords=("工资", "报酬", "社会保险", "社保", "公积金", "年金", "劳务", "人员经费", "聘用", "薪酬", "绩效奖"),
         output=Output(name="保障人员数", unit="人", description="本年度由本项目保障工资待遇的人员数"),
         rows=[_r(QL, "工资发放准确率", "按标准足额准确发放的人数占应发人数的比例", "=100%"),
               _r(T, "工资按月发放及时率", "按月按时发放工资的月数占应发放月数的比例", "=100%"),
               _r(SO, "人员在岗率", "在岗履职人员占应在岗人员的比例", "≥95%"),
               *COMMON], served="干部职工", per_person=True),
    Kind(key="services", label="购买服务与委托业务",
         keywords=("购买服务", "政府购买", "委托", "外包", "第三方", "物业", "托管", "聘请", "法律顾问", "审计"),
         output=Output(name="{对象}服务人次", unit="人次", description="本年度委托第三方服务的对象人次"),
         rows=[_r(QL, "服务合同履约率", "按合同约定完成的服务事项占合同约定事项的比例", "=100%"),
               _r(QL, "服务质量考核合格率", "考核合格的服务期次占考核总期次的比例", "≥95%"),
               PAY_ON_TIME,
               _r(SO, "{对象}服务覆盖率", "获得服务的对象占应服务对象的比例", "≥95%"),
               *COMMON], served="居民", by_name_end=False),
    Kind(key="publicity", label="宣传与活动",
         keywords=("宣传", "活动", "融媒体", "文明实践", "创城", "文明城市", "开放", "印制", "展览", "庆祝", "志愿"),
         output=Output(name="{活动}活动场次", unit="场", description="本年度计划举办的{活动}活动场次"),
         rows=[PARTICIPANTS, EVENTS_HELD,
               DEADLINE,
               _r(SO, "宣传内容群众知晓率", "抽样调查中知晓宣传内容的群众占被调查人数的比例", "≥85%"),
               *COMMON], served="居民"),
    Kind(key="training", label="培训与教育",
         keywords=("培训", "教育", "职业教育", "讲座", "研修", "轮训", "学习", "课程", "老年大学"),
         output=Output(name="培训人次", unit="人次", description="本年度参加培训的人次"),
         rows=[_r(Q, "培训期数", "本年度举办的培训期数", "", "计划标准"),
               _r(QL, "参训人员考核合格率", "考核合格的参训人员占参训总人数的比例", "≥95%"),
               DEADLINE,
               _r(SO, "参训人员业务能力提升率", "培训后考核成绩提高的参训人员占参训总人数的比例", "≥80%"),
               *COMMON], served="参训人员", per_person=True),
    Kind(key="sanitation", label="环境卫生与保洁",
         keywords=("环境卫生", "保洁", "清扫", "垃圾", "清运", "河道", "公厕", "消杀", "养护", "门楣"),
         output=Output(name="{对象}保洁面积", unit="平方米", description="本年度纳入保洁范围的{对象}面积"),
         rows=[_r(QL, "保洁作业达标率", "检查达标的保洁作业次数占检查总次数的比例", "≥95%", "行业标准"),
               _r(QL, "垃圾日产日清率", "当日产生当日清运的垃圾量占垃圾产生总量的比例", "=100%", "行业标准"),
               _r(T, "垃圾清运及时率", "按规定时限清运的次数占清运总次数的比例", "≥98%"),
               _r(ECO, "{对象}卫生检查合格率", "卫生检查合格的点位占检查点位总数的比例", "≥95%", "行业标准"),
               *COMMON], served="居民"),
    # greening is tended, not swept: its rows are survival and upkeep, not garbage cleared
    Kind(key="greening", label="园林绿化养护",
         keywords=("绿化养护", "绿化", "园林", "绿地", "苗木", "植树", "草坪", "花卉", "行道树"),
         output=Output(name="绿化养护面积", unit="平方米", description="本年度纳入养护范围的绿地面积"),
         rows=[_r(QL, "苗木成活率", "养护期内成活的苗木株数占养护苗木总株数的比例", "≥95%", "行业标准"),
               _r(QL, "绿化养护检查达标率", "检查达标的养护作业次数占检查总次数的比例", "≥95%", "行业标准"),
               DEADLINE,
               _r(ECO, "绿地完好率", "保持完好、无明显缺损和病虫害的绿地面积占养护绿地总面积的比例", "≥95%", "行业标准"),
               *COMMON], served="居民"),
    Kind(key="environment", label="人居环境与村容整治",
         keywords=("人居环境", "整治", "村容", "改厕", "污水", "美丽乡村", "环境整治", "拆违", "治理"),
         output=Output(name="整治行政村数量", unit="个", description="本年度完成整治的行政村数量"),
         rows=[_r(QL, "整治任务验收合格率", "验收合格的整治任务占完成任务的比例", "=100%", "行业标准"),
               DEADLINE,
               _r(ECO, "{对象}整治达标率", "整治后达到标准的点位占整治点位总数的比例", "≥95%", "行业标准"),
               _r(SU, "长效管护机制建立率", "建立长效管护制度的行政村占整治行政村的比例", "=100%"),
               *COMMON], served="村民"),
    Kind(key="it", label="信息系统与线路",
         keywords=("信息系统", "信息化", "网络", "线路", "软件", "平台", "监控", "数据", "服务器", "宽带", "视频", "系统运维", "专线"),
         output=Output(name="{对象}数量", unit="套", description="本年度建设或运维的{对象}数量"),
         rows=[_r(QL, "系统正常运行率", "系统正常运行时间占应运行时间的比例", "≥99%", "行业标准"),
               _r(T, "故障响应及时率", "在约定时限内响应处理的故障占故障总数的比例", "≥95%", "行业标准"),
               _r(SO, "业务线上办理率", "通过系统办理的业务占同类业务总量的比例", "≥90%"),
               *COMMON], served="干部职工"),
    Kind(key="operating", label="办公及运转经费",
         keywords=("办公", "工作经费", "运转", "综合事务", "公用经费", "业务经费", "事务管理", "水电", "日常"),
         output=Output(name="保障在职人员数", unit="人", description="本年度由本项目保障日常办公的在职人员数"),
         rows=[_r(QL, "经费支出合规率", "符合财务制度的支出占全部支出的比例", "=100%"),
               PAY_ON_TIME,
               _r(SO, "机关正常运转保障率", "办公运转需求得到保障的月数占全年月数的比例", "=100%"),
               *COMMON], served="干部职工", per_person=True),
    Kind(key="assistance", label="社会救助与帮扶",
         keywords=("救助", "低保", "特困", "临时救助", "帮扶", "困难群众", "残疾", "孤儿", "优抚"),
         output=Output(name="救助对象人数", unit="人", description="本年度纳入救助或帮扶的对象人数"),
         rows=[_r(QL, "救助对象认定准确率", "经复核认定准确的救助对象占救助对象总数的比例", "=100%"),
               _r(T, "救助资金发放及时率", "按时发放到位的救助资金占应发放资金的比例", "=100%"),
               _r(SO, "困难群众基本生活保障率", "基本生活得到保障的救助对象占救助对象总数的比例", "=100%"),
               *COMMON], served="困难群众", per_person=True),
    Kind(key="elderly", label="养老服务",
         keywords=("养老", "老年", "老人", "敬老", "老饭桌", "助餐", "日间照料", "居家养老", "高龄"),
         output=Output(name="服务老年人人数", unit="人", description="本年度接受服务的老年人人数"),
         rows=[_r(QL, "服务质量考核合格率", "考核合格的服务项目占考核项目总数的比例", "≥95%"),
               _r(QL, "食品安全事故发生次数", "助餐或照料服务中发生的食品安全事故次数", "=0次", "行业标准",
                  when=("助餐", "餐", "食堂", "老饭桌", "配餐", "送餐")),
               _r(T, "服务按时提供率", "按约定时间提供的服务次数占应提供次数的比例", "≥95%"),
               _r(SO, "老年人服务需求满足率", "需求得到满足的老年人占提出需求老年人的比例", "≥90%"),
               *COMMON], served="老年人", per_person=True),
    Kind(key="agriculture", label="农业农村发展",
         keywords=("农业", "种植", "养殖", "耕地", "农田", "水利", "灌溉", "高标准农田", "良种", "农机", "粮食", "病虫害"),
         output=Output(name="{对象}实施面积", unit="亩", description="本年度项目实施的面积"),
         rows=[_r(QL, "项目验收合格率", "验收合格的建设内容占完成内容的比例", "=100%", "行业标准"),
               DEADLINE,
               _r(EC, "受益农户数", "因项目实施而受益的农户数量", "", "计划标准"),
               _r(SU, "设施完好率", "项目形成的设施保持完好的比例", "≥95%"),
               *COMMON], served="村民"),
    Kind(key="culture", label="文化体育",
         keywords=("文化", "体育", "图书", "文艺", "演出", "健身", "非遗", "阅读", "电影", "赛事"),
         output=Output(name="{活动}活动场次", unit="场", description="本年度计划举办的文化体育活动场次"),
         rows=[PARTICIPANTS, EVENTS_HELD,
               DEADLINE,
               _r(SO, "群众文化活动参与率", "参与活动的群众占辖区群众的比例", "≥30%"),
               *COMMON], served="居民"),
    Kind(key="safety", label="安全隐患排查与应急",
         keywords=("安全生产", "隐患", "排查", "消防", "应急", "防汛", "地震", "森林防火", "燃气安全"),
         output=Output(name="隐患排查单位数", unit="家", description="本年度开展隐患排查的单位（场所）数"),
         rows=[_r(QL, "隐患整改率", "已整改的隐患占排查发现隐患总数的比例", "=100%"),
               _r(T, "隐患整改及时率", "在规定时限内整改的隐患占应整改隐患的比例", "≥95%"),
               _r(SO, "较大及以上安全事故发生次数", "辖区内发生较大及以上安全事故的次数", "=0次", "行业标准"),
               *COMMON], served="居民"),
    Kind(key="stability", label="维稳、综治与调解",
         keywords=("维稳", "信访", "综治", "平安", "调解", "网格", "矛盾纠纷", "禁毒", "反诈", "执法"),
         output=Output(name="矛盾纠纷排查调处件数", unit="件", description="本年度排查调处的矛盾纠纷件数"),
         rows=[_r(QL, "矛盾纠纷调解成功率", "调解成功的纠纷占受理纠纷的比例", "≥95%"),
               _r(T, "信访事项按期办结率", "按期办结的信访事项占受理事项的比例", "≥95%"),
               _r(SO, "群众安全感", "抽样调查中感到安全的群众占被调查人数的比例", "≥90%"),
               *COMMON], served="居民"),
    Kind(key="party", label="党建与纪检",
         keywords=("党建", "党组织", "党员", "纪委", "纪工委", "纪检", "团委", "群众说事", "党校"),
         output=Output(name="党员教育活动次数", unit="次", description="本年度组织的党员教育活动次数"),
         rows=[_r(QL, "党组织规范化建设达标率", "达到规范化建设标准的基层党组织占党组织总数的比例", "≥95%"),
               DEADLINE,
               _r(SO, "党员参学率", "参加学习教育的党员占党员总数的比例", "≥95%"),
               *COMMON], served="党员群众"),
    Kind(key="military", label="武装与退役军人",
         keywords=("武装", "征兵", "民兵", "退役", "涉军", "军人", "双拥", "优待"),
         output=Output(name="服务退役军人人数", unit="人", description="本年度服务或保障的退役军人及优抚对象人数"),
         rows=[_r(QL, "征兵任务完成率", "完成的征兵人数占下达任务数的比例", "=100%"),
               _r(T, "优待金按时发放率", "按时发放的优待金占应发放金额的比例", "=100%"),
               _r(SO, "退役军人服务保障覆盖率", "得到服务保障的退役军人占辖区退役军人的比例", "=100%"),
               *COMMON], served="退役军人"),
    Kind(key="rent", label="房屋租赁",
         keywords=("租房", "房租", "租赁", "租金", "场地租用"),
         output=Output(name="租赁房屋面积", unit="平方米", description="本年度租赁的房屋面积"),
         rows=[_r(QL, "租赁合同履约率", "按合同约定履行的事项占合同事项的比例", "=100%"),
               _r(T, "租金支付及时率", "按合同约定时间支付的租金占应付租金的比例", "=100%"),
               _r(SO, "办公服务场所保障率", "租赁场所满足办公和服务需要的月数占租赁月数的比例", "=100%"),
               *COMMON], served="干部职工"),
    Kind(key="insurance", label="车辆及财产保险",
         keywords=("车辆保险", "保险费", "投保", "财产保险"),
         output=Output(name="投保车辆数", unit="辆", description="本年度投保的车辆（财产）数量"),
         rows=[_r(QL, "投保覆盖率", "已投保的车辆（财产）占应投保总数的比例", "=100%"),
               _r(T, "保费缴纳及时率", "在保险到期前续保缴费的比例", "=100%"),
               _r(SU, "保险理赔办结率", "办结的理赔事项占报案事项的比例", "≥95%"),
               *COMMON], served="干部职工"),
    Kind(key="whole_unit", label="部门整体支出",
         keywords=("部门整体", "整体支出", "整体绩效"),
         output=Output(name="年度重点工作任务数", unit="项", description="本年度部署的重点工作任务数"),
         rows=[_r(QL, "重点工作任务完成率", "完成的重点工作任务占部署任务的比例", "≥95%"),
               _r(T, "预算执行率", "年度实际支出占预算的比例", "≥90%", "预算支出标准"),
               _r(SO, "辖区公共服务事项办结率", "办结的公共服务事项占受理事项的比例", "≥95%"),
               *COMMON], served="居民"),
]
OTHER = Kind(key="other", label="其他",
             keywords=(),
             output=Output(name="{对象}数量", unit="个", description="本年度计划完成的{对象}数量"),
             rows=[_r(QL, "项目验收合格率", "验收合格的任务占完成任务的比例", "=100%"),
                   DEADLINE,
                   _r(SO, "{项目}目标实现率", "实现的年度目标占计划目标的比例", "≥90%"),
                   *COMMON])
# Every kind says when its work is done (完成时间, a generic form reviewers accept for 时效, beside a
# kind's own timeliness rate) unless it already has a completion-time row.
for _kind in (*KINDS, OTHER):
    if not any(r is DEADLINE or "完成时间" in r.name for r in _kind.rows):
        _kind.rows.insert(next((i + 1 for i, r in enumerate(_kind.rows) if r.level2 == T), 0), DEADLINE)
BY_KEY = {k.key: k for k in KINDS}
