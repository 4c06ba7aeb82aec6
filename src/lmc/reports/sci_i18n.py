"""Strings of the SCI report in English and Chinese (one catalogue, keys shared by both)."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Lancang-Mekong Soft Connectivity Index",
        "subtitle": "Six countries, fifteen pairs and the railway corridor, {y0}-{y1}",
        "built": "Built {date} by LMC Observatory {version}; build key {key}.",
        "summary": "Summary",
        "summary_text": ("In {year}, the most connected pair is {top_pair} (score {top_pair_score:.1f} of 100) and the "
                         "most connected country is {top_country} ({top_country_score:.1f}). Scores use fixed "
                         "goalposts, so years compare; the uncertainty analysis replays the index {runs} times."),
        "ranking": "Ranking with pillar bars",
        "ranking_pairs": "Pairs, {year}",
        "ranking_countries": "Countries, {year}",
        "ranking_provinces": "Railway corridor provinces, {year}",
        "heatmap": "Pair heatmap",
        "heatmap_caption": "Soft Connectivity Index of each pair, {year} (0-100); * the score uses interpolated or carried values (indicators.csv says which).",
        "timeseries": "Time series per pair",
        "filled_points": "uses interpolated or carried values",
        "timeseries_caption": "Index (black) and pillar scores (colours) of the 15 pairs, {y0}-{y1}; hollow points: the index uses interpolated or carried values that year.",
        "map": "Map of the region",
        "map_caption": ("The six Lancang-Mekong countries and their neighbours (grey), the Lancang-Mekong river, "
                        "lakes such as the Tonle Sap, land borders, the China-Laos Railway through its stations with "
                        "the Bangkok-Vientiane link, and the railway border crossings. Made with Natural Earth "
                        "(public domain); stations from the corridor timetable (OpenStreetMap, ODbL)."),
        "map_scores": "Country scores and pair links, {year}",
        "map_scores_caption": ("Countries shaded by their index score and the 15 pair links weighted (width and "
                               "colour) by the pair's index score, {year}. Links start at each capital, and at "
                               "Kunming for China (the LMC gateway). Made with Natural Earth."),
        "map_corridor": "The railway corridor's provinces, {year}",
        "map_corridor_caption": ("Provinces and prefectures along the railway, each at the mean position of the "
                                 "stations serving it, with a disc whose area follows its index score, {year}. "
                                 "Made with Natural Earth."),
        "map_missing": "The maps need the Natural Earth tables: run `lmc data pull natural_earth`, then `lmc build`.",
        "map_layers_note": "countries, rivers, lakes, borders: Natural Earth",
        "map_used_for": "maps (countries, rivers, lakes, land borders, towns, province points)",
        "curated_title": "Curated pair fact", "curated_licence": "cited source (facts paraphrased, figures as published)",
        "accessed_on": "accessed {date}",
        "lancang": "Lancang", "mekong": "Mekong", "rail": "China-Laos Railway (dashed: Bangkok link)",
        "intervals": "Rank intervals",
        "intervals_caption": ("Nominal rank (red), median (blue) and 5-95% interval (grey) of the ranks over {runs} "
                              "alternative builds, {year}."),
        "sobol": "Sobol sensitivity",
        "sobol_caption": ("Share of the variance of the pairs' mean absolute rank shift explained by each construction "
                          "choice (first order S1, total ST), {runs} runs."),
        "profiles": "Country profiles",
        "profile_partners": "Pairs with the five partners, {year}",
        "methodology": "Methodology",
        "sources": "Sources and licences",
        "table_unit": "Unit", "table_score": "Score", "table_rank": "Rank", "table_pillar": "Pillar",
        "table_indicator": "Indicator", "table_source": "Source", "table_direction": "Direction",
        "table_unit_of": "Unit of measure", "table_coverage": "Coverage", "table_status": "Status",
        "table_publisher": "Publisher", "table_licence": "Licence", "table_used": "Used for",
        "table_observed": "Observed share", "not_available": "Not available in this build",
        "excluded": "Left out of the aggregation (no variation)",
        "index": "Index", "mobility": "Population mobility", "institutions": "Institutions and mechanisms",
        "culture": "History and culture", "people": "People-to-people bonds",
        "interval": "5-95% of replays", "median": "median", "nominal": "nominal", "rank": "rank",
        "f_normalise": "normalisation", "f_aggregate": "aggregation", "f_weights": "weights",
        "f_per_capita": "per capita", "f_impute": "imputation",
        "level_pair": "pair", "level_country": "country", "level_province": "province",
        "explained": "Why the top and bottom pairs score as they do (points against the median pair):",
        "contrib_title": "{name}: what raises and lowers the index, {year}",
        "contrib_caption": ("Points each indicator adds to (green) or takes from (red) the index against the median "
                            "unit: the indicator's score minus the median's, times its weight in the index; the ten "
                            "largest (all in contributions.csv). * the country's own indicator (against the median "
                            "country); the others are its pairs' indicators."),
        "pair_profiles": "Pair profiles",
        "validity": "Known facts reproduced",
        "validity_summary": "{n} of {m} known facts reproduced",
        "validity_caption": ("Dated, sourced statements the index must reproduce, checked on this build "
                             "(validity.csv). Scores of two years are compared like for like, on the indicators "
                             "present in both; the statements are given in English."),
        "validity_failed": "Not reproduced by this build (written with --allow-invalid):",
        "table_statement": "Statement", "table_check": "Check", "table_observed_values": "Observed",
        "table_pass": "Holds", "yes": "yes", "no": "NO",
        "robustness": "Robustness of the pair ranking",
        "robustness_caption": ("Rank of every pair in {year} under each correction of the framework undone, all of "
                               "them undone (the framework before the corrections) and geometric aggregation, beside "
                               "the 5-95% rank interval of the uncertainty analysis. 'Range' spans the nominal rank "
                               "and the one-at-a-time alternatives; 'holds' means all of them fall inside the "
                               "interval."),
        "geometric": "Geometric aggregation", "table_interval": "5-95% interval", "table_range": "Range",
        "table_holds": "Holds",
    },
    "zh": {
        "title": "澜湄软联通指数",
        "subtitle": "六国、十五对国家关系与铁路走廊，{y0}—{y1}年",
        "built": "由澜湄观察站 {version} 于 {date} 生成；构建编号 {key}。",
        "summary": "摘要",
        "summary_text": ("{year}年，联通程度最高的国家对是{top_pair}（得分{top_pair_score:.1f}，满分100），"
                         "联通程度最高的国家是{top_country}（{top_country_score:.1f}）。得分采用固定阈值标准化，"
                         "各年份之间可以比较；不确定性分析对指数进行了{runs}次重算。"),
        "ranking": "排名与支柱得分",
        "ranking_pairs": "国家对，{year}年",
        "ranking_countries": "国家，{year}年",
        "ranking_provinces": "铁路沿线省份，{year}年",
        "heatmap": "国家对热力图",
        "heatmap_caption": "各国家对的软联通指数，{year}年（0—100）；* 表示得分使用了插值或沿用的数值（详见 indicators.csv）。",
        "timeseries": "各国家对的时间序列",
        "filled_points": "使用了插值或沿用的数值",
        "timeseries_caption": "15个国家对的指数（黑线）与各支柱得分（彩色），{y0}—{y1}年；空心点表示当年指数使用了插值或沿用的数值。",
        "map": "区域地图",
        "map_caption": ("澜湄六国及其周边国家（灰色）、澜沧江—湄公河、洞里萨湖等湖泊、陆地边界、中老铁路及其车站"
                        "（虚线为曼谷—万象联络线）以及铁路口岸。地图数据来自 Natural Earth（公有领域）；"
                        "车站位置来自走廊时刻表（OpenStreetMap，ODbL）。"),
        "map_scores": "国家得分与国家对联系，{year}年",
        "map_scores_caption": ("各国按指数得分着色，15个国家对之间的连线按国家对指数得分加权（线宽与颜色），{year}年。"
                               "连线起点为各国首都，中国为昆明（澜湄门户）。地图数据来自 Natural Earth。"),
        "map_corridor": "铁路走廊沿线省份，{year}年",
        "map_corridor_caption": ("铁路沿线的省份与州市，各以服务该地的车站的平均位置表示，圆面积与指数得分成正比，"
                                 "{year}年。地图数据来自 Natural Earth。"),
        "map_missing": "地图需要 Natural Earth 数据表：请先运行 `lmc data pull natural_earth`，再运行 `lmc build`。",
        "map_layers_note": "国家、河流、湖泊、边界：Natural Earth",
        "map_used_for": "地图（国家、河流、湖泊、陆地边界、城镇、省级参考点）",
        "curated_title": "整理的国家对事实", "curated_licence": "引用来源（事实经转述，数字照录）",
        "accessed_on": "访问于 {date}",
        "lancang": "澜沧江", "mekong": "湄公河", "rail": "中老铁路（虚线：曼谷联络线）",
        "intervals": "排名区间",
        "intervals_caption": "{runs}次替代构建中排名的名义值（红）、中位数（蓝）与5%—95%区间（灰），{year}年。",
        "sobol": "Sobol敏感性分析",
        "sobol_caption": "各构建选择对国家对平均排名变动方差的解释比例（一阶S1，总效应ST），共{runs}次运行。",
        "profiles": "国家概况",
        "profile_partners": "与五个伙伴国的国家对，{year}年",
        "methodology": "方法说明",
        "sources": "数据来源与许可",
        "table_unit": "单位", "table_score": "得分", "table_rank": "排名", "table_pillar": "支柱",
        "table_indicator": "指标", "table_source": "来源", "table_direction": "方向",
        "table_unit_of": "计量单位", "table_coverage": "覆盖范围", "table_status": "状态",
        "table_publisher": "发布机构", "table_licence": "许可", "table_used": "用途",
        "table_observed": "实测比例", "not_available": "本次构建中不可用",
        "excluded": "未纳入汇总（无变化）",
        "index": "指数", "mobility": "人员流动", "institutions": "制度与机制", "culture": "历史与文化",
        "people": "民心相通",
        "interval": "5%—95%区间", "median": "中位数", "nominal": "名义值", "rank": "排名",
        "f_normalise": "标准化", "f_aggregate": "汇总方法", "f_weights": "权重", "f_per_capita": "人均",
        "f_impute": "插补",
        "level_pair": "国家对", "level_country": "国家", "level_province": "省份",
        "explained": "排名最高与最低的国家对得分原因（相对于中位国家对的分值）：",
        "contrib_title": "{name}：拉高与拉低指数的因素，{year}年",
        "contrib_caption": ("各指标相对于中位单位为指数增加（绿）或减少（红）的分值：该指标得分减去中位数得分，"
                            "乘以其在指数中的权重；图中为绝对值最大的十项（全部见 contributions.csv）。"
                            "* 为该国本国层级指标（相对于中位国家），其余为其国家对层级指标。"),
        "pair_profiles": "国家对概况",
        "validity": "已复现的已知事实",
        "validity_summary": "{m}项已知事实中复现了{n}项",
        "validity_caption": ("指数必须复现的、注明日期与出处的陈述，在本次构建上逐项检验（validity.csv）。"
                             "两个年份的得分按可比口径比较，即只使用两年都有的指标；陈述原文为英文。"),
        "validity_failed": "本次构建未能复现（以 --allow-invalid 生成）：",
        "table_statement": "陈述", "table_check": "检验", "table_observed_values": "观测值",
        "table_pass": "成立", "yes": "是", "no": "否",
        "robustness": "国家对排名的稳健性",
        "robustness_caption": ("{year}年各国家对在以下情形下的排名：逐项撤销框架修正、撤销全部修正（修正前的框架）以及"
                               "几何汇总，并列出不确定性分析的5%—95%排名区间。“范围”涵盖名义排名与逐项替代方案；"
                               "“成立”表示这些排名都落在区间之内。"),
        "geometric": "几何汇总", "table_interval": "5%—95%区间", "table_range": "范围", "table_holds": "成立",
    },
}

COUNTRY_NAMES: dict[str, dict[str, str]] = {
    "en": {"CHN": "China", "MMR": "Myanmar", "LAO": "Laos", "THA": "Thailand", "KHM": "Cambodia", "VNM": "Vietnam"},
    "zh": {"CHN": "中国", "MMR": "缅甸", "LAO": "老挝", "THA": "泰国", "KHM": "柬埔寨", "VNM": "越南"},
}

METHOD_TEXT: dict[str, list[str]] = {
    "en": [
        "The index has four pillars - population mobility, institutions and mechanisms, history and culture, "
        "people-to-people bonds - measured at three levels. The 15 country pairs are the core; country scores "
        "blend the mean of a country's five pair scores (two thirds) with its own country-level indicators "
        "(one third); the railway corridor's provinces get the indicators subnational open data supports.",
        "Normalisation uses fixed goalposts declared for each indicator (log scale for counts and flows), so a "
        "score means the same in every year. Pillars are weighted arithmetic means of their indicators and the "
        "index is the equal-weight mean of the pillars; an indicator missing for a unit is left out and the other "
        "weights re-scaled.",
        "Gaps are filled by one policy: only within a regime - before 2020, the year closures began (2020), the "
        "Covid closure, the year a pair or country reopened (per OxCGRT C8), and after it - never across; "
        "linear interpolation between two observations of a regime, the nearest observation carried for at most "
        "two years, otherwise missing. Every cell in indicators.csv keeps its flag (observed, interpolated, "
        "carried_forward, carried_back, missing), the year(s) and the source it came from; coverage.csv gives the "
        "observed share and sources per indicator. In the charts, hollow points and starred cells are scores "
        "that use interpolated or carried values.",
        "Air connectivity has a source break: OpenFlights (2014) before, the Virtual Radar Server route table "
        "(2023-2026) after; both are compared as a pair's share of the region's routes within one version, never "
        "as raw counts, and nothing is interpolated across 2020-2022. Flows per capita are divided by the smaller "
        "partner's population. A year's score uses the indicators present that year; a change between two years is "
        "measured like for like, on the indicators present in both.",
        "Every institution counts once, weighted by depth - (1 + permanent secretariat + dedicated funding + binding "
        "rules) / 4: the cooperation mechanisms both countries belong to (ASEAN and RCEP among them) and the "
        "agreements involving China that bind them (the ASEAN-China FTA and its upgrade, the China-Cambodia FTA, the "
        "2000 Lancang-Mekong navigation agreement, the joint Mekong patrols, China-Thailand visa exemption). "
        "Partner-led Mekong-X frameworks exclude China by design and count 0 for a pair. A disruption measure - the "
        "share of the year travel between two countries was disrupted by Covid controls, border closures, armed "
        "clashes or interstate conflict - lowers mobility in the years the events happened. The robustness table "
        "shows the ranking with each of these corrections undone.",
        "Every build checks dated, sourced facts the index must reproduce (validity.csv) and stops when one fails, "
        "unless it is told to write the outputs anyway - then this report says which failed.",
        "The uncertainty analysis replays the build under alternative normalisation (goalposts, min-max, "
        "percentile rank), aggregation (arithmetic, geometric), random pillar weights, per-capita instead of "
        "absolute flows, and no imputation, on a Sobol design; rank intervals and Sobol indices come from the "
        "same runs.",
        "Where open data cannot support an indicator the index says so rather than inventing it: the indicators "
        "marked 'not supported' below are declared but not computed.",
    ],
    "zh": [
        "指数包含四个支柱——人员流动、制度与机制、历史与文化、民心相通——在三个层级上测算。15个国家对是核心；"
        "国家得分由该国五个国家对得分的平均值（三分之二）与本国国家层级指标（三分之一）组合而成；"
        "铁路沿线省份采用次国家层级开放数据所能支持的指标。",
        "标准化采用为每个指标预先确定的固定阈值（计数与流量取对数），因此同一得分在各年份含义相同。"
        "支柱得分为其指标的加权算术平均，指数为各支柱的等权平均；某单位缺失的指标不参与计算，其余权重重新归一。",
        "缺口按统一规则补齐：只在同一阶段内补齐——2020年以前、封关开始之年（2020年）、新冠封关期、国家或国家对"
        "重新开放之年（依据OxCGRT C8）及其后——绝不跨阶段；同一阶段内两次观测之间线性插值，最近观测值最多沿用两年，"
        "否则保持缺失。indicators.csv 中每个单元格都保留其标记（observed、interpolated、carried_forward、"
        "carried_back、missing）、来源年份与数据来源；coverage.csv 给出各指标的观测比例与来源。图表中空心点与"
        "带星号的单元格表示得分使用了插值或沿用的数值。",
        "航空联通存在数据源断点：2014年为OpenFlights，2023—2026年为Virtual Radar Server航线表；两者都以该国家对在"
        "同一版本中占区域航线的比例来比较，而非原始数量，且不跨越2020—2022年插值。人均流量以较小一方的人口为分母。"
        "某一年的得分使用当年已有的指标；两个年份之间的变化按可比口径衡量，只使用两年都有的指标。",
        "每个制度只计一次，并按深度加权——（1＋常设秘书处＋专项资金＋有约束力的规则）÷4：包括两国共同参加的合作机制"
        "（含东盟与RCEP）以及约束双方的涉华协定（中国—东盟自贸区及其升级版、中柬自贸协定、2000年澜沧江—湄公河商船"
        "通航协定、湄公河联合巡逻、中泰互免签证）。由域外伙伴主导、按设计不含中国的“湄公河—X”框架对国家对计为0。"
        "出行中断指标——两国之间的出行因新冠管控、边境关闭、武装冲突或国家间冲突而中断的天数占全年的比例——在事件"
        "发生的年份降低人员流动得分。稳健性表给出逐项撤销这些修正后的排名。",
        "每次构建都会检验指数必须复现的、注明日期与出处的已知事实（validity.csv），有一项不成立即停止构建；"
        "若指定仍然输出结果，本报告会列出未复现的事实。",
        "不确定性分析基于Sobol设计，在不同的标准化方法（固定阈值、最小—最大、百分位排名）、汇总方法（算术、几何）、"
        "随机支柱权重、人均与绝对流量、以及不插补等选择下重算指数；排名区间与Sobol指数来自同一批运行。",
        "开放数据无法支持的指标，本指数如实说明而不作臆造：下表中标为“not supported”的指标已声明但未计算。"
        "指标说明与来源注释为英文原文。",
    ],
}
