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
    for item in items:
        _with_key_store(item)
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://... to run it")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


def _with_key_store(item: pytest.Item) -> None:
    """A test that uses the database uses the key store too (the `keys` database, where every
    case's data key is made on its first save): both are set up and rolled back together."""
    marker = item.get_closest_marker("django_db")
    if marker is not None and "databases" not in marker.kwargs:
        item.add_marker(
            pytest.mark.django_db(*marker.args, **marker.kwargs, databases="__all__"), append=False
        )
    elif marker is None and {"db", "transactional_db"} & set(getattr(item, "fixturenames", ())):
        transaction = "transactional_db" in item.fixturenames  # type: ignore[attr-defined]
        item.add_marker(pytest.mark.django_db(transaction=transaction, databases="__all__"), append=False)
