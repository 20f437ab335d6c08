"""The sample account set: fictional clients, one AE workbench each.

``build_sample(out_dir, seed=2026, scale=1)`` writes
``<out_dir>/<客户简称>_AE工作台.xlsx`` for each client plus the sample images
``<out_dir>/样稿/*.png``, all from ``random.Random`` seeded with ``seed`` —
the same arguments always give the same content. The workbenches are
written through ``aexl.workbook.template`` (same tables, drop-downs and notes as
``aexl init``). ``scale`` multiplies the jobs (and everything that hangs on
them); ``clients`` adds generated clients after the three hand-made ones
(the benchmark uses both).

Everything here is invented: clients, brands, people, media and figures.
The data runs from January to late November 2026 ("today" is
2026-11-26) and contains the situations the tools must handle: every work
type and status, revisions, complete and incomplete sign-off chains with a
拒单 round and a 退回 round, minutes sent late or not reviewed, a sample
path that does not exist and one that is a URL, copy that breaks the
Advertising Law or lacks a slogan, polyphones (重庆, 银行), a brand code
typed into 品牌 to avoid a clash, values typed the way people type them
(``1.5万``, ``2026/3/12``, ``60%``), and a 2027 节假日 list.

Run ``python workbooks/make_sample.py`` to regenerate ``workbooks/sample``.
"""

from __future__ import annotations

import io
import random
import sys
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:  # run as a script from a checkout
    sys.path.insert(0, str(HERE.parent))

from aexl import schema  # noqa: E402
from aexl.codes import resolve_codes  # noqa: E402
from aexl.jobno import format_jobno  # noqa: E402
from aexl.workcal import WorkCalendar  # noqa: E402

SAMPLE_DIR = HERE / "sample"
IMAGE_DIR = "样稿"
YEAR = 2026
FIRST_DAY = date(2026, 1, 5)
LAST_OPEN = date(2026, 11, 20)
RECENT_FROM = date(2026, 10, 26)
TODAY = date(2026, 11, 26)
WORKBOOK_SUFFIX = "_AE工作台.xlsx"


# ---------------------------------------------------------------------------
# The accounts


@dataclass
class Line:
    brand: str
    line: str
    brand_code: str = ""  # typed override ("" = derived from pinyin)
    line_code: str = ""
    note: str = ""
    product: str = ""  # what is advertised, for the texts


@dataclass
class Campaign:
    brand: str
    name: str
    start: date
    end: date
    weekly: bool
    metrics: tuple  # (指标, 单位, 来源, start value, target, noise)


@dataclass
class Client:
    short: str
    full: str
    industry: str
    lines: list[Line]
    campaigns: list[Campaign] = field(default_factory=list)
    client_people: tuple = ()  # client contacts (品牌经理 …)
    regions: tuple = ("全国",)


CLIENTS: tuple[Client, ...] = (
    Client(
        "星河食品",
        "星河食品股份有限公司",
        "food",
        [
            Line("星河", "方便面", product="星河红烧牛肉面"),
            Line("星河", "重庆小面", product="星河重庆小面（麻辣/豌杂）"),
            Line("小河豚", "海苔零食", product="小河豚烤海苔"),
        ],
        [
            Campaign(
                "星河",
                "重庆小面上市",
                date(2026, 8, 3),
                date(2026, 11, 27),
                True,
                (
                    ("终端铺货率", "%", "终端观察", 12, 60, 3),
                    ("试吃人数", "人", "终端观察", 800, 3000, 250),
                ),
            ),
            Campaign(
                "星河",
                "品牌认知度追踪",
                date(2026, 1, 31),
                date(2026, 10, 31),
                False,
                (("品牌认知度", "%", "问卷调研", 41, 55, 1.5),),
            ),
            Campaign(
                "小河豚",
                "暑期校园推广",
                date(2026, 6, 1),
                date(2026, 10, 30),
                True,
                (
                    ("校园店动销", "箱", "第三方数据", 120, 400, 30),
                    ("社媒互动量", "次", "第三方数据", 5000, 20000, 1500),
                ),
            ),
        ],
        ("刘晓雯", "陈卓", "何佳"),
        ("全国", "重庆", "成都", "西南", "华东"),
    ),
    Client(
        "云帆电器",
        "云帆电器集团有限公司",
        "appliance",
        [
            Line("云帆", "空调", product="云帆新风空调"),
            Line("云帆", "洗衣机", product="云帆滚筒洗衣机"),
            Line(
                "悦峰",
                "空调",
                brand_code="YUF",
                note="拼音代码 YF 与「云帆」相同，YFKT 会重复，手工指定品牌代码 YUF",
                product="悦峰高端空调",
            ),
        ],
        [
            Campaign(
                "云帆",
                "以旧换新季",
                date(2026, 3, 2),
                date(2026, 7, 31),
                True,
                (
                    ("门店客流", "人次", "终端观察", 1500, 4000, 300),
                    ("以旧换新台数", "台", "第三方数据", 200, 900, 60),
                ),
            ),
            Campaign(
                "云帆",
                "双11大促",
                date(2026, 9, 7),
                date(2026, 11, 27),
                True,
                (("线上销量", "台", "第三方数据", 3000, 12000, 900),),
            ),
            Campaign(
                "悦峰",
                "高端新品上市",
                date(2026, 9, 30),
                date(2026, 11, 30),
                False,
                (
                    ("品牌偏好度", "%", "问卷调研", 8, 15, 0.8),
                    ("进店咨询量", "人次", "消费者询问", 300, 900, 60),
                ),
            ),
        ],
        ("王珏", "孙浩然"),
        ("全国", "华南", "华东", "广州", "上海"),
    ),
    Client(
        "渝信银行",
        "重庆渝信银行股份有限公司",
        "bank",
        [
            Line("渝信银行", "信用卡", product="渝信山城主题信用卡"),
            Line("渝信银行", "手机银行", product="渝信手机银行 App"),
        ],
        [
            Campaign(
                "渝信银行",
                "信用卡新户礼",
                date(2026, 1, 31),
                date(2026, 11, 30),
                False,
                (
                    ("新增开卡", "张", "第三方数据", 6000, 15000, 700),
                    ("活动知晓率", "%", "问卷调研", 18, 40, 2),
                ),
            ),
            Campaign(
                "渝信银行",
                "手机银行月活提升",
                date(2026, 5, 4),
                date(2026, 11, 27),
                True,
                (("月活跃用户", "万人", "第三方数据", 48, 80, 2.5),),
            ),
        ],
        ("赵一鸣", "钱嘉怡", "周屹"),
        ("重庆", "主城九区", "川渝地区"),
    ),
)

