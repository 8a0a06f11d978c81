"""Metric, measure and figure rules for report genres no rule was first written for: a
test sentence for each construction (none is taken from a report). Subjects, years and
status are tested in test_linking_rules.py.
"""

from __future__ import annotations

from decimal import Decimal

from etl.extract.normalise import normalise
from tests.helpers import fields


def test_a_whole_named_with_zai_zhong_is_not_the_part_of_a_share() -> None:
    """在工业总产值中所占比重: 工业总产值 is the whole; the share is of the output before it."""
    got = fields("全县装备制造产值在工业总产值中所占比重为38.2%，比上年提高了3个百分点。",
                 "metric", "measure")
    assert got == [("38.2%", "output_value", "share"), ("3个百分点", "output_value", "change")]


def test_a_bare_growth_word_after_an_amount_is_its_growth() -> None:
    """到位资金80亿元，增幅为12%: the growth of the funds, not an unnamed growth rate."""
    got = fields("全市共到位省外资金80亿元，增幅为12%。", "metric", "measure")
    assert got == [("80亿元", "investment_attracted_actual", "level"),
                   ("12%", "investment_attracted_actual", "growth")]


def test_the_size_of_a_project_and_money_spent() -> None:
    """将投资 / 共投资 / 合计投资 state what a project costs; 项目投资累计完成 what was spent."""
    assert fields("一家外资企业将投资3亿元。", "metric") == [
        ("3亿元", "project_investment_total")]
    assert fields("外商与园区合计投资4200万美元。", "metric") == [
        ("4200万美元", "project_investment_total")]
    assert fields("园区项目投资累计完成56亿元。", "metric") == [("56亿元", "investment_completed")]
    assert fields("今年园区完成投资12亿元。", "metric") == [("12亿元", "investment_completed")]


def test_the_area_of_factories_built_is_floor_area() -> None:
    assert fields("园区标准厂房建成面积42万平方米。", "metric") == [("42万平方米", "floor_area")]
    assert fields("园区建成面积12平方公里。", "metric") == [("12平方公里", "built_area")]


def test_counts_listed_before_one_noun_share_it() -> None:
    """2个国家级、5个省级产业集群: both count clusters."""
    got = fields("全省建成2个国家级、5个省级先进制造业集群。", "metric")
    assert got == [("2个", "park_count"), ("5个", "park_count")]


def test_a_count_followed_by_the_next_item_is_not_of_that_item() -> None:
    got = fields("全省有高新区6家、经开区9家和综合保税区3家。", "metric")
    assert got == [("6家", "park_count"), ("9家", "park_count"), ("3家", "park_count")]


def test_a_change_of_the_count_just_named_takes_its_metric() -> None:
    got = fields("全省开发区有42家，较上年增加了7家。", "metric", "measure")
    assert got == [("42家", "park_count", "level"), ("7家", "park_count", "change")]


def test_value_added_is_no_rise() -> None:
    """40%的规模工业增加值、35%的出口: shares, though 增加值 holds 增."""
    got = fields("各开发区创造了全市48%的规模工业增加值、37%的高新技术产值。", "measure")
    assert got == [("48%", "share"), ("37%", "share")]


def test_research_spending_is_no_investment() -> None:
    """研发投入 / 研发经费 are R&D spending, which no catalogue metric covers."""
    assert fields("全区企业研发投入占销售收入的比重达到3.5%。", "metric", "measure") == [
        ("3.5%", "other", "share")]
    assert fields("全区企业研发经费支出12亿元。", "metric") == [("12亿元", "other")]
    assert fields("全区完成工业性投入50亿元。", "metric") == [("50亿元", "investment_completed")]


def test_foreign_direct_investment_and_funds_from_outside_the_province() -> None:
    assert fields("今年一季度全县实际利用外商直接投资1.6亿美元。", "metric") == [
        ("1.6亿美元", "fdi_actual")]
    assert fields("全市到位省外资金150亿元。", "metric") == [
        ("150亿元", "investment_attracted_actual")]


