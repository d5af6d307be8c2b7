"""Russian press text: figures (values, units, qualifiers, years, offsets), reference amounts,
countries with their roles in every case, and the indicators the lemmas name.

The sentences are written the way the region's Russian-language press writes (TASS, Sputnik,
Interfax, IOM's Russian pages): long, several countries, numbers in words. Their numbers are
examples of the formats, not data.
"""

from __future__ import annotations

import time

import pytest

from migprofile.news import russian as ru
from migprofile.news.check import INDICATOR_SYNONYMS
from migprofile.news.russian import (
    RU_INDICATOR_SYNONYMS,
    RU_LABOUR_LEMMAS,
    extract_figures_ru,
    find_indicator_ru,
    geo_mentions_ru,
    is_russian,
    lemmas,
    reference_amounts_ru,
)


def one(text: str):
    figs = extract_figures_ru(text)
    assert len(figs) == 1, [(f.text, f.value, f.unit) for f in figs]
    return figs[0]


def vals(text: str) -> list[tuple[float, str]]:
    return [(f.value, f.unit) for f in extract_figures_ru(text)]


def geos(sentence: str) -> list[tuple[str, str, str]]:
    return [(m.geo, m.role, m.text) for m in geo_mentions_ru(sentence)]


# -- the brief's examples ----------------------------------------------------------------------
WB = (
    "По данным Всемирного банка, в 2021 году денежные переводы в Армению составили 11,2% ВВП, "
    "тогда как в Азербайджане — лишь 2,8%."
)


def test_world_bank_sentence_figures():
    a, b = extract_figures_ru(WB)
    assert (a.value, a.unit, a.counts, a.year, a.language) == (11.2, "%", "ввп", 2021, "ru")
    assert WB[a.start : a.end] == "11,2% ВВП"
    assert (b.value, b.unit, b.year, b.qualifier) == (2.8, "%", 2021, "")
    assert WB[b.start : b.end] == "2,8%"
    assert a.sentence == WB
    assert find_indicator_ru(a)[0] == "remittances_received_pct_gdp"


def test_world_bank_sentence_roles():
    assert geos(WB) == [("ARM", "to", "Армению"), ("AZE", "in", "Азербайджане")]
    m = geo_mentions_ru(WB)[0]
    assert WB[m.start : m.end] == "Армению"


COST = "Средняя стоимость отправки 200 долларов из России в Таджикистан составила 1,9%."


def test_reference_amount_left_out():
    f = one(COST)
    assert (f.value, f.unit) == (1.9, "%")
    refs = reference_amounts_ru(COST)
    assert len(refs) == 1
    a, b, why = refs[0]
    assert COST[a:b] == "200 долларов" and "200" in why
    assert geos(COST) == [("RUS", "from", "России"), ("TJK", "to", "Таджикистан")]
    assert find_indicator_ru(f) == ("remittance_cost_corridor_pct", "стоимость отправка")


def test_sdg_target_and_500_are_references():
    text = (
        "Перевод 200 долларов обходится в 6,5%, при отправке 500 долл. США — 4%, что ниже 3 "
        "процентов, как предусмотрено целью."
    )
    assert vals(text) == [(6.5, "%"), (4.0, "%")]
    refs = [text[a:b] for a, b, _w in reference_amounts_ru(text)]
    assert refs == ["200 долларов", "500 долл. США", "3 процентов"]
    text2 = "Целевой показатель ЦУР 3% пока не достигнут: в коридоре Россия — Узбекистан 1,5%."
    assert vals(text2) == [(1.5, "%")]
    assert next(w for _a, _b, w in reference_amounts_ru(text2)).startswith("SDG")


def test_corridor_dash_gives_from_and_to():
    s = "Цель в 3% не достигнута, однако в коридоре Россия — Узбекистан стоимость равна 1,5%."
    assert geos(s) == [("RUS", "from", "Россия"), ("UZB", "to", "Узбекистан")]
    f = one(s)
    assert f.value == 1.5
    assert find_indicator_ru(f)[0] == "remittance_cost_corridor_pct"


