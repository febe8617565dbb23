"""Data-only package: the pattern packs and gazetteers newsfacts ships (YAML/JSON)."""