def test_a_technology_contract_turnover_is_no_revenue() -> None:
    assert fields("全市技术合同成交额为18.6亿元。", "metric") == [("18.6亿元", "other")]


# ------------------------------------------------------------ what is a figure


def test_milestones_passed_are_not_figures() -> None:
    """越过N亿、M亿两道关口 counts thresholds crossed; 突破5亿美元大关 is still a figure."""
    assert fields("全县税收先后越过20亿、30亿两道关口。", "value_text") == []
    assert fields("全县出口额突破5亿美元大关。", "value_text") == [("突破5亿美元", "突破5亿美元")]


def test_a_measure_noun_before_zai_states_a_value() -> None:
    """增幅在60%以上 is the growth; 在50～100亿元的企业有8家 is a bucket."""
    assert fields("全市工业投资的增幅在45%以上。", "value_text", "measure") == [
        ("45%以上", "45%以上", "growth")]


def test_po_sets_a_threshold_of_a_bucket() -> None:
    """利用外资破10亿元的开发区有6家: the 6 is a record, the 10亿元 a bucket bound."""
    got = fields("全省利用外资破10亿元的开发区有6家。", "value_text")
    assert got == [("6家", "6家")]


def test_a_unit_cut_short_still_counts() -> None:
    """西园22.1平方公。 — 平方公 can only be 平方公里."""
    got = fields("园区分为两块，其中西园12.1平方公。", "value_text", "unit")
    assert got == [("12.1平方公", "12.1平方公", "km2")]


def test_pinyin_glosses_are_dropped_before_matching() -> None:
    """A converter's glosses (業(yè)) split words: 規模以上工業(yè)企業(yè) is one metric word."""
    assert normalise("規(guī)模以上工業(yè)企業(yè)").text == "規模以上工業企業"
    got = fields("全省規(guī)模以上工業(yè)企業(yè)達到2.1萬家。", "value_text", "metric")
    assert got == [("2.1萬家", "2.1萬家", "above_scale_enterprise_count")]


def test_industrial_investment_is_fixed_asset_investment() -> None:
    assert fields("全市工业投资的增幅在35%以上。", "metric", "measure") == [
        ("35%以上", "fixed_asset_investment", "growth")]


def test_industries_of_a_size_are_counted_like_clusters() -> None:
    """三个万亿产业, 12个千亿级产业: counts of industries of that class, as clusters are."""
    assert fields("全省已形成三个万亿产业。", "value_text", "metric") == [
        ("三个", "三个", "park_count")]


def test_newly_brought_in_is_a_change() -> None:
    assert fields("本年度园区新引进中外企业18家。", "measure") == [("18家", "change")]


def test_revenue_alone_is_operating_revenue() -> None:
    """园区的收入: a park's or firm's revenue; 财政收入 stays fiscal revenue."""
    assert fields("该开发区的收入突破3000亿元。", "metric") == [
        ("突破3000亿元", "operating_revenue")]
    assert fields("全区财政收入12亿元。", "metric") == [("12亿元", "fiscal_revenue")]


def test_an_area_word_names_its_own_area() -> None:
    """其面积 is the subject's own area; 总控制面积 the area it controls."""
    assert fields("该镇是独立建制镇，其面积27.4平方公里。", "metric") == [
        ("27.4平方公里", "jurisdiction_area")]
    got = fields("园区规划面积6.3平方公里，全镇的总控制面积为45平方公里。", "metric")
    assert got == [("6.3平方公里", "planned_area"), ("45平方公里", "jurisdiction_area")]


