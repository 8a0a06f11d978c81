"""Linking rules, a test for each: how a figure takes its metric, measure, year, status and
subject (region, park, cluster, company) from the words around it, as a user reads them
off the records `extract_text` returns. Every sentence here is written for this file.
"""

from __future__ import annotations

from tests.helpers import fields, records


def test_a_count_closing_its_clause_counts_its_own_noun_but_a_rank_alone_does_not() -> None:
    """农贸市场38个 counts markets, not the parks the sentence began on; 其中省级4个 does."""
    got = fields("临沂市共有商贸服务业集聚区11个，其中,农贸市场38个。", "metric")
    assert got == [("11个", "park_count"), ("38个", "other")]
    got = fields("萧山区共有服务业集聚区11个，其中省级4个。", "metric")
    assert got == [("11个", "park_count"), ("4个", "park_count")]


def test_an_industrys_firms_give_that_count_alone_its_cluster() -> None:
    """汽车电子企业27家 is a count of that industry's firms; the park's revenue is not."""
    got = fields(
        "园区现有入驻企业126家，其中汽车电子企业27家，全年实现营业收入45亿元。", "cluster"
    )
    assert got == [("126家", None), ("27家", "汽车电子"), ("45亿元", None)]


def test_a_rank_before_the_firms_is_no_industry_but_a_modifier_may_stand_between() -> None:
    """国家级高新技术企业 is a class of firm; 外资纺织企业 are still textile firms."""
    assert fields("园区现有入驻企业126家，拥有国家级高新技术企业9家。", "cluster")[1] == (
        "9家", None,
    )
    assert fields("园区共引进企业80家，其中有12家外资纺织企业。", "cluster")[1] == (
        "12家", "纺织",
    )


def test_counts_that_split_an_industrys_projects_take_its_industry() -> None:
    """5家已开工建设，4家有望年内投产 are some of the biotech projects, the last expected."""
    got = fields(
        "海门市去年新引进9家投资过6000万元的生物医药项目，其中5家已开工建设，4家有望年内投产。",
        "metric", "cluster", "status",
    )
    assert got == [
        ("9家", "project_count", "生物医药", "actual"),
        ("5家", "project_count", "生物医药", "actual"),
        ("4家", "project_count", "生物医药", "estimate"),
    ]


def test_a_year_carries_past_a_full_stop_until_a_sentence_opens_on_a_new_subject() -> None:
    """上缴税金 is the same zone's 2022; 长江三角洲的… begins another topic with no year."""
    got = fields(
        "2022年，萧山经济技术开发区实现营业收入865亿元。上缴税金21亿元，同比增长9%。",
        "year",
    )
    assert got == [("865亿元", 2022), ("21亿元", 2022), ("9%", 2022)]
    got = fields(
        "2022年，萧山经济技术开发区实现营业收入865亿元。"
        "长江三角洲的312个建制镇中，有工业园区的占到七成。",
        "year",
    )
    assert got == [("865亿元", 2022), ("312个", None)]


def test_a_section_opening_on_another_region_is_about_that_region() -> None:
    """Under 二、发展现状 the first paragraph names a 宜兴市 park: the section is 宜兴市's."""
    text = (
        "无锡市开发区建设情况调研\n"
        "一、基本情况\n"
        "全市开发区完成营业收入9800亿元。\n"
        "二、发展现状\n"
        "宜兴市丁蜀新材料产业园是2015年设立的省级特色园区。\n"
        "2022年，园区完成工业总产值640亿元，同比增长11%。\n"
        "全年新引进项目36个。\n"
    )
    got = fields(text, "region")
    assert got == [
        ("9800亿元", "无锡市"), ("640亿元", "宜兴市"), ("11%", "宜兴市"), ("36个", "宜兴市"),
    ]


def test_dongzhi_in_a_boundary_is_a_direction_not_dongzhi_county() -> None:
    """东至沪陕高速 says where the zone ends in the east; it names no 东至县."""
    (rec,) = records("园区东至沪陕高速，西至淮河大堤，规划面积18平方公里。")
    assert rec.region is None


