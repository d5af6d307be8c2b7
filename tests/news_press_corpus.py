"""An adversarial press corpus for the news checker, with its answer key (data only).

Written without reading the checker: texts as press offices and agencies of Eastern Europe,
the South Caucasus, Central Asia and the Western Balkans write them, with planted errors.
Every figure to check was read from the full store with `migprofile get`; the values in
comments are for the human reader only — tests/test_news_press_accuracy.py reads the store.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Claim:
    span: str  # the figure as written; occurs in the text (nth occurrence when repeated)
    verdict: str  # consistent | differs | other year | different definition | no data
    indicator: str | None = None  # catalogue id (None for no data)
    geo: str | None = None  # catalogue geo (pair indicators: residence / receiving country)
    partner: str | None = None  # pair indicators: origin / sending country
    year: int | None = None  # the year the text states
    nth: int = 0
    stated: float | None = None  # the text's own value when written in words ("one in five")


@dataclass
class PressItem:
    id: str
    lang: str
    title: str
    text: str
    claims: list[Claim]
    noise: list[str] = field(default_factory=list)
    kinds: set[str] = field(default_factory=set)


C = Claim
OK, DIFF, OY, DEF, ND = "consistent", "differs", "other year", "different definition", "no data"

ITEMS: list[PressItem] = [
    PressItem(
        "tbilisi-jamnews",
        "en",
        "South Caucasus: money from abroad keeps families afloat",
        "TBILISI, 14 March 2024 (JAMnews) — Remittances remain a lifeline across the region: "
        "in 2021 they were worth 14.2% of GDP in Georgia and 11.2% of GDP in Armenia, while "
        "officials in Baku put Azerbaijan's share at 5.8% of GDP in 2021, a figure economists "
        "at the conference on 12 March found hard to square with the balance of payments.\n"
        "Armenia's diaspora is large: some 1.2 million Armenian-born people live abroad, "
        "according to a government adviser, and 527,000 Armenians lived in Russia in 2020, by "
        "UN estimates. Sending money home is cheap: in 2020 it cost 1.9% to send money from "
        "Russia to Armenia, far below the 3% target of the Sustainable Development Goals for "
        "transferring US$200.\n"
        "Azerbaijan hosted 264,000 international migrants in 2020, the State Migration Service "
        "said in a statement of 20 pages.\n"
        "Georgia, for its part, keeps losing people: net migration in 2022 was minus 10,000, "
        "Geostat said, and in 2020 almost one in five people born in Georgia lived abroad.\n"
        '"We need our people back," said Deputy Minister Nino Kapanadze, 46, by phone.',
        [
            C("14.2%", OK, "remittances_received_pct_gdp", "GEO", year=2021),  # 14.19
            C("11.2%", OK, "remittances_received_pct_gdp", "ARM", year=2021),  # 11.23
            C("5.8%", DIFF, "remittances_received_pct_gdp", "AZE", year=2021),  # 2.79
            C("1.2 million", DIFF, "emigrant_stock", "ARM"),  # 958,190 (2020)
            C("527,000", OK, "migrant_stock", "RUS", "ARM", 2020),  # 526,997
            C("1.9%", OK, "remittance_cost_corridor_pct", "ARM", "RUS", 2020),  # 1.888889
            C("264,000", OY, "immigrant_stock", "AZE", year=2020),  # 252,228; 2015: 264,359
            C("minus 10,000", OK, "net_migration", "GEO", year=2022),  # -9,999
            C("almost one in five", OK, "emigrant_pct", "GEO", year=2020, stated=20.0),
            # 18.79 in 2020
        ],
        ["US$200", "3% target", "14 March 2024", "12 March", "20 pages", "46"],
        {
            "wrong_country",
            "wrong_value",
            "wrong_year",
            "corridor",
            "bilateral",
            "sign",
            "precision",
            "noise",
            "words",
        },
    ),
    PressItem(
        "armenpress-remit",
        "en",
        "Transfers to Armenia fell in 2020",
        "YEREVAN, 3 February 2022 — Personal remittances received by Armenia stood at 10.5% of "
        "GDP in 2020, down from 11.2% in 2019, the Central Bank's report (p. 17) shows.",
        [
            C("10.5%", OK, "remittances_received_pct_gdp", "ARM", year=2020),  # 10.497
            C("11.2%", OK, "remittances_received_pct_gdp", "ARM", year=2019),  # 11.219
        ],
        ["3 February 2022", "p. 17"],
        {"precision", "noise"},
    ),
    PressItem(
        "akipress-kgz-share",
        "en",
        "Kyrgyzstan among the most remittance-dependent economies",
        "BISHKEK (AKIpress) — Remittances equalled 32.7% of Kyrgyzstan's GDP in 2021, while in "
        "neighbouring Tajikistan the share reached 33.4% that year, the World Bank's office in "
        "Bishkek said. The Bank has 12 offices in the region.",
        [
            C("32.7%", OK, "remittances_received_pct_gdp", "KGZ", year=2021),  # 32.686
            C("33.4%", OK, "remittances_received_pct_gdp", "TJK", year=2021),  # 33.405
        ],
        ["12 offices"],
        {"precision", "noise"},
    ),
    PressItem(
        "asiaplus-tjk-swap",
        "en",
        "Tajik remittances: the numbers mixed up",
        "DUSHANBE (Asia-Plus) — Tajikistan's remittances were 32.7% of GDP in 2021, the "
        "ministry claimed, and Kyrgyzstan's 33.4%.",
        [
            C("32.7%", DIFF, "remittances_received_pct_gdp", "TJK", year=2021),  # 33.405
            C("33.4%", DIFF, "remittances_received_pct_gdp", "KGZ", year=2021),  # 32.686
        ],
        [],
        {"wrong_country"},
    ),
    PressItem(
        "oc-media-geo-arm-swap",
        "en",
        "Georgia and Armenia: a diaspora comparison",
        "Georgia's remittances were 11.2% of GDP in 2021 and Armenia's 14.2%, OC Media "
        "reported, quoting a think tank founded in 1998.",
        [
            C("11.2%", DIFF, "remittances_received_pct_gdp", "GEO", year=2021),  # 14.19
            C("14.2%", DIFF, "remittances_received_pct_gdp", "ARM", year=2021),  # 11.23
        ],
        ["1998"],
        {"wrong_country", "noise"},
    ),
    PressItem(
        "moldpres-remit-year",
        "en",
        "Moldova: remittances near a third of GDP",
        "CHISINAU (Moldpres) — Remittances reached 31.2% of Moldova's GDP in 2021, the National "
        "Bank said on Tuesday, citing a survey of 1,500 households.",
        [C("31.2%", OY, "remittances_received_pct_gdp", "MDA", year=2021)],  # 15.49; 2008: 31.18
        ["1,500 households"],
        {"wrong_year", "noise"},
    ),
    PressItem(
        "newsmaker-mda-remit",
        "en",
        "Moldovans sent home US$2.12 billion",
        "Moldova received US$2.12 billion in personal remittances in 2021, equal to 15.5% of "
        "GDP, NewsMaker wrote, quoting the central bank's hotline 022 822 606.",
        [
            C("US$2.12 billion", OK, "remittances_received_usd", "MDA", year=2021),  # 2.11933e9
            C("15.5%", OK, "remittances_received_pct_gdp", "MDA", year=2021),  # 15.49
        ],
        ["022 822 606"],
        {"precision", "noise"},
    ),
    PressItem(
        "ukrinform-remit",
        "en",
        "Ukraine: private transfers hit a record",
        "KYIV (Ukrinform) — Ukrainians working abroad sent home US$18.1 billion in 2021, about "
        "9% of GDP, the National Bank of Ukraine said.",
        [
            C("US$18.1 billion", OK, "remittances_received_usd", "UKR", year=2021),  # 1.806e10
            C("about 9%", OK, "remittances_received_pct_gdp", "UKR", year=2021),  # 9.03
        ],
        [],
        {"precision"},
    ),
    PressItem(
        "ukr-remit-wrongyear",
        "en",
        "Remittances to Ukraine",
        "Remittances to Ukraine were 11.2% of GDP in 2021, an analyst told Interfax-Ukraine.",
        [C("11.2%", OY, "remittances_received_pct_gdp", "UKR", year=2021)],  # 9.03; 2018 11.23
        [],
        {"wrong_year"},
    ),
    PressItem(
        "gazeta-uz-remit",
        "en",
        "Uzbekistan: transfers from abroad",
        "TASHKENT (Gazeta.uz) — Uzbekistan received US$9.2 billion in remittances in 2021, or "
        "13.3% of GDP; in 2022 the inflow jumped to US$13.5 billion, the Central Bank said.",
        [
            C("US$9.2 billion", OK, "remittances_received_usd", "UZB", year=2021),  # 9.1975e9
            C("13.3%", OK, "remittances_received_pct_gdp", "UZB", year=2021),  # 13.28
            C("US$13.5 billion", OK, "remittances_received_usd", "UZB", year=2022),  # 1.35e10
        ],
        [],
        {"precision"},
    ),
    PressItem(
        "gazeta-uz-wrong",
        "en",
        "Remittances to Uzbekistan overstated",
        "In 2021 remittances to Uzbekistan amounted to US$12 billion, a deputy said at a "
        "session of the Oliy Majlis attended by 150 deputies.",
        [C("US$12 billion", DIFF, "remittances_received_usd", "UZB", year=2021)],  # 9.20e9
        ["150 deputies"],
        {"wrong_value", "noise"},
    ),
    PressItem(
        "balkan-insight-remit",
        "en",
        "Western Balkans: the diaspora economy",
        "BELGRADE (Balkan Insight) — In 2021 remittances equalled 18% of GDP in Kosovo, 13.5% "
        "in Montenegro and 10.2% in Bosnia and Herzegovina, while Serbia received US$4.6 "
        "billion, or 7.3% of GDP.",
        [
            C("18%", OK, "remittances_received_pct_gdp", "XKX", year=2021),  # 18.01
            C("13.5%", OK, "remittances_received_pct_gdp", "MNE", year=2021),  # 13.52
            C("10.2%", OK, "remittances_received_pct_gdp", "BIH", year=2021),  # 10.16
            C("US$4.6 billion", OK, "remittances_received_usd", "SRB", year=2021),  # 4.5977e9
            C("7.3%", OK, "remittances_received_pct_gdp", "SRB", year=2021),  # 7.29
        ],
        [],
        {"precision"},
    ),
    PressItem(
        "balkan-alb-wrong",
        "en",
        "Albania's remittances",
        "TIRANA — Remittances made up 13.5% of Albania's GDP in 2021, Montenegro's central "
        "bank governor said in a panel with Albanian colleagues; Montenegro's own share was "
        "9.4%.",
        [
            C("13.5%", DIFF, "remittances_received_pct_gdp", "ALB", year=2021),  # 9.41
            C("9.4%", DIFF, "remittances_received_pct_gdp", "MNE", year=2021),  # 13.52
        ],
        [],
        {"wrong_country"},
    ),
    PressItem(
        "mkd-remit",
        "en",
        "North Macedonia: remittances",
        "SKOPJE — Remittances to North Macedonia were 3.5% of GDP in 2021, the MIA agency "
        "reported, against 25% in a 2015 survey of emigrant households.",
        [C("3.5%", OK, "remittances_received_pct_gdp", "MKD", year=2021)],  # 3.54
        ["2015"],
        {"precision", "noise"},
    ),
    PressItem(
        "kosovo-remit-year",
        "en",
        "Kosovo diaspora sends more",
        "PRISTINA — Remittances equalled 18.6% of Kosovo's GDP in 2021, the central bank said.",
        [C("18.6%", OY, "remittances_received_pct_gdp", "XKX", year=2021)],  # 18.01; 2020 18.61
        [],
        {"wrong_year"},
    ),
    PressItem(
        "geo-remit-usd",
        "en",
        "Georgia: record transfers",
        "TBILISI (Interpressnews) — Georgia received US$2.64 billion in remittances in 2021, the "
        "National Bank said; the figure for 2022 was US$4.1 billion.",
        [
            C("US$2.64 billion", OK, "remittances_received_usd", "GEO", year=2021),  # 2.6439e9
            C("US$4.1 billion", OK, "remittances_received_usd", "GEO", year=2022),  # 4.1e9
        ],
        [],
        {"precision"},
    ),
    PressItem(
        "azertac-remit",
        "en",
        "Azerbaijan: remittances modest",
        "BAKU (Trend) — Remittances were equal to 2.8% of Azerbaijan's GDP in 2021, compared "
        "with 3.3% in 2020, according to the World Bank.",
        [
            C("2.8%", OK, "remittances_received_pct_gdp", "AZE", year=2021),  # 2.79
            C("3.3%", OK, "remittances_received_pct_gdp", "AZE", year=2020),  # 3.29
        ],
        [],
        {"precision"},
    ),
    PressItem(
        "apa-remit-wrong",
        "en",
        "Transfers to Azerbaijan",
        "Azerbaijan received US$2.5 billion in personal remittances in 2021, APA reported.",
        [C("US$2.5 billion", DIFF, "remittances_received_usd", "AZE", year=2021)],  # 1.5266e9
        [],
        {"wrong_value"},
    ),
    PressItem(
        "iom-arm-diaspora",
        "en",
        "IOM: Armenia's emigrants",
        "YEREVAN (IOM Armenia) — About 958,000 people born in Armenia lived abroad in 2020, "
        "according to UN DESA, the IOM office said, noting that IOM has 175 member states.",
        [C("958,000", OK, "emigrant_stock", "ARM", year=2020)],  # 958,190
        ["175 member states"],
        {"precision", "noise"},
    ),
    PressItem(
        "kazinform-diaspora",
        "en",
        "Kazakhstan's diaspora",
        "ASTANA (Kazinform) — More than 4.2 million people born in Kazakhstan lived abroad in "
        "2020, 2.56 million of them in Russia, UN figures show.",
        [
            C("More than 4.2 million", OK, "emigrant_stock", "KAZ", year=2020),  # 4,203,899
            C("2.56 million", OK, "migrant_stock", "RUS", "KAZ", 2020),  # 2,558,907
        ],
        [],
        {"precision", "bilateral", "words"},
    ),
    PressItem(
        "eurasianet-uzb-rus",
        "en",
        "Uzbeks in Russia",
        "Some 1.15 million Uzbek-born people lived in Russia in 2020, Eurasianet wrote, while the "
        "total Uzbek diaspora was 2.03 million.",
        [
            C("1.15 million", OK, "migrant_stock", "RUS", "UZB", 2020),  # 1,146,175
            C("2.03 million", OK, "emigrant_stock", "UZB", year=2020),  # 2,027,823
        ],
        [],
        {"bilateral", "precision"},
    ),
    PressItem(
        "rferl-tjk-labour",
        "en",
        "Tajik workers in Russia",
        "DUSHANBE (RFE/RL) — Tajikistan's labour ministry says 500,000 Tajik labour migrants "
        "were working in Russia in 2020, most of them men aged 18 to 35.",
        [C("500,000", DEF, "migrant_stock", "RUS", "TJK", 2020)],  # stock 466,252
        ["18", "35"],
        {"labour", "noise"},
    ),
    PressItem(
        "kgz-labour",
        "en",
        "Kyrgyz labour migrants",
        "BISHKEK — Over 700,000 Kyrgyz citizens are working abroad as labour migrants, the "
        "Ministry of Labour said, against an emigrant stock of 774,377 in 2020 by UN counts.",
        [
            C("Over 700,000", DEF, "emigrant_stock", "KGZ"),
            C("774,377", OK, "emigrant_stock", "KGZ", year=2020),  # 774,377
        ],
        [],
        {"labour", "precision"},
    ),
    PressItem(
        "uzb-labour",
        "en",
        "Uzbekistan's external labour migration",
        "TASHKENT — The Agency for External Labour Migration counts 1.5 million Uzbek labour "
        "migrants abroad; the agency's call centre is +998 71 202 10 10.",
        [C("1.5 million", DEF, "emigrant_stock", "UZB")],
        ["+998 71 202 10 10"],
        {"labour", "noise"},
    ),
    PressItem(
        "ansa-moldovans-italy",
        "en",
        "Moldovans in Italy",
        "ROME — About 200,000 Moldovans lived in Italy in 2020, and 285,000 in Romania, the "
        "Moldovan embassy said; Italy remains their first destination in the EU.",
        [
            C("About 200,000", OK, "migrant_stock", "ITA", "MDA", 2020),  # 194,480
            C("285,000", OK, "migrant_stock", "ROU", "MDA", 2020),  # 285,364
        ],
        [],
        {"bilateral", "precision"},
    ),
    PressItem(
        "mda-italy-wrong",
        "en",
        "Moldovan community in Italy overstated",
        "A Chisinau daily wrote that 350,000 Moldovans lived in Italy in 2020.",
        [C("350,000", DIFF, "migrant_stock", "ITA", "MDA", 2020)],  # 194,480
        [],
        {"bilateral", "wrong_value"},
    ),
    PressItem(
        "alb-italy-greece",
        "en",
        "Albanians in Italy and Greece",
        "TIRANA — In 2020 about 486,000 Albanians lived in Italy and 447,000 in Greece, the "
        "Institute of Statistics said at a press conference in room 3.",
        [
            C("486,000", OK, "migrant_stock", "ITA", "ALB", 2020),  # 486,187
            C("447,000", OK, "migrant_stock", "GRC", "ALB", 2020),  # 446,614
        ],
        ["room 3"],
        {"bilateral", "precision", "noise"},
    ),
    PressItem(
        "alb-swap",
        "en",
        "Albanian emigration: mixed up",
        "In 2020, 447,000 Albanians lived in Italy and 486,000 in Greece, a TV channel claimed.",
        [
            C("447,000", DIFF, "migrant_stock", "ITA", "ALB", 2020),  # 486,187
            C("486,000", DIFF, "migrant_stock", "GRC", "ALB", 2020),  # 446,614
        ],
        [],
        {"bilateral", "wrong_country"},
    ),
    PressItem(
        "ukr-poland",
        "en",
        "Ukrainians in Poland",
        "WARSAW — Ukrainian-born residents of Poland numbered 272,600 in 2020, up from "
        "204,000 in 2015, UN estimates show.",
        [
            C("272,600", OK, "migrant_stock", "POL", "UKR", 2020),  # 272,594
            C("204,000", OK, "migrant_stock", "POL", "UKR", 2015),  # 204,061
        ],
        [],
        {"bilateral", "precision"},
    ),
    PressItem(
        "ukr-poland-year",
        "en",
        "Ukrainians in Poland before the war",
        "In 2020 some 321,000 Ukrainians lived in Poland, a Polish minister said.",
        [C("321,000", OY, "migrant_stock", "POL", "UKR", 2020)],  # 272,594; 2000 321,013
        [],
        {"bilateral", "wrong_year"},
    ),
    PressItem(
        "bih-germany",
        "en",
        "Bosnians in Germany and Austria",
        "SARAJEVO — About 222,000 people born in Bosnia and Herzegovina lived in Germany in "
        "2020 and 169,000 in Austria, the Ministry of Human Rights and Refugees said.",
        [
            C("222,000", OK, "migrant_stock", "DEU", "BIH", 2020),  # 221,720
            C("169,000", OK, "migrant_stock", "AUT", "BIH", 2020),  # 168,798
        ],
        [],
        {"bilateral", "precision"},
    ),
    PressItem(
        "srb-austria-year",
        "en",
        "Serbs in Austria",
        "VIENNA — 160,000 Serbian-born people lived in Austria in 2020, a diaspora association "
        "said on its 20th anniversary.",
        [C("160,000", OY, "migrant_stock", "AUT", "SRB", 2020)],  # 177,609; 2015 160,038
        ["20th"],
        {"bilateral", "wrong_year", "noise"},
    ),
    PressItem(
        "geo-greece-russia",
        "en",
        "Georgians abroad",
        "TBILISI — In 2020 some 450,000 Georgians lived in Russia and 85,000 in Greece, UN "
        "DESA estimates show.",
        [
            C("450,000", OK, "migrant_stock", "RUS", "GEO", 2020),  # 449,973
            C("85,000", OK, "migrant_stock", "GRC", "GEO", 2020),  # 85,065
        ],
        [],
        {"bilateral", "precision"},
    ),
    PressItem(
        "wb-corridor-tjk",
        "en",
        "Sending money to Central Asia is cheap",
        "The World Bank's Remittance Prices Worldwide shows that in 2020 sending money from "
        "Russia to Tajikistan cost 1.8% of the amount, and from Russia to Kyrgyzstan 1.4%, "
        "against the 3% SDG target for a transfer of US$200.",
        [
            C("1.8%", OK, "remittance_cost_corridor_pct", "TJK", "RUS", 2020),  # 1.7778
            C("1.4%", OK, "remittance_cost_corridor_pct", "KGZ", "RUS", 2020),  # 1.4403
        ],
        ["3%", "US$200"],
        {"corridor", "noise", "precision"},
    ),
    PressItem(
        "corridor-swap",
        "en",
        "Corridor costs",
        "In 2020 transfers from Russia to Kyrgyzstan cost 1.78%, and from Russia to Tajikistan "
        "1.44%, a fintech founder told a forum with 300 participants.",
        [
            C("1.78%", DIFF, "remittance_cost_corridor_pct", "KGZ", "RUS", 2020),  # 1.44
            C("1.44%", DIFF, "remittance_cost_corridor_pct", "TJK", "RUS", 2020),  # 1.78
        ],
        ["300 participants"],
        {"corridor", "wrong_country", "noise"},
    ),
    PressItem(
        "corridor-italy",
        "en",
        "Italy corridors",
        "ROME — Sending US$200 from Italy to Moldova cost 4.9% in 2020, and from Italy to "
        "Albania 6.9%, the World Bank said.",
        [
            C("4.9%", OK, "remittance_cost_corridor_pct", "MDA", "ITA", 2020),  # 4.877
            C("6.9%", OK, "remittance_cost_corridor_pct", "ALB", "ITA", 2020),  # 6.934
        ],
        ["US$200"],
        {"corridor", "noise", "precision"},
    ),
    PressItem(
        "corridor-germany",
        "en",
        "Germany to the Balkans",
        "BERLIN — In 2020 sending money from Germany to Serbia cost 9.6%, a consumer group said.",
        [C("9.6%", OY, "remittance_cost_corridor_pct", "SRB", "DEU", 2020)],  # 7.56; 2012 9.641
        [],
        {"corridor", "wrong_year"},
    ),
    PressItem(
        "corridor-bih-wrong",
        "en",
        "Germany to Bosnia",
        "Transfers from Germany to Bosnia and Herzegovina cost 3.1% in 2020, the bank claimed.",
        [C("3.1%", DIFF, "remittance_cost_corridor_pct", "BIH", "DEU", 2020)],  # 7.42
        [],
        {"corridor", "wrong_value"},
    ),
    PressItem(
        "cost-to-country",
        "en",
        "Cost of sending money to Tajikistan",
        "The average cost of sending US$200 to Tajikistan was 7.2% in 2020, against 4.5% for "
        "Kyrgyzstan, the World Bank said, well above the 3% target.",
        [
            C("7.2%", OK, "remittance_cost_to_pct", "TJK", year=2020),  # 7.209
            C("4.5%", OK, "remittance_cost_to_pct", "KGZ", year=2020),  # 4.51
        ],
        ["US$200", "3% target"],
        {"noise", "precision"},
    ),
    PressItem(
        "wb-bilat-kgz",
        "en",
        "Remittances from Russia to Kyrgyzstan",
        "BISHKEK — Remittances from Russia to Kyrgyzstan were US$1.9 billion in 2017, and "
        "from Russia to Tajikistan US$1.69 billion, the World Bank's bilateral matrix shows.",
        [
            C("US$1.9 billion", OK, "remittances_bilateral_usd", "KGZ", "RUS", 2017),  # 1.904e9
            C("US$1.69 billion", OK, "remittances_bilateral_usd", "TJK", "RUS", 2017),
            # 1.6866e9
        ],
        [],
        {"bilateral", "precision"},
    ),
    PressItem(
        "bilat-uzb-wrong",
        "en",
        "Uzbek transfers from Russia",
        "Remittances from Russia to Uzbekistan totalled US$4.5 billion in 2017, a Moscow "
        "consultancy said.",
        [C("US$4.5 billion", DIFF, "remittances_bilateral_usd", "UZB", "RUS", 2017)],  # 2.84e9
        [],
        {"bilateral", "wrong_value"},
    ),
    PressItem(
        "bilat-italy-alb",
        "en",
        "From Italy to Albania",
        "Remittances from Italy to Albania amounted to about US$500 million in 2017, and from "
        "Germany to Serbia to US$617 million.",
        [
            C("about US$500 million", OK, "remittances_bilateral_usd", "ALB", "ITA", 2017),
            C("US$617 million", OK, "remittances_bilateral_usd", "SRB", "DEU", 2017),
        ],
        [],
        {"bilateral", "precision"},
    ),
    PressItem(
        "netmig-arm",
        "en",
        "Armenia: net emigration slows",
        "Armenia's net migration was minus 12,825 in 2021, Armstat said; in Moldova it was "
        "minus 14,278.",
        [
            C("minus 12,825", OK, "net_migration", "ARM", year=2021),
            C("minus 14,278", OK, "net_migration", "MDA", year=2021),
        ],
        [],
        {"sign", "precision"},
    ),
    PressItem(
        "netmig-sign-wrong",
        "en",
        "Kyrgyzstan gains people?",
        "Kyrgyzstan recorded a net migration gain of 16,510 people in 2021, a deputy claimed.",
        [C("16,510", DIFF, "net_migration", "KGZ", year=2021)],  # -16,510
        [],
        {"sign"},
    ),
    PressItem(
        "netmig-kaz-year",
        "en",
        "Kazakhstan's migration outflow",
        "Net migration in Kazakhstan was minus 37,000 in 2021, Kazinform wrote.",
        [C("minus 37,000", OY, "net_migration", "KAZ", year=2021)],  # -18,917; 2019 -37,080
        [],
        {"sign", "wrong_year"},
    ),
    PressItem(
        "netmig-rus",
        "en",
        "Russia's migration gain",
        "MOSCOW (TASS) — Russia's net migration was about 321,000 people in 2021, while Belarus "
        "gained 12,961.",
        [
            C("about 321,000", OK, "net_migration", "RUS", year=2021),  # 320,617
            C("12,961", OK, "net_migration", "BLR", year=2021),
        ],
        [],
        {"precision"},
    ),
    PressItem(
        "refugees-mda",
        "en",
        "UNHCR: refugees in Moldova",
        "CHISINAU (UNHCR) — Moldova hosted 135,941 refugees at the end of 2024, the agency "
        "said, 90% of them women and children, and Resolution 2254 was cited in the debate.",
        [C("135,941", OK, "refugees_hosted", "MDA", year=2024)],
        ["90%", "2254"],
        {"noise", "precision"},
    ),
    PressItem(
        "refugees-arm",
        "en",
        "Armenia hosts refugees",
        "YEREVAN — Armenia hosted about 150,000 refugees in 2023, UNHCR said, most of them from "
        "Nagorno-Karabakh; Azerbaijan counted 158,098 refugees by origin that year.",
        [
            C("about 150,000", OK, "refugees_hosted", "ARM", year=2023),  # 150,080
            C("158,098", OK, "refugees_by_origin", "AZE", year=2023),
        ],
        [],
        {"precision"},
    ),
    PressItem(
        "refugees-geo-wrong",
        "en",
        "Refugees in Georgia",
        "TBILISI — Georgia hosted 131,000 refugees in 2024, a local NGO said.",
        [C("131,000", DIFF, "refugees_hosted", "GEO", year=2024)],  # 31,027
        [],
        {"wrong_value"},
    ),
    PressItem(
        "refugees-ukr",
        "en",
        "Ukrainian refugees",
        "GENEVA — Almost 6 million refugees from Ukraine were recorded worldwide in 2023, "
        "UNHCR said at a briefing that lasted 45 minutes.",
        [C("Almost 6 million", OK, "refugees_by_origin", "UKR", year=2023)],  # 5,960,362
        ["45 minutes"],
        {"words", "precision", "noise"},
    ),
    PressItem(
        "idps-aze-geo",
        "en",
        "Displaced in the Caucasus",
        "Azerbaijan had 659,000 people internally displaced by conflict at the end of 2022, and "
        "Georgia 308,000, the IDMC said.",
        [
            C("659,000", OK, "idps_conflict_stock", "AZE", year=2022),
            C("308,000", OK, "idps_conflict_stock", "GEO", year=2022),
        ],
        [],
        {"precision"},
    ),
    PressItem(
        "idps-swap",
        "en",
        "IDPs compared",
        "At the end of 2022 Georgia had 659,000 conflict IDPs, and Azerbaijan 308,000, an "
        "opposition MP said.",
        [
            C("659,000", DIFF, "idps_conflict_stock", "GEO", year=2022),
            C("308,000", DIFF, "idps_conflict_stock", "AZE", year=2022),
        ],
        [],
        {"wrong_country"},
    ),
    PressItem(
        "disaster-uzb",
        "en",
        "Sardoba dam",
        "TASHKENT — The collapse of the Sardoba dam and other disasters caused 70,000 internal "
        "displacements in Uzbekistan in 2020, IDMC said.",
        [C("70,000", OK, "new_displacements_disaster", "UZB", year=2020)],
        [],
        {"precision"},
    ),
    PressItem(
        "emigrant-share-bih",
        "en",
        "A third of Bosnians abroad",
        "SARAJEVO — More than a third of people born in Bosnia and Herzegovina lived abroad in "
        "2020, and almost a third of those born in Albania, a regional study said.",
        [
            C("More than a third", OK, "emigrant_pct", "BIH", year=2020, stated=33.3),  # 33.84
            C("almost a third", OK, "emigrant_pct", "ALB", year=2020, stated=33.3),  # 30.59
        ],
        [],
        {"words"},
    ),
    PressItem(
        "poll-noise",
        "en",
        "Poll: young Georgians want to leave",
        "TBILISI — 42% of Georgians aged 18-29 would like to emigrate, a poll of 1,200 people "
        "found; the margin of error is 2.8%. The poll found 3,450 households had a member "
        "working abroad.",
        [C("3,450 households", ND)],
        ["42%", "18-29", "1,200 people", "2.8%"],
        {"noise"},
    ),
    PressItem(
        "nodata-work-permits",
        "en",
        "Work permits in Montenegro",
        "PODGORICA — The Ministry of Interior issued 28,731 work permits to foreigners in 2023, "
        "most of them to citizens of Serbia and Türkiye.",
        [C("28,731", ND)],
        ["2023"],
        {"noise"},
    ),
    PressItem(
        "covid-noise",
        "en",
        "COVID-19 and migration",
        "During COVID-19 some 5,000 Kyrgyz migrants were stranded at the border on 12 May 2020, "
        "the consulate said; Kyrgyzstan's population reached 7.1 million in 2023.",
        [
            C("5,000", ND),
            C("7.1 million", OK, "population", "KGZ", year=2023),  # 7,100,800
        ],
        ["COVID-19", "12 May 2020"],
        {"noise", "precision"},
    ),
    PressItem(
        "poverty-geo",
        "en",
        "Poverty in Georgia",
        "Georgia's poverty rate at the international line fell to 5.8% in 2023, the World Bank "
        "said; Azerbaijan's remittances were also 2.8% of GDP in 2021.",
        [
            C("5.8%", OK, "poverty_headcount_pct", "GEO", year=2023),
            C("2.8%", OK, "remittances_received_pct_gdp", "AZE", year=2021),
        ],
        [],
        {"precision"},
    ),
    PressItem(
        "mda-population",
        "en",
        "Moldova shrinking",
        "Moldova's population fell to about 2.5 million in 2023; 1,159,443 Moldovan-born people "
        "lived abroad in 2020, and almost one in three Moldovans was abroad that year.",
        [
            C("about 2.5 million", OK, "population", "MDA", year=2023),  # 2,486,891
            C("1,159,443", OK, "emigrant_stock", "MDA", year=2020),
            C("almost one in three", OK, "emigrant_pct", "MDA", year=2020, stated=33.3),  # 30.56
        ],
        [],
        {"words", "precision"},
    ),
    PressItem(
        "ukr-diaspora-year",
        "en",
        "Ukraine's diaspora",
        "KYIV — Some 5.8 million Ukrainian-born people lived abroad in 2020, a think tank said.",
        [C("5.8 million", OY, "emigrant_stock", "UKR", year=2020)],  # 6,139,144; 2015 5,797,550
        [],
        {"wrong_year"},
    ),
    PressItem(
        "srb-diaspora",
        "en",
        "Serbia's emigrants",
        "BELGRADE — 1,003,962 people born in Serbia lived abroad in 2020, and Serbia hosted "
        "823,011 immigrants.",
        [
            C("1,003,962", OK, "emigrant_stock", "SRB", year=2020),
            C("823,011", OK, "immigrant_stock", "SRB", year=2020),
        ],
        [],
        {"precision"},
    ),
    PressItem(
        "rus-immigrants-year",
        "en",
        "Migrants in Russia",
        "MOSCOW (Interfax) — Russia hosted 11.2 million international migrants in 2020, the "
        "Interior Ministry's department said.",
        [C("11.2 million", OY, "immigrant_stock", "RUS", year=2020)],  # 11,636,910; 2010 11,194,710
        [],
        {"wrong_year"},
    ),
    PressItem(
        "kaz-immigrants",
        "en",
        "Kazakhstan: almost four million migrants",
        "ASTANA — Almost 3.8 million international migrants lived in Kazakhstan in 2020, and "
        "Uzbekistan hosted 1.16 million.",
        [
            C("Almost 3.8 million", OK, "immigrant_stock", "KAZ", year=2020),  # 3,732,073
            C("1.16 million", OK, "immigrant_stock", "UZB", year=2020),  # 1,162,007
        ],
        [],
        {"words", "precision"},
    ),
]

ITEMS += [
    PressItem(
        "ria-arm-rus",
        "ru",
        "Армяне в России",
        "ЕРЕВАН, 5 апреля 2023 — Sputnik Армения. В 2020 году в России проживали около 527 тыс. "
        "уроженцев Армении, а всего за рубежом — 958 190 человек, сообщает ООН.",
        [
            C("527 тыс.", OK, "migrant_stock", "RUS", "ARM", 2020),  # 526,997
            C("958 190", OK, "emigrant_stock", "ARM", year=2020),
        ],
        ["5 апреля 2023"],
        {"bilateral", "precision", "noise"},
    ),
    PressItem(
        "tass-kaz-rus",
        "ru",
        "Казахстанцы в России",
        "МОСКВА, ТАСС. Более 2,5 млн уроженцев Казахстана проживали в России в 2020 году, "
        "а уроженцев Узбекистана — 1,15 млн",
        [
            C("Более 2,5 млн", OK, "migrant_stock", "RUS", "KAZ", 2020),  # 2,558,907
            C("1,15 млн", OK, "migrant_stock", "RUS", "UZB", 2020),  # 1,146,175
        ],
        [],
        {"bilateral", "words", "precision"},
    ),
    PressItem(
        "interfax-tjk-swap",
        "ru",
        "Таджики и киргизы в России",
        "В 2020 году в России жили 591 тыс. уроженцев Таджикистана и 466 тыс. уроженцев "
        "Киргизии, пишет «Интерфакс».",
        [
            C("591 тыс.", DIFF, "migrant_stock", "RUS", "TJK", 2020),  # 466,252
            C("466 тыс.", DIFF, "migrant_stock", "RUS", "KGZ", 2020),  # 591,025
        ],
        [],
        {"bilateral", "wrong_country"},
    ),
    PressItem(
        "asiaplus-labour-ru",
        "ru",
        "Трудовые мигранты из Таджикистана",
        "ДУШАНБЕ, «Азия-Плюс». По данным Минтруда, в 2020 году в России работали полмиллиона "
        "трудовых мигрантов из Таджикистана в возрасте от 18 до 40 лет.",
        [C("полмиллиона", DEF, "migrant_stock", "RUS", "TJK", 2020, stated=500000.0)],
        ["18", "40"],
        {"labour", "words", "noise"},
    ),
    PressItem(
        "akipress-remit-ru",
        "ru",
        "Денежные переводы в Киргизию",
        "БИШКЕК, АКИpress. Денежные переводы составили 32,7% ВВП Киргизии в 2021 году, "
        "а их объём достиг 2,79 млрд долларов.",
        [
            C("32,7%", OK, "remittances_received_pct_gdp", "KGZ", year=2021),  # 32.686
            C("2,79 млрд долларов", OK, "remittances_received_usd", "KGZ", year=2021),
            # 2.7925e9
        ],
        [],
        {"precision"},
    ),
    PressItem(
        "tjk-remit-ru-year",
        "ru",
        "Переводы в Таджикистан",
        "ДУШАНБЕ. В 2021 году переводы мигрантов составили 26,9% ВВП Таджикистана, заявил "
        "эксперт на пресс-конференции, где присутствовали 30 журналистов.",
        [C("26,9%", OY, "remittances_received_pct_gdp", "TJK", year=2021)],  # 33.41; 2020 26.88
        ["30 журналистов"],
        {"wrong_year", "noise"},
    ),
    PressItem(
        "tjk-remit-ru-usd",
        "ru",
        "Таджикистан получил почти 3 млрд",
        "В 2021 году Таджикистан получил почти 3 млрд долларов переводов, при этом на перевод "
        "200 долларов из России уходило в среднем 1,8% суммы в 2020 году.",
        [
            C("почти 3 млрд долларов", OK, "remittances_received_usd", "TJK", year=2021),
            # 2.9217e9
            C("1,8%", OK, "remittance_cost_corridor_pct", "TJK", "RUS", 2020),  # 1.778
        ],
        ["200 долларов"],
        {"words", "corridor", "noise"},
    ),
    PressItem(
        "uzb-corridor-ru",
        "ru",
        "Стоимость переводов в Узбекистан",
        "ТАШКЕНТ, Gazeta.uz. Отправить деньги из России в Узбекистан в 2020 году стоило 1,75%, "
        "а переводы из России в Узбекистан в 2017 году составили 2,84 млрд долларов.",
        [
            C("1,75%", OK, "remittance_cost_corridor_pct", "UZB", "RUS", 2020),  # 1.75
            C("2,84 млрд долларов", OK, "remittances_bilateral_usd", "UZB", "RUS", 2017),
            # 2.8387e9
        ],
        [],
        {"corridor", "bilateral", "precision"},
    ),
    PressItem(
        "geo-corridor-ru-year",
        "ru",
        "Переводы из России в Грузию",
        "ТБИЛИСИ. В 2020 году перевод денег из России в Грузию обходился в 2,5% суммы, "
        "сообщил банк.",
        [C("2,5%", OY, "remittance_cost_corridor_pct", "GEO", "RUS", 2020)],  # 1.09; 2011 2.5275
        [],
        {"corridor", "wrong_year"},
    ),
    PressItem(
        "arm-corridor-ru-wrong",
        "ru",
        "Дорогие переводы в Армению",
        "ЕРЕВАН, «Новости-Армения». Отправка денег из России в Армению в 2020 году стоила 4,2%, "
        "заявил депутат.",
        [C("4,2%", DIFF, "remittance_cost_corridor_pct", "ARM", "RUS", 2020)],  # 1.889
        [],
        {"corridor", "wrong_value"},
    ),
    PressItem(
        "mda-netmig-ru",
        "ru",
        "Сальдо миграции Молдовы",
        "КИШИНЕВ, NewsMaker. Сальдо миграции в Молдове в 2021 году составило минус 14,3 тыс. "
        "человек, в Армении — минус 12,8 тыс.",
        [
            C("минус 14,3 тыс.", OK, "net_migration", "MDA", year=2021),  # -14,278
            C("минус 12,8 тыс.", OK, "net_migration", "ARM", year=2021),  # -12,825
        ],
        [],
        {"sign", "precision"},
    ),
    PressItem(
        "uzb-netmig-ru",
        "ru",
        "Миграционный прирост в Узбекистане?",
        "Сальдо миграции в Узбекистане в 2021 году было положительным и составило 39 тыс. "
        "человек, утверждает блогер.",
        [C("39 тыс.", DIFF, "net_migration", "UZB", year=2021)],  # -39,201
        [],
        {"sign"},
    ),
    PressItem(
        "geo-netmig-ru",
        "ru",
        "Грузия теряет население",
        "ТБИЛИСИ, Sputnik Грузия. Сальдо миграции в Грузии в 2022 году — минус 10 тыс. человек, "
        "а население страны в 2023 году составило около 3,76 млн.",
        [
            C("минус 10 тыс.", OK, "net_migration", "GEO", year=2022),  # -9,999
            C("около 3,76 млн", OK, "population", "GEO", year=2023),  # 3,760,365
        ],
        [],
        {"sign", "precision"},
    ),
    PressItem(
        "kaz-diaspora-ru-year",
        "ru",
        "Казахстанская диаспора",
        "АСТАНА, Kazinform. В 2020 году за рубежом проживали 3,89 млн уроженцев Казахстана.",
        [C("3,89 млн", OY, "emigrant_stock", "KAZ", year=2020)],  # 4,203,899; 2015 3,885,576
        [],
        {"wrong_year"},
    ),
    PressItem(
        "aze-diaspora-ru",
        "ru",
        "Азербайджанцы за рубежом",
        "БАКУ, Trend. В 2020 году за пределами страны жили 1,16 млн уроженцев Азербайджана, "
        "из них 767 тыс. — в России.",
        [
            C("1,16 млн", OK, "emigrant_stock", "AZE", year=2020),  # 1,163,922
            C("767 тыс.", OK, "migrant_stock", "RUS", "AZE", 2020),  # 766,918
        ],
        [],
        {"bilateral", "precision"},
    ),
    PressItem(
        "aze-diaspora-ru-wrong",
        "ru",
        "Полтора миллиона азербайджанцев",
        "БАКУ, APA. В 2020 году за рубежом проживали полтора миллиона уроженцев Азербайджана, "
        "заявил глава диаспорской организации.",
        [C("полтора миллиона", OY, "emigrant_stock", "AZE", year=2020, stated=1500000.0)],
        # 1,163,922 in 2020; 2000: 1,630,589
        [],
        {"words", "wrong_year"},
    ),
    PressItem(
        "blr-emig-ru",
        "ru",
        "Эмиграция из Беларуси",
        "МИНСК. В 2020 году за рубежом жили 1,5 млн уроженцев Беларуси, пишет издание.",
        [C("1,5 млн", OK, "emigrant_stock", "BLR", year=2020)],  # 1,483,626
        [],
        {"precision"},
    ),
    PressItem(
        "ukr-refugees-ru",
        "ru",
        "Беженцы в России",
        "МОСКВА, РИА Новости. В 2022 году Россия приняла 1,28 млн беженцев, а Молдова — "
        "105 374; об этом говорилось на заседании 17-го созыва.",
        [
            C("1,28 млн", OK, "refugees_hosted", "RUS", year=2022),  # 1,277,672
            C("105 374", OK, "refugees_hosted", "MDA", year=2022),
        ],
        ["17-го"],
        {"precision", "noise"},
    ),
    PressItem(
        "mda-refugees-ru-wrong",
        "ru",
        "Беженцы в Молдове",
        "КИШИНЕВ. В 2022 году в Молдове находились 450 тыс. беженцев, сообщил чиновник.",
        [C("450 тыс.", DIFF, "refugees_hosted", "MDA", year=2022)],  # 105,374
        [],
        {"wrong_value"},
    ),
    PressItem(
        "ru-poll-noise",
        "ru",
        "Опрос: уехать хотят многие",
        "По данным опроса, 37% жителей Киргизии в возрасте 18–35 лет хотели бы уехать; "
        "опрошены 1000 человек, погрешность 3,1%. Горячая линия: 1212. В 2023 году миграционная "
        "служба выдала 12 345 патентов.",
        [C("12 345", ND)],
        ["37%", "1000 человек", "3,1%", "1212"],
        {"noise"},
    ),
    PressItem(
        "ru-idps-ukr",
        "ru",
        "Внутренне перемещённые лица в Украине",
        "КИЕВ, Укринформ. На конец 2022 года в Украине насчитывалось 5,9 млн внутренне "
        "перемещённых лиц вследствие конфликта, сообщает IDMC.",
        [C("5,9 млн", OK, "idps_conflict_stock", "UKR", year=2022)],  # 5,914,000
        [],
        {"precision"},
    ),
    PressItem(
        "ru-remit-geo-arm",
        "ru",
        "Переводы в Грузию и Армению",
        "Переводы составили 14,2% ВВП Грузии и 11,2% ВВП Армении в 2021 году, тогда как "
        "Азербайджан получил 5,8% ВВП, сообщает JAMnews.",
        [
            C("14,2%", OK, "remittances_received_pct_gdp", "GEO", year=2021),
            C("11,2%", OK, "remittances_received_pct_gdp", "ARM", year=2021),
            C("5,8%", DIFF, "remittances_received_pct_gdp", "AZE", year=2021),  # 2.79
        ],
        [],
        {"wrong_value", "precision"},
    ),
    PressItem(
        "ru-kgz-immig",
        "ru",
        "Иммигранты в Киргизии",
        "БИШКЕК. В 2020 году в Киргизии проживали 199 тыс. международных мигрантов, а в "
        "Таджикистане — 276 тыс.",
        [
            C("199 тыс.", OK, "immigrant_stock", "KGZ", year=2020),  # 199,011
            C("276 тыс.", OK, "immigrant_stock", "TJK", year=2020),  # 276,031
        ],
        [],
        {"precision"},
    ),
]
