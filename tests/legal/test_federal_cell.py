"""A whole cell under the federal law only (issue 20; docs/adr/0015): every page of the access
matrix that one of its members may open, and every PDF and CSV it downloads, in each of the four
languages, without a word of the Flemish decree or the Flemish supervisory commission; its item
form offers the categories of its own rules of procedure. The same cell under the decree keeps
today's behaviour.

The cell is the access matrix's cell A (`tests/access/builders.py::World`: every role, a case with
items, a meeting with finalised minutes, a breach, requests for access, the statistics), switched
to the federal law before anything is built, with rules of procedure in force that define its
own categories, the items filed under them.
"""

import datetime
import io
import re
from functools import cached_property
from typing import Any

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from livc.cells.models import Cell
from livc.legal import DataCategory, LegalFramework
from tests.access import matrix
from tests.access.builders import POST_DATA, SETUP, URL_KWARGS, World
from tests.base import Cast, login_verified, make_cast

pytestmark = pytest.mark.django_db

LANGUAGES = ("nl", "fr", "de", "en")
# The cell's own categories, as its rules of procedure in force list them (one special).
OWN_CATEGORIES = [
    {"key": "c-identitaet", "name": "Identifikations- und Kontaktdaten", "special": False,
     "purpose": "Die Person erkennen."},
    {"key": "c-schule", "name": "Schule und Ausbildung", "special": False,
     "purpose": "Die Begleitung mit der Schule abstimmen."},
    {"key": "c-verhalten", "name": "Verhalten und Risikosignale", "special": False,
     "purpose": "Einschätzen, ob die Person zu Gewalt neigt."},
    {"key": "c-gesundheit", "name": "Psychische Gesundheit", "special": True,
     "purpose": "Nur soweit sie die Begleitung bestimmt."},
]  # fmt: skip
# The words that name the decree or the Flemish supervisory commission, in the four languages.
DECREE = re.compile(
    r"decree|decreet|décret|dekret|flemish|vlaams|flamand|flämisch|toezichtcommissie", re.IGNORECASE
)
# "art. 9" as the decree's article; the GDPR's art. 9 (special categories) may be named.
ARTICLE_9 = re.compile(r"\bart(?:ikel|icle)?\.?\s*9(?![\d/])", re.IGNORECASE)
GDPR = re.compile(r"GDPR|AVG|RGPD|DSGVO|2016/679")
# Who opens a page as the matrix's part of cell A, and who its overrides name ("dries@a").
USERS = {"coordinator": "alice", "mayor": "mayor", "officer": "officer", "dpo": "dpo", "seated": "bob",
         "unseated": "pia"}  # fmt: skip


def decree_references(text: str) -> list[str]:
    """Each place `text` names the decree or the Flemish commission, with some context."""
    found = [text[max(0, m.start() - 60) : m.end() + 60] for m in DECREE.finditer(text)]
    for match in ARTICLE_9.finditer(text):
        before = text[max(0, match.start() - 40) : match.end() + 20]
        if not GDPR.search(before):
            found.append(text[max(0, match.start() - 60) : match.end() + 60])
    return found


def test_the_check_finds_each_way_of_naming_the_decree():
    for text in (
        "Data category (decree art. 9)", "het Vlaamse decreet", "le décret flamand", "das Dekret",
        "Flämische Aufsichtskommission", "Vlaamse Toezichtcommissie", "Datenkategorie (Art. 9)",
    ):  # fmt: skip
        assert decree_references(text), text
    for text in (
        "special categories (GDPR art. 9 and 10)",
        "art. 458ter",
        "Art. 90",
        "RGPD, art. 9",
        "Art. 9 und 10 DSGVO",
    ):
        assert not decree_references(text), text