def test_parks_named_together_are_one_subject() -> None:
    """Two parks counted as 两家…集聚区 and taken up by 上述两家 are one group subject."""
    *_, revenue = records(
        "兰陵经济开发区、兰陵商贸物流园两家省级集聚区近年来发展较快，"
        "2022年上述两家集聚区共实现营业收入318亿元。"
    )
    assert revenue.value_text == "318亿元"
    assert revenue.park is not None
    assert "兰陵经济开发区" in revenue.park and "兰陵商贸物流园" in revenue.park
    got = fields("2022年，兰陵经济开发区、兰陵商贸物流园共完成固定资产投资86亿元。", "park")
    assert got == [("86亿元", "兰陵经济开发区、兰陵商贸物流园")]


def test_an_industry_word_right_before_a_metric_word_is_the_industry_measured() -> None:
    """纺织工业总产值 and 软件销售 are an industry's figures; 服务业增加值 and 能源投入 are
    metric words of their own."""
    ((value, cluster),) = fields("全市纺织工业总产值完成1860亿元。", "cluster")
    assert value == "1860亿元" and cluster is not None and cluster.startswith("纺织")
    assert fields("萧山软件园去年完成软件销售68亿元。", "park", "cluster") == [
        ("68亿元", "萧山软件园", "软件"),
    ]
    assert fields("全市服务业增加值643亿元。", "cluster") == [("643亿元", None)]
    assert fields("园区能源投入0.6亿元。", "cluster") == [("0.6亿元", None)]


def test_a_sentence_ending_by_building_or_settling_in_a_named_park_is_about_it() -> None:
    """The money and land went into what became 兰陵新材料工业园; the banks settled in the
    开发区 named last."""
    got = fields(
        "近两年，镇里累计投入3000多万元修建道路管网，平整工业用地1500多亩，"
        "初步建成了兰陵新材料工业园。",
        "park",
    )
    assert got == [("3000多万元", "兰陵新材料工业园"), ("1500多亩", "兰陵新材料工业园")]
    got = fields(
        "今年上半年，5个外资银行办事处和两家证券营业部相继入驻南通经济技术开发区。", "park"
    )
    assert {park for _, park in got} == {"南通经济技术开发区"}


def test_parks_counted_as_the_object_of_a_verb_are_not_the_subject_after_it() -> None:
    """建设了…等4个专业孵化园区 is what was built; the 厂房 that follow are not theirs, and
    建设了 states a result even after 按照…目标."""
    floor = records(
        "按照“一区多园”的建设目标，先后建设了光电孵化园、生物医药孵化园等4个专业孵化园区，"
        "新建标准厂房32万平方米。"
    )[1]
    assert floor.value_text == "32万平方米"
    assert "专业孵化园" not in (floor.park or "")
    assert floor.status == "actual"


def test_work_done_so_far_after_a_plan_is_actual() -> None:
    """前5个月完成投资 reports what was done, though the sentence opened on a plan."""
    got = fields("今年计划完成投资18亿元,目前各项目进展顺利,前5个月完成投资7.6亿元。", "status")
    assert got == [("18亿元", "target"), ("7.6亿元", "actual")]


def test_an_industrial_park_project_is_no_park_but_an_export_base_is() -> None:
    """…产业园项目 is a project being built; …出口加工基地 names a park."""
    got = fields("宜兴市陶瓷文化产业园项目总投资12亿元。", "metric", "park")
    assert got == [("12亿元", "project_investment_total", None)]
    got = fields("许昌发制品出口加工基地去年实现出口交货值36亿元。", "park")
    assert got == [("36亿元", "许昌发制品出口加工基地")]


