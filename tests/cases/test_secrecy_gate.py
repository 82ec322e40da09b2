"""Rule 6: case content waits for the acknowledgement of the secrecy of the table, decided in one
place (`participants/middleware.py::SecrecyGateMiddleware`) for every view marked
`@shows_case_content`, whatever the method, before the view looks anything up."""

import uuid
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from livc.audit.access import is_case_content
from livc.audit.models import LogAction, LogEntry
from participants.rules import acknowledgement_record

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]

# The views the guarantees issue found open before the acknowledgement.
ONCE_FORGOTTEN = ["meetings:actions", "cases:identity", "cases:referral_qualify", "meetings:item",
                  "cases:referral_identity"]  # fmt: skip


def gated_urls():
    """(URL name, a URL of it under cell alfa with made-up ids) for every case-content view."""

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                space = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, space)
            elif isinstance(pattern, URLPattern) and pattern.name and is_case_content(pattern.callback):
                yield f"{namespace}{pattern.name}", pattern

    made_up = {"uuid": uuid.uuid4, "int": lambda: 987654, "slug": lambda: "x", "str": lambda: "x"}
    seen = {}
    for name, pattern in walk(get_resolver().url_patterns, ""):
        kwargs = {"cell_slug": "alfa"}
        for key, converter in pattern.pattern.converters.items():
            kind = type(converter).__name__.replace("Converter", "").lower()
            kwargs[key] = made_up.get(kind, made_up["str"])()
        seen[name] = reverse(name, kwargs=kwargs)
    return sorted(seen.items())


def test_the_views_once_forgotten_are_behind_the_gate():
    names = dict(gated_urls())
    assert set(ONCE_FORGOTTEN) <= set(names)


@pytest.mark.parametrize("role", ["alice", "bob", "mayor", "officer"])
def test_every_case_content_view_sends_a_member_who_has_not_acknowledged_to_the_statement(
    cast, as_user, role
):
    client = as_user(getattr(cast, role))
    acknowledge = reverse("participants:acknowledge", kwargs={"cell_slug": "alfa"})
    before = LogEntry.objects.filter(action=LogAction.ACCESS).count()
    for name, address in gated_urls():
        response = client.get(address)
        assert response.status_code == 302, name
        assert response["Location"].startswith(acknowledge), name
        posted = client.post(address, {"text": "x"})
        assert posted.status_code == 302 and posted["Location"].startswith(acknowledge), name
        htmx = client.get(address, HTTP_HX_REQUEST="true")
        assert htmx["HX-Redirect"].startswith(acknowledge), name
    assert LogEntry.objects.filter(action=LogAction.ACCESS).count() == before  # nothing was shown


def test_the_statement_leads_back_to_the_page_asked_for(cast, as_user):
    from tests.cases.conftest import make_case

    members = {
        m.role if m.user != cast.bob else "participant": m
        for m in cast.cell_a.memberships.exclude(user=cast.dries)
    }
    case = make_case(members)
    client = as_user(cast.alice)
    address = reverse("cases:detail", kwargs={"cell_slug": "alfa", "pk": case.pk})
    response = client.get(address)
    assert response.status_code == 302 and "next=" in response["Location"]
    acknowledgement_record(cell=cast.cell_a, user=cast.alice)
    assert client.get(address).status_code == 200


def test_the_gate_answers_an_existing_and_a_made_up_case_alike(cast, as_user):
    """Before acknowledging, nobody learns whether a case exists: both are sent to the statement."""
    from tests.cases.conftest import make_case

    members = {
        m.role if m.user != cast.bob else "participant": m
        for m in cast.cell_a.memberships.exclude(user=cast.dries)
    }
    case = make_case(members)
    client = as_user(cast.bob)
    real = client.get(reverse("cases:detail", kwargs={"cell_slug": "alfa", "pk": case.pk}))
    made_up = client.get(reverse("cases:detail", kwargs={"cell_slug": "alfa", "pk": uuid.uuid4()}))
    assert real.status_code == made_up.status_code == 302


def test_no_view_checks_the_acknowledgement_itself():
    """One place: the views carry the mark, the middleware decides."""
    views = [path for app in ("cases", "meetings", "participants", "dpo", "retention", "livc")
             for path in (ROOT / app).rglob("*.py") if "views" in path.parts or path.name.endswith("views.py")]  # fmt: skip
    assert views
    offenders = [
        str(path.relative_to(ROOT))
        for path in views
        if "request_has_acknowledged(" in path.read_text() or "acknowledgement_redirect" in path.read_text()
    ]
    assert not offenders
