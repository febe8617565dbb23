"""`newsfacts extract` end to end: inputs of every kind, output formats, exit statuses."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

from conftest import Reply

from extractor import store
from extractor.cli import main
from extractor.record import Figure, Source, sha256_text

REPO = Path(__file__).resolve().parent.parent
WEEKLY = (
    "BAKU, Azerbaijan, October 14. From October 7 to October 13, 2024, 64 anti-tank mines "
    "and 141 anti-personnel mines were found and neutralized in the liberated territories, "
    "the Mine Action Agency (ANAMA) said. In total, 1,198.7 hectares of land were cleared "
    "of mines."
)
PAGE = f"""<!doctype html><html lang="en"><head><title>Weekly demining report</title>
<meta property="og:site_name" content="Loopback News">
<script type="application/ld+json">{{"@type": "NewsArticle",
 "headline": "Weekly demining report", "datePublished": "2024-10-14T10:08:42+04:00"}}</script>
</head><body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Weekly demining report</h1><p>{WEEKLY}</p></article>
<footer>Copyright Loopback News</footer></body></html>"""


def _run(args: list[str], capsys) -> tuple[int, list[dict], str]:
    status = main(args)
    captured = capsys.readouterr()
    rows = [json.loads(line) for line in captured.out.splitlines() if line.strip()]
    return status, rows, captured.err


def test_text_file_gives_records_whose_offsets_cut_their_evidence(tmp_path, capsys) -> None:
    path = tmp_path / "weekly.json"
    path.write_text(json.dumps({"text": WEEKLY, "published": "2024-10-14",
                                "url": "https://example.org/w"}), encoding="utf-8")
    status, rows, _ = _run(["extract", str(path)], capsys)
    assert status == 0
    found = {(r["metric"], r["subtype"], r["value"]) for r in rows}
    assert ("mines_neutralized", "anti_tank", 64) in found
    assert ("mines_neutralized", "anti_personnel", 141) in found
    assert ("area_cleared", None, 1198.7) in found
    for row in rows:
        assert WEEKLY[row["start"]:row["end"]] == row["evidence"]
        assert row["source"]["sha256"] == sha256_text(WEEKLY)
        assert row["source"]["url"] == "https://example.org/w"
        assert row["source"]["path"] == str(path)
        assert row["extractor"]["version"]


def test_bad_items_get_error_records_and_the_batch_goes_on(tmp_path, capsys) -> None:
    good = tmp_path / "good.txt"
    good.write_text(WEEKLY, encoding="utf-8")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    status, rows, err = _run(["extract", str(bad), str(tmp_path / "missing.txt"), str(good)],
                             capsys)
    assert status == 1
    errors = [r for r in rows if "error" in r]
    assert [e["source"]["path"] for e in errors] == [str(bad), str(tmp_path / "missing.txt")]
    assert any(r.get("metric") == "area_cleared" for r in rows)
    assert "malformed JSON" in err and "no such file" in err


def test_csv_and_table_formats_written_to_a_file(tmp_path, capsys) -> None:
    src = tmp_path / "w.txt"
    src.write_text(WEEKLY, encoding="utf-8")
    out_csv = tmp_path / "out.csv"
    assert main(["extract", str(src), "--format", "csv", "-o", str(out_csv)]) == 0
    table = list(csv.DictReader(io.StringIO(out_csv.read_text(encoding="utf-8"))))
    assert {row["metric"] for row in table} >= {"mines_neutralized", "area_cleared"}
    assert all(row["source.path"] == str(src) for row in table)
    out_table = tmp_path / "out.txt"
    assert main(["extract", str(src), "--format", "table", "-o", str(out_table)]) == 0
    lines = out_table.read_text(encoding="utf-8").splitlines()
    assert lines[0].split()[:3] == ["metric", "subtype", "value"]
    assert any("1198.7" in line for line in lines[2:])
    capsys.readouterr()


def test_fetched_page_carries_fetch_provenance(page_server, tmp_path, capsys) -> None:
    page_server.add("/news/weekly.html", Reply(body=PAGE.encode("utf-8")))
    page_server.add("/gone", Reply(status=404, body=b"no"))
    url, gone = page_server.url("/news/weekly.html"), page_server.url("/gone")
    args = ["extract", url, gone, "ftp://example.org/x", "--allow-private", "--delay", "0",
            "--retries", "0", "--cache-dir", str(tmp_path / "cache")]
    status, rows, _ = _run(args, capsys)
    assert status == 1
    figures = [r for r in rows if "metric" in r]
    assert figures, rows
    source = figures[0]["source"]
    assert source["url"] == url and source["final_url"] == url and source["status"] == 200
    assert source["published"].startswith("2024-10-14")
    assert source["fetched_at"].endswith("Z") or "+00:00" in source["fetched_at"]
    errors = {r["source"]["url"]: r["error"]["kind"] for r in rows if "error" in r}
    assert set(errors) == {gone, "ftp://example.org/x"}


def test_malformed_arguments_exit_2_with_a_message() -> None:
    for args in (["extract", "x.txt", "--concurrency", "0"],
                 ["extract", "x.txt", "--delay", "soon"],
                 ["extract", "x.txt", "--format", "xml"],
                 ["extract"]):
        result = subprocess.run([sys.executable, str(REPO / "cli.py"), *args],
                                capture_output=True, text=True, cwd=REPO, timeout=120)
        assert result.returncode == 2, (args, result.stderr)
        assert result.stderr.strip()
        assert result.stdout == ""


def _filler(size: int) -> str:
    """`size` characters of paragraphs without figures, in few tokens (long words), so a
    multi-megabyte text stays quick to parse."""
    paragraph = " ".join(["lorem" + "ipsum" * 19] * 20) + ".\n\n"
    return (paragraph * (size // len(paragraph) + 1))[:size]


def test_a_text_over_the_parser_limit_is_read_in_pieces_with_whole_text_offsets(
        tmp_path, capsys) -> None:
    # Over spaCy's max_length of 1,000,000 characters (a 20 MB text: see the README)
    text = WEEKLY + "\n\n" + _filler(1_050_000) + "\n\n" + WEEKLY
    long_file, short_file = tmp_path / "long.txt", tmp_path / "short.txt"
    long_file.write_text(text, encoding="utf-8")
    short_file.write_text(WEEKLY, encoding="utf-8")
    status, rows, err = _run(["extract", str(long_file), str(short_file)], capsys)
    assert status == 0, err
    assert not [r for r in rows if "error" in r]
    found = [r for r in rows if r["source"]["path"] == str(long_file)]
    assert {r["start"] < len(WEEKLY) for r in found} == {True, False}  # head and tail
    for row in found:
        assert text[row["start"]:row["end"]] == row["evidence"]
        assert row["source"]["sha256"] == sha256_text(text)
    assert any(r["source"]["path"] == str(short_file) for r in rows)


def test_pieces_are_cut_at_paragraph_then_sentence_boundaries() -> None:
    from extractor.nlp import text_chunks

    text = ("First paragraph here. It goes on.\n\n" * 40) + ("One long paragraph. " * 200)
    chunks = text_chunks(text, 500)
    assert "".join(chunk for _, chunk in chunks) == text
    assert all(text[offset:offset + len(chunk)] == chunk for offset, chunk in chunks)
    assert all(len(chunk) <= 500 for _, chunk in chunks)
    paragraphs = [c for o, c in chunks if o + len(c) <= text.index("One long")]
    assert paragraphs and all(c.endswith("\n\n") for c in paragraphs)
    assert all(c.endswith(". ") for _, c in chunks[len(paragraphs):-1])


# ---------------------------------------------------------------- what a newcomer meets


def _newsfacts(*args: str, cwd: Path = REPO, stdin: str | None = None,
               env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(REPO / "cli.py"), *args], input=stdin,
                          capture_output=True, text=True, cwd=cwd, timeout=300,
                          env={**os.environ, **(env or {})})


def test_help_version_and_database_commands_never_load_spacy(tmp_path) -> None:
    db = tmp_path / "empty.db"
    with store.open_store(str(db)):
        pass
    script = f"""
