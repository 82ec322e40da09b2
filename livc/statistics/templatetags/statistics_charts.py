"""A statistics chart (`livc/statistics/selectors.py::Chart`) as an SVG document, with its own
style (`static/css/charts.css`, set inside it): drawn the same on the page and in the PDF.

The page shows it as an image (`{% chart_image chart %}`, a `data:` address, which the Content
Security Policy allows for images): its texts are the image's, named by its `alt`, and the
table beside it gives the figures. The PDF sets it in the document (`{% chart_svg chart %}`),
as WeasyPrint draws it; there it fetches nothing either.
"""

import base64
import functools

from django import template
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import SafeString

from livc.statistics.selectors import Chart

register = template.Library()

CHART_CSS = "css/charts.css"


@functools.cache
def _chart_css() -> str:
    found = finders.find(CHART_CSS)
    assert isinstance(found, str), CHART_CSS
    with open(found, encoding="utf-8") as sheet:
        return sheet.read()


@register.simple_tag
def chart_svg(chart: Chart) -> SafeString:
    """The chart as SVG markup (every text escaped by the template)."""
    return render_to_string("statistics/chart.svg", {"chart": chart, "css": _chart_css()})


@register.simple_tag
def chart_image(chart: Chart) -> SafeString:
    data = base64.b64encode(chart_svg(chart).encode()).decode("ascii")
    return format_html(
        '<img class="stat-chart__img" src="data:image/svg+xml;base64,{}" alt="{}" width="{}" height="{}">',
        data,
        chart.title,
        chart.WIDTH,
        chart.height,
    )