# -- numbers --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("За рубежом проживают 1,16 млн уроженцев Армении.", 1_160_000, "persons"),
        ("В стране работают 317 900 мигрантов.", 317_900, "persons"),
        ("В стране работают 317\u00a0900 мигрантов.", 317_900, "persons"),
        ("В стране работают 317\u202f900 мигрантов.", 317_900, "persons"),
        ("Безработица достигла 25,3% в регионе.", 25.3, "%"),
        ("Мигранты отправили домой 2 млрд долларов.", 2e9, "US$"),
        ("Объём составил 1,9 млрд долл. США.", 1.9e9, "US$"),
        ("Объём составил $1,9 млрд.", 1.9e9, "US$"),
        ("Объём составил 1,9 млрд долларов США.", 1.9e9, "US$"),
        ("Фонд выделил 50 млн евро на интеграцию.", 5e7, "EUR"),
        ("Мигранты перевели 300 млрд рублей.", 3e11, "RUB"),
        ("Прибыли 45 тыс. беженцев.", 45_000, "persons"),
        ("Прибыли 45 тысяч беженцев.", 45_000, "persons"),
        ("Выехали полтора миллиона человек.", 1_500_000, "persons"),
        ("Выехали два миллиона человек.", 2_000_000, "persons"),
        ("Выехали десять тысяч человек.", 10_000, "persons"),
        ("Выехали два миллиона двести тысяч мигрантов.", 2_200_000, "persons"),
        ("Страну покинули полмиллиона человек.", 500_000, "persons"),
        ("Выехали пятьсот человек.", 500, "persons"),
        ("Каждый пятый житель страны работает за границей.", 20.0, "%"),
        ("Каждый третий мигрант хотел бы вернуться.", 33.33, "%"),
        ("Четверть выпускников уехала.", 25.0, "%"),
        ("Две трети опрошенных мигрантов — мужчины.", 66.67, "%"),
        ("Половина мигрантов — женщины.", 50.0, "%"),
        ("Рост составил 2,5 процентных пункта.", 2.5, "%"),
        ("Рост составил 12 процентов.", 12.0, "%"),
    ],
)
def test_number_formats(text, value, unit):
    f = one(text)
    assert f.value == pytest.approx(value)
    assert f.unit == unit
    assert f.language == "ru"
    assert text[f.start : f.end] in f.text


@pytest.mark.parametrize(
    ("text", "qualifier", "value"),
    [
        ("Около 317 900 трудовых мигрантов работают в России.", "about", 317_900),
        ("Примерно 2 млн человек живут за рубежом.", "about", 2e6),
        ("Порядка 20 тыс. человек вернулись.", "about", 20_000),
        ("Приблизительно 30% населения бедны.", "about", 30.0),
        ("Более 2 млрд долларов США перевели мигранты.", "more than", 2e9),
        ("Свыше 500 тысяч граждан выехали.", "more than", 500_000),
        ("Больше 40% переводов идёт через банки.", "more than", 40.0),
        ("Более чем 100 тыс. человек выехали.", "more than", 100_000),
        ("Менее 5% мигрантов имеют контракт.", "less than", 5.0),
        ("Почти треть ВВП страны — переводы.", "almost", 33.33),
        ("Практически 1 млн человек уехали.", "almost", 1e6),
        ("Не менее 500 тысяч граждан Молдовы проживают за рубежом.", "at least", 500_000),
        ("В офисах работали до 2 млн человек.", "up to", 2e6),
        ("Более половины опрошенных хотят уехать.", "more than", 50.0),
        ("Лишь 2,8% населения получают переводы.", "", 2.8),
    ],
)
def test_qualifiers(text, qualifier, value):
    f = one(text)
    assert f.qualifier == qualifier
    assert f.value == pytest.approx(value)


def test_up_to_after_a_change_is_the_value_reached():
    figs = extract_figures_ru("Доля переводов выросла с 5 до 11% ВВП.")
    assert [(f.value, f.unit, f.qualifier) for f in figs] == [(5.0, "%", ""), (11.0, "%", "")]
    assert one("Население сократилось до 2,9 млн человек.").qualifier == ""


def test_sign_kept_only_where_stated():
    f = one("Сальдо миграции в 2022 г. составило минус 10 тыс. человек.")
    assert (f.value, f.year, f.counts) == (-10_000, 2022, "человек")
    assert find_indicator_ru(f)[0] == "net_migration"
    assert one("Сальдо миграции составило −9 999 человек.").value == -9999
    # a decrease told in words is a magnitude, as written
    assert one("Число мигрантов сократилось на 10 тыс. человек.").value == 10_000
    # a range is not a sign
    assert vals("От 5-10% мигрантов") == [(5.0, "%"), (10.0, "%")]


# -- years ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "year", "period"),
    [
        ("В 2020 году за рубежом жили 1,16 млн человек.", 2020, ""),
        ("По итогам 2020 г. выехали 20 тыс. человек.", 2020, ""),
        ("За 2022 год переводы составили 3,2 млрд долларов.", 2022, ""),
        ("В 2015–2020 годах уехали 1,5 млн человек.", 2020, "2015-2020"),
        ("В 2015-2020 гг. уехали 1,5 млн человек.", 2020, "2015-2020"),
        ("С 2015 по 2020 год уехали 1,5 млн человек.", 2020, "2015-2020"),
        ("В прошлом году уехали 1,5 млн человек.", None, ""),
    ],
)
def test_years(text, year, period):
    f = one(text)
    assert (f.year, f.period) == (year, period)


