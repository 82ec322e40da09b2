"""The platform admin shows no secret of any account and cannot set one (issue 12, point 6).

A platform administrator who could read a backup code or a TOTP key, or set a coordinator's
password, could log in as that coordinator and read their cases.
"""

import contextlib
import re
from base64 import b32encode

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import NoReverseMatch, reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from livc.accounts.otp import backup_codes_renew
from livc.audit.events import EventKind, record_event
from livc.audit.models import LogEntry
from livc.cells.models import Membership
from tests.base import PASSWORD, login_verified
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()


@pytest.fixture
def platform_admin(db):
    """Like the demo's beheer@platform.example: staff and superuser, verified second factor."""
    return UserFactory(email="beheer@platform.test", name="Pia Platform", is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(client, platform_admin):
    return login_verified(client, platform_admin)


def give_second_factor(user):
    totp = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    codes = backup_codes_renew(user=user)
    return totp, codes


def secrets_of(users):
    """Every string that would let someone pass as one of these users, as it could be shown."""
    secrets = set()
    for device in TOTPDevice.objects.filter(user__in=users):
        secrets.add(device.key.lower())
        secrets.add(device.key.upper())
        base32 = b32encode(device.bin_key).decode().rstrip("=")
        secrets.add(base32)
        secrets.add(" ".join(base32[i : i + 4] for i in range(0, len(base32), 4)))
        secrets.add(base32[:16])  # a quarter of the key is already too much
    secrets.update(StaticToken.objects.filter(device__user__in=users).values_list("token", flat=True))
    for user in User.objects.filter(pk__in=[u.pk for u in users]):
        secrets.add(user.password)
        secrets.add(user.password.rsplit("$", 1)[-1])  # the hash itself
    return {secret for secret in secrets if secret}


def admin_pages():
    """Every changelist, add, change, history and delete page of every registered model."""
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        yield reverse("admin:{}_{}_changelist".format(*info))
        yield reverse("admin:{}_{}_add".format(*info))
        for obj in model._default_manager.all()[:25]:
            for page in ("change", "history", "delete"):
                with contextlib.suppress(NoReverseMatch):
                    yield reverse(f"admin:{info[0]}_{info[1]}_{page}", args=[obj.pk])


@pytest.fixture
def accounts_with_second_factors(cast, client):
    give_second_factor(cast.alice)  # a coordinator
    give_second_factor(cast.bob)
    TOTPDevice.objects.create(user=cast.charlie, name="authenticator", confirmed=False)  # enrolling
    StaticDevice.objects.create(user=cast.charlie, name="backup", confirmed=True).token_set.create(
        token="qrstuvwx"
    )
    # A mistyped password leaves an access attempt (django-axes) and an audit event behind.
    client.post(reverse("accounts:login"), {"username": "alice@example.test", "password": PASSWORD + "x"})
    return [cast.alice, cast.bob, cast.charlie]


def test_no_admin_page_shows_a_second_factor_secret_or_a_password_hash(
    admin_client, accounts_with_second_factors, platform_admin
):
    secrets = secrets_of([*accounts_with_second_factors, platform_admin])
    assert len(secrets) > 30
    seen = 0
    for url in admin_pages():
        response = admin_client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code in (200, 302, 403), url
        body = response.content.decode()
        leaked = [secret for secret in secrets if secret in body]
        assert not leaked, f"{url} shows {leaked}"
        assert PASSWORD + "x" not in body, url  # a mistyped password neither
        seen += response.status_code == 200
    assert seen > 15  # the walk really saw pages, logged in as a platform administrator


def test_the_second_factor_models_have_no_admin(admin_client):
    assert TOTPDevice not in admin.site._registry
    assert StaticDevice not in admin.site._registry
    assert admin_client.get("/admin/otp_totp/totpdevice/").status_code == 404
    assert admin_client.get("/admin/otp_static/staticdevice/").status_code == 404


def test_the_user_admin_has_no_password_field_and_its_password_page_answers_404(admin_client, cast):
    page = admin_client.get(reverse("admin:accounts_user_change", args=[cast.alice.pk]))
    assert page.status_code == 200
    assert 'name="password' not in page.content.decode()
    assert "password/" not in page.content.decode()  # no link to a password form
    assert admin_client.get(f"/admin/accounts/user/{cast.alice.pk}/password/").status_code == 404
    assert (
        admin_client.post(
            f"/admin/accounts/user/{cast.alice.pk}/password/",
            {"password1": "a new one 12345", "password2": "a new one 12345"},
        ).status_code
        == 404
    )
    cast.alice.refresh_from_db()
    assert cast.alice.check_password(PASSWORD)


def test_posting_a_password_to_the_change_form_changes_nothing(admin_client, cast):
    before = cast.alice.password
    admin_client.post(
        reverse("admin:accounts_user_change", args=[cast.alice.pk]),
        {
            "email": "alice@example.test",
            "name": "Alice Aerts",
            "language": "en",
            "is_active": "on",
            "password": "pbkdf2_sha256$1$salt$chosenbytheadmin",
        },
    )
    cast.alice.refresh_from_db()
    assert cast.alice.password == before


def test_an_account_made_in_the_admin_has_no_password_anyone_knows(admin_client, db):
    page = admin_client.get(reverse("admin:accounts_user_add"))
    assert 'type="password"' not in page.content.decode()
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": " New.Coordinator@Example.test ",
            "name": "Nora Nieuw",
            "language": "nl",
            "password1": "known to the admin 123",
            "password2": "known to the admin 123",
        },
    )
    assert response.status_code == 302
    created = User.objects.get(email="new.coordinator@example.test")
    assert not created.has_usable_password()
    assert not created.check_password("known to the admin 123")


