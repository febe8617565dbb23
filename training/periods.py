"""Train the period model: which candidate period a figure covers (extractor/periods.py).

    python -m training.periods      # writes extractor/models/period.json
"""

from __future__ import annotations

from typing import Any

from extractor import evaluate
from extractor.periods import PERIOD_MODEL, Period

from .common import save_model, train_choice


def is_right(gold: dict[str, Any], period: Period) -> bool:
    return evaluate.period_matches(gold, {"period_start": period.start,
                                          "period_end": period.end})


if __name__ == "__main__":
    print("wrote", save_model(PERIOD_MODEL, train_choice(PERIOD_MODEL, is_right)))