def test_nearest_year_in_a_long_sentence():
    text = (
        "Если в 2019 году в России работали 2,5 млн граждан Узбекистана, то в 2022 году их "
        "число выросло до 4,5 млн человек."
    )
    a, b = extract_figures_ru(text)
    assert (a.value, a.year) == (2.5e6, 2019)
    assert (b.value, b.year) == (4.5e6, 2022)


# -- not claims ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "Закон вступил в силу 12 марта 2023 г.",
        "Заседание прошло 12.03.2023 в Москве.",
        "Мигрант в возрасте 25 лет задержан.",
        "25-летний мигрант из Грузии прибыл в Россию.",
        "Это молодёжь в возрасте от 18 до 29 лет.",
        "Звоните по телефону +7 (495) 123-45-67.",
        "Горячая линия: 8 800 555-35-35.",
        "Согласно статье 12 и стр. 5 доклада, всё верно.",
        "См. пункт 3 резолюции 2254.",
        "Пандемия COVID-19 ударила по мигрантам.",
        "Встреча началась в 10:30.",
        "В 2023 году встреча прошла в Ереване.",
        "Контракт заключён на 3 года.",
        "Число мигрантов выросло в 2 раза.",
        "Один из крупнейших доноров — Россия.",
        "Тысячи мигрантов и миллионы людей пострадали.",
        "В первой половине 2023 года всё изменилось.",
        "Прошла четверть века.",
    ],
)
def test_not_claims(text):
    assert extract_figures_ru(text) == [], [(f.text, f.value) for f in extract_figures_ru(text)]


def test_counts_of_states_and_offices_are_count():
    text = "В 193 государствах-членах и в 12 офисах МОМ работали до 2 млн человек."
    units = [(f.value, f.unit) for f in extract_figures_ru(text)]
    assert units == [(193.0, "count"), (12.0, "count"), (2e6, "persons")]


def test_counts_phrase_and_offsets_in_item_text():
    text = "Заголовок новости. В 2020 году за рубежом проживали 1,16 млн уроженцев Армении."
    f = one(text)
    assert f.counts == "уроженцев армении"
    assert text[f.start : f.end] == "1,16 млн уроженцев Армении"
    assert f.sentence.startswith("В 2020 году")
    assert f.year == 2020
    g = one("Около 3,7 млн внутренне перемещённых лиц остались.")
    assert g.counts == "внутренне перемещённых лиц"


def test_sentences_split_not_on_abbreviations():
    text = "Переводы составили 1,9 млрд долл. США в 2022 г. Годом ранее — 1,5 млрд долл. США."
    a, b = extract_figures_ru(text)
    assert a.sentence != b.sentence
    assert (a.year, b.year) == (2022, None)
    assert a.value == b.value + 0.4e9


# -- countries and roles --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Армения получила 1 млрд долларов.", [("ARM", "plain")]),
        ("В Армении работают банки.", [("ARM", "in")]),
        ("Переводы в Армению выросли.", [("ARM", "to")]),
        ("Мигранты из Армении вернулись.", [("ARM", "from")]),
        ("Сотрудничество с Арменией укрепилось.", [("ARM", "plain")]),
        ("ВВП Армении вырос.", [("ARM", "in")]),
        ("Население Грузии сокращается.", [("GEO", "in")]),
        ("Рост экономики Азербайджана замедлился.", [("AZE", "in")]),
        ("Грузия и Армения подписали соглашение.", [("GEO", "plain"), ("ARM", "plain")]),
        ("Уроженцы Армении живут в России.", [("ARM", "from"), ("RUS", "in")]),
        ("Граждане Таджикистана уехали в Россию.", [("TJK", "from"), ("RUS", "to")]),
        ("Выходцы из Киргизии работают в Казахстане.", [("KGZ", "from"), ("KAZ", "in")]),
        ("В Республике Молдова растёт эмиграция.", [("MDA", "in")]),
        ("Граждане Республики Молдова уезжают.", [("MDA", "from")]),
        ("Мигранты едут в Республику Молдова.", [("MDA", "to")]),
        ("В Соединённых Штатах живут армяне.", [("USA", "in"), ("ARM", "people")]),
        ("В Кыргызстане и Киргизии — одно и то же.", [("KGZ", "in"), ("KGZ", "in")]),
        ("Мигранты уехали в Кыргызстан.", [("KGZ", "to")]),
        ("Мигранты уехали на Украину.", [("UKR", "to")]),
        ("На Украине остались миллионы.", [("UKR", "in")]),
        ("Переводы из России и Казахстана упали.", [("RUS", "from"), ("KAZ", "from")]),
        ("Переводы в США выросли.", [("USA", "to")]),
        ("В США проживают 2 млн человек.", [("USA", "in")]),
        ("Мигранты уехали в Россию.", [("RUS", "to")]),
        ("Мигранты работают в России.", [("RUS", "in")]),
        ("В РФ и Российской Федерации одно.", [("RUS", "in"), ("RUS", "in")]),
        ("Путь к Турции долог.", [("TUR", "to")]),
        ("Турецкие власти ответили.", [("TUR", "in")]),
        ("Армянский язык и армянская экономика.", [("ARM", "in")]),
        ("Армянская диаспора в России велика.", [("ARM", "people"), ("RUS", "in")]),
        ("Таджикские трудовые мигранты в Москве.", [("TJK", "people"), ("RUS", "in")]),
        ("Вопрос русского языка и российских компаний.", [("RUS", "in")]),
        ("Мигранты выехали во Францию и в Германию.", [("FRA", "to"), ("DEU", "to")]),
        ("В ОАЭ и Чехии, в Великобритании.", [("ARE", "in"), ("CZE", "in"), ("GBR", "in")]),
        ("В Белоруссии, Беларуси и Молдавии.", [("BLR", "in"), ("BLR", "in"), ("MDA", "in")]),
        ("Из Сербии, Черногории и Косово.", [("SRB", "from"), ("MNE", "from"), ("XKX", "from")]),
        ("В Боснии и Герцеговине и Северной Македонии.", [("BIH", "in"), ("MKD", "in")]),
        ("Объём составил 2 млрд долларов США.", []),
        ("Объём составил 2 млрд долл. США.", []),
    ],
)
def test_roles(sentence, expected):
    assert [(g, r) for g, r, _t in geos(sentence)] == expected