def test_a_paragraph_opening_on_an_industry_name_is_about_that_industry() -> None:
    """Under 1.光伏产业。 every figure of the paragraph is the PV industry's, across full
    stops; the next numbered paragraph is another industry's."""
    text = (
        "三、主导产业发展情况\n"
        "1.光伏产业。按照“龙头带动、链式发展”的思路，园区加快引进配套企业。"
        "2022年，实现产值186亿元，同比增长23%。新引进项目14个。\n"
        "2.装备制造产业。全年实现产值95亿元。\n"
    )
    got = fields(text, "cluster")
    assert got == [("186亿元", "光伏"), ("23%", "光伏"), ("14个", "光伏"), ("95亿元", "装备制造")]


def test_firms_entering_the_park_just_named_are_that_parks() -> None:
    """入园 right after 卞庄新园区 means firms in that park."""
    got = fields(
        "去年完成规划面积为85公顷的卞庄新园区建设,入园企业达到62家。", "metric", "park"
    )
    assert got == [
        ("85公顷", "planned_area", "卞庄新园区"),
        ("62家", "enterprise_count", "卞庄新园区"),
    ]


def test_an_industry_is_named_as_the_report_writes_it() -> None:
    """汽车零部件 stays 汽车零部件 on the record, not the catalogue's 汽车及零部件."""
    got = fields("今年前三季度，海门市汽车零部件产业实现销售收入52亿元。", "cluster")
    assert got == [("52亿元", "汽车零部件")]


def test_places_counted_are_not_parks_but_projects_settling_in_are_projects() -> None:
    """地级市 and 建制镇 are places; 品牌项目落户园区 counts projects, not parks."""
    assert fields("在全省13个地级市中，南通市开发区数量位居第三。", "metric") == [("13个", "other")]
    assert fields("全县286个建制镇中，建有工业集中区的有140个。", "metric")[0] == ("286个", "other")
    assert fields("今年已有10多个品牌项目落户园区。", "metric") == [("10多个", "project_count")]


def test_fortune_500_firms_brought_in_are_an_enterprise_count() -> None:
    """世界500强14家 counts firms; 500 is part of the name, not a figure."""
    got = fields("截至去年底，萧山经济技术开发区已引进世界500强14家。", "metric")
    assert got == [("14家", "enterprise_count")]


def test_you_marks_a_change_but_money_put_in_stays_a_level() -> None:
    """又有3家集聚区 are added to those before; 又投入了 is this year's spending."""
    assert fields("今年临沂市又有3家集聚区晋升为省级开发区。", "measure") == [("3家", "change")]
    assert fields("为完善配套设施，园区今年又投入了3800万元。", "measure") == [
        ("3800万元", "level"),
    ]


def test_signed_intentions_are_actual_and_a_calculation_is_an_estimate() -> None:
    """意向签订 happened; 据测算 in the figure's own clause makes it an estimate."""
    assert fields("在推介会上，园区意向签订合同总投资超过45亿元。", "status") == [
        ("超过45亿元", "actual"),
    ]
    got = fields("园区去年实现销售收入60亿元，据测算带动就业1.2万人。", "status")
    assert got == [("60亿元", "actual"), ("1.2万人", "estimate")]


def test_a_whole_area_at_a_clause_head_ends_an_industry_unless_a_topic_frames_it() -> None:
    """全区工业产值 is the district's, not the new materials industry's; under 服务外包方面
    全市 still means the city's outsourcing firms."""
    got = fields(
        "今年上半年，萧山区新材料产业产值达到46亿元，全区工业产值突破820亿元。", "cluster"
    )
    assert got == [("46亿元", "新材料"), ("突破820亿元", None)]
    got = fields(
        "服务外包方面，2022年全市新认定服务外包企业185家，其中年营业收入超亿元的7家。", "cluster"
    )
    assert got == [("185家", "服务外包"), ("7家", "服务外包")]


def test_a_share_of_firms_or_of_sales_is_a_share_of_that_metric() -> None:
    """68%的企业 is a share of the firms, of one industry; 82%的…销售收入 a share of sales."""
    ((value, metric, measure, cluster),) = fields(
        "园区入驻企业中，68%的企业是电子信息制造企业。", "metric", "measure", "cluster"
    )
    assert (value, metric, measure) == ("68%", "enterprise_count", "share")
    assert cluster is not None and cluster.startswith("电子信息")
    got = fields("其中82%的产品销售收入来自汽车配件领域。", "metric", "measure")
    assert got == [("82%", "sales_revenue", "share")]


