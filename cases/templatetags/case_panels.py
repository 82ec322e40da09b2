"""`{% case_panels case %}`: the panels other apps add to every case page (`cases.panels`)."""

from typing import Any

from django import template

from cases.models import Case
from cases.panels import panels_for

register = template.Library()


@register.inclusion_tag("cases/partials/panels.html", takes_context=True)
def case_panels(context: template.Context, case: Case) -> dict[str, Any]:
    return {"panels": panels_for(case), "case": case, "cell": context.get("cell")}