def test_accounts_cannot_be_deleted_in_the_admin(admin_client, cast):
    give_second_factor(cast.alice)
    response = admin_client.get(reverse("admin:accounts_user_delete", args=[cast.alice.pk]))
    assert response.status_code == 403
    assert User.objects.filter(pk=cast.alice.pk).exists()


def test_the_reset_action_deletes_the_devices_and_is_logged_with_the_admin_as_actor(
    admin_client, cast, platform_admin, as_user
):
    give_second_factor(cast.alice)
    alice_client = as_user(cast.alice)  # a session verified with a device about to go
    home = reverse("cells:home", kwargs={"cell_slug": "alfa"})
    assert alice_client.get(home).status_code == 200
    response = admin_client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [cast.alice.pk]},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=cast.alice).exists()
    assert not StaticDevice.objects.filter(user=cast.alice).exists()
    events = LogEntry.objects.filter(event=EventKind.SECOND_FACTOR_RESET, object_pk=str(cast.alice.pk))
    assert events.exists()
    assert {event.actor_id for event in events} == {platform_admin.pk}
    assert {event.cell_id for event in events} == {cast.cell_a.pk}  # alice's cell's DPO sees it
    # The session verified with a deleted device is verified no more: it must enrol again.
    assert DEVICE_ID_SESSION_KEY in alice_client.session
    response = alice_client.get(home)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:setup"))


def test_the_password_link_goes_to_the_account_only_and_the_admin_never_sees_it(
    admin_client, cast, platform_admin, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:accounts_user_changelist"),
            {"action": "send_password_link", "_selected_action": [cast.alice.pk]},
            HTTP_ACCEPT_LANGUAGE="en",
            follow=True,
        )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["alice@example.test"]
    link = re.search(r"https?://\S+/accounts/password/\S+/", mail.outbox[0].body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    assert path.rsplit("/", 2)[-2] not in response.content.decode()  # the token is not shown
    events = LogEntry.objects.filter(event=EventKind.PASSWORD_LINK_SENT, object_pk=str(cast.alice.pk))
    assert {event.actor_id for event in events} == {platform_admin.pk}

    form = client.get("/" + path, follow=True)
    assert form.status_code == 200
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a brand new secret phrase", "new_password2": "a brand new secret phrase"},
    )
    assert done.status_code == 302
    cast.alice.refresh_from_db()
    assert cast.alice.check_password("a brand new secret phrase")
    assert LogEntry.objects.filter(event=EventKind.PASSWORD_SET, object_pk=str(cast.alice.pk)).exists()
    # The link works once.
    again = client.get("/" + path, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "no longer works" in again.content.decode()


def test_the_admin_login_form_is_not_offered(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login") + "?next=/admin/"


def test_a_platform_administrator_cannot_be_given_a_role_in_a_cell(cast, platform_admin):
    from livc.cells.admin import MembershipForm

    data = {"user": platform_admin.pk, "role": "coordinator", "is_active": "on"}
    form = MembershipForm(data, instance=Membership(cell=cast.cell_a))
    assert not form.is_valid()
    assert "holds no role in a cell" in str(form.errors["user"])
    ordinary = UserFactory(email="new.coordinator@example.test")
    assert MembershipForm({**data, "user": ordinary.pk}, instance=Membership(cell=cast.cell_a)).is_valid()


def test_the_platform_administrator_reads_no_cells_audit_log(admin_client, cast):
    """Who read which case, from which address, is the DPO's to read (in the console), not the
    platform's: django-auditlog's own admin for the log is taken away."""
    record_event(EventKind.LOGIN_FAILED, data={"matched_account": False})
    assert not admin.site.is_registered(LogEntry)
    assert admin_client.get("/admin/audit/logentry/").status_code == 404
    assert "logentry" not in admin_client.get("/admin/").content.decode()
