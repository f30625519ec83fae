"""HTML pages: main text and metadata via trafilatura (with htmldate inside it)."""

from __future__ import annotations

import logging

import trafilatura

logger = logging.getLogger(__name__)


class HtmlContent:
    __slots__ = ("text", "title", "published", "outlet", "url", "author")

    def __init__(self, text: str, title: str | None, published: str | None, outlet: str | None, url: str | None,
                 author: str | None = None):
        self.text = text
        self.title = title
        self.published = published
        self.outlet = outlet
        self.url = url
        self.author = author


def _is_headline_of(line: str, title: str) -> bool:
    line, title = line.strip(), title.strip()
    if line == title:
        return True
    if not line or line[-1] in ".!?\"'" or len(line.split()) > 25:
        return False
    words, title_words = set(line.lower().split()), set(title.lower().split())
    return len(words & title_words) >= 0.6 * len(title_words)


def extract_html(html: str, url: str | None = None) -> HtmlContent | None:
    """Main text and metadata of a news page, or None when the page has no article text."""
    doc = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=False, favor_precision=True
    )
    if doc is None or isinstance(doc, dict) or not doc.text:
        return None
    text: str = doc.text
    title: str | None = doc.title
    lines = text.split("\n")
    # trafilatura keeps the headline as the first line; the title is stored on its own. Pages often print a
    # longer headline than their <title> ("X revive talks; Y launch fails"): that is a headline too.
    if title and lines and _is_headline_of(lines[0], title):
        text = "\n".join(lines[1:])
    return HtmlContent(text=text, title=title, published=doc.date, outlet=doc.sitename, url=doc.url or url,
                       author=doc.author)