def test_every_case_of_armenia():
    s = "Армения, Армении, Армению, Арменией, об Армении."
    ms = geo_mentions_ru(s)
    assert [m.geo for m in ms] == ["ARM"] * 5
    assert [s[m.start : m.end] for m in ms] == [
        "Армения",
        "Армении",
        "Армению",
        "Арменией",
        "Армении",
    ]


def test_demonyms_are_people():
    s = (
        "Армяне, грузины, азербайджанцы, молдаване, таджики, узбеки, кыргызы, киргизы, казахи, "
        "казахстанцы, туркмены, украинцы, белорусы, россияне, сербы, албанцы, боснийцы, "
        "черногорцы, македонцы, косовары, итальянцы, немцы."
    )
    got = [(m.geo, m.role) for m in geo_mentions_ru(s)]
    assert [g for g, _r in got] == [
        "ARM", "GEO", "AZE", "MDA", "TJK", "UZB", "KGZ", "KGZ", "KAZ", "KAZ", "TKM", "UKR",
        "BLR", "RUS", "SRB", "ALB", "BIH", "MNE", "MKD", "XKX", "ITA", "DEU",
    ]  # fmt: skip
    assert {r for _g, r in got} == {"people"}
    assert geos("Десять тысяч армян живут в Лос-Анджелесе.") == [("ARM", "people", "армян")]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Того же мнения придерживаются эксперты.", []),
        ("Для того чтобы уехать, нужны деньги.", []),
        ("Эксперты из Того и Мали приехали.", [("TGO", "from"), ("MLI", "from")]),
        ("Дым чадил над рекой, а мали никто не видел.", []),
        ("Беженцы из Чада прибыли в Нигер.", [("TCD", "from"), ("NER", "to")]),
        ("Нигер и Нигерия приняли беженцев.", [("NER", "plain"), ("NGA", "plain")]),
        ("В Грузии живут 3,7 млн человек.", [("GEO", "in")]),
    ],
)
def test_no_false_countries(sentence, expected):
    assert [(g, r) for g, r, _t in geos(sentence)] == expected


def test_long_press_sentence_several_countries():
    s = (
        "По оценке МОМ, около 2,5 миллиона выходцев из Узбекистана, Таджикистана и Кыргызстана "
        "в 2019 г. работали в РФ, а ещё десятки тысяч уехали в Турцию и Южную Корею."
    )
    assert [(g, r) for g, r, _t in geos(s)] == [
        ("UZB", "from"), ("TJK", "from"), ("KGZ", "from"), ("RUS", "in"), ("TUR", "to"),
        ("KOR", "to"),
    ]  # fmt: skip
    f = extract_figures_ru(s)[0]
    assert (f.value, f.unit, f.qualifier, f.year) == (2.5e6, "persons", "about", 2019)


# -- lemmas and indicators ------------------------------------------------------------------------
def test_lemmas_offsets():
    s = "Денежные переводы в Армению"
    got = lemmas(s)
    assert [lem for _a, _b, lem in got] == ["денежный", "перевод", "в", "армения"]
    assert [s[a:b] for a, b, _l in got] == s.split()


def test_is_russian():
    assert is_russian(WB)
    assert not is_russian("Remittances to Armenia reached 11.2% of GDP in 2021.")
    assert not is_russian("12 345")