# Generated clients for the benchmark (clients > 3): invented names only.
_EXTRA_CLIENTS = (
    ("青禾日化", "daily", [("青禾", "洗发水"), ("青禾", "沐浴露"), ("露芽", "牙膏")]),
    ("海川饮品", "food", [("海川", "矿泉水"), ("海川", "果汁"), ("冰岚", "茶饮")]),
    ("金穗粮油", "food", [("金穗", "大米"), ("金穗", "食用油"), ("穗禾", "面粉")]),
    ("松石家居", "appliance", [("松石", "沙发"), ("松石", "床垫"), ("木里", "定制柜")]),
    ("蓝鲸汽车", "appliance", [("蓝鲸", "轿车"), ("蓝鲸", "新能源"), ("鲸启", "售后")]),
    ("白鹭乳业", "food", [("白鹭", "鲜奶"), ("白鹭", "酸奶"), ("鹭鹭", "儿童奶")]),
    ("远山茶业", "food", [("远山", "绿茶"), ("远山", "红茶"), ("云岚", "花茶")]),
    ("启明教育", "bank", [("启明", "少儿英语"), ("启明", "成人职教")]),
    ("南岭药业", "daily", [("南岭", "感冒药"), ("南岭", "维生素"), ("岭安", "护肝片")]),
    ("鸿途旅行", "bank", [("鸿途", "跟团游"), ("鸿途", "酒店预订")]),
    ("锦绣服饰", "daily", [("锦绣", "女装"), ("锦绣", "童装"), ("绣然", "内衣")]),
    ("北辰地产", "bank", [("北辰", "住宅"), ("北辰", "商业")]),
    ("橙光数码", "appliance", [("橙光", "手机"), ("橙光", "平板"), ("光屿", "耳机")]),
    ("翠谷果业", "food", [("翠谷", "脐橙"), ("翠谷", "猕猴桃")]),
    ("清泉保险", "bank", [("清泉", "健康险"), ("清泉", "车险")]),
    ("丰禾农牧", "food", [("丰禾", "鸡蛋"), ("丰禾", "冷鲜肉")]),
    ("悦动体育", "daily", [("悦动", "跑鞋"), ("悦动", "运动服")]),
    ("星澜酒店", "bank", [("星澜", "商务酒店"), ("星澜", "度假村")]),
)

AGENCY = {
    # role → names (people of the agency)
    "AE": ("林晓", "黄一帆", "蒋悦", "袁清"),
    "AM": ("许嘉宁", "郭峰"),
    "AD": ("周宁", "韩磊", "彭静"),
    "CD": ("唐骏", "宋可"),
    "文案": ("李想", "邓雨", "苏墨"),
    "电脑": ("马超", "罗敏", "谢晨"),
    "策略": ("高远", "冯蕾"),
}
ROLE_TITLES = {
    "AE": "客户主任",
    "AD": "美术指导",
    "CD": "创意总监",
    "文案": "文案",
    "电脑": "电脑美工",
    "AD审核": "美术指导",
    "CD审核": "创意总监",
    "AE确认": "客户主任",
    "AD确认": "美术指导",
    "客户确认": "客户",
}

# ---------------------------------------------------------------------------
# Text pools

