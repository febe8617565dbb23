"""Inputs to articles: each bad item is its own error, and the batch goes on."""

from __future__ import annotations

import json
from pathlib import Path

from extractor import pipeline
from extractor.record import Article, ItemError, sha256_text


def _load(*specs: str) -> list[Article | ItemError]:
    return list(pipeline.load_articles(specs))


def test_text_file_becomes_article_with_hash_of_its_text(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_text("Sappers cleared 12 hectares.", encoding="utf-8")
    [article] = _load(str(path))
    assert isinstance(article, Article)
    assert article.text == "Sappers cleared 12 hectares."
    assert article.source.path == str(path)
    assert article.source.sha256 == sha256_text(article.text)


def test_corpus_json_keeps_source_metadata(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text(json.dumps({
        "url": "https://example.org/n/1", "publisher": "Example", "published": "2024-10-14",
        "text": "64 anti-tank mines were found.", "gold": [],
    }), encoding="utf-8")
    [article] = _load(str(path))
    assert isinstance(article, Article)
    assert (article.source.url, article.source.publisher, article.source.published) == (
        "https://example.org/n/1", "Example", "2024-10-14")


def test_mixed_folder_gives_one_error_per_bad_file_and_keeps_the_good(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("Deminers found 3 mines.", encoding="utf-8")
    (tmp_path / "good.json").write_text(json.dumps({"text": "7 mines."}), encoding="utf-8")
    (tmp_path / "no_text.json").write_text(json.dumps({"url": "https://x.org"}), encoding="utf-8")
    (tmp_path / "broken.json").write_text('{"text": "unterminated', encoding="utf-8")
    (tmp_path / "list.json").write_text("[1, 2]", encoding="utf-8")
    (tmp_path / "latin1.txt").write_bytes("Déminage à Kalbajar".encode("latin-1"))
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blob.bin").write_bytes(bytes(range(256)) * 4)
    items = _load(str(tmp_path))
    by_name = {Path(i.source.path or "").name: i for i in items}
    assert set(by_name) == {"good.txt", "good.json", "no_text.json", "broken.json", "list.json",
                            "latin1.txt", "empty.txt", "blob.bin"}
    assert isinstance(by_name["good.txt"], Article)
    assert isinstance(by_name["good.json"], Article)
    assert by_name["latin1.txt"].text == "Déminage à Kalbajar"  # detected, not refused
    errors = {name: item for name, item in by_name.items() if isinstance(item, ItemError)}
    assert set(errors) == {"no_text.json", "broken.json", "list.json", "empty.txt", "blob.bin"}
    assert "no 'text'" in errors["no_text.json"].message
    assert "malformed JSON" in errors["broken.json"].message
    assert errors["empty.txt"].message == "empty file"
    assert errors["blob.bin"].kind == "decode"


def test_missing_path_is_an_error_not_a_crash(tmp_path: Path) -> None:
    [item] = _load(str(tmp_path / "nope.txt"))
    assert isinstance(item, ItemError)
    assert "no such file" in item.message


def test_url_like_arguments_are_told_apart_from_paths(tmp_path: Path) -> None:
    assert pipeline.is_url("https://example.org/a")
    assert pipeline.is_url("ftp://example.org/a")
    assert pipeline.is_url("javascript:alert(1)")
    assert not pipeline.is_url(str(tmp_path / "a.txt"))
    assert not pipeline.is_url("corpus/a.json")


def test_url_list_skips_blank_lines_and_comments(tmp_path: Path) -> None:
    path = tmp_path / "urls.txt"
    path.write_text("# archive\nhttps://a.org/1\n\n  https://b.org/2  \n", encoding="utf-8")
    assert pipeline.read_url_list(str(path)) == ["https://a.org/1", "https://b.org/2"]


def test_corpus_json_whose_html_is_not_a_page_is_that_files_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"text": "", "html": "\x00\x01\x02" * 500}), encoding="utf-8")
    good = tmp_path / "good.txt"
    good.write_text("Deminers found 3 mines.", encoding="utf-8")
    [error, article] = _load(str(bad), str(good))
    assert isinstance(error, ItemError) and error.kind == "parse"
    assert "binary" in error.message
    assert isinstance(article, Article)