def test_a_named_industrys_output_is_its_output_value() -> None:
    """黑色金属冶炼及压延加工业产值 is one industry's 产值, not 工业总产值 cut out of it."""
    ((value, metric, cluster),) = fields(
        "去年，兰陵县黑色金属冶炼及压延加工业完成产值57亿元。", "metric", "cluster"
    )
    assert (value, metric) == ("57亿元", "output_value")
    assert cluster is not None and "黑色金属冶炼及压延加工" in cluster


def test_a_share_of_parks_or_firms_may_be_those_of_one_industry() -> None:
    """生产性服务业主导的 are some of the parks; 全市动漫(相关)企业 recalls the 动漫 firms."""
    got = fields("在全省35个市级服务业集聚区中，生产性服务业主导的约占55%。", "cluster")
    assert got[-1] == ("55%", "生产性服务业")
    text = (
        "杭州市共有动漫及相关企业240家。"
        "其中，高新区集聚企业150家，占全市动漫(相关)企业数量的62%。"
    )
    share = records(text)[-1]
    assert (share.value_text, share.measure, share.cluster) == ("62%", "share", "动漫")


def test_a_generic_park_word_of_another_kind_is_not_the_named_park() -> None:
    """In an article on an 开发区, 产业集聚区 is another park, not the 开发区 again."""
    text = (
        "南通经济技术开发区发展调研\n"
        "南通经济技术开发区位于南通市东南部。去年，开发区完成营业收入310亿元。\n"
        "产业集聚区船舶海工产业实现工业总产值185亿元。\n"
    )
    got = fields(text, "park")
    assert got[0] == ("310亿元", "南通经济技术开发区")
    value, park = got[1]
    assert value == "185亿元" and park is not None and park.endswith("集聚区")


def test_a_company_in_apposition_is_the_subject_of_what_follows() -> None:
    """融资担保平台——兰陵鑫源投资公司 owns the capital and assets after it; 授信 is financing."""
    got = fields(
        "为破解融资难题，园区成立了融资担保平台——兰陵鑫源投资公司,注册资本8000万元,"
        "总资产2.6亿元。",
        "company",
    )
    assert got == [("8000万元", "兰陵鑫源投资公司"), ("2.6亿元", "兰陵鑫源投资公司")]
    got = fields("今年，鑫源投资公司与4家银行签署了4.5亿元的授信协议。", "metric")
    assert got[-1] == ("4.5亿元", "financing")


def test_n_big_industry_clusters_are_one_subject() -> None:
    """三大产业集群工业总产值 is the three clusters' output together."""
    got = fields("到2026年三大产业集群实现工业总产值超过800亿元。", "cluster", "status")
    assert got == [("超过800亿元", "三大产业集群", "target")]


def test_next_steps_make_the_rest_of_the_paragraph_targets() -> None:
    """After 下一步,…将…; the paragraph lists plans; the next paragraph reports again."""
    text = (
        "下一步,园区将加快基础设施建设;搞好6条主干道路的拓宽改造,新建污水处理厂1座。"
        "新增标准厂房15万平方米。引进亿元以上项目12个。\n"
        "去年园区完成投资20亿元。\n"
    )
    got = fields(text, "status")
    assert got == [
        ("6条", "target"), ("1座", "target"), ("15万平方米", "target"), ("12个", "target"),
        ("20亿元", "actual"),
    ]


def test_land_a_project_needs_is_land_area() -> None:
    """…所需的260亩用地 is an area of land."""
    assert fields("县里帮助华兴纺织项目落实了所需的260亩用地。", "metric") == [
        ("260亩", "land_area"),
    ]