def test_synonym_keys_cover_the_checker():
    assert set(INDICATOR_SYNONYMS) <= set(RU_INDICATOR_SYNONYMS)
    for key in ("net_migration", "remittance_cost_corridor_pct", "migrant_stock"):
        assert key in RU_INDICATOR_SYNONYMS
    # every phrase is already in lemma form (lemmatising it changes nothing but "…")
    for phrases in (*RU_INDICATOR_SYNONYMS.values(), RU_LABOUR_LEMMAS):
        for p in phrases:
            assert " ".join(ru._phrase_lemmas(p)) == p, p


@pytest.mark.parametrize(
    ("text", "indicator"),
    [
        ("Около 317 900 трудовых мигрантов из Кыргызстана работают за рубежом.", "emigrant_stock"),
        ("В 2020 году за рубежом проживали 1,16 млн уроженцев Армении.", "emigrant_stock"),
        ("Армянская диаспора насчитывает около 7 млн человек.", "emigrant_stock"),
        ("В Турции живут 3,6 млн беженцев.", "refugees_hosted"),
        ("В стране 45 тыс. просителей убежища.", "asylum_seekers_hosted"),
        ("На Украине остались 3,7 млн внутренне перемещённых лиц.", "idps_conflict_stock"),
        ("Численность населения Грузии составила 3,7 млн человек.", "population"),
        ("Сальдо миграции в 2022 г. составило минус 10 тыс. человек.", "net_migration"),
        ("Объём денежных переводов в Таджикистан за 2022 год превысил $3,2 млрд.",
         "remittances_received_usd"),
        ("Денежные переводы составили почти треть ВВП Таджикистана.",
         "remittances_received_pct_gdp"),
        ("Средняя стоимость денежного перевода в Армению — 2,1%.", "remittance_cost_to_pct"),
        ("В России проживают 1,2 млн уроженцев Таджикистана.", "migrant_stock"),
        ("В США проживают десять тысяч армян.", "migrant_stock"),
        ("В Германии живут 2 млн иммигрантов.", "immigrant_stock"),
    ],
)  # fmt: skip
def test_find_indicator(text, indicator):
    f = extract_figures_ru(text)[-1]
    assert find_indicator_ru(f)[0] == indicator, (f.text, f.counts, find_indicator_ru(f))


def test_labour_wording_flagged():
    f = one("Около 317 900 трудовых мигрантов из Кыргызстана работают в России.")
    assert ru.labour_phrase_ru(f.sentence) == "трудовой мигрант"
    assert ru.labour_phrase_ru("За рубежом живут 1,2 млн эмигрантов.") is None


def test_no_indicator_says_why():
    ind, why = find_indicator_ru(one("В Ереване открыли 12 новых школ."))
    assert ind is None
    assert "новых школ" in why


def test_speed_per_thousand_words():
    """Once pymorphy3 is loaded, 1,000 words of press text take well under a second."""
    geo_mentions_ru("в Армении")  # load the analyser and the name index
    text = " ".join(
        [WB, COST, "Около 317 900 трудовых мигрантов из Кыргызстана работают в России."] * 20
    )
    words = len(text.split())
    t0 = time.perf_counter()
    for _s_start, _e, sentence in ru.split_sentences_ru(text):
        geo_mentions_ru(sentence)
    extract_figures_ru(text)
    per_1000 = (time.perf_counter() - t0) / words * 1000
    assert per_1000 < 2.0


# -- agency-style items ---------------------------------------------------------------------------
SPUTNIK = (
    "ЕРЕВАН, 15 марта — Sputnik. Объем денежных переводов физических лиц в Армению из России в "
    "2022 году вырос почти в 3,6 раза и составил $3,59 млрд, сообщает ЦБ Армении."
)
TASS = (
    "ДУШАНБЕ, 3 февраля. /ТАСС/. Денежные переводы трудовых мигрантов в Таджикистан в 2022 году "
    "составили 51% ВВП страны, или около $5,3 млрд, сообщил Всемирный банк."
)


def test_sputnik_item():
    f = one(SPUTNIK)  # the dateline and "в 3,6 раза" are not claims
    assert (f.value, f.unit, f.year, f.qualifier) == (3.59e9, "US$", 2022, "")
    assert SPUTNIK[f.start : f.end] == "$3,59 млрд"
    assert find_indicator_ru(f)[0] == "remittances_received_usd"
    sentence = ru.split_sentences_ru(SPUTNIK)[1][2]
    assert [(g, r) for g, r, _t in geos(sentence)] == [
        ("ARM", "to"), ("RUS", "from"), ("ARM", "in"),
    ]  # fmt: skip


