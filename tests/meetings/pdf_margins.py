"""Reading a minutes PDF page by page, and what each page prints in its top margin.

A text anywhere in the joined text of all pages proves nothing about one page; a name in a
page's body proves nothing about its margin. So the margin is read from the text's position:
whatever a page prints above its body (the top 24 mm, `set page(margin: ...)` in
`meetings/pdf/minutes.typ`).
"""

import io
import re
from dataclasses import dataclass

from pypdf import PdfReader

TOP_MARGIN_PT = 24 / 25.4 * 72  # 24 mm
NUMBER = re.compile(r"LIVC-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}")


@dataclass(frozen=True)
class Page:
    number: int
    text: str  # the whole page, whitespace collapsed
    top_margin: str  # only what is printed above the body, whitespace collapsed


def _collapsed(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def pdf_pages(pdf: bytes) -> list[Page]:
    pages = []
    for number, page in enumerate(PdfReader(io.BytesIO(pdf)).pages, start=1):
        top = float(page.mediabox.top)
        margin: list[str] = []

        def visit(text, cm, tm, _font, _size, margin=margin, top=top):
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]  # the text matrix, then the page's transform
            if y > top - TOP_MARGIN_PT:
                margin.append(text)

        text = page.extract_text(visitor_text=visit)
        pages.append(Page(number, _collapsed(text), _collapsed(" ".join(margin))))
    return pages


def assert_every_page_names(pdf: bytes, *, name: str, number: str, min_pages: int = 1) -> list[Page]:
    """Each page, one by one, prints the recipient's name and the copy's number in its top margin."""
    pages = pdf_pages(pdf)
    assert len(pages) >= min_pages, f"{len(pages)} pages, expected at least {min_pages}"
    for page in pages:
        assert name in page.top_margin, f"page {page.number} lacks the name: {page.top_margin!r}"
        assert number in page.top_margin, f"page {page.number} lacks the document number: {page.top_margin!r}"
    return pages
