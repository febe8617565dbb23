"""HTML pages to body text and metadata, without the network."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from lxml import etree
from trafilatura.xml import xmltotxt

from extractor.parse import (
    LONE_DATE,
    PUBLISHED_PRECEDENCE,
    article_region,
    choose_date,
    clean_author,
    clean_body,
    copyright_holder,
    date_from_url,
    dateline_date,
    decode_html,
    htmldate_signal,
    load_tree,
    main_block_length,
    parse_date,
    parse_html,
    split_site_name,
)
from extractor.record import Source, sha256_text

PAGES = Path(__file__).parent / "pages"


def page(name: str, **source: str) -> tuple[str, Source]:
    return decode_html((PAGES / name).read_bytes()), Source(**source)


def test_json_ld_metadata_and_clean_body():
    article = parse_html(*page("jsonld_article.html"))
    src = article.source
    assert src.title == "Deminers clear 120 hectares of farmland near Riverton"
    assert (src.publisher, src.author) == ("The Valley Courier", "Amina Karimova, Tom Reyes")
    assert (src.published, src.modified, src.language) == ("2024-04-20", "2024-04-25", "en")
    lines = article.text.split("\n")
    assert not lines[0].startswith("Deminers clear 120")  # the headline is metadata
    assert any(line.startswith("The centre said its teams found") for line in lines)
    assert "Related stories" not in article.text and "Copyright" not in article.text
    assert src.sha256 == sha256_text(article.text)


def test_open_graph_byline_time_and_last_update():
    src = parse_html(*page("og_byline.html")).source
    assert (src.title, src.publisher, src.author) == (
        "Survey finds fewer mine victims this year", "Harbour Times", "Lena Ortiz")
    assert src.published == "2024-04-22"  # <time> under "Published:"
    assert src.modified == "2024-04-25"  # "Last update: April 25, 2024 03:48"
    assert src.canonical_url == "https://harbour.example.net/news/fewer-mine-victims"


def test_dateline_without_year_takes_the_year_of_the_update():
    article = parse_html(*page("dateline.html"))
    assert article.source.published == "2024-02-12"
    assert article.source.modified == "2024-02-14"
    assert article.text.startswith("BAKU, Azerbaijan, February 12.")  # date line dropped


def test_placeholder_dates_are_no_date():
    src = parse_html(*page("placeholder_dates.html")).source
    assert src.published is None and src.modified is None


def test_date_in_url_and_without_it():
    html, _ = page("url_dated.html")
    with_url = parse_html(html, Source(url="https://example.org/2024/03/05/bomb.html"))
    assert with_url.source.published == "2024-03-05"
    without = parse_html(html, Source(url="https://example.org/2024/03/05/bomb.html"),
                         use_url=False)
    assert without.source.published is None


def test_values_on_source_win_over_the_page():
    html, _ = page("jsonld_article.html")
    src = parse_html(html, Source(path="saved.html", title="Given title",
                                  published="2024-01-01")).source
    assert (src.path, src.title, src.published) == ("saved.html", "Given title", "2024-01-01")
    assert src.modified == "2024-04-25"  # not given, so the page's


def test_utc_timestamp_defers_to_the_shown_local_day():
    html = """<html><head>
    <meta property="article:published_time" content="2019-11-20T01:50:59Z"></head><body>
    <div class="published-date">Nov. 19, 2019 5:50 PM</div>
    <p>One paragraph that is long enough to be taken as the article body by the extractor,
    with a few more words so that it is not mistaken for boilerplate text.</p></body></html>"""
    assert parse_html(html, Source()).source.published == "2019-11-19"


def test_empty_page_raises():
    with pytest.raises(ValueError, match="empty page"):
        parse_html("  \n", Source())


@pytest.mark.parametrize("data", [bytes(range(256)) * 20, b"\x89PNG\r\n\x1a\n" + bytes(4000)])
def test_binary_data_raises(data: bytes):
    with pytest.raises(ValueError, match="binary"):
        parse_html(decode_html(data), Source())


def test_decode_order_header_meta_detection():
    text = "Саперы очистили поля у реки и нашли сорок мин, сообщил центр."
    meta_page = f'<meta charset="windows-1251"><p>{text}</p>'.encode("cp1251")
    assert text in decode_html(meta_page)
    assert text in decode_html(f"<p>{text}</p>".encode("koi8-r"), "koi8-r")
    assert text in decode_html(f"<p>{text}</p>".encode(), "no-such-charset")
    assert "é" in decode_html("<p>café</p>".encode("latin-1"), "iso-8859-1")


@pytest.mark.parametrize(("text", "expected"), [
    ("2024-04-25T03:48:00+04:00", "2024-04-25"),
    ("Last update: April 25, 2024 03:48", "2024-04-25"),
    ("25th of April, 2024", "2024-04-25"),
    ("Tue Nov 19 2019 03:05:46 GMT+0000", "2019-11-19"),
    ("20191118", "2019-11-18"),
    ("0001-01-01T00:00:00", None),
    ("1970-01-01", None),
    ("2024-02-30", None),
    ("no date here", None),
])
def test_parse_date(text: str, expected: str | None):
    assert parse_date(text) == expected


def test_future_dates_are_refused():
    assert parse_date("2031-05-01", latest=date(2026, 1, 1)) is None


@pytest.mark.parametrize(("url", "expected"), [
    ("https://a.example/2019/11/19/story.html", "2019-11-19"),
    ("https://a.example/story/2019-11-19/slug", "2019-11-19"),
    ("https://a.example/tuft-cells-20191115/", "2019-11-15"),
    ("https://a.example/news/471031-new-york", None),
    ("https://a.example/2019/11/story.html", None),
])
def test_date_from_url(url: str, expected: str | None):
    assert date_from_url(url) == expected


def test_dateline_year_is_the_latest_before_the_reference():
    text = "BAKU, Azerbaijan, December 30. Text follows."
    assert dateline_date(text, date(2024, 1, 2)) == "2023-12-30"
    assert dateline_date("Nothing here, just prose.", date(2024, 1, 2)) is None


def test_saved_page_in_windows_1251_through_the_pipeline(tmp_path: Path):
    from extractor.pipeline import article_from_file

    saved = tmp_path / "saved.html"
    saved.write_bytes((PAGES / "cp1251_meta_only.html").read_bytes())
    article = article_from_file(saved)
    assert "Саперные группы очистили" in article.text
    assert article.source.path == str(saved) and article.source.url is None


def test_body_clean_up_drops_link_lists_but_keeps_linked_prose_and_plain_lists():
    prose = ("Survey teams walked the northern fields for three weeks and marked every "
             "suspected hazardous area they found with red stakes, so that the clearance "
             "teams arriving in spring can begin at once where the risk is greatest for the "
             "families who farm there, before the ploughing season starts in the valley.")
    # The shape of trafilatura's output tree, links kept as <ref>.
    body = etree.fromstring(f"""<body>
      <head rend="h1">Field survey finishes</head><p>Last update: May 3, 2024 10:00</p>
      <p>The survey of the northern district ended on Friday.</p>
      <p><ref target="/partner">{prose}</ref></p>
      <p><ref target="/x">Read more: demining in the south</ref></p>
      <list><item>North fields: 12 hazardous areas</item><item>River meadows: 4</item></list>
      <p>The final report will be published next month.</p>
      <head rend="h3">More stories</head>
      <list><item><ref target="/a">Dogs trained to find mines arrive</ref></item>
            <item><ref target="/b">School lessons on mine risk start</ref></item></list>
    </body>""")
    clean_body(body)
    text = xmltotxt(body, include_formatting=False).strip()
    assert text.startswith("The survey of the northern district")  # headline, date line gone
    assert prose in text  # a whole paragraph inside one link is still prose
    assert "Read more" not in text  # a short linked line is not
    assert "North fields: 12 hazardous areas" in text  # a plain list in the body stays
    assert "More stories" not in text and "Dogs trained" not in text


def test_article_region_is_the_smallest_element_holding_the_paragraphs():
    paragraphs = "".join(f"<p>Paragraph {n} says the teams cleared {n * 10} hectares of land "
                         "near the river and destroyed the mines found there.</p>"
                         for n in range(1, 9))
    extra = "<div class='promo'><p>Our print edition arrives every Thursday.</p></div>"
    page = f"<html><body><main><article>{paragraphs}</article>{extra}</main></body></html>"
    region = article_region(load_tree(page))
    text = region.find("body").text_content()
    assert "Paragraph 8 says" in text and "print edition" not in text
    assert region.find("body")[0].tag == "article"

    # An <article> holding a small part of the text is not the article.
    page = (f"<html><body><article><p>Short teaser.</p></article><div>{paragraphs}</div>"
            "</body></html>")
    tree = load_tree(page)
    assert article_region(tree) is tree


@pytest.mark.parametrize(("shown", "expected"), [
    ("Monday, November 18, 2019", "2019-11-18"),
    ("November 20, 2019 - 11:28 AMT", "2019-11-20"),
    ("- November 20, 2019, 10:54 am", "2019-11-20"),
    ("on November 14, 2019", "2019-11-14"),
    ("25. September 2018", "2018-09-25"),
])
def test_a_lone_date_line_dates_a_page_without_metadata(shown: str, expected: str):
    html = f"""<html><body><div class="top"><span>{shown}</span></div>
    <p>A paragraph that is long enough to be the article body, with a few more words so
    that the extractor keeps it as the text of the page.</p>
    <p>Figures for 1999 and 2003 were lower, the report said on Tuesday.</p></body></html>"""
    assert parse_html(html, Source()).source.published == expected


def test_a_date_inside_a_sentence_is_not_a_lone_date():
    html = """<html><body><p>The claim was made on Sunday, October 13th, 2019 in an article
    in a local newspaper, and repeated several times in the weeks after that.</p>
    <div class="top"><span>November 2, 2019</span></div></body></html>"""
    assert not LONE_DATE.match("The claim was made on Sunday, October 13th, 2019 in an article")
    assert parse_html(html, Source()).source.published == "2019-11-02"


# ---------------------------------------------------------------- pages from the open web
# Pages written for these tests in the layouts of non-English news sites (fictional outlets
# and people). tests/pages/dates.json gives each page's publication date; the benchmark
# (benchmarks/article_extraction.py) scores newsfacts and htmldate on the same list.

PAGE_DATES = json.loads((PAGES / "dates.json").read_text("utf-8"))


@pytest.mark.parametrize(("name", "expected"), sorted(PAGE_DATES.items()))
def test_publication_date_of_each_test_page_without_the_url(name: str, expected: str):
    html, _ = page(name)
    assert parse_html(html, Source(), use_url=False).source.published == expected


@pytest.mark.parametrize(("text", "language", "expected"), [
    ("Veröffentlicht am 15. März 2023, 10:15 Uhr", "de", "2023-03-15"),
    ("Publié le 7 avril 2022 à 14h30", "fr", "2022-04-07"),
    ("Martes, 2 de noviembre de 2021", "es", "2021-11-02"),
    ("15 марта 2023 г.", "ru", "2023-03-15"),
    ("١٥ ديسمبر ٢٠٢٢", "ar", "2022-12-15"),
    ("15.03.2023, 10:15", None, "2023-03-15"),
    ("03/04/2024", "en-GB", "2024-04-03"),  # day first
    ("03/04/2024", "en-US", "2024-03-04"),  # month first
    ("13/04/2024", "en-US", "2024-04-13"),  # 13 can only be the day
    ("2023/03/15", None, "2023-03-15"),
])
def test_parse_date_in_other_languages_and_numeric_orders(text: str, language: str | None,
                                                          expected: str):
    assert parse_date(text, language=language) == expected


def _precedence_page(*parts: str) -> str:
    head = "".join(p for p in parts if p.startswith(("<meta", "<script", "<link")))
    body = "".join(p for p in parts if not p.startswith(("<meta", "<script", "<link")))
    return (f"<html><head>{head}</head><body><div class='story'>{body}"
            "<p>The teams cleared the fields near the river and destroyed the mines they "
            "found there, the agency said in its weekly report on the work.</p>"
            "<p>Clearance of the next areas will start when the ground dries out.</p>"
            "</div></body></html>")


CANONICAL = '<link rel="canonical" href="https://example.org/news/2024/01/06/fields.html">'
JSON_LD_ARTICLE = ('<script type="application/ld+json">{"@type": "NewsArticle", '
                   '"datePublished": "2024-01-05T10:00:00+04:00"}</script>')
META = '<meta property="article:published_time" content="2024-01-04T10:00:00+04:00">'
TIME = '<span class="published"><time datetime="2024-01-03T10:00:00+04:00">3 Jan</time></span>'
JSON_LD_PAGE = ('<script type="application/ld+json">{"@type": "WebPage", '
                '"datePublished": "2024-01-02T10:00:00+04:00"}</script>')
LABEL = "<div class='info'>Veröffentlicht: 01.01.2024</div>"
LONE = "<div class='info'>31 December 2023</div>"
IMAGE = '<img src="https://example.org/uploads/2023/12/30/field.jpg">'

# Each signal of the precedence against the next one: the first gives the date.
SIGNAL_PAGES = [
    ("canonical_url", "2024-01-06", [CANONICAL, JSON_LD_ARTICLE]),
    ("json_ld", "2024-01-05", [JSON_LD_ARTICLE, META]),
    ("meta", "2024-01-04", [META, TIME]),
    ("time", "2024-01-03", [TIME, JSON_LD_PAGE]),
    ("json_ld_page", "2024-01-02", [JSON_LD_PAGE, LABEL]),
    ("label", "2024-01-01", [LABEL, LONE]),
    ("lone_date", "2023-12-31", [LONE, IMAGE]),
    ("htmldate", "2023-12-30", [IMAGE]),  # a date only in an image's URL: htmldate's find
]


@pytest.mark.parametrize(("source", "expected", "parts"), SIGNAL_PAGES,
                         ids=[s for s, _, _ in SIGNAL_PAGES])
def test_each_date_signal_beats_the_next_in_the_precedence(source: str, expected: str,
                                                           parts: list[str]):
    assert source in PUBLISHED_PRECEDENCE
    html = _precedence_page(*parts)
    assert parse_html(html, Source(), use_url=False).source.published == expected
    if len(parts) > 1:  # the next signal alone gives its own, different date
        alone = parse_html(_precedence_page(*parts[1:]), Source(), use_url=False)
        assert alone.source.published not in (None, expected)


def test_the_url_beats_every_signal_of_the_page():
    html = _precedence_page(CANONICAL, JSON_LD_ARTICLE)
    src = parse_html(html, Source(url="https://example.org/2024/01/07/fields.html")).source
    assert src.published == "2024-01-07"


def test_sources_are_asked_in_order_and_only_until_one_gives_a_date():
    asked = []

    def source(name: str, values: list[str]):
        return lambda: asked.append(name) or values

    signals = {name: source(name, []) for name in PUBLISHED_PRECEDENCE}
    signals["meta"] = source("meta", ["2024-01-04T10:00:00+04:00"])
    choice = choose_date(signals, PUBLISHED_PRECEDENCE, date(2025, 1, 1))
    assert (choice.day, choice.source) == ("2024-01-04", "meta")
    assert asked == list(PUBLISHED_PRECEDENCE[:PUBLISHED_PRECEDENCE.index("meta") + 1])


def test_json_ld_webpage_gives_the_date_and_a_website_founding_date_does_not():
    src = parse_html(*page("es_jsonld_webpage.html")).source
    assert (src.published, src.modified) == ("2021-11-02", "2021-11-03")
    assert src.publisher == "Diario Ejemplo"


def test_dc_date_meta_tag():
    src = parse_html(*page("ar_dc_date.html")).source
    assert src.published == "2022-12-15"
    assert src.title == "فرق نزع الألغام تطهر أراضي زراعية"  # the site name split off
    assert src.publisher == "صحيفة المثال"  # from the copyright line


def test_a_time_element_in_page_furniture_is_not_the_article_date():
    html = _precedence_page(
        "<aside class='related'><time datetime='2020-01-01'>1 January 2020</time></aside>",
        "<time datetime='2023-03-15T12:40:00+03:00'>15 March</time>")
    assert parse_html(html, Source()).source.published == "2023-03-15"


def test_a_full_date_beats_a_year_less_dateline_and_htmldates_byline_date():
    html, source = page("dateline_and_full_date.html")
    tree = load_tree(html)
    assert htmldate_signal(tree, True, date(2026, 1, 1)) == "2023-03-14"  # the byline's
    src = parse_html(html, source).source
    assert src.published == "2022-12-15"  # "15 December 2022 16:17 (UTC +04:00)"
    assert src.title == "Deminers find 300 mines near the reservoir - officer"
    assert (src.publisher, src.author) == ("Caspian Wire", "Leyla Aliyeva")


def test_a_year_less_dateline_alone_takes_no_year_from_today():
    html = _precedence_page("<p>BAKU, Azerbaijan, February 12. The agency reported the "
                            "results of the clearance of the district in its statement.</p>")
    assert parse_html(html, Source(fetched_at="2025-03-01T10:00:00Z")).source.published is None
    assert dateline_date("BAKU, Azerbaijan, February 12. Text.", None) is None
    assert dateline_date("BERLIN, 12. März. Text.", date(2024, 5, 1)) == "2024-03-12"


def test_german_page_numeric_dates_copyright_publisher_and_title():
    article = parse_html(*page("de_numeric_dates.html"))
    src = article.source
    assert (src.published, src.modified) == ("2023-03-15", "2023-03-16")
    assert src.title == "Kampfmittelräumdienst birgt Fliegerbombe am Hafen"
    assert src.publisher == "Nordkurier Beispiel"
    assert article.text.startswith("Der Kampfmittelräumdienst hat am Mittwoch")


def test_french_page_labels_and_site_name():
    article = parse_html(*page("fr_text_dates.html"))
    src = article.source
    assert (src.published, src.modified) == ("2022-04-07", "2022-04-08")
    assert (src.title, src.publisher) == ("Déminage : 40 hectares rendus aux agriculteurs",
                                          "Le Courrier Exemple")
    assert article.text.startswith("Les équipes de déminage")  # byline, date lines dropped


def test_blog_posting_author_is_cleaned_of_the_role():
    src = parse_html(*page("ru_blogposting.html")).source
    assert (src.published, src.author) == ("2023-03-15", "Иван Петров")
    assert src.title == "Саперы очистили поля под Примерском"


@pytest.mark.parametrize(("raw", "expected"), [
    ("Leyla Aliyeva, 14 March 2023", "Leyla Aliyeva"),
    ("By Lena Ortiz, Staff Writer", "Lena Ortiz"),
    ("Von Anna Schmidt, Korrespondentin", "Anna Schmidt"),
    ("Amina Karimova, Tom Reyes", "Amina Karimova, Tom Reyes"),
    ("Tom Reyes | Updated 12.05.2024", "Tom Reyes"),
    ("Sam Ortiz @samortiz Nov 19, 2019 at 6:46 pm ET", "Sam Ortiz"),  # handle, time
    ("By JANE ROE, Regional Sports Writer", "JANE ROE"),  # a part ending in a role
    ("staff writer", None),
])
def test_clean_author(raw: str, expected: str | None):
    assert clean_author(raw) == expected


@pytest.mark.parametrize(("title", "names", "expected"), [
    ("Mines cleared - officer | Trend", ["trend"], "Mines cleared - officer"),
    ("Harbour Times | Survey finds fewer victims", ["Harbour Times"], "Survey finds fewer victims"),
    ("Mines cleared - officer | Trend", ["Valley Courier"], "Mines cleared - officer | Trend"),
    ("Mines cleared - officer", [], "Mines cleared - officer"),
    ("Survey finds fewer victims - harbour.example", ["harbour"], "Survey finds fewer victims"),
    # A segment that only mentions the site is not the site's name.
    ("The Courier view on clearance: a slow job | Editorial", ["The Courier"],
     "The Courier view on clearance: a slow job | Editorial"),
])
def test_split_site_name(title: str, names: list[str], expected: str):
    assert split_site_name(title, names) == expected


def test_copyright_holder():
    assert copyright_holder("Contact us\n© 2019-2023 Example News. All rights reserved.") == (
        "Example News")
    assert copyright_holder("Copyright 2021 by Daily Sample\nImprint") == "Daily Sample"
    assert copyright_holder("No notice here") is None
    assert copyright_holder("©\nHow we test our new sensors") is None  # not on its line


def test_a_post_inside_noscript_is_the_body():
    article = parse_html(*page("noscript_blog.html"))
    assert article.text.startswith("We arrived at the camp")
    assert "27 mines" in article.text and "cookies" not in article.text


def test_a_post_inside_nav_is_the_body_and_a_menu_nav_is_not():
    post = "".join(f"<p>Paragraph {n}: the deminers worked along the river bank for the "
                   f"whole day and cleared {n * 100} square metres of the field.</p>"
                   for n in range(1, 6))
    html = (f"<html><body><nav><a href='/'>Home</a> <a href='/about'>About</a></nav>"
            f"<nav class='post'>{post}</nav></body></html>")
    text = parse_html(html, Source()).text
    assert "Paragraph 5: the deminers" in text and "About" not in text


def test_control_characters_are_stripped_before_parsing():
    raw = (PAGES / "bel_control_chars.html").read_bytes()
    assert b"\x07" in raw
    article = parse_html(decode_html(raw), Source())
    assert "at dawn and began marking" in article.text and "\x07" not in article.text


def test_main_block_is_the_largest_block_of_paragraphs():
    tree = load_tree("<html><body><div><p>aaaa</p><p>bbbb</p></div>"
                     "<div><p>cccccc</p></div></body></html>")
    assert main_block_length(tree) == 8


def test_an_article_split_into_blocks_between_ads_is_kept_whole():
    # trafilatura's fast mode keeps the first "article-body" block only (the shape of two
    # Wired pages of the Zyte set); the article region's paragraphs are the fallback.
    block = "".join(f"<p>Block {{b}} paragraph {n}: the survey teams mapped the suspected "
                    "hazardous areas of the district and handed the maps to the clearance "
                    "teams working there.</p>" for n in range(1, 4))
    chunks = "".join(f"<div class='grid'><div class='article-body'>{block.format(b=b)}</div>"
                     "<div class='ad'><a href='/x'>Buy now</a></div></div>" for b in range(1, 5))
    html = (f"<html><body><article><h1>Survey ends</h1><div class='chunks'>{chunks}</div>"
            "<div class='comments'><p>First comment: great work, thanks to the teams!</p>"
            "</div></article></body></html>")
    text = parse_html(html, Source()).text
    assert all(f"Block {b} paragraph 3" in text for b in range(1, 5))
    assert "Buy now" not in text and "First comment" not in text


def test_todays_date_in_the_site_header_is_not_the_lone_date_of_the_article():
    html = ("<html><body><header class='site'><span>Monday, 12 May 2025</span></header>"
            "<article><header><h1>Teams clear the meadow</h1><span>3 May 2025</span></header>"
            "<p>The survey teams cleared the meadow by the river and handed it back to the "
            "village, the agency said in its statement on the work of the week.</p>"
            "<p>More fields will be cleared in the summer.</p></article></body></html>")
    assert parse_html(html, Source()).source.published == "2025-05-03"
