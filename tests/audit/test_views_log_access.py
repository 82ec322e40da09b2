"""Every view under /c/<cell>/ that shows personal data writes exactly one access entry per request.

The views are found by their mark (`livc.audit.access.shows_personal_data`): each app marks
its own. The test walks the URL list, calls each marked view as every member of cell A in
turn and, for each request that succeeds, counts the access entries it wrote. A view whose
URL needs more than the cell (an object's id) needs a builder in `URL_KWARGS`; until
one is written it is skipped with the reason shown. The builders live in
`tests/access/builders.py`, shared with the access matrix.
"""

from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from livc.audit.access import is_marked
from livc.audit.models import LogAction, LogEntry
from tests.access.builders import HEADERS, SETUP, URL_KWARGS, World

CELL_PREFIX = "c/<slug:cell_slug>/"


def marked_views() -> Iterator[tuple[str, list[str]]]:
    """(namespaced URL name, URL arguments) of every marked view under the cell prefix."""

    def walk(patterns: list[Any], prefix: str, namespace: str) -> Iterator[tuple[str, list[str]]]:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                space = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, route, space)
            elif (
                isinstance(pattern, URLPattern)
                and pattern.name
                and is_marked(pattern.callback)
                and route.startswith(CELL_PREFIX)
            ):
                yield f"{namespace}{pattern.name}", list(pattern.pattern.converters)

    seen = set()
    for name, arguments in walk(get_resolver().url_patterns, "", ""):
        if name not in seen:
            seen.add(name)
            yield name, arguments


MARKED = sorted(marked_views())


def test_the_walk_finds_the_marked_views():
    names = [name for name, _ in MARKED]
    assert "audit:log" in names and "audit:log_csv" in names
    assert "audit:thresholds" not in names  # not marked: shows no personal data


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "arguments"), MARKED, ids=[name for name, _ in MARKED])
def test_a_view_that_shows_personal_data_logs_exactly_one_access_per_request(cast, client, name, arguments):
    from tests.base import login_verified

    extra = [argument for argument in arguments if argument != "cell_slug"]
    if extra and name not in URL_KWARGS:
        pytest.skip(f"{name} needs {', '.join(extra)}: add a builder to URL_KWARGS in {__name__}")
    world = World(cast)
    if name in SETUP:
        SETUP[name](world)
    _ = world.rules  # everyone has acknowledged the secrecy of the table
    kwargs = {"cell_slug": cast.cell_a.slug, **(URL_KWARGS[name](world) if extra else {})}
    url = reverse(name, kwargs=kwargs)
    opened = 0
    for member in (cast.alice, cast.bob, cast.mayor, cast.officer, cast.dpo):
        before = LogEntry.objects.filter(action=LogAction.ACCESS).count()
        response = login_verified(client, member).get(url, **HEADERS.get(name, {}))
        if response.streaming:
            b"".join(response.streaming_content)
        written = LogEntry.objects.filter(action=LogAction.ACCESS).count() - before
        if response.status_code == 200:
            opened += 1
            assert written == 1, f"{name} as {member.name}: {written} access entries for one request"
        else:
            assert written == 0, f"{name} as {member.name} answered {response.status_code} yet logged access"
    if not opened:
        pytest.skip(f"no member of the cast may open {name} without more set-up")