DURATION = {  # working days from 开单 to 交付
    "命名": (10, 15),
    "平面广告": (8, 15),
    "海报": (5, 10),
    "报刊广告": (6, 12),
    "终端物料": (10, 18),
    "手册": (15, 25),
    "TVC": (30, 50),
    "主视觉": (15, 25),
    "形象稿": (10, 18),
    "新稿件": (6, 12),
    "网络广告": (6, 12),
    "电台广告": (6, 10),
    "户外广告": (10, 18),
    "策略方案": (15, 25),
    "其他": (5, 10),
}
SPECS = {
    "平面广告": ("A4 / 210×285mm", "A3 / 297×420mm", "杂志跨页 420×285mm"),
    "海报": ("600×900mm", "500×700mm", "A2 / 420×594mm"),
    "报刊广告": ("报纸半版 250×350mm", "报纸整版 330×480mm", "报纸通栏 330×110mm"),
    "终端物料": ("易拉宝 800×2000mm", "吊旗 400×600mm", "堆头围挡 1200×600mm", "桌卡 A5"),
    "手册": ("A5 折页 16P", "210×210mm 12P", "三折页 A4"),
    "户外广告": ("户外大牌 18×6m", "地铁灯箱 1500×1000mm", "公交站台 1180×1750mm"),
    "TVC": ("15秒 + 30秒",),
    "网络广告": ("1080×1920 竖版", "1200×628 横版"),
    "电台广告": ("15秒 + 30秒",),
    "主视觉": ("主 KV + 横竖版延展",),
}
BUDGET = {  # yuan, (low, high) in thousands
    "命名": (8, 30),
    "平面广告": (10, 40),
    "海报": (5, 20),
    "报刊广告": (10, 30),
    "终端物料": (8, 35),
    "手册": (15, 45),
    "TVC": (150, 600),
    "主视觉": (40, 120),
    "形象稿": (20, 60),
    "新稿件": (5, 20),
    "网络广告": (8, 30),
    "电台广告": (6, 20),
    "户外广告": (20, 80),
    "策略方案": (30, 100),
    "其他": (3, 15),
}
AD_FORM = {
    "平面广告": "平面",
    "报刊广告": "平面",
    "海报": "户外",
    "户外广告": "户外",
    "TVC": "影视",
    "网络广告": "网络",
    "电台广告": "电台",
    "终端物料": "其他",
    "主视觉": "户外",
    "形象稿": "平面",
    "新稿件": "网络",
}
MEDIA = {
    "平面": (("山城晨报", "整版"), ("西南商报", "半版"), ("都市生活周刊", "跨页")),
    "影视": (("西南卫视", "30秒"), ("山城都市频道", "15秒"), ("楼宇电视", "15秒")),
    "电台": (("交通广播 FM93.8", "30秒"), ("音乐广播 FM88.1", "15秒")),
    "网络": (
        ("短视频平台信息流", "1080×1920"),
        ("朋友圈广告", "1080×1350"),
        ("视频网站贴片", "15秒"),
    ),
    "户外": (
        ("地铁2号线灯箱", "1500×1000mm"),
        ("商圈LED大屏", "15秒轮播"),
        ("高速路大牌", "18×6m"),
    ),
    "其他": (("卖场堆头", "1200×600mm"), ("门店海报位", "600×900mm"), ("网点电子屏", "竖屏")),
}
VERSIONS = ("A版", "B版", "C版")
VERSION_THEMES = {
    "food": ("团圆篇", "加班篇", "开学篇", "宵夜篇", "国潮篇"),
    "appliance": ("清凉篇", "静音篇", "节能篇", "焕新篇", "家庭篇"),
    "bank": ("山城篇", "便捷篇", "安心篇", "新户篇", "出行篇"),
    "daily": ("清新篇", "家庭篇", "焕新篇", "自然篇", "都市篇"),
}
PROJECTS = {
    "food": (
        "春节团圆促销",
        "开学季",
        "夏日清爽",
        "新品上市",
        "双11电商",
        "中秋礼盒",
        "国潮包装",
        "校园推广",
    ),
    "appliance": (
        "以旧换新",
        "五一焕新",
        "夏季清凉",
        "双11大促",
        "新品发布",
        "节能补贴",
        "会员日",
        "门店升级",
    ),
    "bank": (
        "新户礼",
        "山城主题卡",
        "跨境消费",
        "春节红包",
        "理财节",
        "App改版",
        "反诈宣传",
        "年轻客群",
    ),
    "daily": (
        "换季护理",
        "家庭装",
        "新品试用",
        "会员日",
        "双11电商",
        "焕新包装",
        "达人种草",
        "门店陈列",
    ),
}
BACKGROUND = (
    "{brand}{line}在{region}市场份额稳定，但年轻消费者认知偏弱，需要借「{project}」节点提升声量。",
    "竞品近期在{region}密集投放，{product}需要一轮集中传播稳住终端动销。",
    "{product}完成升级，客户希望在「{project}」期间把卖点讲清楚，带动门店和线上转化。",
    "根据上月效果追踪，{brand}在{region}的到店咨询下滑，客户要求补充一轮传播。",
)
OBJECTIVES = (
    "提升{product}在{region}的品牌知名度",
    "活动期间终端动销提升 20%",
    "带动线上搜索和进店咨询，新增会员 1 万人",
    "让目标消费者记住「{project}」的核心利益点",
)
CONSUMERS = {
    "food": ("18–30 岁在校学生和年轻白领", "25–40 岁家庭主妇/主夫", "加班族和夜宵人群"),
    "appliance": ("25–40 岁新婚及改善型家庭", "注重品质的中高收入家庭", "以旧换新的中老年用户"),
    "bank": ("22–35 岁城市年轻客群", "本地小微企业主", "有出行和网购习惯的信用卡用户"),
    "daily": ("20–35 岁都市女性", "有孩子的年轻家庭", "注重性价比的家庭采购者"),
}
STRATEGIES = (
    "以「{project}」为主题，线上短视频引流 + 线下终端承接",
    "聚焦一个核心卖点，统一主视觉，全渠道一致输出",
    "借势节日情绪，用真实生活场景拉近距离",
    "口碑带动：达人试用 + 用户评价二次传播",
)
TONES = ("温暖、亲切", "年轻、有活力", "专业、可信赖", "热闹、喜庆", "简洁、高级")
MUST_HAVES = (
    "无",
    "无",
    "须使用新版 LOGO 和包装图",
    "须保留法定标识和风险提示",
    "主色调沿用年度 KV",
)
MATERIALS = ("无", "产品图、LOGO 源文件", "上一版 KV、品牌手册", "卖点说明、价格政策", "门店尺寸表")
CONTENT = {
    "命名": "为{product}新系列提出 10 个命名方案及释义",
    "平面广告": "{project}平面广告 {n} 张",
    "海报": "{project}门店海报 {n} 款",
    "报刊广告": "{project}报刊广告 {n} 版",
    "终端物料": "{project}终端物料一套（易拉宝、吊旗、桌卡）",
    "手册": "{product}产品手册设计及印刷跟进",
    "TVC": "{project} TVC 脚本、拍摄及后期（15秒 + 30秒）",
    "主视觉": "{project}年度主视觉（KV）及延展",
    "形象稿": "{brand}品牌形象稿 {n} 张",
    "新稿件": "{project}社交媒体新稿件 {n} 张",
    "网络广告": "{project}信息流广告素材 {n} 套",
    "电台广告": "{project}电台广告脚本及录制",
    "户外广告": "{project}户外广告画面 {n} 款",
    "策略方案": "{project}传播策略方案",
    "其他": "{project}活动邀请函、电子贺卡等零星设计",
}
WEEK_TEXT = {
    "start": (
        "召开广告说明会，完成工作单签核",
        "与创意部沟通 brief，收集资料",
        "确认工作单和时间表",
    ),
    "draft": ("完成初稿，内部审稿", "提案准备，调整画面"),
    "mid": ("完成提案，收集客户意见", "按意见修改第二稿", "再提案，客户基本认可"),
    "end": ("客户确认定稿，完成正稿", "完成正稿 QC，安排打样", "交付完稿，归档"),
}
NEXT_TEXT = {
    "start": ("完成初稿并内部审稿", "安排提案时间"),
    "draft": ("向客户提案", "完成提案稿"),
    "mid": ("根据意见修改并再提案", "确认定稿"),
    "end": ("跟进投放和样稿收集", "整理完稿归档", "—"),
}
FINANCE = ("报价已确认", "报价待客户确认", "已开票，待回款", "已回款", "未产生费用")
REVISION_TEXT = (
    "标题改为更口语化的说法",
    "产品图换成新包装",
    "主色调调亮，LOGO 放大",
    "删去价格信息，改为「到店咨询」",
    "补充活动时间和地址",
    "结尾口号改为年度统一口号",
    "字体统一用品牌标准字",
)
REVISION_SOURCE = ("客户品牌经理", "提案会", "电话沟通", "客户市场总监")
REJECT_NOTE = "工作单未写明规格和尺寸，产品资料不全，拒单，请补充后重走流程"
RETURN_NOTE = "标题字号过小、LOGO 位置不对，退回修改"
MEETING_TOPIC = {
    "广告说明会": "{project}需求说明",
    "提案": "{project}创意提案",
    "再提案": "{project}修改稿再提案",
    "工作会议": "{month}月工作例会",
    "电话沟通": "{project}修改意见沟通",
}
NOTE_TEXT = {
    "背景": (
        "{month}月{brand}的工作围绕「{project}」展开，客户希望在{region}继续加大终端声量。",
        "本月{brand}处于{project}推进期，创意、制作与投放同步进行。",
        "客户{month}月调整了年度节奏，{brand}的重点从品牌形象转向终端促销。",
    ),
    "下月": (
        "完成{project}的投放跟进和样稿收集；启动下一阶段创意。",
        "下月重点：{project}效果复盘，准备季度提案。",
        "跟进未完成的正稿和打样，安排年度总结素材收集。",
    ),
    "效果": (
        "终端反馈良好，指标接近目标，部分区域铺货仍偏低。",
        "线上互动量高于预期，线下转化略低于目标，需加强门店物料。",
        "问卷显示知晓率稳步上升，建议保持投放频次。",
    ),
}
COPY_DRAFTS = {  # (product line the draft belongs to, 标题, 正文, 口号)
    "food": (
        (
            "重庆小面",
            "一口山城味",
            "地道重庆小面，麻辣鲜香，在家也能第一次吃出街边小店的味道。",
            "星河一碗，家的味道",
        ),
        (
            "方便面",
            "全国最佳方便面",
            "星河方便面，中国方便面第一品牌，顶级牛骨熬汤，100%好吃。",
            "星河一碗，家的味道",
        ),
        (
            "海苔零食",
            "脆到停不下来",
            "小河豚烤海苔，现烤现封，请在最佳赏味期内食用。",
            "小河豚，咔嚓一口海的味道",
        ),
    ),
    "appliance": (
        ("空调", "静享清凉", "云帆新风空调，静音运行，一夜安睡。", "云帆，懂生活"),
        (
            "洗衣机",
            "焕新一夏",
            "以旧换新最高补贴 800 元，领先的洗护技术，省水又安心。",
            "云帆，懂生活",
        ),
        ("空调", "高端之选", "悦峰高端空调，匠心打造，为家人营造舒适空间。", "悦峰，静享高端"),
    ),
    "bank": (
        (
            "信用卡",
            "山城主题卡",
            "渝信山城主题信用卡，解放碑、洪崖洞卡面任你选，新户首刷有礼。",
            "",
        ),
        (
            "手机银行",
            "手机银行焕新",
            "渝信手机银行全新改版，转账、缴费一步到位。",
            "渝信银行，山城人自己的银行",
        ),
        (
            "信用卡",
            "安心用卡",
            "用卡有规划，还款更轻松。分期手续费以实际账单为准。",
            "渝信银行，山城人自己的银行",
        ),
    ),
    "daily": (
        ("", "清新一整天", "温和配方，清爽不紧绷，全家都能用。", "{brand}，自然好生活"),
        ("", "家庭装更划算", "一次囤够，天天好心情。", "{brand}，自然好生活"),
    ),
}
HOLIDAYS_2027_NOTE = "（推测：国务院办公厅 2027 年节假日通知尚未发布，发布后请按通知改正）"
HOLIDAYS_2027 = (
    ("2027-01-01", "2027-01-03", "放假", "元旦"),
    ("2027-02-05", "2027-02-13", "放假", "春节"),
    ("2027-01-31", "2027-01-31", "调休上班", "春节调休"),
    ("2027-02-20", "2027-02-20", "调休上班", "春节调休"),
    ("2027-04-03", "2027-04-05", "放假", "清明节"),
    ("2027-05-01", "2027-05-05", "放假", "劳动节"),
    ("2027-04-25", "2027-04-25", "调休上班", "劳动节调休"),
    ("2027-05-08", "2027-05-08", "调休上班", "劳动节调休"),
    ("2027-06-09", "2027-06-09", "放假", "端午节"),
    ("2027-09-15", "2027-09-15", "放假", "中秋节"),
    ("2027-10-01", "2027-10-07", "放假", "国庆节"),
    ("2027-09-26", "2027-09-26", "调休上班", "国庆节调休"),
    ("2027-10-09", "2027-10-09", "调休上班", "国庆节调休"),
)