class FederalWorld(World):
    """Cell A's world, its rules of procedure defining the cell's own categories, the items filed
    under them, and an answered request for access about the case's person (its letter lists
    the items)."""

    @cached_property
    def rules(self) -> Any:
        from participants.models import RulesOfProcedure, RulesStatus
        from participants.rules import acknowledgement_record

        rules = RulesOfProcedure.objects.create(
            cell=self.cast.cell_a, version=1, text="Geschäftsordnung.", status=RulesStatus.IN_FORCE,
            drafted_by=self.cast.alice, approved_by=self.cast.mayor, approved_at=timezone.now(),
            data_categories=OWN_CATEGORIES,
        )  # fmt: skip
        for member in self.members.values():
            acknowledgement_record(cell=member.cell, user=member.user)
        return rules

    @cached_property
    def item(self) -> Any:
        from cases.services.items import item_add

        return item_add(member=self.members["participant"], case=self.case, text="In der Schule gesehen.",
                        category="c-schule", shared_on=timezone.localdate(), consent=True)  # fmt: skip

    @cached_property
    def special_item(self) -> Any:
        """The officer's item, in the cell's one special category."""
        from cases.services.items import item_add

        return item_add(member=self.members["officer"], case=self.case, text="Belastung bekannt.",
                        category="c-gesundheit", shared_on=timezone.localdate(), consent=True)  # fmt: skip

    @cached_property
    def known_request_answered(self) -> Any:
        """A request for access about the case's person, each question answered, then the request."""
        from dpo.access_requests import question_answer, request_answer, request_record
        from dpo.models import ExceptionQuestion

        _ = self.item, self.special_item
        request = request_record(member=self.members["dpo"], first_name="Tom", last_name="Testeling",
                                 birth_date=datetime.date(1999, 1, 2), language="de",
                                 identity_check="Personalausweis.", received_on=timezone.localdate())  # fmt: skip
        for question in ExceptionQuestion.objects.filter(details__request=request).select_related("asked"):
            question_answer(member=question.asked, question=question, applies=False)
        return request_answer(member=self.members["dpo"], request=request)


def federal_world(framework: str = LegalFramework.FEDERAL) -> tuple[Cast, World]:
    """The world of cell A under `framework`, every object of the matrix built."""
    cast = make_cast()
    Cell.objects.filter(pk=cast.cell_a.pk).update(legal_framework=framework)
    cast.cell_a.refresh_from_db()
    world = FederalWorld(cast) if framework == LegalFramework.FEDERAL else World(cast)
    _ = world.rules
    for build in (*URL_KWARGS.values(), *SETUP.values(), *POST_DATA.values()):
        build(world)
    if isinstance(world, FederalWorld):
        _ = world.known_request_answered
    return cast, world


def pages() -> dict[str, list[str]]:
    """Every cell page a member of cell A may open with a GET, with the users who may."""
    found = {}
    for name, declared in sorted(matrix.DECLARED.items()):
        if not isinstance(declared, matrix.Cell):
            continue
        users = [USERS[part] for part, answer in declared.answers("GET").items() if answer == "ok"]
        users += [who[: -len("@a")] for who, answer in declared.overrides.items() if answer == "ok"]
        if users:
            found[name] = list(dict.fromkeys(users))
    return found


def page_url(world: World, name: str) -> str:
    kwargs = URL_KWARGS[name](world) if name in URL_KWARGS else {}
    return reverse(name, kwargs={"cell_slug": world.cast.cell_a.slug, **kwargs})


def text_of(response: Any, body: bytes) -> str:
    """What the response says: a PDF's text, a CSV's or a page's."""
    if response.get("Content-Type", "").startswith("application/pdf"):
        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(body)).pages)
    return body.decode("utf-8", errors="replace")


def get(client: Client, url: str) -> tuple[Any, bytes]:
    """A GET and its body, its effects (a notification read, an access logged) rolled back."""
    with transaction.atomic():
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        transaction.set_rollback(True)
    cache.clear()  # throttles start afresh
    return response, body


