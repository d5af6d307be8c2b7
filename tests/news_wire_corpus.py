"""An adversarial wire corpus for the news checker, with its answer key (data only).

Written from the store's values (`migprofile get`, full corpus) WITHOUT reading the checker's
code: press texts as agencies and press offices of Eastern Europe, the South Caucasus, Central
Asia and the Western Balkans write them. Values of the data appear only in comments; the
harness (tests/test_news_wire_accuracy.py) reads the store itself."""

from __future__ import annotations

from dataclasses import dataclass, field

VERDICTS = {"consistent", "differs", "other year", "different definition", "no data"}
KINDS = {
    "wrong_country",
    "wrong_year",
    "wrong_value",
    "bilateral",
    "corridor",
    "sign",
    "precision",
    "labour",
    "noise",
    "words",
    "no_data",
}


@dataclass
class Claim:
    span: str  # the figure exactly as in the text; nth if it occurs more than once
    verdict: str  # consistent | differs | other year | different definition | no data
    indicator: str | None = None
    geo: str | None = None  # ISO3; for pair indicators the residence / receiving country
    partner: str | None = None  # pair indicators: origin / sending country
    year: int | None = None
    nth: int = 0


@dataclass
class WireItem:
    id: str
    lang: str
    title: str
    text: str
    claims: list[Claim]
    noise: list[str] = field(default_factory=list)  # number spans that are NOT claims
    kinds: set[str] = field(default_factory=set)


