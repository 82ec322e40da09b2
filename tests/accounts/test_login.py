import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.base import PASSWORD
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")


def log_in(client, email, password=PASSWORD, **extra):
    return client.post(LOGIN, {"username": email, "password": password}, HTTP_ACCEPT_LANGUAGE="en", **extra)


def give_backup_codes(user, *codes):
    device = StaticDevice.objects.create(user=user, name="backup", confirmed=True)
    for code in codes:
        StaticToken.objects.create(device=device, token=code)
    return device


def current_totp(device):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def test_the_login_page_is_reachable_without_an_account(client):
    response = client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert 'name="username"' in response.content.decode()


def test_a_wrong_password_says_so_and_keeps_the_address(client, cast):
    response = log_in(client, "alice@example.test", "not the password")
    assert response.status_code == 200
    content = response.content.decode()
    assert "do not match an account" in content
    assert 'value="alice@example.test"' in content
    assert "_auth_user_id" not in client.session


def test_the_e_mail_address_is_not_case_sensitive(client, cast):
    give_backup_codes(cast.alice, "abcdefgh")
    response = log_in(client, "Alice@Example.TEST")
    assert response.status_code == 302


def test_after_the_password_a_user_with_a_device_must_verify_it(client, cast):
    give_backup_codes(cast.alice, "abcdefgh")
    response = log_in(client, "alice@example.test", follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:verify"))


def test_no_cell_page_is_reachable_without_the_second_factor(client, cast):
    give_backup_codes(cast.alice, "abcdefgh")
    client.force_login(cast.alice)  # password given, no second factor
    response = client.get(reverse("cells:home", kwargs={"cell_slug": "alfa"}))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:verify"))
    assert client.get(reverse("cells:pick")).status_code == 302
    assert client.get("/admin/").status_code == 302


def test_a_backup_code_opens_the_cell_and_works_only_once(client, cast):
    give_backup_codes(cast.alice, "abcdefgh", "ijklmnop")
    log_in(client, "alice@example.test")
    verify = reverse("accounts:verify") + "?next=/c/"
    response = client.post(verify, {"code": "ABCD EFGH"})
    assert response.status_code == 302
    home = client.get(response["Location"], follow=True)
    assert home.redirect_chain[-1][0] == reverse("cells:home", kwargs={"cell_slug": "alfa"})
    assert home.status_code == 200
    client.post(reverse("accounts:logout"))
    log_in(client, "alice@example.test")
    response = client.post(verify, {"code": "abcdefgh"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "not correct, or it has already been used" in response.content.decode()


def test_a_wrong_code_is_refused_with_a_clear_message(client, cast):
    give_backup_codes(cast.alice, "abcdefgh")
    log_in(client, "alice@example.test")
    response = client.post(reverse("accounts:verify"), {"code": "123456"})
    assert "not correct" in response.content.decode()
    response = client.post(reverse("accounts:verify"), {"code": "12-34"})
    assert "only letters and digits" in response.content.decode()
    assert client.get(reverse("cells:pick")).status_code == 302


def test_repeated_wrong_codes_are_throttled(client, cast):
    give_backup_codes(cast.alice, "abcdefgh")
    log_in(client, "alice@example.test")
    for _ in range(3):
        response = client.post(reverse("accounts:verify"), {"code": "wrongcode"})
    assert "Wait 1 second before typing the newest code" in response.content.decode()
    response = client.post(reverse("accounts:verify"), {"code": "abcdefgh"})
    assert response.status_code == 200  # even the right code waits out the throttle


def test_the_throttle_message_tells_the_real_wait_which_doubles_with_each_wrong_code(client, cast):
    give_backup_codes(cast.alice, "abcdefgh")
    log_in(client, "alice@example.test")
    start = timezone.now()
    waits = []
    for step in range(4):  # each wrong code one minute after the last: never throttled
        with time_machine.travel(start + datetime.timedelta(minutes=step), tick=False):
            client.post(reverse("accounts:verify"), {"code": "wrongcode"})
    with time_machine.travel(start + datetime.timedelta(minutes=3, seconds=1), tick=False):
        waits.append(client.post(reverse("accounts:verify"), {"code": "abcdefgh"}).content.decode())
    assert "Wait 7 seconds before typing the newest code: after each wrong code the wait doubles." in waits[0]
    # The wait is seconds, not a minute: once it is over, the right code works.
    with time_machine.travel(start + datetime.timedelta(minutes=3, seconds=9), tick=False):
        response = client.post(reverse("accounts:verify"), {"code": "abcdefgh"})
    assert response.status_code == 302


def test_a_new_user_enrols_an_authenticator_app_and_gets_backup_codes(client, cast):
    log_in(client, "alice@example.test")
    response = client.get(reverse("cells:pick"))
    assert response["Location"].startswith(reverse("accounts:setup"))
    page = client.get(reverse("accounts:setup"))
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=cast.alice, confirmed=False)

    wrong = client.post(reverse("accounts:setup"), {"code": "000000"})
    assert "not correct" in wrong.content.decode()
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=5)):  # past the throttle
        done = client.post(reverse("accounts:setup"), {"code": current_totp(device)})
    assert done.status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    assert StaticToken.objects.filter(device__user=cast.alice).count() == 10
    assert client.get(reverse("cells:home", kwargs={"cell_slug": "alfa"})).status_code == 200


