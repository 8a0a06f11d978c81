"""Gazetteer: region tables, lookups, mention scanning and the lexicons in seeds/."""

from __future__ import annotations

import csv
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from etl.extract import gazetteer as gz
from etl.paths import SEEDS_DIR


def _rows(name: str) -> list[dict[str, str]]:
    with open(SEEDS_DIR / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _one(name: str) -> gz.Region:
    found = gz.region_by_name(name)
    assert len(found) == 1, found
    return found[0]


# --------------------------------------------------------------------------- tables


@pytest.mark.parametrize("table", ["regions.csv", "regions_retired.csv"])
def test_codes_are_six_digits_and_unique_per_table(table: str) -> None:
    rows = _rows(table)
    codes = [r["code"] for r in rows]
    assert all(re.fullmatch(r"\d{6}", c) for c in codes)
    assert len(codes) == len(set(codes))
    assert all(r["level"] in gz.LEVELS for r in rows)
    assert list(rows[0]) == ["code", "name", "short_name", "level", "parent_code"]


def test_every_parent_code_exists_and_levels_nest() -> None:
    known = {r.code: r for r in gz.all_regions()}
    for r in gz.all_regions():
        if r.level == "province":
            assert r.parent_code == ""
            continue
        parent = gz.region(r.parent_code)
        assert r.parent_code in known and parent is not None, r
        assert gz.LEVELS.index(parent.level) < gz.LEVELS.index(r.level), r
        assert gz.province_of(r) is not None, r


def test_table_size_and_levels() -> None:
    rows = _rows("regions.csv")
    levels = {lvl: sum(r["level"] == lvl for r in rows) for lvl in gz.LEVELS}
    assert levels["province"] == 34
    assert 330 <= levels["prefecture"] <= 340
    assert levels["county"] > 2800


def test_short_names_are_at_least_two_chars_and_inside_the_name() -> None:
    for r in gz.all_regions():
        if r.short_name:
            assert len(r.short_name) >= 2, r
            assert r.name.startswith(r.short_name), r


def test_short_name_examples() -> None:
    expected = {
        "浙江省": "浙江",
        "荆州市": "荆州",
        "南阳市": "南阳",
        "广西壮族自治区": "广西",
        "内蒙古自治区": "内蒙古",
        "新疆维吾尔自治区": "新疆",
        "萧山区": "萧山",
        "义乌市": "义乌",
        "长兴县": "长兴",
        "恩施土家族苗族自治州": "恩施",
        "伊犁哈萨克自治州": "伊犁",
    }
    for name, short in expected.items():
        assert _one(name).short_name == short
    # one character, generic words, clashes with a higher level: left empty
    for name in ("沛县", "城区", "和平区", "资源县", "西安区", "河北区", "吉林市"):
        assert all(r.short_name == "" for r in gz.region_by_name(name)), name


# --------------------------------------------------------------------------- lookups


def test_jingzhou_district_hierarchy() -> None:
    r = _one("荆州区")
    assert (r.code, r.level, r.parent_code) == ("421003", "county", "421000")
    assert [a.name for a in gz.ancestors(r)] == ["荆州市", "湖北省"]
    province = gz.province_of(r)
    assert province is not None and province.code == "420000"
    assert gz.full_name(r) == "荆州区"
    assert gz.regions()["421003"] == r


def test_municipality_districts_are_counties_of_the_province() -> None:
    pudong = _one("浦东新区")
    assert pudong.level == "county" and pudong.parent_code == "310000"
    assert _one("上海市").level == "province"


def test_retired_shaoxing_county() -> None:
    r = _one("绍兴县")
    assert r.retired and r.code == "330621"
    assert [a.name for a in gz.ancestors(r)] == ["绍兴市", "浙江省"]


def test_retired_renamed_division_keeps_current_code_owner() -> None:
    assert gz.regions()["420600"].name == "襄阳市"
    xiangfan = gz.resolve_region("襄樊")
    assert xiangfan is not None and xiangfan.name == "襄樊市" and xiangfan.retired
    assert gz.province_of(xiangfan) == gz.regions()["420000"]


def test_short_names_resolve_to_full() -> None:
    assert gz.canonical_region_name("浙江") == "浙江省"
    assert gz.canonical_region_name("南阳") == "南阳市"
    assert gz.canonical_region_name("广西") == "广西壮族自治区"
    assert gz.canonical_region_name("萧山") == "萧山区"
    assert gz.canonical_region_name("义乌") == "义乌市"
    assert gz.canonical_region_name("荆州区") == "荆州区"
    assert gz.canonical_region_name("北美") is None


def test_ambiguous_names_need_context() -> None:
    assert len(gz.region_by_name("朝阳区")) == 2
    assert gz.resolve_region("朝阳区") is None
    assert gz.canonical_region_name("朝阳区") == "朝阳区"  # same full name either way
    beijing = gz.resolve_region("朝阳区", ["110000"])
    changchun = gz.resolve_region("朝阳区", ["220100"])
    assert beijing is not None and beijing.code == "110105"
    assert changchun is not None and changchun.code == "220104"
    # 通州区: Beijing and Nantong; a mention of 江苏省 is enough
    tongzhou = gz.resolve_region("通州区", ["320000"])
    assert tongzhou is not None and tongzhou.code == "320612"
    # 鼓楼区 exists in four cities: 福建省 picks the one in 福州
    gulou = gz.resolve_region("鼓楼区", ["350000"])
    assert gulou is not None and gulou.parent_code == "350100"


def test_context_prefers_deepest_shared_ancestor() -> None:
    # 和县: current one under 马鞍山 and the retired one under 巢湖 (both in 安徽)
    same_province = gz.resolve_region("和县", ["340000"])  # tie: the current one wins
    assert same_province is not None and not same_province.retired
    old = gz.resolve_region("和县", ["341400"])
    assert old is not None and old.retired and old.code == "341424"
    new = gz.resolve_region("和县", ["340500"])
    assert new is not None and not new.retired


def test_highest_level_wins_when_no_context() -> None:
    jilin = gz.resolve_region("吉林")
    assert jilin is not None and jilin.code == "220000"
    chaohu = gz.resolve_region("巢湖市")
    assert chaohu is not None and chaohu.level == "prefecture"


# --------------------------------------------------------------------------- scanning


def _spans(text: str) -> list[tuple[str, int, int]]:
    return [(m.surface, m.start, m.end) for m in gz.find_region_mentions(text)]


def test_mentions_in_hierarchical_address() -> None:
    text = "去年湖北省荆州市荆州区新增规模企业18家。"
    assert _spans(text) == [("湖北省", 2, 5), ("荆州市", 5, 8), ("荆州区", 8, 11)]
    mentions = gz.find_region_mentions(text)
    codes = [c.code for c in mentions[2].candidates]
    assert codes == ["421003"]


def test_mentions_short_names_and_parks() -> None:
    text = "浙江萧山经济技术开发区与南阳高新区签订合作协议"
    spans = _spans(text)
    assert spans == [("浙江", 0, 2), ("萧山", 2, 4), ("南阳", 12, 14)]
    assert all(m.by_short_name for m in gz.find_region_mentions(text))


def test_mentions_heuristics() -> None:
    assert _spans("义乌市场年成交额再创新高") == [("义乌", 0, 2)]
    assert _spans("沿着南京路向东走") == []
    assert _spans("江苏镇江") == [("江苏", 0, 2), ("镇江", 2, 4)]
    assert _spans("安徽和县与全国示范县") == [("安徽", 0, 2), ("和县", 2, 4)]
    assert _spans("各市和县都要抓好落实") == []
    assert _spans("城区面积扩大") == []
    assert _spans("搭建创新平台，企业和政府共同出资") == []
    assert _spans("湖州长兴") == [("湖州", 0, 2), ("长兴", 2, 4)]
    assert _spans("绍兴县轻纺城") == [("绍兴县", 0, 3)]


def test_scan_finds_every_mention_in_a_long_text() -> None:
    """A long text is scanned whole: no mention lost at chunk or cache boundaries. Its speed
    is measured by benchmarks.bench_extract, not here (a timed test fails on a busy machine)."""
    sample = (
        "据统计，浙江省杭州市萧山区规模以上工业增加值增长百分之十二，"
        "其中纺织、化纤两大行业贡献突出。"
    )
    found = gz.find_region_mentions(sample * 20000)
    assert len(found) == 3 * 20000


_SCANNABLE = sorted(
    {r.name for r in gz.all_regions() if not (len(r.name) == 2 and r.name.endswith("区"))}
)


@settings(max_examples=300, deadline=None)
@given(name=st.sampled_from(_SCANNABLE), n=st.integers(min_value=0, max_value=3))
def test_full_name_in_sentence_is_found_exactly(name: str, n: int) -> None:
    prefix = "数据显示：" + "，" * n
    text = f"{prefix}{name}的工业总产值达到12亿元。"
    mentions = gz.find_region_mentions(text)
    assert [(m.start, m.end) for m in mentions] == [(len(prefix), len(prefix) + len(name))]
    assert any(c.name == name for c in mentions[0].candidates)


# --------------------------------------------------------------------------- lexicons


def test_clusters_lexicon() -> None:
    cl = gz.clusters()
    assert 150 <= len(cl) <= 300
    by = gz.cluster_by_name()
    assert by["纺织"].gbt4754_code == "17"
    assert by["造纸包装"].gbt4754_code == "22"
    assert by["生物医药"].gbt4754_code == "27"
    assert by["石油机械"].gbt4754_code == "35"
    assert by["电子信息"].gbt4754_code == "39"
    assert by["汽配"].name == "汽车及零部件"
    assert all(re.fullmatch(r"\d{2}|", c.gbt4754_code) for c in cl)
    assert all(bool(c.gbt4754_code) == bool(c.gbt4754_name) for c in cl)
    assert len({c.name for c in cl}) == len(cl)


def test_park_suffixes_longest_first() -> None:
    ps = gz.park_suffixes()
    assert 40 <= len(ps) <= 90
    lengths = [len(p.suffix) for p in ps]
    assert lengths == sorted(lengths, reverse=True)
    by = {p.suffix: p for p in ps}
    assert by["经济技术开发区"].level_hint == "national"
    assert by["产业集聚区"].kind == "cluster_zone"
    assert {p.level_hint for p in ps} <= {"national", "provincial", "unknown"}
    name = "南阳高新技术产业集聚区"
    assert next(p for p in ps if name.endswith(p.suffix)).suffix == "产业集聚区"


def test_company_suffixes_longest_first() -> None:
    cs = gz.company_suffixes()
    assert cs[0] == "集团股份有限公司"
    assert [len(s) for s in cs] == sorted((len(s) for s in cs), reverse=True)
    assert {"有限公司", "集团", "厂", "药业"} <= set(cs)
    assert next(s for s in cs if "荆州四机厂".endswith(s)) == "厂"
    company = "湖北某某石油机械有限责任公司"
    assert next(s for s in cs if company.endswith(s)) == "有限责任公司"