def test_a_leading_firm_of_an_industry_carries_that_industry() -> None:
    """红星机械厂 is the 龙头 of 石油机械: its expected output is that firm's, in that industry."""
    text = (
        "红星机械厂是全区石油机械行业的龙头企业。近年来，该厂持续加大技改力度。"
        "预计年内红星机械厂产值可达到14亿元。"
    )
    got = fields(text, "company", "cluster", "status")
    assert got == [("14亿元", "红星机械厂", "石油机械", "estimate")]
    plain = "红旗厂是全区石油机械行业的龙头企业。预计年内红旗厂产值可达到9亿元。"
    assert fields(plain, "company", "cluster") == [("9亿元", "红旗厂", "石油机械")]


def test_a_park_written_with_and_without_its_citys_shi_is_named_without_it() -> None:
    """南通市滨江… and 南通滨江… are one park: records name it the shorter way."""
    text = (
        "南通市滨江电气产业集聚区建设情况\n"
        "南通市滨江电气产业集聚区规划面积16平方公里。\n"
        "2022年，南通滨江电气产业集聚区实现营业收入138亿元。\n"
    )
    assert {r.park for r in records(text)} == {"南通滨江电气产业集聚区"}


def test_a_qualifier_that_ends_a_word_does_not_qualify() -> None:
    """签约6家 is six firms signed, not about six; 通过3家 is three."""
    got = fields("今年园区签约6家企业，另有3家通过评审，约2亿元投资已到位。", "qualifier")
    assert got == [("6家", "exact"), ("3家", "exact"), ("约2亿元", "approx")]


def test_jia_and_du_inside_a_park_name_do_not_cut_it() -> None:
    """海门家纺产业园 and 陶都科技产业园 are whole names: 家 counts only after a number."""
    text = ("海门家纺产业园建设情况\n海门家纺产业园完成投资12亿元。"
            "宜兴市陶都科技产业园实现产值30亿元。\n")
    assert [r.park for r in records(text)] == ["海门家纺产业园", "宜兴市陶都科技产业园"]


def test_qizhong_guojiaji_is_not_china() -> None:
    """其中国家级开发区: 其中 + 国家级, no region 中国."""
    got = fields("兰陵县共有开发区5个，其中国家级开发区2个。", "region")
    assert [region for _, region in got] == ["兰陵县", "兰陵县"]


def test_a_share_of_firms_that_belong_to_an_industry() -> None:
    """68%的企业属于电子信息制造业: the part is that industry."""
    got = fields("在宜兴经济开发区，68%的企业属于电子信息制造业。", "measure", "cluster")
    assert got[0][1] == "share" and "电子信息" in (got[0][2] or "")


def test_a_forecast_with_jiang_zengjia_is_an_estimate() -> None:
    """将增加 looks ahead."""
    got = fields("项目全部投产后，园区年销售收入将增加60亿元。", "status")
    assert got == [("60亿元", "estimate")]


def test_parks_counted_in_a_clause_are_not_the_sentences_park() -> None:
    """建设了…等4个专业孵化园区,建设标准厂房…: the floor space is not the incubators'."""
    text = ("兰陵县工业情况\n按照“一区多园”的目标，高标准建设了光电园、生物园等4个专业孵化园区,"
            "建设多层标准厂房32万平方米。\n")
    got = fields(text, "park", "status")
    assert got[1] == ("32万平方米", None, "actual")


def test_the_base_of_a_comparison_does_not_set_the_year() -> None:
    """较上年增加5亿元: 上年 is what the figure is compared with; the year stays 2022."""
    got = fields("2022年，天门市财政收入86亿元，较上年增加5亿元。税收15亿元。", "year")
    assert got == [("86亿元", 2022), ("5亿元", 2022), ("15亿元", 2022)]
    got = fields("2023年，全市销售收入240亿元，较“十二五”末翻了两番。", "year")
    assert got == [("240亿元", 2023), ("两番", 2023)]


def test_the_last_of_a_chain_of_places_is_the_region() -> None:
    """泉州市晋江市…: the county-level city, not its prefecture."""
    got = fields("2023年，泉州市晋江市鞋服产业集群年产值超2000亿元。", "region", "cluster")
    assert got == [("超2000亿元", "晋江市", "鞋服")]