def users_of(cast: Cast, world: World) -> dict[str, Any]:
    return {
        "alice": cast.alice, "mayor": cast.mayor, "officer": cast.officer, "dpo": cast.dpo, "bob": cast.bob,
        "pia": world.pia, "dries": cast.dries,
    }  # fmt: skip


def minutes_ready(world: World) -> None:
    """Each member's copy of the finalised minutes, made now in their language."""
    from meetings.minutes_pdf import document_fill
    from meetings.models import MinutesDocument

    for document in MinutesDocument.objects.filter(meeting=world.finalised_meeting):
        document_fill(document)


def test_a_federal_cell_names_no_decree_on_any_page_or_download_in_any_language():
    from dpo.models import AccessRequestDetails
    from livc.accounts.models import User

    cast, world = federal_world()
    users = users_of(cast, world)
    clients = {key: login_verified(Client(), user) for key, user in users.items()}
    references: list[str] = []
    failures: list[str] = []
    for index, language in enumerate(LANGUAGES):
        User.objects.filter(pk__in=[u.pk for u in users.values()]).update(language=language)
        minutes_ready(world)
        AccessRequestDetails.objects.filter(
            request__in=[world.access_request_answered, world.known_request_answered]
        ).update(language=language)
        downloads = {
            "known person's access letter": reverse(
                "audit:access_letter",
                kwargs={"cell_slug": cast.cell_a.slug, "pk": world.known_request_answered.pk},
            )
        }
        # Each page in every language as the first user who may open it, as each other one in one
        # language (a page differs little by who reads it, and by language not at all).
        visits = [
            (name, user, page_url(world, name))
            for name, readers in pages().items()
            for user in readers[:1] + readers[1:][index :: len(LANGUAGES)]
        ]
        visits += [(what, "dpo", url) for what, url in downloads.items()]
        for name, user, url in visits:
            response, body = get(clients[user], url)
            if response.status_code not in (200, 302):
                failures.append(f"{language} {name} as {user}: {response.status_code}")
                continue
            text = text_of(response, body)
            if response.status_code == 200 and not text.strip():
                failures.append(f"{language} {name} as {user}: nothing to read")
            references += [f"{language} {name} as {user}: …{found}…" for found in decree_references(text)]
            if name == "cases:item_new":
                offered = set(re.findall(r'<option value="([^"]+)"', _category_select(text)))
                if offered != {c["key"] for c in OWN_CATEGORIES} | {DataCategory.OTHER}:
                    failures.append(f"{language} item form as {user} offers {sorted(offered)}")
                if "Schule und Ausbildung" not in text:
                    failures.append(f"{language} item form as {user}: the own category's name is missing")
    assert not failures, "\n".join(failures)
    assert not references, "\n".join(references)


def _category_select(page: str) -> str:
    match = re.search(r'<select name="category".*?</select>', page, re.DOTALL)
    return match.group(0) if match else ""


def test_the_same_cell_under_the_decree_keeps_the_decrees_categories_and_commission():
    cast, world = federal_world(LegalFramework.FLEMISH)
    for user in (cast.alice, cast.dpo):  # the pages speak each user's language: English here
        user.language = "en"
        user.save(update_fields=["language"])
    alice, dpo = login_verified(Client(), cast.alice), login_verified(Client(), cast.dpo)

    form, body = get(alice, page_url(world, "cases:item_new"))
    assert form.status_code == 200
    page = body.decode()
    offered = set(re.findall(r'<option value="([^"]+)"', _category_select(page)))
    assert offered == set(DataCategory.values)
    assert "decree" in page  # the field's label names the decree's article

    breach = get(dpo, page_url(world, "audit:breach_new"))[1].decode()
    assert "Vlaamse Toezichtcommissie" in breach

    home = get(alice, page_url(world, "cells:home"))[1].decode()
    assert "Flemish decree" in home  # the framework line under every cell page