import contextlib, io, sys
from extractor.cli import main
for args in (["--help"], ["--version"], ["facts", "--help"], ["extract", "--help"],
             ["facts", "--db", {str(db)!r}], ["conflicts", "--db", {str(db)!r}],
             ["report", "--db", {str(db)!r}, "-o", {str(tmp_path / "r.html")!r}]):
    with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):
        assert main(args) == 0, args
print(sorted(m for m in sys.modules if m == "spacy" or m.startswith("spacy.")))
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            cwd=REPO, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_an_output_file_that_cannot_be_written_is_exit_2_without_a_traceback(
        tmp_path, capsys) -> None:
    source = tmp_path / "w.txt"
    source.write_text(WEEKLY, encoding="utf-8")
    db = tmp_path / "facts.db"
    with store.open_store(str(db)):
        pass
    for target in (tmp_path / "missing" / "out.txt", tmp_path):  # no folder; a folder
        for args in (["extract", str(source)], ["facts", "--db", str(db)],
                     ["conflicts", "--db", str(db)], ["report", "--db", str(db)]):
            assert main([*args, "-o", str(target)]) == 2, args
            captured = capsys.readouterr()
            assert captured.err.startswith(f"newsfacts: cannot write {target}: "), captured.err
            assert captured.out == ""
    result = _newsfacts("extract", str(source), "-o", str(tmp_path / "missing" / "out.txt"))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr == f"newsfacts: cannot write {tmp_path / 'missing' / 'out.txt'}: " \
                            "No such file or directory\n"