def test_tass_item():
    a, b = extract_figures_ru(TASS)
    assert (a.value, a.unit, a.counts, a.year) == (51.0, "%", "ввп страны", 2022)
    assert (b.value, b.unit, b.qualifier) == (5.3e9, "US$", "about")
    assert find_indicator_ru(a)[0] == "remittances_received_pct_gdp"
    assert find_indicator_ru(b)[0] == "remittances_received_usd"
    assert "ДУШАНБЕ" not in a.sentence


def test_interfax_compound_number():
    s = (
        "Как сообщает «Интерфакс», численность постоянного населения Республики Молдова на "
        "1 января 2023 года составила 2 миллиона 512 тысяч человек."
    )
    f = one(s)
    assert (f.value, f.unit, f.year) == (2_512_000, "persons", 2023)
    assert s[f.start : f.end] == "2 миллиона 512 тысяч человек"
    assert find_indicator_ru(f)[0] == "population"
    assert geos(s) == [("MDA", "in", "Республики Молдова")]


def test_geostat_flows():
    s = (
        "В Грузии, по данным Geostat, в 2022 году эмигрировали 125 864 человека, а иммигрировали "
        "196 172 человека."
    )
    a, b = extract_figures_ru(s)
    assert (a.value, b.value) == (125_864, 196_172)
    # moves in one year: never compared with the modelled five-year flows nor with a stock
    assert find_indicator_ru(a)[0] not in ("emigration_flow", "emigrant_stock")
    assert find_indicator_ru(b)[0] not in ("immigration_flow", "immigrant_stock")


def test_iom_world_share():
    s = (
        "Согласно докладу МОМ о миграции в мире за 2022 год, в мире насчитывается 281 млн "
        "международных мигрантов, или 3,6% населения планеты."
    )
    a, b = extract_figures_ru(s)
    assert (a.value, a.counts, a.year) == (281e6, "международных мигрантов", 2022)
    assert find_indicator_ru(a)[0] == "immigrant_stock"
    assert (b.value, b.unit) == (3.6, "%")
    assert find_indicator_ru(b)[0] == "immigrant_pct_population"


def test_rosstat_net_migration_two_years():
    s = (
        "Миграционный прирост в России в 2021 году составил 429,9 тыс. человек, в 2022 году — "
        "61,9 тыс."
    )
    a, b = extract_figures_ru(s)
    assert [(f.value, f.year) for f in (a, b)] == [(429_900, 2021), (61_900, 2022)]
    assert {find_indicator_ru(f)[0] for f in (a, b)} == {"net_migration"}
    assert b.unit == "persons"  # carried from the first figure of the same series


def test_diaspora_destinations_and_labour():
    s = (
        "Около 1 млн граждан Молдовы, по разным оценкам, живут и работают за границей, главным "
        "образом в Италии, России и Германии."
    )
    f = one(s)
    assert (f.value, f.qualifier, f.counts) == (1e6, "about", "граждан молдовы")
    assert find_indicator_ru(f)[0] == "emigrant_stock"
    assert ru.labour_phrase_ru(s) == "работать за граница"
    assert [(g, r) for g, r, _t in geos(s)] == [
        ("MDA", "from"), ("ITA", "in"), ("RUS", "in"), ("DEU", "in"),
    ]  # fmt: skip


def test_sentence_initial_country_names():
    assert geos("Чад принял беженцев.") == [("TCD", "plain", "Чад")]
    assert geos("Того же мнения придерживается Того.") == [("TGO", "plain", "Того")]
    assert geos("Перу и Куба подписали соглашение.") == [
        ("PER", "plain", "Перу"), ("CUB", "plain", "Куба"),
    ]  # fmt: skip


def test_thousand_singular_after_qualifier():
    f = one("Около тысячи человек вернулись домой.")
    assert (f.value, f.qualifier, f.unit) == (1000.0, "about", "persons")


def test_other_currencies():
    assert vals("Переводы составили 10 млрд сомони.") == [(1e10, "TJS")]
    assert vals("Переводы составили 500 млн драмов.") == [(5e8, "AMD")]
    assert vals("Переводы составили 2 млрд леев.") == [(2e9, "MDL")]


