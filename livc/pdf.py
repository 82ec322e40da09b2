"""Drawing PDFs with WeasyPrint, safely: a PDF never makes the server fetch anything but our
own static files (no network, no arbitrary paths).

WeasyPrint draws every PDF but the minutes: those are drawn by Typst, which lays out a
100-item meeting in a fraction of the time (`meetings/minutes_pdf.py`,
docs/adr/0009-minutes-pdf-with-typst.md), to the same standard and in the same font.

Every PDF is tagged for accessibility (PDF/UA-1: a structure tree, the document's title from
its `<title>` and its language from `<html lang>`), and is set in one font family, DejaVu
Sans, page margins (headers, footers, page numbers) and code included."""

import mimetypes
import time
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest
from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

PDF_BASE_URL = "https://static.livc.invalid/"  # never resolved: the fetcher serves it from disk
PDF_VARIANT = "pdf/ua-1"  # tagged PDF: structure tree, /MarkInfo, /Lang, the title shown
PDF_FONT = "DejaVu Sans"  # Debian's fonts-dejavu-core

# A user stylesheet: templates may still set sizes and weights, but the root (which the page
# margin boxes inherit from) and the monospace elements of the browser's own sheet use one family.
_BASE_CSS = f"""
html {{ font-family: "{PDF_FONT}", sans-serif; }}
code, kbd, pre, samp, tt {{ font-family: inherit; }}
"""


class StaticFilesOnly(URLFetcher):
    """A URL fetcher that serves our own static files and refuses everything else.

    A PDF must not make the server fetch anything from the network (or read arbitrary
    files): only `<PDF_BASE_URL><STATIC_URL>...` resolves, through Django's static finders.
    """

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        prefix = PDF_BASE_URL.rstrip("/") + settings.STATIC_URL
        if not url.startswith(prefix):
            raise ValueError(f"Refused to fetch {url!r}: only static files are allowed in PDFs.")
        path = url[len(prefix) :].split("?", 1)[0].split("#", 1)[0]
        found = finders.find(path) if path and ".." not in path.split("/") else None
        if not found or isinstance(found, list):
            raise ValueError(f"No static file {path!r}.")
        mime_type = mimetypes.guess_type(str(found))[0] or "application/octet-stream"
        return URLFetcherResponse(url, Path(found).read_bytes(), {"Content-Type": mime_type})


def render_pdf(
    template: str,
    context: dict[str, Any],
    request: HttpRequest | None = None,
    *,
    timings: MutableMapping[str, float] | None = None,
) -> bytes:
    """The template drawn as a tagged PDF.

    `timings`, when given, receives the seconds spent in each phase (what a benchmark reports):
    "template" (Django renders the HTML; encrypted fields decrypt here, on first access),
    "layout" (WeasyPrint parses the HTML, applies the CSS and lays out the pages, page margins
    included) and "write" (WeasyPrint draws the pages, tags them and writes the PDF file), and
    "pages", the number of pages. The PDF is the same with or without it.
    """
    clock = time.perf_counter()
    html = render_to_string(template, context, request=request)
    rendered = time.perf_counter()
    # What `HTML.write_pdf()` does, in its two steps, so that each can be timed.
    options: dict[str, Any] = {"stylesheets": [CSS(string=_BASE_CSS)], "pdf_variant": PDF_VARIANT}
    document = HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=StaticFilesOnly()).render(**options)
    laid_out = time.perf_counter()
    pdf = document.write_pdf(**options)
    written = time.perf_counter()
    if timings is not None:
        timings["template"] = rendered - clock
        timings["layout"] = laid_out - rendered
        timings["write"] = written - laid_out
        timings["pages"] = len(document.pages)
    return bytes(pdf or b"")
