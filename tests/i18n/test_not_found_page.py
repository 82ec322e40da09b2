"""A missing page shows the project's own 404 page in the visitor's language, in development too
(`livc.devtools.ProjectNotFoundMiddleware`); `?debug-404` still shows Django's technical page."""

import pytest
from django.conf import settings
from django.test import Client, override_settings

from tests.base import login_verified
from tests.i18n.languages import LANGUAGES, foreign_messages

pytestmark = pytest.mark.django_db

DEVELOPMENT = {"DEBUG": True, "MIDDLEWARE": [*settings.MIDDLEWARE, "livc.devtools.ProjectNotFoundMiddleware"]}
TITLES = {
    "nl": "Pagina niet gevonden",
    "fr": "Page introuvable",
    "de": "Seite nicht gefunden",
    "en": "Page not found",
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_development_shows_the_projects_own_404_page_in_the_users_language(cast, language):
    cast.alice.language = language
    cast.alice.save(update_fields=["language"])
    with override_settings(**DEVELOPMENT):
        response = login_verified(Client(), cast.alice).get("/no-such-page/")
    content = response.content.decode()
    assert response.status_code == 404
    assert "DEBUG = True" not in content and TITLES[language] in content
    assert 'href="/"' in content  # back to the cells
    assert foreign_messages(content, language) == []


def test_a_visitor_who_is_not_logged_in_gets_a_way_to_log_in():
    with override_settings(**DEVELOPMENT):
        response = Client(HTTP_ACCEPT_LANGUAGE="fr").get("/no-such-page/")
    assert response.status_code == 404 and "/accounts/login/" in response.content.decode()


def test_a_foreign_cells_address_is_the_same_404_page(cast):
    with override_settings(**DEVELOPMENT):
        response = login_verified(Client(), cast.charlie).get("/c/alfa/cases/")
    assert response.status_code == 404 and "DEBUG = True" not in response.content.decode()


def test_developers_still_reach_djangos_technical_page():
    with override_settings(**DEVELOPMENT):
        response = Client().get("/no-such-page/?debug-404")
    assert response.status_code == 404 and "DEBUG = True" in response.content.decode()
