"""Retrain every model, in order: which numbers are figures first (it decides which figures
the attribute models learn from), then their periods, claimants and places.

    python -m training        # or `make train`; needs ../shared/corpus and scikit-learn
"""

from __future__ import annotations

import runpy
import sys

from extractor.learned import load_model

STEPS = ("training.figures", "training.periods", "training.claimants", "training.places")

if __name__ == "__main__":
    # `python -m training periods claimants places` runs only those steps
    for step in [s for s in STEPS if len(sys.argv) < 2 or s.split(".")[-1] in sys.argv[1:]]:
        print(f"== {step}", flush=True)
        load_model.cache_clear()  # each step sees the models the steps before it wrote
        runpy.run_module(step, run_name="__main__")
