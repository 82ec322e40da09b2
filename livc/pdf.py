"""Drawing PDFs with WeasyPrint, safely: a PDF never makes the server fetch anything but our
own static files (no network, no arbitrary paths)."""

import mimetypes
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

PDF_BASE_URL = "https://static.livc.invalid/"  # never resolved: the fetcher serves it from disk


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


def render_pdf(template: str, context: dict[str, Any], request: HttpRequest | None = None) -> bytes:
    html = render_to_string(template, context, request=request)
    pdf = HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=StaticFilesOnly()).write_pdf()
    return bytes(pdf or b"")
