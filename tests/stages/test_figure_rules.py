"""The figure_rules stage: of the quantities the grammar read, the ones that are figures of
a subject (RECORDS.md, "What is a record"). Where a sentence can hold one, a test has a
quantity that must go and one that must stay, so a rule that dropped everything fails too."""

from __future__ import annotations

import pytest

from etl.extract.doc import Doc
from tests.stages.conftest import figure_texts, figures, upto


def _read_and_kept(text: str) -> tuple[list[str], list[str]]:
    doc = upto(text, "figure_rules")
    assert doc.quantities is not None
    return [doc.text[q.start : q.end] for q in doc.quantities], figure_texts(doc)


def test_a_rank_is_read_but_is_no_figure() -> None:
    # 第3名 and 前30名 are ranks (RECORDS.md: 第12名, 前30名); the counts are figures
    assert _read_and_kept("2012年，园区在全省排名第3名，新增企业8家。") == (["3名", "8家"], ["8家"])
    assert _read_and_kept("园区位列全省前30名，入驻企业120家。") == (["30名", "120家"], ["120家"])


@pytest.mark.parametrize(("text", "dropped"), [
    ("园区重点抓好3个方面：新增企业8家。", "3个"),  # a list's size
    ("按照规划第3项目标，新增企业8家。", "3项"),  # an ordinal: 第3项
    ("2012年12个月，新增企业8家。", "12个"),  # a duration: 12个月
    ("园区实施“1个中心、3个基地”战略，新增企业8家。", "3个"),  # a slogan in quotes
])
def test_list_sizes_ordinals_durations_and_slogans_are_no_figures(text: str, dropped: str) -> None:
    # each is read as a count, and only 新增企业8家 is a figure
    read, kept = _read_and_kept(text)
    assert dropped in read and kept == ["8家"]


def test_list_numbers_and_years_never_reach_the_figures() -> None:
    # 1、 and 2. number the items; 2012年 dates them: only 8家 and 5个 are figures
    doc = upto("2012年园区建设情况\n1、新增企业8家。\n2. 园区新增项目5个。", "figure_rules")
    assert figure_texts(doc) == ["8家", "5个"]


def test_the_threshold_and_the_reward_of_a_policy_rule_are_no_figures() -> None:
    # 凡…达到5亿元以上的企业，奖励50万元: a condition and its reward, neither a record
    read, kept = _read_and_kept("凡年纳税达到5亿元以上的企业，奖励50万元。")
    assert read == ["5亿元以上", "50万元"] and kept == []


def test_a_bucket_bound_is_no_figure_but_the_count_in_the_bucket_is() -> None:
    # 销售收入超1000亿元的集群10个: the 10 is a record, the 1000亿元 is not
    read, kept = _read_and_kept("全省销售收入超1000亿元的集群10个。")
    assert read == ["超1000亿元", "10个"] and kept == ["10个"]


def test_a_policy_percentage_is_no_figure() -> None:
    # 按投资额的30%―100%返还: a parameter of a policy
    read, kept = _read_and_kept("按投资额的30%―100%返还，园区新增企业8家。")
    assert read == ["30%―100%", "8家"] and kept == ["8家"]


def test_milestones_passed_are_no_figures() -> None:
    # 越过60亿、70亿两道关口: milestones, not the output
    read, kept = _read_and_kept("园区产值越过60亿、70亿两道关口。")
    assert len(read) == 2 and kept == []


def test_a_distance_that_locates_the_park_is_no_figure() -> None:
    # 距市区15公里 locates the park; its area is a figure
    assert _read_and_kept("南山园区距市区15公里，面积12平方公里。") == (
        ["15公里", "12平方公里"], ["12平方公里"])


def test_a_distance_after_located_at_is_no_figure() -> None:
    # 位于市区东南15公里处: where the park is, not an amount of it
    assert _read_and_kept("清河园区位于市区东南15公里处，面积12平方公里。")[1] == ["12平方公里"]


def test_a_figure_knows_where_its_clause_opens() -> None:
    # …，园区完成投资3亿元: the clause of 3亿元 opens at 园区, after the comma
    doc: Doc = upto("2012年，园区完成投资3亿元，新增企业8家。", "figure_rules")
    got = [doc.text[f.clause_start : f.quantity.end] for f in figures(doc)]
    assert got == ["园区完成投资3亿元", "新增企业8家"]
    assert all(not f.links and f.time is None and f.subject is None for f in figures(doc))
