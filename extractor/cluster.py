"""Extraction on a Dask cluster (`--engine dask`): batches of articles are spread over the
workers, and their figures come back, in input order, to the one process that writes them.

The inputs are read (and fetched) where the command runs; each worker loads the model and
the pattern packs once (both must be installed on every host) and extracts the batches it
is given. Without a scheduler address a LocalCluster of `jobs` worker processes starts on
127.0.0.1.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from pathlib import Path

from . import fetch, pipeline
from .figures import FigureExtractor

CONNECT_TIMEOUT = "30s"


class EngineError(Exception):
    """The cluster cannot be reached or started."""


@functools.lru_cache(maxsize=2)
def _worker_extractor(model: str | None, patterns_dir: str | None) -> FigureExtractor:
    return FigureExtractor(model=model, patterns_dir=Path(patterns_dir) if patterns_dir else None)


def extract_on_worker(work: pipeline.Work, model: str | None, patterns_dir: str | None,
                      use_prefilter: bool) -> list[pipeline.Outcome]:
    """One batch, on a worker: the same processing as a local run."""
    return pipeline.process(work, _worker_extractor(model, patterns_dir), use_prefilter)


def run(specs: Iterable[str], extractor: FigureExtractor,
        fetch_config: fetch.FetchConfig | None, options: pipeline.RunOptions,
        scheduler: str | None) -> Iterator[pipeline.Outcome]:
    """Connect (or start a LocalCluster) now, so a bad address fails before any work;
    then the outcomes, streamed."""
    from dask.distributed import Client, LocalCluster

    cluster = None
    try:
        if scheduler:
            client = Client(scheduler, timeout=CONNECT_TIMEOUT)
        else:
            cluster = LocalCluster(n_workers=options.jobs, threads_per_worker=1, processes=True,
                                   host="127.0.0.1", dashboard_address=None)
            client = Client(cluster, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError, ValueError) as exc:
        if cluster is not None:
            cluster.close()
        raise EngineError(f"cannot reach the Dask scheduler {scheduler or '(local)'}: {exc}") \
            from exc
    patterns = str(extractor.patterns_dir) if extractor.patterns_dir else None
    return _outcomes(client, cluster, specs, extractor.model, patterns, fetch_config, options)


def _outcomes(client, cluster, specs: Iterable[str], model: str | None, patterns: str | None,
              fetch_config: fetch.FetchConfig | None, options: pipeline.RunOptions
              ) -> Iterator[pipeline.Outcome]:
    workers = max(1, len(client.scheduler_info().get("workers", {})))
    try:
        yield from pipeline.in_order(
            pipeline.work_batches(specs, fetch_config, options),
            lambda work: client.submit(extract_on_worker, work, model, patterns,
                                       options.prefilter, pure=False),
            lambda future: future.done(), lambda future: future.result(), 2 * workers)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
