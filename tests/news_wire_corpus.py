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
]