def test_statistics_that_are_no_catalogue_metric_do_not_borrow_one() -> None:
    """可支配收入 is no firm's 收入, 单位GDP能耗 no GDP, 非税收入 no tax, 人口 no employment."""
    assert fields("城镇居民人均可支配收入25000元，增长9%。", "metric") == [
        ("25000元", "other"), ("9%", "other")]
    assert fields("全市单位GDP能耗下降4.2%。", "metric", "value") == [
        ("4.2%", "other", Decimal("-4.2"))]
    assert fields("全市非税收入3亿元。", "metric") == [("3亿元", "other")]
    assert fields("全市公共财政预算收入12亿元。", "metric") == [("12亿元", "fiscal_revenue")]


def test_a_decline_rate_is_a_negative_growth() -> None:
    assert fields("全区能耗同比降幅为5%。", "value", "measure") == [("5%", -5, "growth")]


def test_from_one_level_to_another_both_are_levels() -> None:
    """由86家增加到112家, 由…的12.5亿美元增加到…的14.8亿美元: two levels, no change."""
    got = fields("全区高新技术企业由86家增加到112家。", "metric", "measure")
    assert got == [("86家", "enterprise_count", "level"), ("112家", "enterprise_count", "level")]
    got = fields("园区出口额由2021年的12.5亿美元增加到2022年的14.8亿美元。", "metric", "measure")
    assert got == [("12.5亿美元", "exports", "level"), ("14.8亿美元", "exports", "level")]


def test_a_rank_in_a_list_names_no_noun() -> None:
    """其中国家级12个、省级45个: counts of the R&D institutes, by rank."""
    got = fields("园区共有研发中心126个，其中国家级12个、省级45个。", "metric_text")
    assert got == [("126个", "研发中心"), ("12个", "研发中心"), ("45个", "研发中心")]


def test_a_rate_of_its_own_borrows_no_metric() -> None:
    got = fields("全县单位GDP能耗下降3.5%，城镇登记失业率控制在3.2%以内。", "metric_text")
    assert got == [("3.5%", "单位GDP能耗"), ("3.2%以内", "登记失业率")]


def test_investment_agreed_is_contracted() -> None:
    assert fields("园区引进项目38个，协议投资额286亿元。", "metric") == [
        ("38个", "project_count"), ("286亿元", "investment_attracted_contracted")]


def test_money_per_mu() -> None:
    """亩均税收28.5万元 is money per mu, as 每亩320万元 and 320万元/亩 are."""
    assert fields("全市开发区亩均税收28.5万元。", "unit", "metric") == [
        ("28.5万元", "CNY/mu", "other")]
    assert fields("园区亩均投资强度达到300万元。", "unit", "metric") == [
        ("300万元", "CNY/mu", "investment_intensity")]


def test_counts_regrouped_and_reduced_stay_counts_of_what_the_sentence_counts() -> None:
    """从2015年的180个整合为2020年的136个，减少44个: parks, all three; the last a fall."""
    got = fields("全省园区数量从2015年的180个整合为2020年的136个，减少44个。",
                 "metric", "measure", "value")
    assert got == [("180个", "park_count", "level", 180), ("136个", "park_count", "level", 136),
                   ("44个", "park_count", "change", -44)]


def test_a_verb_of_change_right_before_a_rate_makes_it_a_growth() -> None:
    """年减2.1%, 较上年成长15.3% (Taiwan usage): growths, the first a fall."""
    assert fields("园区进口值为3,456亿元，年减2.1%。", "metric", "measure", "value") == [
        ("3,456亿元", "other", "level", 345_600_000_000),
        ("2.1%", "other", "growth", Decimal("-2.1"))]
    assert fields("园区营业额较上年成长15.3%。", "metric", "measure") == [
        ("15.3%", "operating_revenue", "growth")]


def test_figures_listed_after_a_fall_or_a_change_share_it() -> None:
    got = fields("全区工业增加值和财政收入分别下降3.2%和5.1%。", "value", "measure")
    assert got == [("3.2%", Decimal("-3.2"), "growth"), ("5.1%", Decimal("-5.1"), "growth")]
    got = fields("全区规上企业和高新技术企业分别减少3家、5家。", "value", "measure")
    assert got == [("3家", -3, "change"), ("5家", -5, "change")]
    got = fields("全年新增企业12家、项目8个。", "metric", "measure")
    assert got == [("12家", "enterprise_count", "change"), ("8个", "project_count", "change")]
    got = fields("全年新增企业12家、累计达到150家。", "metric", "measure")
    assert got == [("12家", "enterprise_count", "change"), ("150家", "enterprise_count", "level")]


