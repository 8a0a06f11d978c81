"""The not-a-figure rules (etl.extract.figure_rules), seen as a user sees them: run the whole
pipeline on a sentence and check which figures come out as records.

Every sentence here is written for this file (RECORDS.md, "What is a record").
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from etl.extract.pipeline import extract_text
from etl.extract.record import Record


def records(text: str) -> list[Record]:
    _, recs, rejected = extract_text("t.txt", text)
    assert not rejected, [r.reason for r in rejected]
    return recs


def value_texts(text: str) -> list[str]:
    return [r.value_text for r in records(text)]


def _case(text: str, expected: list[str], reason: str | None = None) -> Any:
    marks = [pytest.mark.xfail(reason=reason, strict=False)] if reason else []
    return pytest.param(text, expected, marks=marks, id=text[:24])


# (sentence, the value_texts that must come out, in order)
NOT_FIGURES = {
    "dates and years": [
        _case("2010年，开发区实现工业总产值120亿元。", ["120亿元"]),
        _case("7月5日，园区新签约项目12个。", ["12个"]),
        _case("截止到2010年底，园区企业达到300家。", ["300家"]),
        _case("1-5月份，园区完成工业产值30亿元，同比增长20%。", ["30亿元", "20%"]),
        _case("（2011年5月）", []),
        _case("二〇一一年五月八日", []),
        _case("2008—2010年，全区累计完成投资85亿元。", ["85亿元"]),
    ],
    "list numbering": [
        _case("一、园区基本情况\n（二）招商引资\n3. 基础设施建设\n全区引进企业45家。", ["45家"]),
        _case("（3）新增规模以上企业6家。", ["6家"]),
        _case("第一，园区新增企业8家；第二，完成投资5亿元。", ["8家", "5亿元"]),
    ],
    "document numbers": [
        _case("根据宁政办发[2007]37号文件精神，园区新增企业20家。", ["20家"]),
        _case("按照市政发〔2009〕12号文件要求推进。", []),
    ],
    "durations": [
        _case("经过3年左右的时间，园区基本建成，累计投资80亿元。", ["80亿元"]),
        _case("8年多来，开发区累计引进企业300余家。", ["300余家"]),
        _case("用3个月完成了征地拆迁，新增用地500亩。", ["500亩"]),
        _case("园区用了3个多月完成拆迁，新建厂房8万平方米。", ["8万平方米"]),
        _case("仅用5个工作日完成审批，两个季度内引进企业12家。", ["12家"]),
        _case("头3个月完成投资5亿元。", ["5亿元"]),
    ],
    "meeting and visit counts": [
        _case("今年共召开会议3次，参会人员200余人。", []),
        _case("全年组织召开项目推进会12次，出席企业代表300多人。", []),
        _case(
            "全年接待来访客商1200人次，签约项目20个。",
            ["20个"],
        ),
    ],
    "rhetorical big N": [
        _case("全市着力打造四大园区和五大产业，工业增加值达到56亿元。", ["56亿元"]),
        _case("坚持三个代表，落实两个轮子一起转，园区新增企业30家。", ["30家"]),
        _case("构建一个平台，园区新增企业8家。", ["8家"]),
        _case("打造“五名城”，建设“十五条特色街”，新增绿地30万平方米。", ["30万平方米"]),
        _case(
            "推进三个集中，园区新增企业8家。",
            ["8家"],
            reason="三个集中 is a slogan (rhetorical count); 集中 is not an uncounted noun",
        ),
    ],
    "thresholds in policy rules": [
        _case("凡年销售收入达到5亿元以上的，奖励50万元。", []),
        _case("对年纳税额超过100万元的企业，给予一次性奖励10万元。", []),
        _case("每新增1000万元销售收入奖励3万元。", []),
        _case("投资额在1000万元以上的项目，优先安排用地。", []),
        _case(
            "对固定资产投资超过5000万元的项目，按投资额的5%给予补助。",
            [],
        ),
        _case(
            "规模以上工业企业（年主营业务收入2000万元及以上）达到120家。",
            ["120家"],
        ),
    ],
    "bucket bounds": [
        _case("全省销售收入超1000亿元的10个集群实现快速发展。", ["10个"]),
        _case("年销售收入超亿元的企业达到35家。", ["35家"]),
        _case("产值超10亿元企业8家。", ["8家"]),
        _case("其中销售收入在50～100亿元的有6个。", ["6个"]),
        _case("其中产值超亿元的企业15家，超10亿元的3家。", ["15家", "3家"]),
        _case("年销售收入500万元以上工业企业达到300家。", ["300家"]),
        _case("引进项目53个，总投资120亿元，其中超亿元项目33个。", ["53个", "120亿元", "33个"]),
    ],
    "policy percentages": [
        _case("对新引进企业，返还土地出让金的30%―100%。", []),
        _case("按50%的比例给予贴息。", []),
        _case("企业所得税地方留成部分前三年全额返还，后两年返还50%。", []),
        _case("企业新增贷款贴息比例为50%。", []),
    ],
    "technical specs": [
        _case("园区建成11万伏变电站，引进0.13微米芯片生产线，新建220千伏变电站。", []),
        _case("引进8英寸芯片生产线，建设30万千瓦热电联产机组。", []),
        _case("新建5万吨级泊位。", []),
    ],
    "ordinals": [
        _case("该企业是全省第3家上市公司，主要指标位居全省前5位。", []),
        _case("排名前十名的企业贡献税收3亿元。", ["3亿元"]),
        _case("园区企业前5家实现产值50亿元。", ["50亿元"]),
        _case("该项目是我市第二个投资超百亿的项目。", []),
    ],
    "vague numbers": [
        _case("园区聚集了几十家配套企业和数百个项目，实现产值20亿元。", ["20亿元"]),
        _case("园区现有数千名员工。", []),
        _case("投入几千万元改造厂房。", []),
        _case("数十亿元的项目纷纷落户。", []),
        _case("园区入驻企业十几家。", []),
    ],
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [case for cases in NOT_FIGURES.values() for case in cases],
)
def test_only_figures_of_a_subject_come_out(text: str, expected: list[str]) -> None:
    assert value_texts(text) == expected


# -------------------------------------------------------------- real figures survive


def test_gdp_level_and_growth_in_full_width() -> None:
    recs = records("全区完成ＧＤＰ２３．５亿元，同比增１５％。")
    got = [(r.value_text, r.value, r.unit, r.measure, r.metric) for r in recs]
    assert got == [
        ("２３．５亿元", 2_350_000_000, "CNY", "level", "gdp"),
        ("１５％", 15, "percent", "growth", "gdp"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "园区现有企业1200家，从业人员3.5万人，实现销售收入300亿元，增长25%。",
            [
                ("1200家", 1200, "count", "exact"),
                ("3.5万人", 35_000, "person", "exact"),
                ("300亿元", 30_000_000_000, "CNY", "exact"),
                ("25%", 25, "percent", "exact"),
            ],
        ),
        (
            "全区工业总产值超过1000亿元，",
            [("超过1000亿元", 100_000_000_000, "CNY", "more_than")],
        ),
        (
            "全区工业总产值首次突破千亿元。",
            [("突破千亿元", 100_000_000_000, "CNY", "more_than")],
        ),
        ("园区已集聚上百家企业。", [("上百家", 100, "count", "more_than")]),
        ("园区已集聚近百家企业。", [("近百家", 100, "count", "approx")]),
        (
            "全市共有省级开发区12个，实现营业收入2000多亿元。",
            [
                ("12个", 12, "count", "exact"),
                ("2000多亿元", 200_000_000_000, "CNY", "more_than"),
            ],
        ),
        (
            "园区规划面积56.51平方公里(8.48万亩)。",
            [("56.51平方公里", Decimal("56.51"), "km2", "exact"),
             ("8.48万亩", 84_800, "mu", "exact")],
        ),
        (
            "年产汽车10万辆，服装1000万件。",
            [
                ("10万辆", 100_000, "count", "exact"),
                ("1000万件", 10_000_000, "count", "exact"),
            ],
        ),
        ("全区实现工业产值比上年增长20%以上，", [("20%以上", 20, "percent", "more_than")]),
        (
            "项目总投资5亿元，占地300亩，新增就业岗位5万余个。",
            [
                ("5亿元", 500_000_000, "CNY", "exact"),
                ("300亩", 300, "mu", "exact"),
                ("5万余个", 50_000, "count", "more_than"),
            ],
        ),
        (
            "全区财政收入首次突破100亿元，",
            [("突破100亿元", 10_000_000_000, "CNY", "more_than")],
        ),
        (
            "全区财政收入突破100亿元大关。",
            [("突破100亿元", 10_000_000_000, "CNY", "more_than")],
        ),
        (
            "出口额超过5亿美元大关。",
            [("超过5亿美元", 500_000_000, "USD", "more_than")],
        ),
    ],
)
def test_real_figures_survive(text: str, expected: list[tuple[str, float, str, str]]) -> None:
    got = [(r.value_text, r.value, r.unit, r.qualifier) for r in records(text)]
    assert got == expected


def test_level_and_growth_share_the_metric() -> None:
    recs = records("全区完成固定资产投资85亿元，比上年增长30%。")
    assert [(r.metric, r.measure) for r in recs] == [
        ("fixed_asset_investment", "level"),
        ("fixed_asset_investment", "growth"),
    ]


def test_industrial_value_added_is_a_level() -> None:
    """工业增加值 holds 增加 but is a level (RECORDS.md: 工业增加值3528.8亿元，增长16.3%)."""
    recs = records("全省工业增加值3528.8亿元，增长16.3%。")
    assert [(r.value_text, r.metric, r.measure) for r in recs] == [
        ("3528.8亿元", "industrial_value_added", "level"),
        ("16.3%", "industrial_value_added", "growth"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "年产皮鞋1000万双。",
        "港口年吞吐量达到1000万标箱。",
        "生产1000万像素摄像头模组。",
    ],
)
def test_scale_before_an_unknown_measure_word_is_not_money(text: str) -> None:
    assert all(r.unit != "CNY" for r in records(text))