def test_an_industry_does_not_read_on_into_a_parks_name() -> None:
    got = fields("2023年，包头稀土高新区新材料产业实现营业收入400亿元。", "park", "cluster")
    assert got == [("400亿元", "包头稀土高新区", "新材料")]


def test_a_web_pages_date_dates_its_one_report() -> None:
    """发布时间：… resolves 今年 when the page holds one report."""
    text = "园区简报\n发布时间：2023年8月10日\n今年1—6月份，园区完成工业增加值45.2亿元。\n"
    got = fields(text, "year", "period")
    assert got == [("45.2亿元", 2023, "2023-01/2023-06")]


def test_a_signature_dates_its_report() -> None:
    text = "临沂市工作报告\n今年园区产值50亿元。\n临沂市人民政府  2024年2月5日\n"
    assert fields(text, "year") == [("50亿元", 2024)]


def test_metrics_listed_before_fenbie_pair_up_in_order() -> None:
    got = fields("全区工业总产值、财政收入分别为320亿元、15亿元，分别增长12%和8%。", "metric")
    assert [m for _, m in got] == ["gross_industrial_output", "fiscal_revenue",
                                   "gross_industrial_output", "fiscal_revenue"]


def test_each_park_of_a_group_takes_its_own_figure() -> None:
    text = ("山西省开发区情况\n2023年，晋城经济技术开发区、长治高新区分别实现营业收入"
            "420亿元、380亿元。\n")
    got = fields(text, "region", "park")
    assert got == [("420亿元", "晋城市", "晋城经济技术开发区"),
                   ("380亿元", "长治市", "长治高新区")]


def test_a_company_heading_a_list_item_is_that_items() -> None:
    got = fields("2022年，石化公司产值860亿元、炼化公司产值520亿元。", "company")
    assert got == [("860亿元", "石化公司"), ("520亿元", "炼化公司")]


def test_share_qualifiers_around_the_share() -> None:
    """三分之一以上 is more than a third; 约占…25% is about a quarter."""
    assert fields("园区税收占全市的三分之一以上。", "qualifier") == [("三分之一以上", "more_than")]
    assert fields("园区产值约占全国的25%。", "qualifier") == [("25%", "approx")]


def test_growth_named_after_the_rate() -> None:
    """保持30%以上增长: a growth rate, not the bound of a bucket."""
    got = fields("宁德市锂电产业连续五年保持30%以上增长。", "measure", "qualifier")
    assert got == [("30%以上", "growth", "more_than")]


def test_more_metric_words() -> None:
    got = fields("园区企业用工人数达到3.2万人，引进配套厂商46家，年产钢材30万吨。", "metric")
    assert [m for _, m in got] == ["employment", "enterprise_count", "production_capacity"]


def test_a_count_followed_by_another_item_counts_its_own_noun() -> None:
    got = fields("全县新增企业20家和工业园区3个。", "metric")
    assert got == [("20家", "enterprise_count"), ("3个", "park_count")]


def test_names_cut_at_a_function_word_are_read_whole() -> None:
    """其中华远公司 is 华远公司; 和政县工业园区 keeps its 和."""
    assert fields("其中华远公司实现产值5亿元。", "company") == [("5亿元", "华远公司")]
    got = fields("临夏州和政县工业园区实现产值12亿元。", "park")
    assert got == [("12亿元", "和政县工业园区")]


def test_money_per_mu_written_before_the_amount() -> None:
    """每亩320万元 is an investment intensity, as 320万元/亩 is."""
    got = fields("园区投资强度达到每亩320万元。", "metric", "unit", "value")
    assert got == [("320万元", "investment_intensity", "CNY/mu", 3_200_000)]


def test_points_of_change_after_a_share_are_that_shares() -> None:
    got = fields("园区税收22亿元；工业增加值占全区比重为62.5%，提高1.8个百分点。", "metric")
    assert got[-1] == ("1.8个百分点", "industrial_value_added")