def test_a_share_after_a_count_is_no_bucket_bound() -> None:
    """13家集聚区占到了全省总数超过五分之一 states their share; 占比超过50%的企业有10家 is a
    bucket of firms."""
    got = fields("全省13家省级服务业集聚区占到了全省总数超过五分之一。", "value_text", "measure")
    assert got == [("13家", "13家", "level"), ("超过五分之一", "超过五分之一", "share")]
    assert fields("占比超过50%的企业有10家。", "value_text") == [("10家", "10家")]


def test_projects_and_firms_brought_in_are_changes() -> None:
    """RECORDS.md, 新增: what the period added is a change — 新引进项目42个 like 新引进中外企业26家
    and 新增投产项目15个 (the gold of the newer reports reads 新开工/新签约/新引进 so)."""
    assert fields("全年新引进项目42个。", "measure") == [("42个", "change")]
    assert fields("今年新引进中外企业26家。", "measure") == [("26家", "change")]
    assert fields("年内园区新增投产项目15个。", "measure") == [("15个", "change")]


def test_a_quoted_abbreviation_inside_a_noun_is_read_whole() -> None:
    """“规上”企业总数增长17%: the number of above-scale firms grew."""
    assert fields("全县“规上”企业总数在全省范围内增长17%。", "metric", "measure") == [
        ("17%", "above_scale_enterprise_count", "growth")]
    assert fields("全市“专精特新”企业达到120家。", "metric") == [("120家", "enterprise_count")]


def test_the_parts_of_a_three_sector_ratio_are_the_sectors() -> None:
    """三次产业结构为a:b:c: each part a share, its sector the cluster, its metric the sector's
    value added (the first and second sectors have none in the catalogue)."""
    got = fields("全县三次产业结构由8.2:60.5:31.3调整为6.4:52.1:41.5。", "metric", "measure",
                 "cluster")
    assert got == [
        ("8.2", "other", "share", "第一产业"), ("60.5", "other", "share", "第二产业"),
        ("31.3", "services_value_added", "share", "第三产业"),
        ("6.4", "other", "share", "第一产业"), ("52.1", "other", "share", "第二产业"),
        ("41.5", "services_value_added", "share", "第三产业"),
    ]


def test_a_list_of_three_after_the_three_sectors_is_theirs() -> None:
    got = fields("全市生产总值增长12%，三次产业增加值分别增长4%、15%和11%。", "metric", "measure")
    assert got[1:] == [("4%", "other", "growth"), ("15%", "other", "growth"),
                       ("11%", "services_value_added", "growth")]


def test_a_sector_before_its_value_added_or_its_share() -> None:
    """服务业实现增加值…，在GDP中的占比为…: the services' value added and its share;
    第三产业比重上升…个百分点: the change of the services' share."""
    got = fields("全县服务业实现增加值86.4亿元，增长9.1%，在GDP中的占比为31.2%。",
                 "metric", "measure")
    assert got == [("86.4亿元", "services_value_added", "level"),
                   ("9.1%", "services_value_added", "growth"),
                   ("31.2%", "services_value_added", "share")]
    got = fields("五年来全区第三产业比重上升了12个百分点。", "metric", "measure", "cluster")
    assert got == [("12个百分点", "services_value_added", "change", "第三产业")]


def test_amounts_listed_after_a_count_are_no_bucket_bounds() -> None:
    """两家企业的产值分别超过80亿元和30亿元: the firms' figures, not buckets they fall in."""
    got = fields("区内两家龙头企业的产值分别超过80亿元和30亿元。", "metric")
    assert [v for v, _ in got][-2:] == ["超过80亿元", "30亿元"]


