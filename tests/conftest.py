import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.utils import translation

from tests.base import Cast, login_verified, make_cast


@pytest.fixture(autouse=True)
def english_outside_requests():
    """Messages raised outside a request (services, commands) in English; requests choose their own."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: the database is rolled back between tests, so
    figures kept in the cache (`livc/cells/notices.py::figures_for_day`) must go with it."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def cast(db: None) -> Cast:
    return make_cast()


@pytest.fixture
def as_user(db: None):
    """`as_user(user)` returns a new test client logged in with a verified second factor."""

    def log_in(user):
        return login_verified(Client(), user)

    return log_in


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Run the browser journeys last, and skip PostgreSQL-only tests on SQLite, saying why.

    Playwright's sync API keeps an event loop running in the main thread for the rest of the
    session, and Django cannot call an async view (the readiness check) from such a thread."""
    items.sort(key=lambda item: "browser" in item.keywords)  # stable: the rest keeps its order
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://... to run it")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)
