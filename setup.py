"""Package list for setuptools: the code plus every pattern-pack folder as data.

`patterns/` is installed as the data-only package `newsfacts_patterns`; each folder in it
(one per domain pack) is listed here so a new pack ships without editing any config.
"""

from pathlib import Path

from setuptools import setup

PATTERNS = Path(__file__).parent / "patterns"
pack_packages = [
    ".".join(("newsfacts_patterns", *folder.relative_to(PATTERNS).parts))
    for folder in sorted(PATTERNS.rglob("*"))
    if folder.is_dir() and folder.name != "__pycache__"
]

setup(
    packages=["extractor", "newsfacts_patterns", *pack_packages],
    package_dir={"newsfacts_patterns": "patterns"},
)
