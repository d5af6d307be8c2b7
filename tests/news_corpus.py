"""A hand-written news corpus in the style of IOM, UNHCR and World Bank press pages, with its
answer key.

Each CorpusItem lists the geo ids (ISO3 or region ids) a reader would tag, the themes, and every
quantitative statement as (value, unit). Units: persons (people counted), % (shares; 'one in four'
is (25.0, '%')), US$ (money, per unit as written: 'USD 200' → 200.0, '$2 a day' → 2.0), count
(other things: member states, offices, projects), ratio (not used for 'one in N'). Years, dates and
ages are not figures. Traps: country names inside other words (Romanian/Omani, Nigeria/Niger,
Chadwick/Chad), people's names (Michael Jordan, Chad Smith), Georgia the US state, the Niger river
and turkey the bird.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class CorpusItem:
    title: str
    text: str
    countries: set[str]
    themes: set[str]
    figures: list[tuple[float, str]] = field(default_factory=list)


C = CorpusItem
CORPUS: list[CorpusItem] = [
    C(
        "Remittances to the Republic of Moldova reach record levels",
        "Chisinau – Remittances sent home by Moldovans working abroad reached USD 1.9 billion "
        "last year, according to the National Bank. About 317 900 Moldovan nationals work "
        "abroad, mostly in Italy and Germany.",
        {"MDA", "ITA", "DEU"},
        {"remittances", "labour_migration"},
        [(1.9e9, "US$"), (317900.0, "persons")],
    ),
    C(
        "IOM supports returning migrants in Armenia",
        "Yerevan – More than 500 returnees received reintegration grants of USD 2,000 each to "
        "start small businesses in Armenian villages.",
        {"ARM"},
        {"return_reintegration"},
        [(500.0, "persons"), (2000.0, "US$")],
    ),
    C(
        "Kyrgyz migrant workers in Russia send less money home",
        "Bishkek – Remittances to the Kyrgyz Republic fell by 25,3% as Kyrgyz migrant workers "
        "in Moscow faced a weaker rouble. One in four households depends on money from abroad.",
        {"KGZ", "RUS"},
        {"remittances", "labour_migration"},
        [(25.3, "%"), (25.0, "%")],
    ),
    C(
        "Tajikistan launches labour migration data portal",
        "Dushanbe – The new portal publishes statistics on the 3,5 million labour migrants who "
        "left Tajikistan since 2010, most of them for the Russian Federation.",
        {"TJK", "RUS"},
        {"migration_data", "labour_migration"},
        [(3.5e6, "persons")],
    ),
    C(
        "Uzbek seasonal workers recruited for farms in the United Kingdom",
        "Tashkent – Some 12 000 Uzbek seasonal workers will travel to British farms this year "
        "under a new recruitment scheme with fair recruitment safeguards.",
        {"UZB", "GBR"},
        {"labour_migration"},
        [(12000.0, "persons")],
    ),
    C(
        "Kazakhstan hosts Central Asia dialogue on migration",
        "Astana – Officials from the five Central Asian countries met in Kazakhstan to discuss "
        "safe labour migration and the rights of migrant workers.",
        {"KAZ", "central-asia"},
        {"labour_migration"},
        [(5.0, "count")],
    ),
    C(
        "Floods displace families in Georgia",
        "Tbilisi – Heavy floods in western Georgia forced 1 200 people to leave their homes; "
        "the displaced families are sheltered in schools in Kutaisi.",
        {"GEO"},
        {"displacement", "climate_disasters"},
        [(1200.0, "persons")],
    ),
    C(
        "Azerbaijan and the diaspora: a new investment fund",
        "Baku – The Azerbaijani diaspora of about 1.2 million people is invited to invest in "
        "the regions through a fund worth USD 50 million.",
        {"AZE"},
        {"diaspora"},
        [(1.2e6, "persons"), (5e7, "US$")],
    ),
    C(
        "Ukrainian refugees in Poland find jobs",
        "Warsaw – Nearly 1 million Ukrainian refugees live in Poland and 65% of working-age "
        "adults among them have found employment, a UNHCR survey shows.",
        {"UKR", "POL"},
        {"refugees_asylum", "labour_migration", "migration_data"},
        [(1e6, "persons"), (65.0, "%")],
    ),
    C(
        "Internal displacement in Ukraine remains high",
        "Kyiv – An estimated 3.7 million people remain internally displaced in Ukraine, the "
        "Displacement Tracking Matrix reports.",
        {"UKR"},
        {"displacement", "migration_data"},
        [(3.7e6, "persons")],
    ),
    C(
        "Belarusian border: migrants stranded in the cold",
        "Minsk – Around 2 000 migrants were stranded at the Belarusian border with Poland and "
        "Lithuania; humanitarian agencies called for access.",
        {"BLR", "POL", "LTU"},
        set(),
        [(2000.0, "persons")],
    ),
    C(
        "Serbia strengthens counter-trafficking hotline",
        "Belgrade – The hotline received 169 calls about suspected trafficking in persons; "
        "Serbian police identified 42 victims, most of them women.",
        {"SRB"},
        {"trafficking"},
        [(169.0, "count"), (42.0, "persons")],
    ),
    C(
        "Western Balkans route: arrivals decline",
        "Sarajevo – Arrivals of refugees and migrants along the Western Balkans route fell by "
        "40% in Bosnia and Herzegovina, while Albanian and Montenegrin authorities registered "
        "fewer asylum requests.",
        {"western-balkans", "BIH", "ALB", "MNE"},
        {"refugees_asylum"},
        [(40.0, "%")],
    ),
    C(
        "North Macedonia adopts integration strategy",
        "Skopje – The Macedonian government adopted a strategy for the integration of "
        "foreigners, with language courses for 800 people each year.",
        {"MKD"},
        {"integration"},
        [(800.0, "persons")],
    ),
    C(
        "Kosovo diaspora week draws thousands",
        "Pristina – Kosovars living abroad sent USD 1.3 billion last year; the diaspora week "
        "welcomed 15 000 visitors.",
        {"XKX"},
        {"diaspora", "remittances"},
        [(1.3e9, "US$"), (15000.0, "persons")],
    ),
    C(
        "Syrian refugees in Türkiye receive winter support",
        "Ankara – More than 3.2 million Syrian refugees are hosted by Türkiye, the largest "
        "refugee population in the world.",
        {"SYR", "TUR"},
        {"refugees_asylum"},
        [(3.2e6, "persons")],
    ),
    C(
        "Afghan returnees need urgent help",
        "Kabul – Over 500 000 Afghans returned from Iran and Pakistan this year; many returnees "
        "live on less than $2 a day.",
        {"AFG", "IRN", "PAK"},
        {"return_reintegration"},
        [(500000.0, "persons"), (2.0, "US$")],
    ),
    C(
        "World Bank: poverty among migrant families in Tajikistan",
        "Dushanbe – One in three Tajik households without a migrant lives on less than two "
        "dollars a day, according to a World Bank survey.",
        {"TJK"},
        {"migration_data"},
        [(33.3, "%"), (2.0, "US$")],
    ),
    C(
        "IOM marks 169 member states",
        "Geneva – The International Organization for Migration now counts 169 member states "
        "and offices in over 100 countries.",
        set(),
        set(),
        [(169.0, "count"), (100.0, "count")],
    ),
    C(
        "Michael Jordan visits youth centre",
        "Basketball legend Michael Jordan opened a youth centre in Chicago; coach Chad Smith "
        "thanked the volunteers.",
        set(),
        set(),
        [],
    ),
    C(
        "Georgia's governor announces jobs plan",
        "Atlanta – The governor of Georgia said 2 500 new jobs would be created at the port of "
        "Savannah in the U.S. state.",
        {"USA"},
        set(),
        [(2500.0, "count")],
    ),
    C(
        "Niger River floods affect farmers",
        "Flooding along the Niger River in Mali displaced 20 000 people and destroyed crops.",
        {"MLI"},
        {"displacement", "climate_disasters"},
        [(20000.0, "persons")],
    ),
    C(
        "Thanksgiving food drive for newcomers",
        "Volunteers in a Chadwick community hall served roast turkey to 300 newcomers at "
        "Thanksgiving, with language lessons for children.",
        set(),
        {"integration"},
        [(300.0, "persons")],
    ),
    C(
        "Romanian employers hire Nepali workers",
        "Bucharest – Romanian companies issued 100 000 work permits to workers from Nepal, "
        "India and Bangladesh, the labour inspectorate said.",
        {"ROU", "NPL", "IND", "BGD"},
        {"labour_migration"},
        [(100000.0, "count")],
    ),
    C(
        "Nigeria and Niger agree on border cooperation",
        "Niamey – Nigeria and Niger signed an agreement to fight migrant smuggling across their "
        "common border.",
        {"NGA", "NER"},
        {"trafficking"},
        [],
    ),
    C(
        "Chad hosts Sudanese refugees",
        "N'Djamena – Chad now hosts more than 600 000 Sudanese refugees who fled the fighting "
        "in Darfur.",
        {"TCD", "SDN"},
        {"refugees_asylum"},
        [(600000.0, "persons")],
    ),
    C(
        "Jordan expands health care for refugees",
        "Amman – Jordan opened 12 clinics offering COVID-19 vaccination and health care to "
        "Syrian refugees in Zaatari camp.",
        {"JOR", "SYR"},
        {"health_covid", "refugees_asylum"},
        [(12.0, "count")],
    ),
    C(
        "Armenian and Azerbaijani experts discuss missing persons",
        "Tbilisi – Experts from Armenia and Azerbaijan met in the Georgian capital, with "
        "support from the South Caucasus office.",
        {"ARM", "AZE", "GEO", "south-caucasus"},
        set(),
        [],
    ),
    C(
        "Eastern Partnership countries review migration statistics",
        "Chișinău – Statistics offices of the Eastern Partnership met with the European Union "
        "to harmonise census questions on emigration.",
        {"eastern-partnership", "MDA", "eu"},
        {"migration_data"},
        [],
    ),
    C(
        "Moldova: COVID-19 pandemic hit migrant households",
        "Chisinau – During the pandemic, 45% of Moldovan migrant households lost income and "
        "some 150 000 migrants came back from Italy, Russia and Israel.",
        {"MDA", "ITA", "RUS", "ISR"},
        {"health_covid", "return_reintegration"},
        [(45.0, "%"), (150000.0, "persons")],
    ),
    C(
        "Drought pushes Uzbek farmers to migrate",
        "Samarkand – Drought and heatwaves cut harvests by 30%, pushing young Uzbeks to seek "
        "work abroad in Kazakhstan and Türkiye.",
        {"UZB", "KAZ", "TUR"},
        {"climate_disasters", "labour_migration"},
        [(30.0, "%")],
    ),
    C(
        "German employers look to the Western Balkans",
        "Berlin – German hospitals recruited 4 000 nurses from Serbia, Bosnia and Herzegovina "
        "and Albania under the Western Balkans regulation.",
        {"DEU", "SRB", "BIH", "ALB", "western-balkans"},
        {"labour_migration"},
        [(4000.0, "persons")],
    ),
    C(
        "Spain and France welcome seasonal workers from Morocco",
        "Madrid – Spanish farms employ 15 000 Moroccan seasonal workers each spring, and French "
        "producers plan to hire 5 000 more.",
        {"ESP", "FRA", "MAR"},
        {"labour_migration"},
        [(15000.0, "persons"), (5000.0, "persons")],
    ),
    C(
        "Trafficking survivors from Albania find shelter in Italy",
        "Rome – Italian authorities identified 85 Albanian survivors of trafficking for sexual "
        "exploitation last year.",
        {"ITA", "ALB"},
        {"trafficking"},
        [(85.0, "persons")],
    ),
    C(
        "Belarus and Russia: labour mobility agreement",
        "Minsk – About 120 000 Belarusians work in Russia under the labour migration "
        "agreement of the Union State.",
        {"BLR", "RUS"},
        {"labour_migration"},
        [(120000.0, "persons")],
    ),
    C(
        "Earthquake in Türkiye and Syria displaces millions",
        "Gaziantep – The earthquake left 2.7 million people displaced in southern Turkey and "
        "north-west Syria.",
        {"TUR", "SYR"},
        {"displacement", "climate_disasters"},
        [(2.7e6, "persons")],
    ),
    C(
        "Montenegro counts its diaspora",
        "Podgorica – The 2023 census counted 620 000 residents, while an estimated 200 000 "
        "Montenegrins live abroad, the statistics office said.",
        {"MNE"},
        {"migration_data", "diaspora"},
        [(620000.0, "persons"), (200000.0, "persons")],
    ),
    C(
        "Remittance costs from the United States fall",
        "Washington – Sending USD 200 from the U.S. to Mexico now costs 4,5% on average, the "
        "World Bank's remittance prices database shows.",
        {"USA", "MEX"},
        {"remittances", "migration_data"},
        [(200.0, "US$"), (4.5, "%")],
    ),
    C(
        "Turkmen students return from abroad",
        "Ashgabat – Some 2 300 Turkmen students came back from Belarus and Ukraine and joined "
        "reintegration programmes.",
        {"TKM", "BLR", "UKR"},
        {"return_reintegration"},
        [(2300.0, "persons")],
    ),
    C(
        "Israeli farms recruit workers from Central Asia",
        "Tel Aviv – Israeli farms will hire 2 000 workers from Uzbekistan and Tajikistan under "
        "bilateral labour migration agreements.",
        {"ISR", "UZB", "TJK", "central-asia"},
        {"labour_migration"},
        [(2000.0, "persons")],
    ),
    C(
        "Omani and Emirati ministers discuss domestic workers",
        "Ministers from Oman and the United Arab Emirates agreed to protect migrant domestic "
        "workers from forced labour.",
        {"OMN", "ARE"},
        {"labour_migration", "trafficking"},
        [],
    ),
    C(
        "Georgian migrants in Greece send money home",
        "Tbilisi – Georgians in Greece sent USD 300 million in remittances last year, 15% more "
        "than the year before.",
        {"GEO", "GRC"},
        {"remittances"},
        [(3e8, "US$"), (15.0, "%")],
    ),
]


def _digest(items: list[CorpusItem]) -> str:
    parts = [
        f"{it.title}\nDate: 2024-06-{(i % 28) + 1:02d}\n\n{it.text}" for i, it in enumerate(items)
    ]
    return "\n\n".join(parts) + "\n"


# The corpus as one plain-text digest in the format news.parse.parse_text reads.
CORPUS_DIGEST: str = _digest(CORPUS)
