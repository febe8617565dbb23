"""Inputs to articles: each bad item is its own error, and the batch goes on."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import Reply

from extractor import pipeline
from extractor.figures import FigureExtractor
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


# ---------------------------------------------------------------- scale: same records, streamed


REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared" / "corpus"
NEWSFACTS = [sys.executable, str(REPO / "cli.py")]
WEEKLY = ("From October 7 to October 13, 2024, {n} anti-tank mines and 141 anti-personnel "
          "mines were found and neutralized in the liberated territories, ANAMA said.")


def _records(folder: Path, options: pipeline.RunOptions, extractor: FigureExtractor
             ) -> list[dict]:
    return [f.to_dict() for o in pipeline.run([str(folder)], extractor, None, options)
            for f in o.figures]


@pytest.mark.parametrize("corpus", ["dev", "test"])
def test_prefilter_and_jobs_give_the_records_of_a_full_serial_run(corpus: str) -> None:
    """The prefilter skips only articles with no figure, and workers change nothing: the
    same records, in the same order, on the shared corpora (test/ is held out: only the
    verdict and counts are shown, never its records)."""
    folder = SHARED / corpus
    if not folder.is_dir():
        pytest.skip(f"shared corpus {folder} not present")
    extractor = FigureExtractor()
    full = _records(folder, pipeline.RunOptions(jobs=1, prefilter=False), extractor)
    fast = _records(folder, pipeline.RunOptions(jobs=2, prefilter=True), extractor)
    assert full, "the corpus gave no records at all"
    same = full == fast
    assert same, f"{corpus}: {len(full)} records in the full serial run, {len(fast)} fast"


PREFILTER_CASES = [
    # (text, whether the extractor finds a figure in it)
    ("Sappers cleared 12 hectares of mined land near Agdam.", True),
    ("Two shepherds were injured when a mine exploded.", True),
    ("A man was killed by an anti-tank mine.", True),  # no number: a counted person
    # "lay" is found by its lemma (lie): the prefilter knows the lemmatizer's forms
    ("About 300 anti-tank mines lay in the fields of the district, officials said.", True),
    ("Some 40 people returned to the village.", True),  # the housing pack's displaced
    ("Shares rose 12 percent to 340 dollars on Monday.", False),
    ("The team cleared the pitch.\n\nIt scored 3 goals in 12 minutes.", False),
    ("Farmers sowed 12 hectares near the river.", False),  # no trigger of any metric
]


@pytest.mark.parametrize(("text", "has_figures"), PREFILTER_CASES)
def test_prefilter_keeps_what_the_extractor_would_find(text: str, has_figures: bool) -> None:
    extractor = FigureExtractor()
    assert bool(extractor.extract(Article(text))) is has_figures
    assert pipeline.prefilter_for(extractor).relevant(text) is has_figures


def test_prefilter_finds_triggers_by_their_irregular_forms() -> None:
    from extractor.prefilter import irregular_forms

    forms = irregular_forms(FigureExtractor().nlp)
    assert {"lay", "lain", "lying"} <= forms["lie"] and "dying" in forms["die"]


def test_batches_go_as_soon_as_no_more_input_is_ready() -> None:
    def slow():
        yield 1
        yield 2
        time.sleep(1.5)
        yield 3

    started = time.monotonic()
    arrivals = [(batch, time.monotonic() - started)
                for batch in pipeline._ready_batches(slow(), 16)]
    arrivals = [(b, t) for b, t in arrivals if b]  # empty ones: nothing was ready
    assert [b for b, _ in arrivals][-1] == [3]
    first, when = arrivals[0]
    assert first in ([1], [1, 2]) and when < 1.0  # not held back for the slow third item


def test_extract_streams_each_fetched_article_before_the_batch_ends(page_server,
                                                                    tmp_path) -> None:
    fast = page_server.add("/fast.html", Reply(body=f"<p>{WEEKLY.format(n=5)}</p>".encode()))
    slow = page_server.add("/slow.html", Reply(body=f"<p>{WEEKLY.format(n=6)}</p>".encode(),
                                               delay=15))
    proc = subprocess.Popen([*NEWSFACTS, "extract", fast, slow, "--allow-private", "--delay",
                             "0", "--no-cache", "--jobs", "1"], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, cwd=tmp_path)
    first = proc.stdout.readline()
    first_at = time.monotonic()
    rest = proc.stdout.read()
    proc.wait(timeout=60)
    last_at = time.monotonic()
    assert json.loads(first)["source"]["url"] == fast
    assert slow in rest
    assert last_at - first_at > 3  # the fast page's records came out while the slow one loaded


def _wait_for(predicate, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError("timed out")


def _db_rows(db: Path, sql: str) -> list[tuple]:
    if not db.exists():
        return []
    with sqlite3.connect(db) as conn:
        try:
            return conn.execute(sql).fetchall()
        except sqlite3.OperationalError:  # schema not created yet
            return []


def test_ctrl_c_writes_finished_articles_and_marks_the_run_interrupted(page_server,
                                                                       tmp_path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(3):
        (folder / f"{i}.txt").write_text(WEEKLY.format(n=10 + i), encoding="utf-8")
    hanging = page_server.add("/hang.html", Reply(body=b"<p>late</p>", delay=60))
    db = tmp_path / "facts.db"
    proc = subprocess.Popen([*NEWSFACTS, "ingest", str(folder), hanging, "--db", str(db),
                             "--allow-private", "--no-cache", "--delay", "0", "--jobs", "2"],
                            stderr=subprocess.PIPE, text=True, cwd=tmp_path)
    try:
        _wait_for(lambda: page_server.requests_for("/hang.html"))
        # the workers load the model and extract the three local articles meanwhile (they
        # are written only at the end or on interrupt, so nothing to poll); a loaded
        # machine needs more than the two or three seconds a quiet one does
        time.sleep(15)
        os.kill(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 130, err
    [(status, added, figures_added)] = _db_rows(
        db, "SELECT status, articles_added, figures_added FROM ingest_runs")
    assert status == "interrupted" and added == 3
    assert _db_rows(db, "SELECT count(*) FROM articles") == [(3,)]
    assert _db_rows(db, "SELECT count(*) FROM figures") == [(figures_added,)]
    assert figures_added >= 6
    assert "interrupted" in err


FIGURE_COLUMNS = ("a.source_key, a.content_sha256, f.record_id, f.metric, f.subtype, f.value, "
                  "f.qualifier, f.period_start, f.period_end, f.location, f.claimant, "
                  "f.evidence_start, f.evidence_end, f.superseded")


def _figures(db: Path) -> list[tuple]:
    return _db_rows(db, f"SELECT {FIGURE_COLUMNS} FROM figures f JOIN articles a "
                        "ON a.id = f.article_id ORDER BY 1, 3, 12")


def test_sigkilled_ingest_resumed_ends_with_the_figures_of_a_clean_run(tmp_path) -> None:
    corpus = REPO / "corpus"
    clean, resumed = tmp_path / "clean.db", tmp_path / "resumed.db"
    args = ["ingest", str(corpus), "--jobs", "2"]
    subprocess.run([*NEWSFACTS, *args, "--db", str(clean)], check=True, cwd=tmp_path,
                   stderr=subprocess.DEVNULL, timeout=600)
    total = _db_rows(clean, "SELECT count(*) FROM articles")[0][0]
    proc = subprocess.Popen([*NEWSFACTS, *args, "--db", str(resumed)], cwd=tmp_path,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        _wait_for(lambda: (_db_rows(resumed, "SELECT count(*) FROM articles") or [(0,)])[0][0])
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the ingest and its workers, mid-run
        proc.wait(timeout=30)
    part = _db_rows(resumed, "SELECT count(*) FROM articles")[0][0]
    assert 0 < part < total
    again = subprocess.run([*NEWSFACTS, *args, "--db", str(resumed)], cwd=tmp_path,
                           stderr=subprocess.PIPE, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    assert _figures(resumed) == _figures(clean)
    runs = _db_rows(resumed, "SELECT status, articles_added, articles_unchanged "
                             "FROM ingest_runs ORDER BY id")
    assert runs == [("interrupted", part, 0), ("completed", total - part, part)]


def test_dask_ingest_on_a_local_cluster_equals_a_serial_ingest(tmp_path, capsys) -> None:
    from extractor.cli import main

    folder = tmp_path / "archive"
    folder.mkdir()
    for path in sorted((REPO / "corpus").glob("*.json"))[:24]:
        (folder / path.name).write_bytes(path.read_bytes())
    serial, dask = tmp_path / "serial.db", tmp_path / "dask.db"
    assert main(["ingest", str(folder), "--jobs", "1", "--db", str(serial)]) == 0
    # a real LocalCluster: two worker processes on 127.0.0.1, the batches spread over them
    assert main(["ingest", str(folder), "--engine", "dask", "--jobs", "2",
                 "--db", str(dask)]) == 0
    capsys.readouterr()
    assert _figures(dask) == _figures(serial)
    assert len(_figures(serial)) > 24
    articles = "SELECT source_key, content_sha256, body_text FROM articles ORDER BY 1"
    assert _db_rows(dask, articles) == _db_rows(serial, articles)


def test_progress_off_a_terminal_is_a_plain_line_with_counts_and_rate() -> None:
    import io

    from extractor.progress import Progress

    stream = io.StringIO()  # not a terminal
    progress = Progress(stream, every=0)
    good = pipeline.Outcome(Article("x").source, [], None, Article("x"))
    bad = pipeline.Outcome(Article("y").source, [], ItemError("http", "HTTP 404"))
    for outcome in (good, bad, good):
        progress.update(outcome)
    progress.close()
    lines = stream.getvalue().splitlines()
    assert len(lines) == 3
    assert lines[-1].startswith("newsfacts: 3 articles, 1 errors, 0 figures, ")
    assert lines[-1].endswith("articles/s")


def test_records_do_not_depend_on_the_interpreters_hash_seed(tmp_path) -> None:
    """Two processes give the same records: a resumed ingest is compared with a clean one.
    The focus country of this written article was a tie broken by set order, which
    Python's per-process string hashing changes (seeds 0 and 1 gave two places)."""
    article = REPO / "corpus" / "lb-2023-09-cluster-submunitions-nabatieh.json"
    outputs = []
    for seed in ("0", "1"):
        done = subprocess.run([*NEWSFACTS, "extract", str(article), "--format", "jsonl"],
                              cwd=tmp_path, capture_output=True, text=True, timeout=300,
                              env={**os.environ, "PYTHONHASHSEED": seed}, check=True)
        outputs.append([json.loads(line) for line in done.stdout.splitlines()])
    assert outputs[0] and outputs[0] == outputs[1]