C = Claim
ITEMS: list[WireItem] = [
    WireItem(
        "en01",
        "en",
        "Armenia's diaspora shrinks as emigration slows, UN figures show",
        "YEREVAN, March 14 (JAMnews) - The number of people born in Armenia and living abroad "
        "fell to 637,604 in mid-2024, according to the latest UN DESA estimates, down from "
        "685,545 in 2020, deputy minister Ani Hovhannisyan, 47, told a briefing at the "
        "ministry's 12 regional offices by video link.",
        # data: emigrant_stock ARM 2024 637,604; 2020 685,545
        [
            C("637,604", "consistent", "emigrant_stock", "ARM", None, 2024),
            C("685,545", "consistent", "emigrant_stock", "ARM", None, 2020),
        ],
        noise=["47", "12"],
        kinds={"noise", "precision"},
    ),
    WireItem(
        "en02",
        "en",
        "Remittances to Central Asia hit records in 2021 - World Bank",
        "ALMATY, June 2 (Eurasianet) - Tajikistan received $2.92 billion in personal "
        "remittances in 2021, while Kyrgyzstan received $2.79 billion and Uzbekistan "
        "$9.2 billion, the World Bank said on Thursday, noting that the region remains far "
        "from the 3% SDG target for the cost of sending US$200.",
        # data: remittances_received_usd 2021 TJK 2.92171e9, KGZ 2.7925e9, UZB 9.19753e9
        [
            C("$2.92 billion", "consistent", "remittances_received_usd", "TJK", None, 2021),
            C("$2.79 billion", "consistent", "remittances_received_usd", "KGZ", None, 2021),
            C("$9.2 billion", "consistent", "remittances_received_usd", "UZB", None, 2021),
        ],
        noise=["3%", "US$200"],
        kinds={"noise", "precision"},
    ),
    WireItem(
        "en03",
        "en",
        "Kyrgyz remittances equal a third of GDP",
        "BISHKEK (AKIpress) - Remittances from migrant workers were equivalent to 32.7% of "
        "Kyrgyzstan's GDP in 2021, compared with 33.4% in Tajikistan, the National Bank said, "
        "adding that Kazakhstan, where the share was 11.2%, remained a minor recipient.",
        # data: remittances_received_pct_gdp 2021 KGZ 32.6859, TJK 33.4052, KAZ 0.157213
        [
            C("32.7%", "consistent", "remittances_received_pct_gdp", "KGZ", None, 2021),
            C("33.4%", "consistent", "remittances_received_pct_gdp", "TJK", None, 2021),
            C("11.2%", "differs", "remittances_received_pct_gdp", "KAZ", None, 2021),
        ],
        kinds={"wrong_value"},
    ),
    WireItem(
        "en04",
        "en",
        "Moldova: more Moldovans abroad than ever",
        "CHISINAU, 21 February (Moldpres) - In 2024, 812,653 Moldovans lived abroad, the "
        "Bureau for Diaspora Relations said in a report of 96 pages, citing UN estimates; "
        "the figure is expected to keep rising.",
        # data: emigrant_stock MDA 2024 864,257; 2020 812,653 -> other year
        [C("812,653", "other year", "emigrant_stock", "MDA", None, 2024)],
        noise=["96"],
        kinds={"wrong_year", "noise"},
    ),
    WireItem(
        "en05",
        "en",
        "Tajiks remain Russia's third-largest migrant group",
        "DUSHANBE (Asia-Plus) - Some 415,676 people born in Tajikistan were living in Russia "
        "in 2024, according to UN DESA, while the number of Kyrgyz-born residents of Russia "
        "stood at 333,664.",
        # data: migrant_stock RUS<-TJK 2024 415,676; RUS<-KGZ 2024 333,664
        [
            C("415,676", "consistent", "migrant_stock", "RUS", "TJK", 2024),
            C("333,664", "consistent", "migrant_stock", "RUS", "KGZ", 2024),
        ],
        kinds={"bilateral"},
    ),
    WireItem(
        "en06",
        "en",
        "Sending money home from Russia is cheap, but not for everyone",
        "YEREVAN, 9 October (Sputnik Armenia) - Sending money from Russia to Armenia cost 1.9% "
        "of the amount on average in 2020, according to the World Bank's Remittance Prices "
        "Worldwide, against 6.9% for transfers from Italy to Albania.",
        # data: remittance_cost_corridor_pct ARM<-RUS 2020 1.88889; ALB<-ITA 2020 6.93401
        [
            C("1.9%", "consistent", "remittance_cost_corridor_pct", "ARM", "RUS", 2020),
            C("6.9%", "consistent", "remittance_cost_corridor_pct", "ALB", "ITA", 2020),
        ],
        kinds={"corridor"},
    ),
    WireItem(
        "en07",
        "en",
        "Albania's population outflow continues",
        "TIRANA (Balkan Insight) - Albania's net migration was minus 10,612 in 2021, INSTAT "
        "and UN figures suggest, while Bosnia and Herzegovina lost a net 25,865 people the "
        "same year.",
        # data: net_migration ALB 2021 -10,612; BIH 2021 -25,865 ("lost a net" = negative)
        [
            C("minus 10,612", "consistent", "net_migration", "ALB", None, 2021),
        ],
        kinds={"sign"},
    ),
    WireItem(
        "en08",
        "en",
        "Moldova hosts nearly 150,000 refugees",
        "CHISINAU, 3 July (NewsMaker) - Moldova was hosting 149,324 refugees in 2025, most of "
        "them from Ukraine, UNHCR representative Francesca Bonelli said, speaking at a press "
        "conference; call the hotline 0 800 800 11 for assistance.",
        # data: refugees_hosted MDA 2025 149,324
        [C("149,324", "consistent", "refugees_hosted", "MDA", None, 2025)],
        noise=["0 800 800 11"],
        kinds={"noise"},
    ),
    WireItem(
        "ru01",
        "ru",
        "Денежные переводы в Таджикистан достигли рекорда",
        "ДУШАНБЕ, 12 мая (Азия-Плюс) - Объем денежных переводов в Таджикистан в 2021 году "
        "составил 2,92 млрд долларов, сообщил Всемирный банк; в Кыргызстан за тот же год "
        "поступило 2,79 млрд долларов.",
        # data: remittances_received_usd 2021 TJK 2.92171e9; KGZ 2.7925e9
        [
            C("2,92 млрд", "consistent", "remittances_received_usd", "TJK", None, 2021),
            C("2,79 млрд", "consistent", "remittances_received_usd", "KGZ", None, 2021),
        ],
        kinds={"precision"},
    ),
    WireItem(
        "ru02",
        "ru",
        "Каждый пятый уроженец Армении живет за рубежом",
        "ЕРЕВАН, 5 апреля (Спутник Армения) - Каждый пятый уроженец Армении в 2020 году жил "
        "за пределами страны, следует из данных ООН о доле эмигрантов в населении.",
        # data: emigrant_pct ARM 2020 19.6366
        [C("Каждый пятый", "consistent", "emigrant_pct", "ARM", None, 2020)],
        kinds={"words"},
    ),
    WireItem(
        "ru03",
        "ru",
        "В России живут более 415 тысяч уроженцев Таджикистана",
        "МОСКВА, 18 января (ТАСС) - В России в 2024 году проживали 415 676 уроженцев "
        "Таджикистана, а уроженцев Узбекистана - 871 154 человек, говорится в докладе ООН.",
        # data: migrant_stock RUS<-TJK 2024 415,676; RUS<-UZB 2024 778,041 (871,154 is 2020)
        [
            C("415 676", "consistent", "migrant_stock", "RUS", "TJK", 2024),
            C("871 154", "other year", "migrant_stock", "RUS", "UZB", 2024),
        ],
        kinds={"bilateral", "wrong_year"},
    ),
    WireItem(
        "ru04",
        "ru",
        "Число беженцев в Молдове выросло",
        "КИШИНЕВ, 20 июня (NewsMaker) - В Молдове в 2024 году находились 135 941 беженцев, "
        "сообщило представительство УВКБ ООН; в Армении их было 144 379.",
        # data: refugees_hosted MDA 2024 135,941; ARM 2024 144,379
        [
            C("135 941", "consistent", "refugees_hosted", "MDA", None, 2024),
            C("144 379", "consistent", "refugees_hosted", "ARM", None, 2024),
        ],
        kinds=set(),
    ),
    WireItem(
        "en09",
        "en",
        "Uzbekistan, Kyrgyzstan remittance figures mixed up in ministry release",
        "TASHKENT, 15 April (Gazeta.uz) - Kyrgyzstan received $9.2 billion in remittances in "
        "2021 and Uzbekistan $2.79 billion, a ministry release said on Monday, figures that "
        "analysts said appeared to have been transposed.",
        # data: remittances_received_usd 2021 KGZ 2.7925e9, UZB 9.19753e9 (swapped)
        [
            C("$9.2 billion", "differs", "remittances_received_usd", "KGZ", None, 2021),
            C("$2.79 billion", "differs", "remittances_received_usd", "UZB", None, 2021),
        ],
        kinds={"wrong_country"},
    ),
    WireItem(
        "en10",
        "en",
        "Tajik labour ministry counts workers abroad",
        "DUSHANBE, 30 January (Asia-Plus) - More than 650,000 labour migrants from Tajikistan "
        "worked abroad in 2024, the Ministry of Labour, Migration and Employment said, most of "
        "them in Russia.",
        # data: emigrant_stock TJK 2024 514,478 - labour migrants are another count
        [C("650,000", "different definition", "emigrant_stock", "TJK", None, 2024)],
        kinds={"labour"},
    ),
    WireItem(
        "en11",
        "en",
        "Georgia: remittances data for 2023 not yet in World Bank series",
        "TBILISI, 8 February (JAMnews) - Georgia received $4.1 billion in remittances in 2023, "
        "the central bank's governor said, calling it a sign of resilience.",
        # data: remittances_received_usd GEO ends 2022 (4.1e9 in 2022) -> no data for 2023
        [C("$4.1 billion", "no data", "remittances_received_usd", "GEO", None, 2023)],
        kinds={"no_data"},
    ),
    WireItem(
        "en12",
        "en",
        "Bosnia: almost one in three born in the country live abroad",
        "SARAJEVO (Balkan Insight) - Almost one in three people born in Bosnia and Herzegovina "
        "lived abroad in 2020, the highest share in the Western Balkans, according to UN "
        "estimates of emigrants as a share of the population.",
        # data: emigrant_pct BIH 2020 31.7335
        [C("one in three", "consistent", "emigrant_pct", "BIH", None, 2020)],
        kinds={"words"},
    ),
    WireItem(
        "en13",
        "en",
        "Azerbaijan still has 659,000 internally displaced",
        "BAKU, 14 May (Interfax) - Azerbaijan had 659,000 internally displaced people because "
        "of conflict at the end of 2022, the IDMC said in its annual report, while Georgia "
        "had 308,000.",
        # data: idps_conflict_stock 2022 AZE 659,000; GEO 308,000
        [
            C("659,000", "consistent", "idps_conflict_stock", "AZE", None, 2022),
            C("308,000", "consistent", "idps_conflict_stock", "GEO", None, 2022),
        ],
        kinds=set(),
    ),
    WireItem(
        "en14",
        "en",
        "Kyrgyz migrants in Russia: fewer than before",
        "BISHKEK, 22 November (RFE/RL) - The number of Kyrgyz-born migrants living in Russia "
        "was 399,110 in 2024, according to UN figures quoted by the parliament's migration "
        "committee, which met for the 193rd time.",
        # data: migrant_stock RUS<-KGZ 2024 333,664; 399,110 is 2020
        [C("399,110", "other year", "migrant_stock", "RUS", "KGZ", 2024)],
        noise=["193rd"],
        kinds={"bilateral", "wrong_year", "noise"},
    ),
    WireItem(
        "en15",
        "en",
        "Sending money from Italy to Moldova cheaper than ever",
        "CHISINAU (Moldpres) - Sending money from Italy to Moldova cost 4.9% in 2020, down "
        "from 8.7% in 2014, according to World Bank data; the corridor from Germany to Serbia "
        "cost 3.1% in 2020.",
        # data: corridor MDA<-ITA 2020 4.87711, 2014 8.65571; SRB<-DEU 2020 7.56321
        [
            C("4.9%", "consistent", "remittance_cost_corridor_pct", "MDA", "ITA", 2020),
            C("8.7%", "consistent", "remittance_cost_corridor_pct", "MDA", "ITA", 2014),
            C("3.1%", "differs", "remittance_cost_corridor_pct", "SRB", "DEU", 2020),
        ],
        kinds={"corridor", "wrong_value"},
    ),
    WireItem(
        "en16",
        "en",
        "Armenia's net migration negative again",
        "YEREVAN, 2 August (Armenpress) - Armenia recorded net migration of minus 25,363 in "
        "2019, while neighbouring Georgia, with minus 5,414, lost far fewer people, UN "
        "population estimates show.",
        # data: net_migration 2019 ARM -25,363; GEO -5,414
        [
            C("minus 25,363", "consistent", "net_migration", "ARM", None, 2019),
            C("minus 5,414", "consistent", "net_migration", "GEO", None, 2019),
        ],
        kinds={"sign"},
    ),
    WireItem(
        "ru05",
        "ru",
        "Почти полтора миллиона боснийцев живут за рубежом",
        "САРАЕВО, 3 марта (Sputnik Сербия) - По данным ООН, в 2020 году за пределами Боснии и "
        "Герцеговины проживали около полутора миллионов ее уроженцев; в 2024 году число "
        "эмигрантов из Боснии и Герцеговины составило 1,61 млн человек.",
        # data: emigrant_stock BIH 2020 1,542,550; 2024 1,608,320
        [C("1,61 млн", "consistent", "emigrant_stock", "BIH", None, 2024)],
        kinds={"precision"},
    ),
    WireItem(
        "ru06",
        "ru",
        "Переводы из России в Кыргызстан",
        "БИШКЕК, 7 сентября (АКИpress) - Объем денежных переводов из России в Кыргызстан в 2017 "
        "году составил 1,9 млрд долларов, а из России в Таджикистан - 1,69 млрд долларов, "
        "по оценке Всемирного банка.",
        # data: remittances_bilateral_usd 2017 KGZ<-RUS 1.90433e9; TJK<-RUS 1.68657e9
        [
            C("1,9 млрд", "consistent", "remittances_bilateral_usd", "KGZ", "RUS", 2017),
            C("1,69 млрд", "consistent", "remittances_bilateral_usd", "TJK", "RUS", 2017),
        ],
        kinds={"bilateral"},
    ),
    WireItem(
        "ru07",
        "ru",
        "Стоимость переводов из России в Узбекистан",
        "ТАШКЕНТ, 11 ноября (Газета.uz) - Перевод денег из России в Узбекистан в 2020 году "
        "обходился в среднем в 1,75% от суммы, а из России в Таджикистан - в 4,5%, сообщает "
        "Всемирный банк.",
        # data: corridor UZB<-RUS 2020 1.75; TJK<-RUS 2020 1.77778
        [
            C("1,75%", "consistent", "remittance_cost_corridor_pct", "UZB", "RUS", 2020),
            C("4,5%", "differs", "remittance_cost_corridor_pct", "TJK", "RUS", 2020),
        ],
        kinds={"corridor", "wrong_value"},
    ),
    WireItem(
        "ru08",
        "ru",
        "Сальдо миграции в Армении",
        "ЕРЕВАН, 16 февраля (Новости-Армения) - Сальдо миграции в Армении в 2019 году "
        "составило минус 25 363 человека, а в Молдове - минус 28 328 человек.",
        # data: net_migration 2019 ARM -25,363; MDA -28,328
        [
            C("минус 25 363", "consistent", "net_migration", "ARM", None, 2019),
            C("минус 28 328", "consistent", "net_migration", "MDA", None, 2019),
        ],
        kinds={"sign"},
    ),
    WireItem(
        "en17",
        "en",
        "Ukraine: 5.9 million internally displaced at end-2022",
        "KYIV, 11 May (Interfax-Ukraine) - Some 5.9 million people were internally displaced "
        "by conflict in Ukraine at the end of 2022, the Internal Displacement Monitoring Centre "
        "said, a year after the COVID-19 pandemic had already strained services in 24 oblasts.",
        # data: idps_conflict_stock UKR 2022 5,914,000
        [C("5.9 million", "consistent", "idps_conflict_stock", "UKR", None, 2022)],
        noise=["COVID-19", "24"],
        kinds={"noise", "precision"},
    ),
    WireItem(
        "en18",
        "en",
        "Ukrainian refugees abroad: UNHCR update",
        "GENEVA (UNHCR) - Nearly 6 million refugees from Ukraine were recorded across Europe "
        "in 2023, UNHCR said, a figure it revised to 5.12 million for 2024 as some returned "
        "home. The agency, which works in more than 130 countries, said Belarus had 19,462 "
        "refugees abroad in 2025.",
        # data: refugees_by_origin UKR 2023 5,960,360; 2024 5,120,040; BLR 2025 19,462
        [
            C("6 million", "consistent", "refugees_by_origin", "UKR", None, 2023),
            C("5.12 million", "consistent", "refugees_by_origin", "UKR", None, 2024),
            C("19,462", "consistent", "refugees_by_origin", "BLR", None, 2025),
        ],
        noise=["130"],
        kinds={"words", "noise", "precision"},
    ),
    WireItem(
        "en19",
        "en",
        "Kazakhstan's foreign-born population passes two million",
        "ASTANA, 4 September (Kazinform) - Kazakhstan was home to 2,089,800 international "
        "migrants in 2024, or 10.1% of its population, while Russia, which hosted 7.6 million "
        "migrants, had a share of 14.4%, according to UN DESA.",
        # data: immigrant_stock KAZ 2024 2,089,800 (2.0898e6); immigrant_pct_population KAZ 2024
        # 10.1483; immigrant_stock RUS 2024 7,605,770; immigrant_pct_population RUS 2024 5.25187
        # (14.4 is Montenegro's share, not in the sentence)
        [
            C("2,089,800", "consistent", "immigrant_stock", "KAZ", None, 2024),
            C("10.1%", "consistent", "immigrant_pct_population", "KAZ", None, 2024),
            C("7.6 million", "consistent", "immigrant_stock", "RUS", None, 2024),
            C("14.4%", "differs", "immigrant_pct_population", "RUS", None, 2024),
        ],
        kinds={"wrong_value", "precision"},
    ),
    WireItem(
        "en20",
        "en",
        "Serbia and Albania: the diaspora numbers",
        "BELGRADE (Balkan Insight) - More than 1.2 million people born in Albania lived abroad "
        "in 2024, compared with 963,307 born in Serbia, UN data show; Albania's figure is "
        "sometimes quoted as 963,307, which belongs to Serbia.",
        # data: emigrant_stock 2024 ALB 1,216,630; SRB 963,307
        [
            C("1.2 million", "consistent", "emigrant_stock", "ALB", None, 2024),
            C("963,307", "consistent", "emigrant_stock", "SRB", None, 2024),
            C("963,307", "differs", "emigrant_stock", "ALB", None, 2024, nth=1),
        ],
        kinds={"wrong_country", "precision"},
    ),
    WireItem(
        "en21",
        "en",
        "Moldova's population falls below 2.5 million",
        "CHISINAU, 1 April (IPN) - Moldova's population was 2.49 million in 2023, the World Bank "
        "estimates, while the population of Armenia was 2.78 million the same year.",
        # data: population 2023 MDA 2,486,890; ARM 2,777,970
        [
            C("2.49 million", "consistent", "population", "MDA", None, 2023),
            C("2.78 million", "consistent", "population", "ARM", None, 2023),
        ],
        kinds={"precision"},
    ),
    WireItem(
        "en22",
        "en",
        "Armenia hosted 150,000 refugees after Karabakh exodus",
        "YEREVAN (RFE/RL) - Armenia hosted 150,080 refugees in 2023, UNHCR said, most of them "
        "ethnic Armenians who fled Nagorno-Karabakh in September; Armenia hosted 34,634 "
        "refugees in 2023, an earlier government estimate had said.",
        # data: refugees_hosted ARM 2023 150,080; 2022 34,634 -> other year
        [
            C("150,080", "consistent", "refugees_hosted", "ARM", None, 2023),
            C("34,634", "other year", "refugees_hosted", "ARM", None, 2023),
        ],
        kinds={"wrong_year"},
    ),
    WireItem(
        "en23",
        "en",
        "Uzbek migrants: official count versus UN estimate",
        "TASHKENT, 19 June (Kun.uz) - About 1.6 million citizens of Uzbekistan were working "
        "abroad as labour migrants in 2024, the Agency for External Labour Migration said, "
        "while the UN estimates the total stock of emigrants from Uzbekistan at 2.11 million.",
        # data: emigrant_stock UZB 2024 2,114,480; labour migrants are another count
        [
            C("1.6 million", "different definition", "emigrant_stock", "UZB", None, 2024),
            C("2.11 million", "consistent", "emigrant_stock", "UZB", None, 2024),
        ],
        kinds={"labour", "precision"},
    ),
    WireItem(
        "en24",
        "en",
        "Kyrgyzstan: remittances to GDP data for 2022 pending",
        "BISHKEK, 27 March (24.kg) - Remittances were equivalent to 31.1% of Kyrgyzstan's GDP "
        "in 2022, an adviser to the president, Talant Sultanov, 41, said.",
        # data: remittances_received_pct_gdp KGZ ends 2021 (31.1382 is 2020) -> no data for 2022
        [C("31.1%", "no data", "remittances_received_pct_gdp", "KGZ", None, 2022)],
        noise=["41"],
        kinds={"no_data", "noise"},
    ),
    WireItem(
        "ru09",
        "ru",
        "Трудовых мигрантов из Кыргызстана более миллиона",
        "БИШКЕК, 2 декабря (Sputnik Кыргызстан) - За рубежом в 2024 году работали более "
        "1,2 млн трудовых мигрантов из Кыргызстана, сообщило министерство труда; большинство "
        "из них находятся в России.",
        # data: emigrant_stock KGZ 2024 540,573 - labour migrants are another count
        [C("1,2 млн", "different definition", "emigrant_stock", "KGZ", None, 2024)],
        kinds={"labour"},
    ),
    WireItem(
        "ru10",
        "ru",
        "Внутренне перемещенных в Грузии стало больше",
        "ТБИЛИСИ, 20 мая (Sputnik Грузия) - Число внутренне перемещенных лиц в Грузии в 2023 "
        "году составило 308 тысяч человек, сообщил Центр мониторинга внутреннего "
        "перемещения.",
        # data: idps_conflict_stock GEO ends 2022 (308,000 in 2022) -> no data for 2023
        [C("308 тысяч", "no data", "idps_conflict_stock", "GEO", None, 2023)],
        kinds={"no_data"},
    ),
    WireItem(
        "ru11",
        "ru",
        "Перепутали страны: денежные переводы в Армению и Грузию",
        "ЕРЕВАН, 14 марта (Новости-Армения) - В 2022 году в Армению поступило 4,1 млрд "
        "долларов денежных переводов, а в Грузию - 3,35 млрд долларов, сообщил Всемирный банк.",
        # data: remittances_received_usd 2022 ARM 3.35e9; GEO 4.1e9 (swapped)
        [
            C("4,1 млрд", "differs", "remittances_received_usd", "ARM", None, 2022),
            C("3,35 млрд", "differs", "remittances_received_usd", "GEO", None, 2022),
        ],
        kinds={"wrong_country"},
    ),
    WireItem(
        "ru12",
        "ru",
        "Доля эмигрантов в Албании",
        "ТИРАНА, 9 июля (РИА Новости) - Более четверти уроженцев Албании в 2020 году жили за "
        "рубежом, тогда как в Грузии доля эмигрантов составляла 12,8%.",
        # data: emigrant_pct 2020 ALB 28.0044; GEO 12.7784
        [
            C("четверти", "consistent", "emigrant_pct", "ALB", None, 2020),
            C("12,8%", "consistent", "emigrant_pct", "GEO", None, 2020),
        ],
        kinds={"words"},
    ),
    WireItem(
        "en25",
        "en",
        "Italy and Greece remain top destinations for Albanians and Moldovans",
        "ROME/CHISINAU, 6 May (ANSA/Moldpres) - Italy was home to 542,638 people born in "
        "Albania in 2024 and to 218,594 born in Moldova, while Greece hosted 474,441 "
        "Albanian-born residents, according to the UN's International Migrant Stock, "
        "presented at a conference attended by ambassadors of 27 EU member states.",
        # data: migrant_stock 2024 ITA<-ALB 542,638; ITA<-MDA 218,594; GRC<-ALB 474,441
        [
            C("542,638", "consistent", "migrant_stock", "ITA", "ALB", 2024),
            C("218,594", "consistent", "migrant_stock", "ITA", "MDA", 2024),
            C("474,441", "consistent", "migrant_stock", "GRC", "ALB", 2024),
        ],
        noise=["27"],
        kinds={"bilateral", "noise"},
    ),
    WireItem(
        "en26",
        "en",
        "Moldovans in Italy: figures disputed",
        "CHISINAU (NewsMaker) - Some 542,638 Moldovans lived in Italy in 2024, the deputy "
        "prime minister told parliament, a figure the opposition said was in fact the number "
        "of Albanians there.",
        # data: migrant_stock ITA<-MDA 2024 218,594 (542,638 is ITA<-ALB)
        [C("542,638", "differs", "migrant_stock", "ITA", "MDA", 2024)],
        kinds={"bilateral", "wrong_value"},
    ),
    WireItem(
        "en27",
        "en",
        "Ukrainians in Poland: a million-strong community",
        "WARSAW, 17 January (Ukrinform) - More than 1.1 million people born in Ukraine were "
        "living in Poland in 2024, UN DESA estimates, up from 180,211 in 2020, before the "
        "full-scale invasion of February 24, 2022.",
        # data: migrant_stock POL<-UKR 2024 1,102,770; 2020 180,211
        [
            C("1.1 million", "consistent", "migrant_stock", "POL", "UKR", 2024),
            C("180,211", "consistent", "migrant_stock", "POL", "UKR", 2020),
        ],
        noise=["24"],
        kinds={"bilateral", "precision", "noise"},
    ),
    WireItem(
        "en28",
        "en",
        "Russia's refugee numbers revised",
        "MOSCOW, 20 June (Interfax) - Russia hosted 1,277,670 refugees in 2024, the Interior "
        "Ministry's migration department said, quoting UNHCR.",
        # data: refugees_hosted RUS 2024 10,077; 1,277,670 is 2022 -> other year
        [C("1,277,670", "other year", "refugees_hosted", "RUS", None, 2024)],
        kinds={"wrong_year"},
    ),
    WireItem(
        "en29",
        "en",
        "North Macedonia: remittance costs fall sharply",
        "SKOPJE (MIA) - The average cost of sending remittances to North Macedonia fell to "
        "7.4% in 2020 from 11.1% in 2019, World Bank data show, still well above the 3% "
        "target set by the Sustainable Development Goals.",
        # data: remittance_cost_to_pct MKD 2020 7.41143; 2019 11.1384
        [
            C("7.4%", "consistent", "remittance_cost_to_pct", "MKD", None, 2020),
            C("11.1%", "consistent", "remittance_cost_to_pct", "MKD", None, 2019),
        ],
        noise=["3%"],
        kinds={"noise"},
    ),
    WireItem(
        "en30",
        "en",
        "Albania: remittance cost data for 2022",
        "TIRANA, 3 March (ATA) - Sending money to Albania cost 8.6% on average in 2022, the "
        "Bank of Albania said, quoting World Bank figures.",
        # data: remittance_cost_to_pct ALB ends 2020 (8.58957 in 2020) -> no data for 2022
        [C("8.6%", "no data", "remittance_cost_to_pct", "ALB", None, 2022)],
        kinds={"no_data"},
    ),
    WireItem(
        "en31",
        "en",
        "Uzbekistan: floods displaced 70,000 in 2020",
        "TASHKENT, 2 May (Kun.uz) - Disasters triggered 70,000 new displacements in Uzbekistan "
        "in 2020, after the Sardoba dam collapse, and 32,000 in Kazakhstan, the IDMC said.",
        # data: new_displacements_disaster 2020 UZB 70,000; KAZ 32,000
        [
            C("70,000", "consistent", "new_displacements_disaster", "UZB", None, 2020),
            C("32,000", "consistent", "new_displacements_disaster", "KAZ", None, 2020),
        ],
        kinds=set(),
    ),
    WireItem(
        "en32",
        "en",
        "Belarus: more arrivals than departures",
        "MINSK (BelTA) - Belarus recorded positive net migration of 15,082 in 2019, while "
        "Kyrgyzstan's net migration stood at minus 34,270 and Uzbekistan's at 69,397, UN "
        "estimates show.",
        # data: net_migration 2019 BLR 15,082; KGZ -34,270; UZB -69,397 (sign dropped -> differs)
        [
            C("15,082", "consistent", "net_migration", "BLR", None, 2019),
            C("minus 34,270", "consistent", "net_migration", "KGZ", None, 2019),
            C("69,397", "differs", "net_migration", "UZB", None, 2019),
        ],
        kinds={"sign", "wrong_value"},
    ),
    WireItem(
        "ru13",
        "ru",
        "Иммигрантов в Молдове стало больше",
        "КИШИНЕВ, 25 октября (Молдпрес) - Число международных мигрантов в Молдове в 2024 году "
        "составило 77 291 человек, говорится в докладе ООН, представленном в Кишиневе 25 "
        "октября.",
        # data: immigrant_stock MDA 2024 188,207; 77,291 is 2020 -> other year
        [C("77 291", "other year", "immigrant_stock", "MDA", None, 2024)],
        noise=["25"],
        kinds={"wrong_year", "noise"},
    ),
    WireItem(
        "ru14",
        "ru",
        "Узбекистанцев в России стало меньше",
        "МОСКВА, 8 августа (Интерфакс) - В России в 2023 году проживали 778 041 уроженец "
        "Узбекистана, сообщил источник в МВД.",
        # data: migrant_stock RUS<-UZB has 2020 and 2024 (778,041 in 2024) -> no data for 2023
        [C("778 041", "no data", "migrant_stock", "RUS", "UZB", 2023)],
        kinds={"no_data", "bilateral"},
    ),
    WireItem(
        "ru15",
        "ru",
        "Перевод денег из России в Армению и Кыргызстан",
        "ЕРЕВАН, 30 сентября (Арменпресс) - Отправка денег из России в Армению в 2020 году "
        "стоила в среднем 1,89% от суммы перевода, а в Кыргызстан из России - 1,44%, по данным "
        "Всемирного банка; в 2019 году перевод из России в Армению обходился в 3,9%.",
        # data: corridor ARM<-RUS 2020 1.88889, 2019 1.79167; KGZ<-RUS 2020 1.44033
        [
            C("1,89%", "consistent", "remittance_cost_corridor_pct", "ARM", "RUS", 2020),
            C("1,44%", "consistent", "remittance_cost_corridor_pct", "KGZ", "RUS", 2020),
            C("3,9%", "differs", "remittance_cost_corridor_pct", "ARM", "RUS", 2019),
        ],
        kinds={"corridor", "wrong_value"},
    ),
    WireItem(
        "ru16",
        "ru",
        "Переводы в Узбекистан: полтора десятка миллиардов",
        "ТАШКЕНТ, 10 февраля (Podrobno.uz) - Объем денежных переводов в Узбекистан в 2022 году "
        "составил 13,5 млрд долларов, в Таджикистан - 3,2 млрд долларов, сообщил Всемирный "
        "банк; в Казахстан поступило 370 млн долларов.",
        # data: remittances_received_usd 2022 UZB 1.35e10; TJK 3.2e9; KAZ 3.7e8
        [
            C("13,5 млрд", "consistent", "remittances_received_usd", "UZB", None, 2022),
            C("3,2 млрд", "consistent", "remittances_received_usd", "TJK", None, 2022),
            C("370 млн", "consistent", "remittances_received_usd", "KAZ", None, 2022),
        ],
        kinds={"precision"},
    ),
    WireItem(
        "en33",
        "en",
        "Georgia's emigrants: half a million abroad",
        'TBILISI, 13 December (Civil.ge) - "About half a million of our compatriots live '
        'abroad," Deputy Foreign Minister Lasha Darsalia, 45, told lawmakers on page 14 of '
        "the transcript, citing UN figures that put the number of Georgian-born emigrants at "
        "496,486 in 2024; for Azerbaijan, the same source gives 810,116.",
        # data: emigrant_stock 2024 GEO 496,486; AZE 810,116
        [
            C("496,486", "consistent", "emigrant_stock", "GEO", None, 2024),
            C("810,116", "consistent", "emigrant_stock", "AZE", None, 2024),
        ],
        noise=["45", "14"],
        kinds={"noise", "words"},
    ),
    WireItem(
        "en34",
        "en",
        "Montenegro's migrant share highest in the region",
        "PODGORICA (Vijesti) - International migrants made up 14.4% of Montenegro's "
        "population in 2024, compared with 9.2% in Armenia and 10.1% in Kazakhstan, according "
        "to the UN, which counts 193 member states.",
        # data: immigrant_pct_population 2024 MNE 14.4464; ARM 9.23537; KAZ 10.1483
        [
            C("14.4%", "consistent", "immigrant_pct_population", "MNE", None, 2024),
            C("9.2%", "consistent", "immigrant_pct_population", "ARM", None, 2024),
            C("10.1%", "consistent", "immigrant_pct_population", "KAZ", None, 2024),
        ],
        noise=["193"],
        kinds={"noise"},
    ),
    WireItem(
        "en35",
        "en",
        "Moldova remittances: 15.5% of GDP, not 23.6%",
        "CHISINAU, 28 April (IPN) - Personal remittances received by Moldova were equivalent "
        "to 23.6% of GDP in 2021, the Economy Ministry said in a statement, a figure "
        "economists said was closer to the share of emigrants in the population.",
        # data: remittances_received_pct_gdp MDA 2021 15.4931 (23.57 is emigrant_pct MDA 2020)
        [C("23.6%", "differs", "remittances_received_pct_gdp", "MDA", None, 2021)],
        kinds={"wrong_value"},
    ),
    WireItem(
        "en36",
        "en",
        "Bosnians in Germany and Serbs in Germany",
        "SARAJEVO/BELGRADE, 5 August (N1) - Germany was home to 320,423 people born in Bosnia "
        "and Herzegovina in 2024, while the number of Serbian-born residents of Germany was "
        "303,740, UN data show.",
        # data: migrant_stock 2024 DEU<-BIH 320,423; DEU<-SRB 303,740
        [
            C("320,423", "consistent", "migrant_stock", "DEU", "BIH", 2024),
            C("303,740", "consistent", "migrant_stock", "DEU", "SRB", 2024),
        ],
        kinds={"bilateral"},
    ),
    WireItem(
        "en37",
        "en",
        "Armenia's remittances from Russia",
        "YEREVAN (Armenpress) - Remittances sent from Russia to Armenia were estimated at "
        "$979 million in 2017 by the World Bank, compared with $533 million sent from Russia "
        "to Moldova, the central bank chairman, Martin Galstyan, said.",
        # data: remittances_bilateral_usd 2017 ARM<-RUS 9.78658e8; MDA<-RUS 5.32968e8
        [
            C("$979 million", "consistent", "remittances_bilateral_usd", "ARM", "RUS", 2017),
            C("$533 million", "consistent", "remittances_bilateral_usd", "MDA", "RUS", 2017),
        ],
        kinds={"bilateral"},
    ),
    WireItem(
        "en38",
        "en",
        "Serbia's net migration: a sign error in the ministry report",
        "BELGRADE, 19 March (Tanjug) - Bosnia and Herzegovina had net migration of plus "
        "25,865 in 2021, the report of 212 pages said, though Serbia's own figure for the year "
        "was 243.",
        # data: net_migration 2021 BIH -25,865 (sign wrong -> differs); SRB 2021 243
        [
            C("25,865", "differs", "net_migration", "BIH", None, 2021),
            C("243", "consistent", "net_migration", "SRB", None, 2021),
        ],
        noise=["212"],
        kinds={"sign", "noise"},
    ),
    WireItem(
        "ru17",
        "ru",
        "Почти полмиллиона уроженцев Грузии за рубежом",
        "ТБИЛИСИ, 6 июня (Sputnik Грузия) - За пределами Грузии в 2024 году проживали "
        "496 486 ее уроженцев, а эмигрантов из Армении насчитывалось 637 604 человека, "
        "говорится в докладе ООН; документ занимает 312 страниц.",
        # data: emigrant_stock 2024 GEO 496,486; ARM 637,604
        [
            C("496 486", "consistent", "emigrant_stock", "GEO", None, 2024),
            C("637 604", "consistent", "emigrant_stock", "ARM", None, 2024),
        ],
        noise=["312"],
        kinds={"noise"},
    ),
    WireItem(
        "ru18",
        "ru",
        "Беженцы из Азербайджана и России",
        "БАКУ, 19 июня (Туран) - Число беженцев из Азербайджана в 2023 году составило 158 098 "
        "человек, а число беженцев из России в 2025 году - 99 360, сообщает УВКБ ООН.",
        # data: refugees_by_origin AZE 2023 158,098; RUS 2025 99,360
        [
            C("158 098", "consistent", "refugees_by_origin", "AZE", None, 2023),
            C("99 360", "consistent", "refugees_by_origin", "RUS", None, 2025),
        ],
        kinds=set(),
    ),
    WireItem(
        "ru19",
        "ru",
        "Казахстанцы в России и россияне в Казахстане",
        "АСТАНА, 22 апреля (Казинформ) - В России в 2024 году жили 1,32 млн уроженцев "
        "Казахстана, а в Казахстане - 552 258 уроженцев России, сообщает ООН; в 2024 году в "
        "России жили 2,57 млн уроженцев Казахстана, утверждал ранее депутат мажилиса.",
        # data: migrant_stock RUS<-KAZ 2024 1,321,000; KAZ<-RUS 2024 552,258;
        # 2.57 million is RUS<-KAZ 2000/2005 -> other year
        [
            C("1,32 млн", "consistent", "migrant_stock", "RUS", "KAZ", 2024),
            C("552 258", "consistent", "migrant_stock", "KAZ", "RUS", 2024),
            C("2,57 млн", "other year", "migrant_stock", "RUS", "KAZ", 2024),
        ],
        kinds={"bilateral", "wrong_year"},
    ),
    WireItem(
        "ru20",
        "ru",
        "В Сербии выросло число беженцев",
        "БЕЛГРАД, 20 июня (Sputnik Сербия) - В Сербии в 2024 году находились 36 068 беженцев, "
        "а в Черногории - 64 733 беженца, сообщило УВКБ ООН; телефон горячей линии "
        "+381 11 123 4567.",
        # data: refugees_hosted 2024 SRB 36,068; MNE 2024 18,670 (64,733 is 2023 -> other year)
        [
            C("36 068", "consistent", "refugees_hosted", "SRB", None, 2024),
            C("64 733", "other year", "refugees_hosted", "MNE", None, 2024),
        ],
        noise=["+381 11 123 4567"],
        kinds={"wrong_year", "noise"},
    ),
    WireItem(
        "en39",
        "en",
        "Kyrgyzstan: more than half a million abroad",
        "BISHKEK, 18 December (Kabar) - More than half a million people born in Kyrgyzstan "
        "lived abroad in 2024, according to UN DESA, which put the figure at 540,573; the "
        "same source gives 534,616 for North Macedonia.",
        # data: emigrant_stock 2024 KGZ 540,573; MKD 534,616
        [
            C("half a million", "consistent", "emigrant_stock", "KGZ", None, 2024),
            C("540,573", "consistent", "emigrant_stock", "KGZ", None, 2024),
            C("534,616", "consistent", "emigrant_stock", "MKD", None, 2024),
        ],
        kinds={"words"},
    ),
    WireItem(
        "en40",
        "en",
        "Ukraine's diaspora more than doubled",
        "KYIV (Ukrinform) - The number of people born in Ukraine and living abroad reached "
        "9.77 million in 2024, more than double the 4.35 million of 2020, UN DESA estimates "
        "show; for 2023 the ministry quoted 9.77 million as well.",
        # data: emigrant_stock UKR 2024 9,769,220; 2020 4,353,030; no 2023 -> no data
        [
            C("9.77 million", "consistent", "emigrant_stock", "UKR", None, 2024),
            C("4.35 million", "consistent", "emigrant_stock", "UKR", None, 2020),
            C("9.77 million", "no data", "emigrant_stock", "UKR", None, 2023, nth=1),
        ],
        kinds={"precision", "no_data"},
    ),
    WireItem(
        "ru21",
        "ru",
        "Почти каждый третий уроженец Боснии - эмигрант",
        "ТИРАНА, 3 мая (ТАСС) - Почти каждый третий уроженец Боснии и Герцеговины в 2020 году "
        "жил за рубежом, а в Молдове эмигранты составляли 23,6% населения, сообщает ООН.",
        # data: emigrant_pct 2020 BIH 31.7335; MDA 23.5703
        [
            C("каждый третий", "consistent", "emigrant_pct", "BIH", None, 2020),
            C("23,6%", "consistent", "emigrant_pct", "MDA", None, 2020),
        ],
        kinds={"words"},
    ),
    WireItem(
        "ru22",
        "ru",
        "Трудовая миграция из Таджикистана",
        "ДУШАНБЕ, 15 января (Азия-Плюс) - В 2024 году за рубежом на заработках находились "
        "около 800 тысяч трудовых мигрантов из Таджикистана, сообщил министр труда Таджикистана "
        "Азиза Умарзода; по оценке ООН, за рубежом проживали 514 478 уроженцев страны.",
        # data: emigrant_stock TJK 2024 514,478; labour migrants are another count
        [
            C("800 тысяч", "different definition", "emigrant_stock", "TJK", None, 2024),
            C("514 478", "consistent", "emigrant_stock", "TJK", None, 2024),
        ],
        kinds={"labour"},
    ),
    WireItem(
        "ru23",
        "ru",
        "Переводы в Украину",
        "КИЕВ, 4 марта (Интерфакс-Украина) - Объем денежных переводов в Украину в 2021 году "
        "составил 18,06 млрд долларов, а в Беларусь - 1,15 млрд долларов, по данным "
        "Всемирного банка; в 2021 году в Украину поступило 12,1 млрд долларов, писали ранее "
        "СМИ.",
        # data: remittances_received_usd 2021 UKR 1.806e10; BLR 1.14996e9; 12.132e9 is 2017
        [
            C("18,06 млрд", "consistent", "remittances_received_usd", "UKR", None, 2021),
            C("1,15 млрд", "consistent", "remittances_received_usd", "BLR", None, 2021),
            C("12,1 млрд", "other year", "remittances_received_usd", "UKR", None, 2021),
        ],
        kinds={"wrong_year", "precision"},
    ),
    WireItem(
        "ru24",
        "ru",
        "ВПЛ в Боснии и Сербии",
        "САРАЕВО, 12 мая (РИА Новости) - Число внутренне перемещенных лиц в Боснии и "
        "Герцеговине на конец 2022 года составило 91 тысячу человек, в Сербии - 195 тысяч, "
        "сообщил Центр мониторинга внутреннего перемещения (IDMC).",
        # data: idps_conflict_stock 2022 BIH 91,000; SRB 195,000
        [
            C("91 тысячу", "consistent", "idps_conflict_stock", "BIH", None, 2022),
            C("195 тысяч", "consistent", "idps_conflict_stock", "SRB", None, 2022),
        ],
        kinds={"precision"},
    ),
    WireItem(
        "en41",
        "en",
        "South Caucasus emigration shares confused in report",
        "TBILISI, 30 May (JAMnews) - A think-tank report said emigrants made up 19.6% of "
        "Georgia's population in 2020 and 12.8% of Armenia's, figures that UN data attribute "
        "the other way round.",
        # data: emigrant_pct 2020 GEO 12.7784; ARM 19.6366 (swapped)
        [
            C("19.6%", "differs", "emigrant_pct", "GEO", None, 2020),
            C("12.8%", "differs", "emigrant_pct", "ARM", None, 2020),
        ],
        kinds={"wrong_country"},
    ),
    WireItem(
        "en42",
        "en",
        "Displacement in the South Caucasus",
        "BAKU/TBILISI (Eurasianet) - At the end of 2022 Georgia had 659,000 people internally "
        "displaced by conflict and Azerbaijan 308,000, an NGO statement said on Tuesday.",
        # data: idps_conflict_stock 2022 GEO 308,000; AZE 659,000 (swapped)
        [
            C("659,000", "differs", "idps_conflict_stock", "GEO", None, 2022),
            C("308,000", "differs", "idps_conflict_stock", "AZE", None, 2022),
        ],
        kinds={"wrong_country"},
    ),
    WireItem(
        "ru25",
        "ru",
        "Стоимость переводов из России в Узбекистан и Армению",
        "МОСКВА, 2 октября (Интерфакс) - Перевод из России в Узбекистан в 2020 году стоил в "
        "среднем 1,89% от суммы, сообщил банкир, хотя по данным Всемирного банка это "
        "стоимость перевода из России в Армению.",
        # data: corridor 2020 UZB<-RUS 1.75; ARM<-RUS 1.88889 (value of the other corridor)
        [C("1,89%", "differs", "remittance_cost_corridor_pct", "UZB", "RUS", 2020)],
        kinds={"wrong_country", "corridor"},
    ),
    WireItem(
        "ru26",
        "ru",
        "Армян в России стало меньше",
        "ЕРЕВАН, 12 января (Sputnik Армения) - В России в 2024 году проживали 340 512 "
        "уроженцев Армении и 308 165 уроженцев Азербайджана, говорится в докладе департамента "
        "ООН по экономическим и социальным вопросам (ДЭСВ ООН), опубликованном 11 января.",
        # data: migrant_stock 2024 RUS<-ARM 340,512; RUS<-AZE 308,165
        [
            C("340 512", "consistent", "migrant_stock", "RUS", "ARM", 2024),
            C("308 165", "consistent", "migrant_stock", "RUS", "AZE", 2024),
        ],
        noise=["11"],
        kinds={"bilateral", "noise"},
    ),
]
