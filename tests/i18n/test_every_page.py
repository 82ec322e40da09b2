"""Every page, as a German-speaking user: no string of another language (issue 20).

`tests/i18n/test_one_language.py` renders the main pages of each role in each language, with
neutral data. This test opens every page of the site instead: each URL the access matrix
declares (`tests/access/matrix.py`), as each member of cell A who may open it (the coordinator,
the mayor, the information officer, the DPO, bob seated at the case, pia seated nowhere) and, for
the pages outside the cells, as a visitor and as alice; in the one world the access tests build
(`tests/access/builders.py`). Each HTML page that answers 200 is read in German, with
`tests/i18n/languages.py::foreign_messages`.

That world's data is Dutch (a pseudonym, signals, minutes). A text the check finds on the German
page that the same page shows unchanged in Dutch and in French (its numbers and dates aside) is
data, or a message untranslated in every language (`make messages-check` finds those): only the
rest fails the test.
"""

import re

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import reverse

from livc.accounts.models import User
from tests.access import matrix
from tests.access.builders import HEADERS, URL_KWARGS, World
from tests.access.test_matrix import Stage, stage
from tests.i18n.languages import foreign_messages, report, visible_text

__all__ = ["stage"]  # the access tests' world, built once for the module

pytestmark = pytest.mark.django_db

# The members of cell A, under cell A's address; and for the pages outside the cells a visitor
# and alice (logged in: what any member sees there).
MEMBERS = [kind for kind in matrix.KINDS if kind.address == "a" and kind.user in
           ("alice", "mayor", "officer", "dpo", "bob", "pia")]  # fmt: skip
VISITOR = next(kind for kind in matrix.KINDS if kind.user is None)
ALICE = next(kind for kind in MEMBERS if kind.user == "alice")
LANGUAGE = "de"
CHECKS = ("nl", "fr")  # the same text unchanged in these too: data, not the interface
DATES = re.compile(r"[\d./:-]+")


def readers(name: str) -> list[matrix.Kind]:
    """Who opens the page with a GET (one kind per member who may)."""
    kinds = [VISITOR, ALICE] if isinstance(matrix.DECLARED[name], matrix.Open) else MEMBERS
    return [kind for kind in kinds if matrix.expected(name, kind, "GET") == "ok"]


def data_of(text: str) -> str:
    """The text without its numbers and dates, which each language writes its own way."""
    return DATES.sub("", text)


PAGES = sorted(name for name in matrix.DECLARED if readers(name))


def page(stage: Stage, name: str, kind: matrix.Kind, language: str) -> str | None:
    """The page's HTML in `language` (the user's own language, a visitor's browser's), or None
    when it is no HTML page (a file, a redirect, JSON); in a transaction rolled back afterwards."""
    world: World = stage.world
    kwargs = URL_KWARGS[name](world) if name in URL_KWARGS else {}
    if "<slug:cell_slug>" in matrix.ROUTES[name]:
        kwargs = {"cell_slug": stage.cast.cell_a.slug, **kwargs}
    client: Client = stage.client(kind.user)
    with transaction.atomic():
        User.objects.update(language=language)
        response = client.get(
            reverse(name, kwargs=kwargs), HTTP_ACCEPT_LANGUAGE=language, **HEADERS.get(name, {})
        )
        transaction.set_rollback(True)
    cache.clear()
    if (
        response.status_code != 200
        or response.streaming
        or "text/html" not in response.get("Content-Type", "")
    ):
        return None
    return response.content.decode()


def untranslated(stage: Stage, name: str, kind: matrix.Kind, html: str) -> list[str]:
    """What of another language the German page shows that is not the world's data."""
    if not (found := foreign_messages(html, LANGUAGE)):
        return []
    elsewhere = [
        data_of("\n".join(visible_text(page(stage, name, kind, other) or "", other))) for other in CHECKS
    ]
    return [text for text in found if not all(data_of(text) in shown for shown in elsewhere)]


@pytest.mark.parametrize("name", PAGES)
def test_every_page_speaks_german(stage, name):
    problems = []
    for kind in readers(name):
        if (html := page(stage, name, kind, LANGUAGE)) and (found := untranslated(stage, name, kind, html)):
            problems.append((LANGUAGE, f"{name} as {kind.name}", found))
    assert not problems, report(problems)


def test_the_check_finds_a_page_left_in_english(stage):
    """The English page, passed off as German: its messages are found, and none is taken for data."""
    english = page(stage, "cases:detail", ALICE, "en")
    assert english is not None
    found = untranslated(
        stage, "cases:detail", ALICE, english.replace('<html lang="en">', '<html lang="de">')
    )
    assert {"Skip to content", "Rules of procedure", "Search cases"} <= set(found), found


def test_every_page_is_opened():
    """The pages every role reaches are among those read (a change to the matrix keeps them)."""
    assert {"cells:home", "cases:detail", "meetings:minutes", "audit:home", "statistics:report"} <= set(PAGES)
    assert {"accounts:login", "accounts:security", "invitation:respond"} <= set(PAGES)