def test_quanshi_in_a_countys_report_is_its_city() -> None:
    """全市 after a county means the county's city; 长兴县、安吉县分别… each take theirs."""
    got = fields("2023年，全市规上工业增加值增长8.2%，长兴县、安吉县分别增长9.1%、7.6%。",
                 "metric", "region")
    assert got == [("8.2%", "industrial_value_added", "湖州市"),
                   ("9.1%", "industrial_value_added", "长兴县"),
                   ("7.6%", "industrial_value_added", "安吉县")]


def test_the_whole_of_a_share_is_not_a_new_subject() -> None:
    text = "长兴县工业报告\n全县规模工业企业累计达589家，在全市占比为33.2%。\n"
    assert [r.region for r in records(text)] == ["长兴县", "长兴县"]


def test_quannian_keeps_the_year_and_drops_the_months() -> None:
    got = fields("2023年1—11月，园区完成规上工业产值412亿元，全年预计完成450亿元。"
                 "全年园区税收10亿元。", "year", "period", "status")
    assert got == [("412亿元", 2023, "2023-01/2023-11", "actual"),
                   ("450亿元", 2023, "2023", "estimate"), ("10亿元", 2023, "2023", "actual")]


def test_a_forecast_after_the_first_figure_does_not_frame_it() -> None:
    got = fields("2023年，园区产值412亿元，预计全年900亿元。", "status")
    assert got == [("412亿元", "actual"), ("900亿元", "estimate")]


def test_a_share_of_a_yearly_goal_is_a_result() -> None:
    got = fields("2023年，园区税收23.8亿元，为年度目标的95.1%。", "status")
    assert got == [("23.8亿元", "actual"), ("95.1%", "actual")]


def test_a_heading_of_goals_frames_its_section() -> None:
    text = ("园区工作报告\n一、2023年工作回顾\n2023年，园区产值412亿元。\n"
            "二、2024年工作目标\n营业收入增长10%；新招引项目50个。\n")
    got = fields(text, "year", "status")
    assert got == [("412亿元", 2023, "actual"), ("10%", 2024, "target"),
                   ("50个", 2024, "target")]


def test_zhengqu_after_a_goal_is_a_goal() -> None:
    got = fields("2024年，确保营业收入达到550亿元，争取突破600亿元。", "status")
    assert got == [("550亿元", "target"), ("突破600亿元", "target")]


def test_since_a_plan_began_has_no_year() -> None:
    got = fields("“十四五”以来，园区累计新增企业486家。", "year", "period")
    assert got == [("486家", None, None)]


def test_the_field_of_a_ranking_is_not_a_subject() -> None:
    got = fields("2023年，准东开发区工业总产值1210亿元，在全疆开发区中排名第一；"
                 "完成固定资产投资396亿元。", "park")
    assert got == [("1210亿元", "准东开发区"), ("396亿元", "准东开发区")]


def test_qualifications_and_activities_are_not_industries() -> None:
    got = fields("2023年，园区新增高新技术企业286家，全年研发经费投入4.2亿元。", "cluster")
    assert got == [("286家", None), ("4.2亿元", None)]


def test_shares_in_tenths() -> None:
    got = fields("2023年，园区产值480亿元，占全市的比重接近六成。", "measure", "qualifier", "value")
    assert got[1] == ("近六成", "share", "approx", 60)


def test_sector_value_added_and_budget_revenue() -> None:
    got = fields("2023年，全县第一产业增加值45.3亿元，第三产业增加值599.1亿元，"
                 "一般公共预算收入58亿元。规模以上工业企业486家，比上年净增32家。",
                 "metric", "measure")
    assert got == [("45.3亿元", "other", "level"), ("599.1亿元", "services_value_added", "level"),
                   ("58亿元", "fiscal_revenue", "level"),
                   ("486家", "above_scale_enterprise_count", "level"),
                   ("32家", "above_scale_enterprise_count", "change")]


def test_a_company_stays_the_subject_across_a_semicolon() -> None:
    got = fields("2023年，柳工集团营业收入275.2亿元，同比增长3.4%；实现净利润8.7亿元。", "company")
    assert [c for _, c in got] == ["柳工集团"] * 3