def test_a_threshold_amount_before_a_change_or_its_metric_is_a_figure() -> None:
    """从不足X增加到Y: both are levels; 突破X产值。: the amount of the metric after it."""
    got = fields("园区出口额从不足40亿元增加到95亿元。", "metric")
    assert [v for v, _ in got] == ["不足40亿元", "95亿元"]
    got = fields("其中东区更是突破800亿产值。", "metric")
    assert got == [("突破800亿", "output_value")]
    assert fields("园区有超亿元项目17个。", "metric") == [("17个", "project_count")]


def test_a_count_of_the_names_listed_before_it_is_no_ordinal() -> None:
    """甲、乙、丙、丁前4个村: 前 ends the last name; the count is of the names listed."""
    got = fields("园区范围包括东岭、河湾、石桥、山前4个行政村。", "metric")
    assert [v for v, _ in got] == ["4个"]
    assert fields("全省前5个园区产值占一半。", "metric")[:1] != [("5个", "park_count")]


def test_a_list_of_rates_after_its_own_metric_words_is_theirs() -> None:
    """…实际利用外资2亿美元；人均可支配收入分别增长7%: not the growth of the funds before."""
    got = fields("全年实际利用外资2亿美元；城镇居民人均可支配收入分别增长7.5%。",
                 "metric", "measure")
    assert got[-1] == ("7.5%", "other", "growth")


def test_area_and_money_words_of_zones() -> None:
    assert fields("园区规划用地面积约8.2平方公里。", "metric") == [
        ("约8.2平方公里", "planned_area")]
    assert fields("目前已开发利用的面积为960亩。", "metric") == [("960亩", "built_area")]
    assert fields("园区开发规模扩大到3.6平方公里。", "metric") == [("3.6平方公里", "built_area")]
    assert fields("全年签约合同资金15.2亿元。", "metric") == [
        ("15.2亿元", "investment_attracted_contracted")]
    assert fields("中外双方联合投资达9亿元。", "metric") == [
        ("9亿元", "project_investment_total")]
    assert fields("引进规模以上的工业企业12家。", "metric") == [
        ("12家", "above_scale_enterprise_count")]


def test_an_aside_in_brackets_is_no_figure_of_a_list() -> None:
    """A、B、C(上年为…)，分别增长x、y、z: the three named, not the aside."""
    got = fields("全年工业产值8.4亿元，销售收入9.1亿元，税收0.6亿元（上年为4000万元），"
                 "较上年分别增长21%、25%、50%。", "metric", "measure")
    assert got[-3:] == [("21%", "gross_industrial_output", "growth"),
                        ("25%", "sales_revenue", "growth"), ("50%", "tax_revenue", "growth")]


def test_an_amount_naming_no_metric_goes_on_with_the_sentence_before() -> None:
    """…的税收收入为500亿元。国家级开发区缴纳300亿元，占全省的60%: the same metric, a part."""
    got = fields("全省开发区缴纳的税收收入为500亿元。国家级开发区缴纳300亿元，占全省的60%。",
                 "metric", "measure")
    assert got == [("500亿元", "tax_revenue", "level"), ("300亿元", "tax_revenue", "level"),
                   ("60%", "tax_revenue", "share")]
    got = fields("全区进出口总额为90亿美元。园区内另有企业80家。", "metric")
    assert got[1] == ("80家", "enterprise_count")


def test_a_park_after_zai_is_where_not_what_is_counted() -> None:
    """外资企业在园区注册的数量…800家: firms registered in the park, not parks."""
    got = fields("截至去年底，外资企业在园区注册的数量累计已超过800家。", "metric")
    assert got == [("超过800家", "enterprise_count")]


