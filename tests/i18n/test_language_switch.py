"""Everyone can choose each of the four languages, and the switch shows the one in use."""

import re

import pytest
from django.conf import settings

from livc.accounts.models import User

OPTION = re.compile(r'<option value="(\w+)" lang="\w+"( selected)?>')


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_the_switch_offers_every_language_and_shows_the_users_own(db, cast, as_user, language):
    User.objects.filter(pk=cast.alice.pk).update(language=language)
    page = as_user(cast.alice).get("/").content.decode()
    if 'id="language-select"' not in page:
        page = as_user(cast.alice).get(f"/c/{cast.cell_a.slug}/").content.decode()
    options = OPTION.findall(page)
    assert [code for code, _selected in options] == ["nl", "fr", "de", "en"]
    assert [code for code, selected in options if selected] == [language]


def test_choosing_german_keeps_it(db, cast, as_user):
    client = as_user(cast.alice)
    client.post("/accounts/language/", {"language": "de", "next": "/"})
    cast.alice.refresh_from_db()
    assert cast.alice.language == "de"
    assert 'lang="de"' in client.get(f"/c/{cast.cell_a.slug}/").content.decode()[:200]