def test_latin_1_text_is_detected_and_encoding_can_be_given(tmp_path, capsys) -> None:
    text = ("Déminage à Ağdam: the agency's café-side briefing said 1,198.7 hectares of land "
            "were cleared of mines, and 64 anti-tank mines were neutralized.")
    latin = tmp_path / "latin.txt"
    latin.write_bytes(text.replace("ğ", "g").encode("latin-1"))
    status, rows, err = _run(["extract", str(latin)], capsys)
    assert status == 0, err
    assert rows and all("Déminage à Agdam" in r["sentence"] for r in rows if "à" in r["sentence"])
    assert any(r["metric"] == "area_cleared" for r in rows)
    utf8 = tmp_path / "utf8.txt"
    utf8.write_text(text, encoding="utf-8")
    status, rows, _ = _run(["extract", str(utf8), "--encoding", "latin-1"], capsys)
    assert status == 0 and any("DÃ©minage" in r["sentence"] for r in rows)  # as told
    status, rows, err = _run(["extract", str(utf8), "--encoding", "ascii"], capsys)
    assert status == 1 and rows[0]["error"]["kind"] == "decode" and "not ascii" in err
    assert _newsfacts("extract", str(utf8), "--encoding", "klingon").returncode == 2


def test_published_url_and_publisher_for_plain_text_and_stdin(tmp_path, capsys) -> None:
    text = "Since November 10, 2020, 337 people have fallen victim to mines, ANAMA said."
    path = tmp_path / "victims.txt"
    path.write_text(text, encoding="utf-8")
    meta = ["--published", "2024-09-01", "--url", "https://example.org/v/1",
            "--publisher", "Example News"]
    status, rows, err = _run(["extract", str(path), *meta], capsys)
    assert status == 0, err
    [row] = [r for r in rows if r["metric"] == "casualties"]
    assert (row["period_start"], row["period_end"]) == ("2020-11-10", "2024-09-01")
    source = row["source"]
    assert (source["url"], source["publisher"], source["published"], source["path"]) == (
        "https://example.org/v/1", "Example News", "2024-09-01", str(path))
    status, rows, _ = _run(["extract", str(path)], capsys)
    assert [r["period_end"] for r in rows if r["metric"] == "casualties"] == [None]
    piped = _newsfacts("extract", "-", *meta, stdin=text)
    assert piped.returncode == 0, piped.stderr
    [row] = [json.loads(line) for line in piped.stdout.splitlines()]
    assert row["period_end"] == "2024-09-01" and row["source"]["path"] == "-"
    bad = _newsfacts("extract", str(path), "--published", "1 Sept 2024")
    assert bad.returncode == 2 and "not an ISO date" in bad.stderr


