"""Stage 2: an HTML page to the article body and its metadata.

Interface used by the pipeline: `parse_html(html, source)`.
"""

from __future__ import annotations

from .record import Article, Source


def parse_html(html: str, source: Source) -> Article:
    """Body text (paragraphs kept) plus metadata merged into a copy of `source`.

    Values already set on `source` (for example from a corpus file) win over what
    the page says.
    """
    raise NotImplementedError("HTML parsing is being built (issue 4)")
