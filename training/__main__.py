"""Retrain every model, in order: which numbers are figures first (it decides which figures
the attribute models learn from), then their periods, claimants and places.

    python -m training        # or `make train`; needs ../shared/corpus and scikit-learn
"""

from __future__ import annotations

import runpy

STEPS = ("training.figures", "training.periods", "training.claimants", "training.places")

if __name__ == "__main__":
    for step in STEPS:
        print(f"== {step}", flush=True)
        runpy.run_module(step, run_name="__main__")
