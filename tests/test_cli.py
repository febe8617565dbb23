"""`newsfacts extract` end to end: inputs of every kind, output formats, exit statuses."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

from conftest import Reply

from extractor.cli import main
from extractor.record import sha256_text

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


def test_a_page_too_long_for_the_parser_fails_alone(tmp_path, capsys) -> None:
    first, last = tmp_path / "a.txt", tmp_path / "c.txt"
    first.write_text(WEEKLY, encoding="utf-8")
    last.write_text(WEEKLY, encoding="utf-8")
    huge = tmp_path / "b.txt"
    huge.write_text("Mines were cleared. " * 60_000, encoding="utf-8")  # 1.2 million characters
    status, rows, err = _run(["extract", str(first), str(huge), str(last)], capsys)
    assert status == 1
    paths = [r["source"]["path"] for r in rows]
    assert paths.count(str(first)) == paths.count(str(last)) >= 3
    [error] = [r for r in rows if "error" in r]
    assert error["source"]["path"] == str(huge) and error["error"]["kind"] == "extract"
    assert str(huge) in err