def test_unknown_metric_subtype_or_format_lists_the_valid_values(tmp_path) -> None:
    db = tmp_path / "facts.db"
    with store.open_store(str(db)):
        pass
    result = _newsfacts("facts", "--db", str(db), "--metric", "hectares")
    assert result.returncode == 2 and result.stdout == ""
    assert "unknown --metric 'hectares'; choose from area_cleared, area_contaminated" \
        in result.stderr
    result = _newsfacts("facts", "--db", str(db), "--subtype", "tank")
    assert result.returncode == 2 and "anti_tank" in result.stderr
    result = _newsfacts("facts", "--db", str(db), "--format", "xml")
    assert result.returncode == 2 and "'jsonl', 'csv', 'table'" in result.stderr
    known = _newsfacts("facts", "--db", str(db), "--metric", "area_cleared",
                       "--subtype", "anti_tank")
    assert known.returncode == 0, known.stderr


def test_every_subcommand_has_a_summary_examples_and_shows_its_defaults(capsys) -> None:
    import pytest

    top = _help([], capsys)
    for command in ("extract", "quantities", "eval", "ingest", "facts", "conflicts", "report"):
        assert re.search(rf"^\s+{command}\b", top, re.M), command
        text = _help([command], capsys)
        assert "examples:\n  newsfacts " in text or "| newsfacts " in text, command
        assert text.split("\n\n")[1][:1].isupper(), command  # the description line
    extract = _help(["extract"], capsys)
    assert re.search(r"--delay DELAY .*\(default:\s+1\.0\)", extract, re.S)
    assert "newsfacts/pages)" in extract  # --cache-dir default, the user's cache folder
    assert "(default: jsonl)" in extract and "--allow-private" in extract
    facts = " ".join(_help(["facts"], capsys).split())
    assert "one of: area_cleared, area_contaminated, casualties" in facts
    assert "(default: table)" in facts
    quantities = " ".join(_help(["quantities"], capsys).split())
    assert "(hectare, square kilometre), where extract's records use" in quantities
    report = " ".join(_help(["report"], capsys).split())
    assert "-o FILE, --output FILE the HTML file to write (default: report.html)" in report
    with pytest.raises(SystemExit):
        main(["--version"])
    assert capsys.readouterr().out.startswith("newsfacts ")


def _help(args: list[str], capsys) -> str:
    import pytest

    with pytest.raises(SystemExit) as done:
        main([*args, "--help"])
    assert done.value.code == 0
    return capsys.readouterr().out


def test_a_run_starts_by_saying_how_many_items_and_how_politely(
        page_server, tmp_path, capsys) -> None:
    folder = tmp_path / "texts"
    folder.mkdir()
    for name in ("a.txt", "b.txt"):
        (folder / name).write_text(WEEKLY, encoding="utf-8")
    urls = [page_server.add(f"/n/{i}", Reply(body=PAGE.encode("utf-8"))) for i in range(2)]
    status, _, err = _run(["extract", str(folder), *urls, "--allow-private", "--delay", "0.2",
                           "--per-host", "1"], capsys)
    assert status == 0, err
    first = err.splitlines()[0]
    assert first == ("newsfacts: starting: 2 local inputs; 2 URLs, fetched at most 1 at a "
                     "time and 0.2 s apart per host (--delay)")


def test_the_page_cache_is_in_the_user_cache_folder_and_made_only_when_needed(
        page_server, tmp_path, monkeypatch, capsys) -> None:
    cache_home, work = tmp_path / "xdg", tmp_path / "work"
    work.mkdir()
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache_home))
    monkeypatch.chdir(work)
    url = page_server.add("/n/1", Reply(body=PAGE.encode("utf-8")))
    status, rows, _ = _run(["extract", url, "--delay", "0"], capsys)  # loopback: blocked
    assert status == 1 and rows[0]["error"]["kind"] == "blocked"
    assert not cache_home.exists() and list(work.iterdir()) == []
    status, rows, _ = _run(["extract", url, "--delay", "0", "--allow-private"], capsys)
    assert status == 0 and rows
    assert list(work.iterdir()) == []
    assert len(list((cache_home / "newsfacts" / "pages").glob("*.body"))) == 1


