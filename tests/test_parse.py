"""HTML pages to body text and metadata, without the network."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from lxml import etree
from trafilatura.xml import xmltotxt

from extractor.parse import (
    article_region,
    clean_body,
    date_from_url,
    dateline_date,
    decode_html,
    load_tree,
    parse_date,
    parse_html,
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
    in a local newspaper, and repeated several times in the weeks after that.</p></body></html>"""
    assert parse_html(html, Source()).source.published is None
