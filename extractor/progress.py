"""Progress of a long run on stderr: a tqdm bar on a terminal, a plain line every few
seconds otherwise (logs, CI), so a batch of thousands of articles is never silent."""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING, TextIO

from tqdm import tqdm

if TYPE_CHECKING:
    from .pipeline import Outcome

PLAIN_EVERY = 5.0  # seconds between plain lines


class Progress:
    """Counts outcomes (articles done, errors) and shows them with rate."""

    def __init__(self, stream: TextIO | None = None, every: float = PLAIN_EVERY) -> None:
        self.stream = stream or sys.stderr
        self.done = self.errors = self.figures = 0
        self.started = self.last = time.monotonic()
        self.every = every
        self.bar = tqdm(file=self.stream, unit="article", dynamic_ncols=True, leave=False) \
            if self.stream.isatty() else None

    def update(self, outcome: Outcome) -> None:
        self.done += 1
        self.errors += outcome.error is not None
        self.figures += len(outcome.figures)
        if self.bar is not None:
            self.bar.set_postfix(errors=self.errors, figures=self.figures, refresh=False)
            self.bar.update(1)
        elif time.monotonic() - self.last >= self.every:
            self.last = time.monotonic()
            print(f"newsfacts: {self.line()}", file=self.stream, flush=True)

    def line(self) -> str:
        elapsed = max(time.monotonic() - self.started, 1e-9)
        return (f"{self.done} articles, {self.errors} errors, {self.figures} figures, "
                f"{self.done / elapsed:.1f} articles/s")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