def test_csv_rows_carry_id_offsets_sentence_normalized_hectares_and_provenance(
        tmp_path, capsys) -> None:
    text = ("Deminers cleared 120,000 square meters of farmland in Fuzuli, ANAMA said. "
            "In Aghdam, sappers cleared 520 square kilometers of land.")
    src = tmp_path / "areas.txt"
    src.write_text(text, encoding="utf-8")
    out = tmp_path / "areas.csv"
    assert main(["extract", str(src), "--format", "csv", "-o", str(out)]) == 0
    capsys.readouterr()
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    by_unit = {row["unit"]: row for row in rows}
    assert float(by_unit["m2"]["normalized.value"]) == 12.0
    assert float(by_unit["km2"]["normalized.value"]) == 52000.0
    assert {row["normalized.unit"] for row in rows} == {"ha"}
    for row in rows:
        assert len(row["id"]) == 64 and row["source.sha256"] == sha256_text(text)
        assert text[int(row["start"]):int(row["end"])] == row["evidence"]
        assert row["evidence"] in row["sentence"] and row["extractor.pattern"]


def test_make_bench_without_the_shared_data_says_what_it_needs(tmp_path) -> None:
    result = subprocess.run(["make", "--no-print-directory", "bench",
                             f"SHARED_BENCHMARKS={tmp_path / 'shared'}"],
                            capture_output=True, text=True, cwd=REPO, timeout=600)
    assert result.returncode != 0
    assert "article-extraction" in result.stderr and "newsquant" in result.stderr
    assert "store_conflicts.py" in result.stderr


def test_generated_files_are_ignored_by_git() -> None:
    result = subprocess.run(["git", "check-ignore", "report.html", "newsfacts.db",
                             "newsfacts.db-wal"], capture_output=True, text=True, cwd=REPO)
    assert result.stdout.split() == ["report.html", "newsfacts.db", "newsfacts.db-wal"]


def test_record_and_gold_formats_are_documented_in_the_checkout() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for doc in ("docs/RECORD.md", "docs/FORMAT.md"):
        assert (REPO / doc).is_file() and f"]({doc})" in readme
    record = (REPO / "docs" / "RECORD.md").read_text(encoding="utf-8")
    example = json.loads(record.split("```json", 1)[1].split("```", 1)[0])
    figure = Figure("area_cleared", None, 12, "ha", "exact", {"value": 12, "unit": "ha"}, None,
                    None, None, None, "12 hectares", 0, 11, "12 hectares.", Source(), "p", "v")
    assert set(example) == set(figure.to_dict())
    assert set(example["source"]) <= set(figure.to_dict()["source"])
    shared = REPO.parent / "shared" / "RECORD.md"
    if shared.is_file():  # the source of truth, beside the checkout: still in step
        assert shared.read_text(encoding="utf-8").split("```json")[1].split("```")[0] == \
            record.split("```json")[1].split("```")[0]
    assert ". .venv/bin/activate" in readme and ".venv/bin/newsfacts" in readme
    assert "--allow-private" in readme and "## Output conventions" in readme
    conventions = " ".join(readme.split("## Output conventions")[1].split("\n## ")[0].split())
    assert "`newsfacts quantities` is the figure layer" in conventions
    assert "(`hectare`, `square kilometre`" in conventions  # its names, not the records'


def test_one_way_to_write_a_period_whatever_the_text_says(tmp_path, capsys) -> None:
    from extractor.record import compact_period

    text = ("In February 2023, deminers of the agency cleared 120 hectares of land in Fuzuli."
            "\n\nLast month, sappers cleared 30 hectares of farmland in Aghdam, the agency said."
            "\n\nFrom March 6 to March 9, teams cleared 12 hectares in Aghdam.")
    path = tmp_path / "periods.txt"
    path.write_text(text, encoding="utf-8")
    status, rows, err = _run(["extract", str(path), "--published", "2023-03-10"], capsys)
    assert status == 0, err
    periods = {r["value"]: (r["period_start"], r["period_end"]) for r in rows}
    assert periods[120] == periods[30] == ("2023-02", "2023-02")  # stated; relative
    assert periods[12] == ("2023-03-06", "2023-03-09")  # not whole months: days
    assert compact_period("2024-01-01", "2024-12-31") == ("2024", "2024")
    assert compact_period("2024-01-01", "2024-03-31") == ("2024-01", "2024-03")
    assert compact_period("2024-02-01", "2024-02-29") == ("2024-02", "2024-02")
    assert compact_period("2023-02-01", "2023-02-27") == ("2023-02-01", "2023-02-27")
    assert compact_period(None, "2023-02-28") == (None, "2023-02-28")
