"""The link_metric stage: what each figure measures (Figure.links: metric, measure, a fall)
by RECORDS.md's rules for growth, change, share, 分别 lists and signs."""

from __future__ import annotations

from tests.stages.conftest import by_text, upto


def _links(text: str) -> list[tuple[str, str, str, bool]]:
    """(figure, metric, measure, falls) of each figure's first link, in order."""
    doc = upto(text, "link_metric")
    got = []
    for written, fig in by_text(doc):
        assert len(fig.links) == 1, written
        link = fig.links[0]
        got.append((written, link.metric, link.measure, link.falls))
    return got


def test_a_growth_takes_the_metric_of_the_amount_it_follows() -> None:
    # 工业增加值210亿元，增长16.3%: a level and a growth, both industrial_value_added
    assert _links("清河区完成工业增加值210亿元，增长16.3%。") == [
        ("210亿元", "industrial_value_added", "level", False),
        ("16.3%", "industrial_value_added", "growth", False)]


def test_the_metric_words_are_kept_as_written() -> None:
    # ＧＤＰ full-width in the source: metric_text is read off the normalised text
    doc = upto("全区完成ＧＤＰ２３．５亿元。", "link_metric")
    [(_, fig)] = list(by_text(doc))
    assert (fig.links[0].metric, fig.links[0].metric_text) == ("gdp", "GDP")


def test_a_fall_is_marked_on_growth_and_on_change() -> None:
    # 同比下降5.2%: a growth that falls; 比上年减少3家: a change that falls
    assert _links("园区工业增加值210亿元，同比下降5.2%。")[1] == (
        "5.2%", "industrial_value_added", "growth", True)
    assert _links("园区企业数量比上年减少3家。") == [("3家", "enterprise_count", "change", True)]


def test_an_absolute_rise_is_a_change_in_the_unit_of_the_amount() -> None:
    # 人均纯收入8000元，同比增366元: a level and a change of the same income
    assert _links("全县农民人均纯收入8000元，同比增366元。") == [
        ("8000元", "rural_income_per_capita", "level", False),
        ("366元", "rural_income_per_capita", "change", False)]


def test_new_firms_are_a_change_but_new_jobs_are_a_flow() -> None:
    # 新增私营企业170家 → change; 新增就业岗位5000个 → new_jobs, a level by definition
    assert _links("园区新增就业岗位5000个，新增私营企业170家。") == [
        ("5000个", "new_jobs", "level", False), ("170家", "enterprise_count", "change", False)]


def test_a_share_takes_the_metric_of_the_part() -> None:
    # 五大行业…工业总产值537亿元，占全市…产值的比重达79.6%: the share is of the output
    assert _links("五大行业实现工业总产值537亿元，占全市规模以上工业产值的比重达79.6%。") == [
        ("537亿元", "gross_industrial_output", "level", False),
        ("79.6%", "gross_industrial_output", "share", False)]


def test_a_respectively_list_pairs_each_growth_with_its_amount() -> None:
    # 收入…、利税…和利润…，分别增长12%、15%和20%
    got = _links("全区规模以上工业企业实现主营业务收入120亿元、利税15亿元和利润8亿元，"
                 "分别增长12%、15%和20%。")
    assert [(m, ms) for _, m, ms, _ in got] == [
        ("operating_revenue", "level"), ("profit_and_tax", "level"), ("net_profit", "level"),
        ("operating_revenue", "growth"), ("profit_and_tax", "growth"), ("net_profit", "growth")]


def test_percentage_point_gaps_are_growth_or_change_by_what_they_compare() -> None:
    # 增速比全省高2.8个百分点 → growth; 比重上升0.8个百分点 → change
    assert _links("园区工业总产值增速比全省高2.8个百分点。") == [
        ("2.8个百分点", "gross_industrial_output", "growth", False)]
    assert _links("全区GDP增长12%，比重上升0.8个百分点。")[1] == (
        "0.8个百分点", "gdp", "change", False)


def test_a_ratio_of_sectors_is_one_share_per_sector() -> None:
    # 三次产业结构为5.1:72.7:22.2: three shares, each its sector's part
    doc = upto("全区三次产业结构为5.1:72.7:22.2。", "link_metric")
    got = [(w, f.links[0].measure, f.links[0].part) for w, f in by_text(doc)]
    assert got == [("5.1", "share", "第一产业"), ("72.7", "share", "第二产业"),
                   ("22.2", "share", "第三产业")]


def test_firms_that_settle_in_the_park_are_counted_as_firms() -> None:
    # 今年共有企业12家落户园区: twelve firms, not twelve parks
    assert _links("今年共有企业12家落户园区。") == [("12家", "enterprise_count", "level", False)]


def test_a_count_followed_by_its_running_total_is_what_the_period_added() -> None:
    # 培育规模工业企业110家，累计达589家: 110 were added this year, 589 is the total
    assert [(w, m) for w, _, m, _ in _links("2011年共培育规模工业企业110家，累计达589家。")] == [
        ("110家", "change"), ("589家", "level")]


def test_a_coverage_rate_is_a_share() -> None:
    # 研发活动覆盖率达到100%: the part of the firms covered, a share (as 比重 is)
    assert [(w, m) for w, _, m, _ in _links("规模以上工业企业研发活动覆盖率达到100%。")] == [
        ("100%", "share")]