# ---------------------------------------------------------------------------
# Helpers


def _iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass
class Job:
    no: str
    line: Line
    project: str
    work_type: str
    opened: date
    due: date
    status: str
    budget: float
    ae: str
    team: dict
    revisions: list = field(default_factory=list)  # (date, due)
    proposal: date | None = None
    cancelled: date | None = None


class _Builder:
    """Generates the registers of one client."""

    def __init__(self, client: Client, rng: random.Random, scale: float, cal: WorkCalendar):
        self.c = client
        self.rng = rng
        self.scale = scale
        self.cal = cal
        self.rows: dict[str, list[list]] = {r.sheet: [] for r in schema.REGISTERS}
        self.images: dict[str, tuple] = {}  # relative path → (brand, form, version)
        self.brands_df = None
        self.jobs: list[Job] = []
        self.ae = rng.choice(AGENCY["AE"])
        self.am = rng.choice(AGENCY["AM"])
        self.themes = VERSION_THEMES[client.industry]

    # utilities -----------------------------------------------------------
    def pick(self, seq):
        return self.rng.choice(seq)

    def workday_on_or_after(self, day: date) -> date:
        return self.cal.next_workday(day, inclusive=True)

    def fmt(self, template: str, job: Job | None = None, **extra) -> str:
        values = {
            "brand": job.line.brand if job else extra.get("brand", ""),
            "line": job.line.line if job else "",
            "product": job.line.product if job else "",
            "project": job.project if job else extra.get("project", ""),
            "region": self.pick(self.c.regions),
            "n": self.rng.randint(2, 6),
        }
        values.update(extra)
        return template.format(**values)

    # registers -------------------------------------------------------------
    def brands(self) -> None:
        import pandas as pd

        rows = []
        for line in self.c.lines:
            rows.append(
                [self.c.full, line.brand, line.brand_code, line.line, line.line_code, line.note]
            )
        self.rows["品牌"] = [[v if v != "" else None for v in row] for row in rows]
        self.brands_df = pd.DataFrame(
            rows, columns=["客户", "品牌", "品牌代码", "产品线", "产品线代码", "备注"]
        )

    def make_jobs(self) -> None:
        rng = self.rng
        per_line = max(1, round(8 * self.scale))
        total = per_line * len(self.c.lines)
        types = list(schema.WORK_TYPES)
        rng.shuffle(types)
        while len(types) < total:
            types.append(rng.choice(schema.WORK_TYPES))
        types = types[:total]
        # spread over the year, with 30 % opened in the last four weeks (work in progress)
        recent = max(3, round(total * 0.3))
        earlier = total - recent
        plans = []
        for i, work_type in enumerate(types):
            line = self.c.lines[i % len(self.c.lines)]
            if i < recent:
                offset = rng.randint(0, (LAST_OPEN - RECENT_FROM).days)
                opened = RECENT_FROM + timedelta(days=offset)
            else:  # evenly over the year, with jitter
                step = (RECENT_FROM - FIRST_DAY).days / earlier
                opened = FIRST_DAY + timedelta(days=int((i - recent + rng.random()) * step))
            plans.append((self.workday_on_or_after(opened), i, line, work_type))
        plans.sort(key=lambda p: (p[0], p[1]))
        serials: dict[tuple[str, str, int], int] = {}
        projects = PROJECTS[self.c.industry]
        cancel_at = {rng.randrange(len(plans) // 2, len(plans))} if len(plans) > 4 else set()
        extra_cancel = max(0, round(len(plans) * 0.03) - 1)
        while len(cancel_at) < 1 + extra_cancel:
            cancel_at.add(rng.randrange(len(plans)))
        for n, (opened, _i, line, work_type) in enumerate(plans):
            bc, lc = resolve_codes(self.brands_df, line.brand, line.line)
            key = (bc, lc, opened.year)
            serials[key] = serials.get(key, 0) + 1
            no = format_jobno(bc, lc, opened.year, serials[key])
            low, high = DURATION[work_type]
            due = self.cal.add_workdays(opened, rng.randint(low, high))
            project = f"{line.line}{rng.choice(projects)}"
            blo, bhi = BUDGET[work_type]
            budget = float(rng.randint(blo, bhi) * 1000)
            team = {role: rng.choice(names) for role, names in AGENCY.items()}
            job = Job(no, line, project, work_type, opened, due, "", budget, self.ae, team)
            job.status = self._status(job, n in cancel_at)
            self.jobs.append(job)

    def _status(self, job: Job, cancel: bool) -> str:
        rng = self.rng
        length = max(1, (job.due - job.opened).days)
        job.proposal = self.cal.add_workdays(
            job.opened, max(2, round(self.cal.workdays(job.opened, job.due) * 0.55))
        )
        if cancel:
            job.cancelled = self.cal.add_workdays(job.opened, rng.randint(2, 6))
            if job.cancelled > TODAY:
                job.cancelled = self.cal.previous_workday(TODAY)
            return "已取消"
        if job.due <= TODAY - timedelta(days=10):
            return "已完成" if rng.random() < 0.85 else "客户确认"
        if job.due <= TODAY:
            return rng.choice(("客户确认", "客户确认", "已完成", "修改中"))
        elapsed = (TODAY - job.opened).days / length
        if elapsed < 0.35 or job.proposal > TODAY:
            return "进行中"
        return rng.choice(("已提案", "修改中"))

    def revisions(self) -> None:
        rng = self.rng
        for job in self.jobs:
            if job.status in ("已取消", "进行中") or job.proposal is None:
                continue
            if job.status == "已提案":
                continue
            count = rng.choice((0, 0, 1, 1, 2, 3)) if job.status != "修改中" else rng.randint(1, 3)
            day = job.proposal
            for seq in range(1, count + 1):
                day = self.cal.add_workdays(day, rng.randint(1, 3))
                if day > TODAY:
                    break
                due = self.cal.add_workdays(day, rng.randint(2, 4))
                job.revisions.append((day, due))
                self.rows["修改单"].append(
                    [
                        job.no,
                        seq,
                        day,
                        self.pick(REVISION_TEXT),
                        f"{self.pick(REVISION_SOURCE)} {self.pick(self.c.client_people)}",
                        due,
                        f"{job.team['AD']} / {job.team['文案']}",
                    ]
                )
            if job.revisions and job.revisions[-1][1] > job.due and job.status != "修改中":
                job.due = job.revisions[-1][1]

    def job_rows(self) -> None:
        rng = self.rng
        consumers = CONSUMERS[self.c.industry]
        for k, job in enumerate(self.jobs):
            wt = job.work_type
            spec = self.pick(SPECS[wt]) if wt in SPECS else None
            if wt in schema.PRINT_WORK_TYPES and spec is None:  # pragma: no cover - pools cover it
                spec = "A4"
            brief = "是" if wt in schema.BRIEF_WORK_TYPES or rng.random() < 0.2 else "否"
            budget: object = job.budget
            opened: object = job.opened
            # typed the way people type (read back by aexl.values)
            if k % 9 == 4:
                budget = f"{job.budget / 10000:g}万"
            elif k % 9 == 7:
                budget = f"¥{job.budget:,.0f}"
            if k % 11 == 5:
                opened = f"{job.opened.year}/{job.opened.month}/{job.opened.day}"
            elif k % 11 == 8:
                opened = f"{job.opened.year}年{job.opened.month}月{job.opened.day}日"
            self.rows["工作单"].append(
                [
                    job.no,
                    job.line.brand,
                    job.line.line,
                    job.project,
                    self.fmt(self.pick(BACKGROUND), job),
                    self.fmt(self.pick(OBJECTIVES), job),
                    self.pick(consumers),
                    self.fmt(self.pick(STRATEGIES), job),
                    self.pick(TONES),
                    self.pick(MUST_HAVES),
                    self.fmt(CONTENT[wt], job),
                    wt,
                    spec,
                    budget,
                    opened,
                    job.due,
                    self.pick(MATERIALS),
                    f"{job.team['AD']} / {job.team['文案']} / {job.team['电脑']}",
                    job.team["CD"] if wt in schema.BRIEF_WORK_TYPES else self.am,
                    brief,
                    job.status,
                ]
            )

    def _chain(self, job: Job, flow: str, start: date, upto: int | None = None, note=None):
        """One round of a sign-off chain; ``upto`` steps signed (None = all)."""
        steps = schema.SIGNOFF_CHAINS[flow]
        day = start
        for i, step in enumerate(steps[: upto if upto is not None else len(steps)]):
            if i and self.rng.random() < 0.35:
                day = self.cal.add_workdays(day, 1)
            if day > TODAY:
                return day
            role = ROLE_TITLES[step]
            base = step.removesuffix("审核").removesuffix("确认") or step
            if step == "客户确认":
                who = self.pick(self.c.client_people)
            else:
                who = self.ae if base == "AE" else job.team[base]
            remark = None
            if flow == "打样QC" and step == "客户确认":
                remark = "签收光盘"
            result = "通过"
            if note and i == len(steps[:upto]) - 1 and upto is not None:
                result, remark = note
            self.rows["签核"].append([job.no, flow, step, role, who, day, result, remark])
        return day

    def signoffs(self) -> None:
        rng = self.rng
        rejected = returned = False
        artwork = [j for j in self.jobs if j.work_type not in ("策略方案", "命名")]
        for job in self.jobs:
            start = job.opened
            if job.status == "已取消":
                self._chain(job, "工作单确认", start, upto=rng.randint(2, 6))
                continue
            if not rejected and job.opened < date(2026, 6, 1) and job.work_type in SPECS:
                # the creative team refuses an unclear job sheet, then a full new round
                last = self._chain(job, "工作单确认", start, upto=2, note=("拒单", REJECT_NOTE))
                start = self.cal.add_workdays(last, 1)
                rejected = True
            self._chain(job, "工作单确认", start)
            if job not in artwork:
                continue
            qc_start = self.cal.add_workdays(job.due, -2)
            if job.status in ("客户确认", "已完成"):
                if not returned and job.opened > date(2026, 3, 1):
                    last = self._chain(job, "正稿QC", qc_start, upto=4, note=("退回", RETURN_NOTE))
                    qc_start = self.cal.add_workdays(last, 1)
                    returned = True
                last = self._chain(job, "正稿QC", qc_start)
                if job.work_type in schema.PRINT_WORK_TYPES:
                    proof = self.cal.add_workdays(last, rng.randint(1, 3))
                    # a few proof chains still wait for the last signatures
                    upto = None if rng.random() < 0.8 else rng.randint(4, 6)
                    self._chain(job, "打样QC", proof, upto=upto)
            elif job.status in ("修改中", "已提案") and job.proposal <= TODAY:
                self._chain(job, "正稿QC", min(job.proposal, TODAY), upto=rng.randint(1, 4))

    def weekly(self) -> None:
        rng = self.rng
        category = {"策略方案": "策略", "命名": "策略", "终端物料": "制作", "手册": "制作"}
        for job in self.jobs:
            end = min(job.cancelled or job.due, TODAY)
            if job.status == "修改中" and job.revisions:
                end = min(max(end, job.revisions[-1][0]), TODAY)
            if job.status in ("进行中", "已提案", "修改中"):
                end = TODAY
            weeks = []
            monday = _monday(job.opened)
            while monday <= end:
                weeks.append(monday)
                monday += timedelta(days=7)
            done_at_end = job.status in ("客户确认", "已完成")
            for w, monday in enumerate(weeks):
                share = (w + 1) / len(weeks)
                if done_at_end:
                    progress = round(100 * share / 5) * 5
                else:
                    progress = min(90, round(85 * share / 5) * 5)
                progress = max(progress, 5)
                if w == 0:
                    phase = "start"
                elif done_at_end and w == len(weeks) - 1:
                    phase = "end"
                else:
                    phase = "draft" if monday + timedelta(days=4) < job.proposal else "mid"
                if job.status == "已取消" and w == len(weeks) - 1:
                    text, plan = "客户取消该项目，停止工作", "—"
                else:
                    text, plan = self.pick(WEEK_TEXT[phase]), self.pick(NEXT_TEXT[phase])
                if job.work_type in AD_FORM and phase == "end" and rng.random() < 0.4:
                    cat = "媒介"
                else:
                    cat = category.get(job.work_type, "创意")
                value: object = progress
                if (w + len(job.no)) % 13 == 3:
                    value = f"{progress}%"
                self.rows["周进度"].append(
                    [
                        _iso_week(monday),
                        job.no,
                        cat,
                        text,
                        value,
                        f"预算 {job.budget / 10000:g} 万，{self.pick(FINANCE)}",
                        plan,
                        job.ae,
                    ]
                )

    def _meeting(self, when: datetime, kind: str, topic: str, jobno, people: str) -> None:
        rng = self.rng
        due = self.cal.minutes_due(when)
        roll = rng.random()
        if roll < 0.04:  # late: a working day after the deadline
            sent = datetime.combine(self.cal.add_workdays(due.date(), 1), time(11, 20))
        else:
            earliest = when + timedelta(hours=2)
            sent = min(earliest + timedelta(minutes=rng.randint(0, 20 * 60)), due)
            sent = max(sent, earliest)
            if not 9 <= sent.hour < 21:
                sent = datetime.combine(self.cal.next_workday(sent.date()), time(9, 30))
                sent = min(sent, due)
        sent = sent.replace(second=0, microsecond=0)
        if sent > datetime.combine(TODAY, time(17)):
            sent = None
        reviewer = self.am if rng.random() > 0.05 else None
        signed = self.pick(self.c.client_people)
        if sent is None or when.date() > TODAY - timedelta(days=10) or rng.random() < 0.05:
            signed = None
        self.rows["会议"].append([when, kind, topic, jobno, people, sent, reviewer, signed])

    def meetings(self) -> None:
        rng = self.rng
        slots = (time(10, 0), time(14, 30), time(16, 0), time(9, 30))
        for job in self.jobs:
            people = f"{self.pick(self.c.client_people)}、{self.ae}、{job.team['AD']}、{job.team['文案']}"
            brief_day = self.cal.add_workdays(job.opened, -rng.randint(0, 2))
            self._meeting(
                datetime.combine(brief_day, self.pick(slots)),
                "广告说明会",
                self.fmt(MEETING_TOPIC["广告说明会"], job),
                job.no,
                people,
            )
            if job.status in ("进行中", "已取消") or job.proposal > TODAY:
                continue
            people_cd = f"{people}、{job.team['CD']}"
            self._meeting(
                datetime.combine(job.proposal, self.pick(slots)),
                "提案",
                self.fmt(MEETING_TOPIC["提案"], job),
                job.no,
                people_cd,
            )
            if job.revisions:
                day, _due = job.revisions[0]
                kind = "电话沟通" if rng.random() < 0.5 else "再提案"
                if len(job.revisions) > 1:
                    kind = "再提案"
                    day = job.revisions[-1][1]
                if day <= TODAY:
                    self._meeting(
                        datetime.combine(day, self.pick(slots)),
                        kind,
                        self.fmt(MEETING_TOPIC[kind], job),
                        job.no,
                        people_cd if kind == "再提案" else people,
                    )
        # a monthly working meeting with the client, per month
        for month in range(1, TODAY.month + 1):
            day = self.cal.next_workday(date(YEAR, month, 1) + timedelta(days=rng.randint(2, 8)))
            if day > TODAY:
                continue
            self._meeting(
                datetime.combine(day, time(15, 0)),
                "工作会议",
                MEETING_TOPIC["工作会议"].format(month=month),
                None,
                f"{'、'.join(self.c.client_people)}、{self.am}、{self.ae}",
            )
        self.rows["会议"].sort(key=lambda r: r[0])

    def placements(self) -> None:
        rng = self.rng
        for job in self.jobs:
            form = AD_FORM.get(job.work_type)
            if form is None or job.status not in ("客户确认", "已完成"):
                continue
            start = self.cal.add_workdays(job.due, rng.randint(2, 12))
            for v in range(rng.randint(1, 3)):
                media, spec = self.pick(MEDIA[form])
                begin = start + timedelta(days=7 * v)
                end = begin + timedelta(days=rng.choice((13, 20, 27, 30, 45)))
                version = f"{VERSIONS[v]}-{self.pick(self.themes)}"
                image = self._image(job.line, form, VERSIONS[v])
                self.rows["投放"].append(
                    [
                        job.line.brand,
                        job.no,
                        form,
                        self.pick(self.c.regions),
                        media,
                        begin,
                        end,
                        spec,
                        version,
                        image,
                    ]
                )

    def _image(self, line: Line, form: str, version: str) -> str:
        name = f"{IMAGE_DIR}/{line.brand}{line.line}_{form}样稿_{version}.png"
        self.images[name] = (line, form, version)
        return name

    def effects(self) -> None:
        rng = self.rng
        for camp in self.c.campaigns:
            points = []
            if camp.weekly:
                day = camp.start + timedelta(days=(4 - camp.start.weekday()) % 7)  # Fridays
                while day <= min(camp.end, TODAY):
                    points.append(day)
                    day += timedelta(days=7)
            else:
                month = camp.start.month
                while date(YEAR, month, 1) <= min(camp.end, TODAY):
                    last = date(YEAR + month // 12, month % 12 + 1, 1) - timedelta(days=1)
                    if last <= TODAY:
                        points.append(last)
                    month += 1
                    if month > 12:
                        break
            for metric, unit, source, first, target, noise in camp.metrics:
                for k, day in enumerate(points):
                    share = k / max(1, len(points) - 1)
                    value = first + (target - first) * (0.15 + 0.95 * share) * rng.uniform(
                        0.85, 1.05
                    )
                    value += rng.uniform(-noise, noise)
                    value = round(value, 1) if unit in ("%", "万人") else round(value)
                    self.rows["效果"].append(
                        [day, camp.brand, camp.name, metric, value, target, unit, source]
                    )
        self.rows["效果"].sort(key=lambda r: (r[0], r[1], r[2], r[3]))

    def notes(self) -> None:
        brands = list(dict.fromkeys(line.brand for line in self.c.lines))
        for month in range(1, 11):
            for brand in brands:
                jobs = [j for j in self.jobs if j.line.brand == brand and j.opened.month == month]
                project = jobs[0].project if jobs else f"{brand}日常维护"
                self.rows["月报备注"].append(
                    [
                        f"{YEAR}-{month:02d}",
                        brand,
                        self.fmt(
                            self.pick(NOTE_TEXT["背景"]),
                            None,
                            brand=brand,
                            project=project,
                            month=month,
                        ),
                        self.fmt(
                            self.pick(NOTE_TEXT["下月"]),
                            None,
                            brand=brand,
                            project=project,
                            month=month,
                        ),
                        self.fmt(
                            self.pick(NOTE_TEXT["效果"]),
                            None,
                            brand=brand,
                            project=project,
                            month=month,
                        ),
                    ]
                )

    def copy(self) -> None:
        # the hand-made clients have their own drafts; generated ones get the generic set
        drafts = COPY_DRAFTS[self.c.industry if self.c in CLIENTS else "daily"]
        candidates = [
            j for j in self.jobs if j.work_type not in ("策略方案", "命名") and j.status != "已取消"
        ]
        for k, (line, title, body, slogan) in enumerate(drafts):
            same_line = [j for j in candidates if j.line.line == line]
            fitting = [j for j in same_line if j.line.brand in body + title] or same_line
            job = (fitting or candidates)[k % len(fitting or candidates)]
            slogan = slogan.format(brand=job.line.brand) if slogan else None
            logo = "否" if k == 2 and self.c.industry == "appliance" else "是"
            self.rows["文案"].append([job.no, f"v{1 + k % 2}", title, body, slogan, logo])

    def holidays(self) -> None:
        self.rows["节假日"] = holiday_rows()

    def build(self) -> dict[str, list[list]]:
        self.brands()
        self.make_jobs()
        self.revisions()
        self.job_rows()
        self.signoffs()
        self.weekly()
        self.meetings()
        self.placements()
        self.effects()
        self.notes()
        self.copy()
        self.holidays()
        return self.rows


# ---------------------------------------------------------------------------
# Images


BRAND_COLOURS = (
    (200, 40, 40),
    (230, 140, 20),
    (30, 110, 190),
    (20, 150, 110),
    (120, 60, 170),
    (190, 60, 120),
    (60, 60, 60),
)
FORM_SIZES = {
    "平面": (160, 220),
    "影视": (256, 144),
    "电台": (200, 120),
    "网络": (135, 240),
    "户外": (300, 100),
    "其他": (160, 200),
}


def sample_png(key: str, form: str, version: str) -> bytes:
    """A tiny mock layout (a few KB): headline band, picture block, logo, version dots."""
    from PIL import Image, ImageDraw

    seed = sum(key.encode("utf-8"))
    colour = BRAND_COLOURS[seed % len(BRAND_COLOURS)]
    light = tuple(min(255, c + 150) for c in colour)
    w, h = FORM_SIZES.get(form, (160, 200))
    img = Image.new("RGB", (w, h), light)
    draw = ImageDraw.Draw(img)
    draw.rectangle([0, 0, w - 1, h // 6], fill=colour)
    draw.rectangle([w // 10, h // 4, w - w // 10, h * 3 // 4], fill=(255, 255, 255), outline=colour)
    draw.ellipse([w // 4, h // 3, w * 3 // 4, h * 2 // 3], fill=tuple(c // 2 + 100 for c in colour))
    draw.rectangle([w - w // 4, h - h // 8, w - 6, h - 6], fill=colour)  # logo
    for i in range(VERSIONS.index(version) + 1 if version in VERSIONS else 1):
        draw.ellipse([6 + 10 * i, h - 14, 12 + 10 * i, h - 8], fill=colour)
    out = io.BytesIO()
    img.convert("P", palette=Image.Palette.ADAPTIVE, colors=16).save(out, "PNG", optimize=True)
    return out.getvalue()


# ---------------------------------------------------------------------------
# Entry point


def _extra_client(n: int, rng: random.Random) -> Client:
    short, industry, pairs = _EXTRA_CLIENTS[(n - len(CLIENTS)) % len(_EXTRA_CLIENTS)]
    rounds = (n - len(CLIENTS)) // len(_EXTRA_CLIENTS)
    if rounds:
        short = f"{short}{rounds + 1}"
    lines = [Line(b, line, product=f"{b}{line}") for b, line in pairs]
    brands = list(dict.fromkeys(b for b, _ in pairs))
    regions = ("全国", "华东", "华南", "西南", "华北")
    campaigns = []
    for b in brands:
        month = rng.randint(1, 6)
        campaigns.append(
            Campaign(
                b,
                f"{b}年度推广",
                date(YEAR, month, 1),
                date(YEAR, 11, 27),
                rng.random() < 0.5,
                (
                    ("终端铺货率", "%", "终端观察", 20, 65, 3),
                    ("进店咨询量", "人次", "消费者询问", 400, 1500, 80),
                    ("销量", "件", "第三方数据", 2000, 8000, 400),
                ),
            )
        )
    return Client(
        short,
        f"{short}有限公司",
        industry if industry in VERSION_THEMES else "daily",
        lines,
        campaigns,
        ("陈思", "吴昊", "郑雅"),
        regions,
    )


def client_list(clients: int | None = None, seed: int = 2026) -> list[Client]:
    count = len(CLIENTS) if clients is None else clients
    rng = random.Random(f"{seed}-clients")
    out = list(CLIENTS[:count])
    for n in range(len(out), count):
        out.append(_extra_client(n, rng))
    return out


def holiday_rows() -> list[list]:
    """The 节假日 rows: the plausible 2027 schedule, one row per day."""
    rows = []
    for first, last, kind, name in HOLIDAYS_2027:
        day, end = date.fromisoformat(first), date.fromisoformat(last)
        while day <= end:
            rows.append([day, kind, f"2027 年{name}{HOLIDAYS_2027_NOTE}"])
            day += timedelta(days=1)
    return sorted(rows, key=lambda r: r[0])


def sample_calendar() -> WorkCalendar:
    """The working-day calendar the sample's workbenches imply (bundled years + 2027 rows)."""
    return WorkCalendar({row[0]: row[1] == "调休上班" for row in holiday_rows()})


def client_rows(client: Client, seed: int = 2026, scale: float = 1) -> tuple[dict, dict]:
    """(rows per sheet, images) of one client's workbench."""
    rng = random.Random(f"{seed}-{client.short}")
    builder = _Builder(client, rng, scale, sample_calendar())
    return builder.build(), builder.images


def build_sample(
    out_dir: str | Path,
    seed: int = 2026,
    scale: float = 1,
    *,
    clients: int | None = None,
    images: bool = True,
) -> list[Path]:
    """Write the sample workbenches (and images) into ``out_dir``; returns the paths written."""
    from aexl.workbook.template import write_workbench
    from aexl.workbook.write import atomic_write_bytes

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    all_images: dict[str, tuple] = {}
    missing_done = url_done = False
    for client in client_list(clients, seed):
        rows, pictures = client_rows(client, seed, scale)
        placements = rows["投放"]
        # one sample path that does not exist, one that is a URL (first two clients)
        if placements and not missing_done:
            row = placements[len(placements) // 2]
            row[9] = f"{IMAGE_DIR}/{row[0]}_{row[2]}样稿_待收集.png"
            missing_done = True
        elif placements and not url_done:
            video = [r for r in placements if r[2] in ("影视", "网络")] or placements
            video[0][9] = f"https://video.example.com/{seed}/{video[0][1]}.mp4"
            url_done = True
        used = {r[9] for r in placements}
        all_images.update({k: v for k, v in pictures.items() if k in used})
        path = out_dir / f"{client.short}{WORKBOOK_SUFFIX}"
        written.append(write_workbench(path, rows, force=True, empty_rows=0))
    if images and all_images:
        for name in sorted(all_images):
            line, form, version = all_images[name]
            data = sample_png(f"{line.brand}{line.line}{form}", form, version)
            written.append(atomic_write_bytes(data, out_dir / name))
    return written


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="Regenerate the sample account set.")
    parser.add_argument("--out", default=str(SAMPLE_DIR))
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--scale", type=float, default=1)
    parser.add_argument("--clients", type=int, default=None)
    args = parser.parse_args(argv)
    out = Path(args.out)
    if out == SAMPLE_DIR and out.exists():
        for old in [*out.glob(f"*{WORKBOOK_SUFFIX}"), *(out / IMAGE_DIR).glob("*.png")]:
            old.unlink()
    for path in build_sample(out, args.seed, args.scale, clients=args.clients):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
