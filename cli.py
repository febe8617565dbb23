"""Run newsfacts from a checkout without installing: `python cli.py extract ...`."""

from extractor.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
