"""One's notifications in a cell: the list (newest first, the unread marked, in pages), opening one
(read, then to its page), marking all read; the unread count in the menu; and the choice of how
each kind reaches one. Everyone sees her own only, in the cell she is in."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from livc.notifications import views
from livc.notifications.models import Delivery, Notification, NotificationKind, Preference

pytestmark = pytest.mark.django_db


def _make(
    user,
    cell,
    *,
    kind=NotificationKind.ACTION_DUE,
    reference="2026-0001",
    minutes_ago=0,
    path="/c/alfa/actions/",
):
    return Notification.objects.create(
        cell=cell, user=user, kind=kind, reference=reference, path=path, delivery=Delivery.IN_APP,
        created_at=timezone.now() - datetime.timedelta(minutes=minutes_ago),
    )  # fmt: skip


def _list(slug="alfa"):
    return reverse("notifications:list", kwargs={"cell_slug": slug})


def _open(notification, slug="alfa"):
    return reverse("notifications:open", kwargs={"cell_slug": slug, "pk": notification.pk})


def test_the_list_shows_ones_own_in_this_cell_newest_first_the_unread_marked(cast, as_user):
    older = _make(cast.dries, cast.cell_a, reference="2026-0001", minutes_ago=10)
    older.read_at = timezone.now()
    older.save()
    _make(cast.dries, cast.cell_a, kind=NotificationKind.AGENDA_PUBLISHED, reference="2026-0002")
    _make(cast.dries, cast.cell_b, reference="2026-0099")  # his, in cell B
    _make(cast.bob, cast.cell_a, reference="2026-0050")  # bob's
    content = as_user(cast.dries).get(_list()).content.decode()
    assert content.index("2026-0002") < content.index("2026-0001")
    assert "2026-0099" not in content and "2026-0050" not in content
    assert content.count(">unread<") == 1
    assert "An action you own is due." in content and "News about a meeting you are invited to" in content
    content = as_user(cast.dries).get(_list("bravo")).content.decode()
    assert "2026-0099" in content and "2026-0001" not in content


def test_the_list_comes_in_pages(cast, as_user, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for minutes in range(5):
        _make(cast.bob, cast.cell_a, reference=f"2026-{minutes:04d}", minutes_ago=minutes)
    client = as_user(cast.bob)
    first, third = client.get(_list()).content.decode(), client.get(_list() + "?page=3").content.decode()
    assert (
        "2026-0000" in first and "2026-0001" in first and "2026-0002" not in first and "Page 1 of 3" in first
    )
    assert "2026-0004" in third and "2026-0003" not in third


def test_opening_one_marks_it_read_and_goes_to_its_page(cast, as_user):
    notification = _make(cast.bob, cast.cell_a)
    answer = as_user(cast.bob).get(_open(notification))
    assert answer.status_code == 302 and answer["Location"] == "/c/alfa/actions/"
    notification.refresh_from_db()
    first_read = notification.read_at
    assert first_read is not None
    as_user(cast.bob).get(_open(notification))
    notification.refresh_from_db()
    assert notification.read_at == first_read  # read once: the first time counts


def test_another_persons_or_another_cells_notification_is_not_found(cast, as_user):
    bobs = _make(cast.bob, cast.cell_a)
    dries_in_b = _make(cast.dries, cast.cell_b)
    assert as_user(cast.alice).get(_open(bobs)).status_code == 404
    assert as_user(cast.dries).get(_open(bobs)).status_code == 404
    assert as_user(cast.dries).get(_open(dries_in_b)).status_code == 404  # his, but of cell B: not under A
    assert as_user(cast.dries).get(_open(dries_in_b, "bravo")).status_code == 302
    assert as_user(cast.charlie).get(_open(bobs, "bravo")).status_code == 404
    bobs.refresh_from_db()
    assert bobs.read_at is None
    assert as_user(cast.bob).post(_open(bobs)).status_code == 405  # opening is a link


def test_mark_all_read_marks_ones_own_in_this_cell(cast, as_user):
    mine = [_make(cast.dries, cast.cell_a), _make(cast.dries, cast.cell_a, minutes_ago=5)]
    in_b, bobs = _make(cast.dries, cast.cell_b), _make(cast.bob, cast.cell_a)
    client = as_user(cast.dries)
    page = client.get(_list()).content.decode()
    assert reverse("notifications:read", kwargs={"cell_slug": "alfa"}) in page
    answer = client.post(reverse("notifications:read", kwargs={"cell_slug": "alfa"}), follow=True)
    assert "All your notifications are marked read." in answer.content.decode()
    assert all(Notification.objects.get(pk=n.pk).read_at for n in mine)
    assert (
        Notification.objects.get(pk=in_b.pk).read_at is None
        and Notification.objects.get(pk=bobs.pk).read_at is None
    )
    assert client.get(reverse("notifications:read", kwargs={"cell_slug": "alfa"})).status_code == 405


def test_the_menu_counts_ones_unread_notifications_on_every_page(cast, as_user):
    _make(cast.dpo, cast.cell_a, kind=NotificationKind.BREACH_DEADLINE, reference="3")
    _make(cast.dpo, cast.cell_a, kind=NotificationKind.BREACH_DEADLINE, reference="4")
    _make(cast.dpo, cast.cell_b, kind=NotificationKind.BREACH_DEADLINE, reference="5")  # not in this cell
    client = as_user(cast.dpo)
    home = client.get(reverse("cells:home", kwargs={"cell_slug": "alfa"})).content.decode()
    entry = f'href="{_list()}">Notifications <span class="badge badge--count">2<'
    assert entry in home and "You have 2 unread notifications." in home
    assert entry in client.get(reverse("audit:breach_report", kwargs={"cell_slug": "alfa"})).content.decode()
    bobs_home = as_user(cast.bob).get(reverse("cells:home", kwargs={"cell_slug": "alfa"})).content.decode()
    assert f'href="{_list()}">Notifications</a>' in bobs_home  # every member has the entry; nothing unread


# --- Preferences -----------------------------------------------------------------------------------

PREFERENCES = "/accounts/notifications/"


def test_the_preferences_page_offers_the_kinds_of_ones_roles(cast, as_user):
    assert reverse("accounts:notifications") == PREFERENCES
    alices = as_user(cast.alice).get(PREFERENCES).content.decode()
    assert 'name="urgent_referral"' in alices and 'name="invitation_waiting"' not in alices
    assert 'name="breach_deadline"' not in alices
    dpos = as_user(cast.dpo).get(PREFERENCES).content.decode()
    assert 'name="breach_deadline"' in dpos and 'name="action_due"' not in dpos
    officers = as_user(cast.officer).get(PREFERENCES).content.decode()
    assert 'name="ltf_feedback"' in officers
    assert (
        'name="ltf_feedback" value="email" required id="id_ltf_feedback_1" checked' in officers
    )  # the default


def test_saving_the_preferences_keeps_the_choices_that_differ(cast, as_user):
    client = as_user(cast.dpo)
    answer = client.post(PREFERENCES, {"breach_deadline": "in_app"}, follow=True)
    assert "Your notification settings are saved." in answer.content.decode()
    assert list(Preference.objects.filter(user=cast.dpo).values_list("kind", "delivery")) == [
        ("breach_deadline", "in_app")
    ]
    client.post(PREFERENCES, {"breach_deadline": "email"})  # back to the default: the row says so
    assert Preference.objects.get(user=cast.dpo, kind="breach_deadline").delivery == "email"


def test_bad_input_is_a_form_error_in_the_persons_language_with_the_rest_kept(cast, as_user):
    client = as_user(cast.alice)
    data = {"urgent_referral": "digest", "action_due": "pigeon", "agenda_published": "in_app"}
    answer = client.post(PREFERENCES, data)
    content = answer.content.decode()
    assert answer.status_code == 200 and "There is a problem" in content
    assert "Select a valid choice. pigeon is not one of the available choices." in content
    assert 'value="digest" required id="id_urgent_referral_2" checked' in content  # what she chose is kept
    assert "This field is required." in content  # referral_qualified was left out
    assert not Preference.objects.filter(user=cast.alice).exists()
    cast.alice.language = "fr"
    cast.alice.save()
    content = client.post(PREFERENCES, data, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Sélectionnez un choix valide" in content


def test_a_person_without_a_membership_has_nothing_to_choose(db, as_user):
    from tests.factories import UserFactory

    loner = UserFactory(email="alleen@example.test")
    content = as_user(loner).get(PREFERENCES).content.decode()
    assert "You have no role in a cell that receives notifications." in content
