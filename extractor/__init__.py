"""newsfacts: news articles in, sourced figures out.

Data flow, one module per stage:
fetch -> parse -> nlp -> patterns -> normalize -> store -> conflicts,
with `record` holding the typed records that travel between stages and
`pipeline` tying inputs (files, URLs, saved pages) to the extractor.
"""

__version__ = "0.1.0"