def test_listed_shares_of_a_counted_whole_are_shares_of_the_count() -> None:
    """东部和中部在国家级开发区中所占比例…，分别是40%和25%: shares of the zones counted."""
    got = fields("去年东部和中部在国家级开发区中所占比例均有提高，分别是40%和25%。",
                 "metric", "measure")
    assert got == [("40%", "park_count", "share"), ("25%", "park_count", "share")]


def test_one_added_to_a_list_is_a_count() -> None:
    """…三个工业园，外加一个省级物流基地: 一个 joins the list, it is no article."""
    got = fields("全县建有三个工业园，外加一个省级物流基地。", "metric")
    assert [v for v, _ in got] == ["三个", "一个"]


def test_a_currency_in_brackets_is_the_unit_of_bare_amounts() -> None:
    """50亿(美元,下同)…60.5亿: both in US dollars; an amount written in 元 stays yuan."""
    got = fields("外资企业注册资本接近50亿(美元,下同),合计投资总额则为60.5亿;"
                 "内资企业投资20亿元。", "unit")
    assert got == [("接近50亿", "USD"), ("60.5亿", "USD"), ("20亿元", "CNY")]


def test_a_sector_that_names_the_metric_is_no_cluster() -> None:
    """服务业实现增加值: 服务业 is what services_value_added means, not a cluster of it."""
    got = fields("全县服务业实现增加值86.4亿元，增长9.1%。", "metric", "cluster")
    assert got == [("86.4亿元", "services_value_added", None),
                   ("9.1%", "services_value_added", None)]


def test_counts_of_indicators_directions_and_assumed_rates_are_no_figures() -> None:
    assert fields("园区税收、产值等共6项主要指标位居全省第一。", "metric") == []
    assert fields("园区位于县城西北方向约5公里处。", "metric") == []
    got = fields("按每亩投资300万元测算，园区可新增产值12亿元。", "metric")
    assert [v for v, _ in got] == ["12亿元"]


def test_units_of_energy_are_no_money() -> None:
    """130.5 千卡/平方厘米: 千 is part of the unit 千卡, not a scale of yuan."""
    got = fields("年太阳总辐射量达 130.5 千卡/平方厘米，全年产值3亿元。", "unit")
    assert got == [("3亿元", "CNY")]


def test_verbs_of_building_and_planning_name_an_area() -> None:
    """建成…8平方公里 is built; 规划并建设了6平方公里的…园 planned; 厂房已建成…平方米 floor."""
    assert fields("园区按高标准建成道路、供水等配套设施8平方公里。", "metric") == [
        ("8平方公里", "built_area")]
    assert fields("园区规划并建设了6平方公里的装备制造产业园。", "metric") == [
        ("6平方公里", "planned_area")]
    assert fields("园区标准厂房已建成12万平方米。", "metric") == [("12万平方米", "floor_area")]
    assert fields("园区建成项目5个，规划投资8亿元。", "metric")[0] == ("5个", "project_count")


def test_three_amounts_listed_after_the_three_sectors_are_theirs() -> None:
    got = fields("全区第一、二、三产业增加值分别为12亿元、85亿元和40亿元。", "metric")
    assert got == [("12亿元", "other"), ("85亿元", "other"), ("40亿元", "services_value_added")]


def test_an_amount_goes_on_with_the_sentence_before_only_after_a_verb_of_it() -> None:
    got = fields("全年实现销售收入50亿元。园区获得国家资助300万元。", "metric")
    assert got == [("50亿元", "sales_revenue"), ("300万元", "other")]


def test_a_threshold_before_a_counted_noun_ending_the_clause_is_a_class() -> None:
    assert fields("今年园区引进超10亿元项目。", "metric") == []


def test_three_major_industries_are_not_the_three_sectors() -> None:
    got = fields("汽车、电子、化工三大产业产值分别增长12%、15%和9%。", "metric")
    assert all(metric != "services_value_added" for _, metric in got)
    got = fields("第三产业增加值、税收和利润分别增长5%、8%和9%。", "metric")
    assert got[1:] == [("8%", "tax_revenue"), ("9%", "net_profit")]