def test_a_code_typed_too_soon_after_a_wrong_one_asks_to_wait(client, cast):
    log_in(client, "alice@example.test")
    client.get(reverse("accounts:setup"))
    device = TOTPDevice.objects.get(user=cast.alice, confirmed=False)
    client.post(reverse("accounts:setup"), {"code": "000000"})
    response = client.post(reverse("accounts:setup"), {"code": current_totp(device)})
    assert "Wait 1 second before typing the newest code" in response.content.decode()
    assert "minute" not in response.content.decode()


def test_a_password_alone_cannot_enrol_a_new_device_for_a_user_who_has_one(client, cast):
    give_backup_codes(cast.alice, "abcdefgh")
    log_in(client, "alice@example.test")
    response = client.get(reverse("accounts:setup"))
    assert response["Location"] == reverse("accounts:verify")
    assert not TOTPDevice.objects.filter(user=cast.alice).exists()


def test_the_security_page_issues_a_fresh_set_of_backup_codes(as_user, cast):
    client = as_user(cast.alice)
    old = set(StaticToken.objects.filter(device__user=cast.alice).values_list("token", flat=True))
    client.post(reverse("accounts:confirm_password"), {"password": PASSWORD})  # asked again first
    response = client.post(reverse("accounts:security"))
    new = set(StaticToken.objects.filter(device__user=cast.alice).values_list("token", flat=True))
    assert len(new) == 10 and not old & new
    assert all(code in response.content.decode() for code in new)


def test_five_wrong_passwords_lock_the_account_from_that_address(client, cast):
    give_backup_codes(cast.alice, "abcdefgh")
    for email in [
        "alice@example.test",
        "ALICE@example.test",
        " Alice@Example.test",
        "alice@example.test",
        "alice@EXAMPLE.test",
    ]:
        log_in(client, email, "wrong", REMOTE_ADDR="198.51.100.1")  # case does not dodge the count
    locked = log_in(client, "alice@example.test", REMOTE_ADDR="198.51.100.1")
    assert locked.status_code == 429
    assert "Too many attempts" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # The lock is per user and address: the same user elsewhere, and others here, may go on.
    assert log_in(client, "alice@example.test", REMOTE_ADDR="198.51.100.2").status_code == 302


def test_four_wrong_passwords_do_not_lock(client, cast):
    give_backup_codes(cast.alice, "abcdefgh")
    for _ in range(4):
        log_in(client, "alice@example.test", "wrong")
    assert log_in(client, "alice@example.test").status_code == 302


def test_a_deactivated_account_cannot_log_in(client, cast):
    cast.alice.is_active = False
    cast.alice.save()
    response = log_in(client, "alice@example.test")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_the_session_ends_after_thirty_idle_minutes(as_user, cast):
    client = as_user(cast.alice)
    home = reverse("cells:home", kwargs={"cell_slug": "alfa"})
    start = timezone.now()
    with time_machine.travel(start + datetime.timedelta(minutes=29)):
        assert client.get(home).status_code == 200  # activity renews the session
    with time_machine.travel(start + datetime.timedelta(minutes=29 + 31)):
        response = client.get(home)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_logging_out_ends_access(as_user, cast):
    client = as_user(cast.alice)
    client.post(reverse("accounts:logout"))
    response = client.get(reverse("cells:home", kwargs={"cell_slug": "alfa"}))
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_user_with_several_cells_chooses_one(as_user, cast):
    MembershipFactory(cell=cast.cell_b, user=cast.alice)
    response = as_user(cast.alice).get(reverse("cells:pick"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "LIVC-R Alfa" in content and "LIVC-R Bravo" in content


def test_a_user_without_cells_is_told_so(as_user, db):
    lonely = UserFactory()
    response = as_user(lonely).get(reverse("cells:pick"))
    assert response.status_code == 200
    assert "not an active member of any cell" in response.content.decode()