def test_every_cldr_country_name_is_found():
    """Each country's Russian name (CLDR or the official form) names that country."""
    from migprofile.geo.countries import load_countries
    from migprofile.geo.world_names import place_name

    missed = []
    for c in load_countries():
        name = place_name(c.iso3, "ru")
        if c.obsolete or not name or "о-в" in name or " - " in name or "," in name:
            continue  # islands "о-ва ...", "Конго - Киншаса", "Бонэйр, Синт-Эстатиус и Саба"
        got = [m.geo for m in geo_mentions_ru(f"Об этом сообщает {name}.")]
        if got != [c.iso3]:
            missed.append((c.iso3, name, got))
    assert missed == []


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("В Ливане и на Филиппинах.", [("LBN", "in"), ("PHL", "in")]),
        ("Из Ливана в Филиппины.", [("LBN", "from"), ("PHL", "to")]),
        ("В Папуа — Новой Гвинее и Гвинее-Бисау.", [("PNG", "in"), ("GNB", "in")]),
        ("В ЮАР и Объединённых Арабских Эмиратах.", [("ZAF", "in"), ("ARE", "in")]),
        ("В Соединённых Штатах Америки.", [("USA", "in")]),
        ("Из Доминиканской Республики и Доминики.", [("DOM", "from"), ("DMA", "from")]),
    ],
)
def test_multiword_and_plural_names(sentence, expected):
    assert [(g, r) for g, r, _t in geos(sentence)] == expected


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("Рост был в 2022 г. Годом ранее — спад.", ["Рост был в 2022 г.", "Годом ранее — спад."]),
        ("Встреча прошла в г. Москве. Далее.", ["Встреча прошла в г. Москве.", "Далее."]),
        ("Как сказал В. Путин, всё. Т. е. ничего.", ["Как сказал В. Путин, всё.", "Т. е. ничего."]),
        ("Это 5 млн. В 2021 году меньше.", ["Это 5 млн.", "В 2021 году меньше."]),
        ("Итого 2 млрд долл. США. Далее.", ["Итого 2 млрд долл. США.", "Далее."]),
    ],
)
def test_split_sentences(text, sentences):
    assert [s for _a, _b, s in ru.split_sentences_ru(text)] == sentences


@pytest.mark.parametrize(
    ("text", "value", "qualifier"),
    [
        ("Одна пятая населения уехала.", 20.0, ""),
        ("Две пятых мигрантов — женщины.", 40.0, ""),
        ("Три четверти переводов идут через банки.", 75.0, ""),
        ("Один из пяти мигрантов вернулся.", 20.0, ""),
        ("Один из 10 жителей страны работает за рубежом.", 10.0, ""),
        ("Каждая десятая семья получает переводы.", 10.0, ""),
        ("Почти каждый второй выпускник уезжает.", 50.0, "almost"),
    ],
)
def test_shares_in_words(text, value, qualifier):
    f = one(text)
    assert (f.value, f.unit, f.qualifier) == (value, "%", qualifier)


def test_exceeded_is_more_than_and_latin_suffixes_are_not_numbers():
    assert one("Объём переводов превысил $3,2 млрд.").qualifier == "more than"
    assert vals("Сети 5G охватили 40% страны.") == [(40.0, "%")]
    assert extract_figures_ru("Один из пяти крупнейших банков.") == []


def test_capitals_and_datelines_name_their_country():
    """As the English tagger's CITIES: a dateline or 'в Москве' tells the item's country."""
    assert geos("ЕРЕВАН, 15 марта — Sputnik.") == [("ARM", "plain", "ЕРЕВАН")]
    got = geos("Из Душанбе в Нью-Йорк, в Санкт-Петербурге, в Кишинёве и в Оше.")
    assert [(g, r) for g, r, _t in got] == [
        ("TJK", "from"), ("USA", "to"), ("RUS", "in"), ("MDA", "in"), ("KGZ", "in"),
    ]  # fmt: skip


IOM_RU = (
    "Бишкек, 18 декабря 2023 г. — По оценкам МОМ, за пределами Кыргызстана проживают и работают "
    "свыше 1 млн граждан страны, из них около 640 тыс. — в Российской Федерации. "
    "Денежные переводы в Кыргызстан в 2022 году достигли 2,7 млрд долларов США, или 31% ВВП. "
    "Средняя стоимость отправки 200 долл. США из России в Кыргызстан составляет 1,2%, что ниже "
    "целевого показателя ЦУР 10.c в 3%. "
    "По данным Национального статистического комитета, численность населения республики на "
    "1 января 2023 года составила 7 037 590 человек, а сальдо миграции за 2022 год — минус "
    "5,6 тыс. человек. "
    "Каждый пятый кыргызстанец в возрасте от 18 до 29 лет хотел бы уехать на заработки, "
    "сообщили в представительстве по телефону +996 312 123 456."
)


def test_iom_style_item():
    figs = extract_figures_ru(IOM_RU)
    got = [(f.value, f.unit, f.qualifier, f.year, find_indicator_ru(f)[0]) for f in figs]
    assert got == [
        (1e6, "persons", "more than", None, "emigrant_stock"),
        (640_000, "persons", "about", None, "emigrant_stock"),
        (2.7e9, "US$", "", 2022, "remittances_received_usd"),
        (31.0, "%", "", 2022, "remittances_received_pct_gdp"),
        (1.2, "%", "", None, "remittance_cost_corridor_pct"),
        (7_037_590, "persons", "", 2023, "population"),  # its clause, not the next one's
        (-5600, "persons", "", 2022, "net_migration"),
        (20.0, "%", "", None, None),
    ]
    assert [IOM_RU[a:b] for a, b, _w in reference_amounts_ru(IOM_RU)] == ["200 долл. США", "3%"]
    sentences = [s for _a, _b, s in ru.split_sentences_ru(IOM_RU)]
    assert len(sentences) == 6
    assert [(g, r) for g, r, _t in geos(sentences[1])] == [("KGZ", "from"), ("RUS", "in")]
    assert [(g, r) for g, r, _t in geos(sentences[3])] == [("RUS", "from"), ("KGZ", "to")]


