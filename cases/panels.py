"""Extra panels on every case page (in its header), contributed by apps above `cases` (e.g.
retention); rendered by `{% case_panels case %}`.

An app registers a function `(case) -> CasePanel | None` in its `AppConfig.ready()`, so that
`cases` need not import it. Panels hold no personal data beyond what the case page shows.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.functional import Promise

from cases.models import Case


@dataclass(frozen=True)
class CasePanel:
    title: str | Promise
    lines: list[str | Promise] = field(default_factory=list)
    level: str = "info"  # info, warning
    # A link to a page about the case: a URL name taking the cell's slug and the case's `pk`.
    link_name: str = ""
    link_text: str | Promise = ""


PanelSource = Callable[[Case], CasePanel | None]
_sources: list[PanelSource] = []


def register(source: PanelSource) -> None:
    if source not in _sources:
        _sources.append(source)


def panels_for(case: Case) -> list[CasePanel]:
    return [panel for source in _sources if (panel := source(case)) is not None]