def test_decimal_scale_is_exact():
    assert one("Из России в Узбекистан было переведено $8,2 млрд.").value == 8_200_000_000
    assert one("Население — 2,98 млн человек.").value == 2_980_000


def test_share_verb_is_not_motion():
    s = "Более 70% переводов в Таджикистан приходится на Россию."
    assert [(g, r) for g, r, _t in geos(s)] == [("TJK", "to"), ("RUS", "in")]


def test_people_told_before_a_bare_number():
    s = "Беженцы из Украины: в Польше их 1,6 млн, в Германии — свыше 1 млн."
    assert [(f.value, f.unit, f.qualifier) for f in extract_figures_ru(s)] == [
        (1.6e6, "persons", ""), (1e6, "persons", "more than"),
    ]  # fmt: skip


def test_coordination_needs_the_same_case():
    assert [(g, r) for g, r, _t in geos("Из России, Казахстана и Турции.")] == [
        ("RUS", "from"), ("KAZ", "from"), ("TUR", "from"),
    ]  # fmt: skip
    assert [(g, r) for g, r, _t in geos("В Армению, Грузию и Азербайджан.")] == [
        ("ARM", "to"), ("GEO", "to"), ("AZE", "to"),
    ]  # fmt: skip
    s = "Переводы шли из России, Армения же получила больше."
    assert [(g, r) for g, r, _t in geos(s)] == [("RUS", "from"), ("ARM", "plain")]


def test_hyphenated_pairs_and_hyphenated_names():
    s = "В коридоре Россия-Узбекистан стоимость перевода составила 1,5%."
    assert geos(s) == [("RUS", "from", "Россия"), ("UZB", "to", "Узбекистан")]
    assert find_indicator_ru(one(s))[0] == "remittance_cost_corridor_pct"
    got = geos("В Гвинее-Бисау, Нью-Йорке, Санкт-Петербурге и Коста-Рике.")
    assert [(g, t) for g, _r, t in got] == [
        ("GNB", "Гвинее-Бисау"), ("USA", "Нью-Йорке"), ("RUS", "Санкт-Петербурге"),
        ("CRI", "Коста-Рике"),
    ]  # fmt: skip


def test_first_names_before_a_surname_are_people_not_countries():
    assert geos("Сальвадор Дали — художник.") == []
    assert geos("Израиль Моисеевич сказал, что в Израиле живут армяне.") == [
        ("ISR", "in", "Израиле"), ("ARM", "people", "армяне"),
    ]  # fmt: skip
    assert geos("Сальвадор и Гондурас.") == [
        ("SLV", "plain", "Сальвадор"), ("HND", "plain", "Гондурас"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "value", "unit", "qualifier"),
    [
        ("Выехали сто тысяч человек.", 100_000, "persons", ""),
        ("Прибыли триста двадцать тысяч мигрантов.", 320_000, "persons", ""),
        ("Это двадцать пять процентов ВВП.", 25.0, "%", ""),
        ("Переводы составили пять миллиардов долларов.", 5e9, "US$", ""),
        ("Около миллиона человек уехали.", 1e6, "persons", "about"),
        ("Свыше двух миллионов граждан уехали.", 2e6, "persons", "more than"),
        ("Около сорока тысяч беженцев.", 40_000, "persons", "about"),
        ("Тысяча мигрантов прибыла.", 1000, "persons", ""),
        ("Полтора миллиарда рублей.", 1.5e9, "RUB", ""),
        ("Более 1,5 тысячи человек.", 1500, "persons", "more than"),
    ],
)
def test_numbers_in_words(text, value, unit, qualifier):
    f = one(text)
    assert (f.value, f.unit, f.qualifier) == (value, unit, qualifier)


@pytest.mark.parametrize(
    "text", ["Десятки тысяч мигрантов.", "Несколько тысяч человек.", "Сотни тысяч людей."]
)
def test_vague_amounts_are_not_claims(text):
    assert extract_figures_ru(text) == []


def test_every_russian_indicator_has_its_units_in_the_one_table():
    from migprofile.news.russian import RU_INDICATOR_SYNONYMS
    from migprofile.news.vocabulary import INDICATOR_UNITS

    assert set(RU_INDICATOR_SYNONYMS) <= set(INDICATOR_UNITS)
