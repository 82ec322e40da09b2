from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models.signals import post_save, pre_save
from django.test import override_settings

from tests.crypto import V1, V2, all_raw_tokens, raw_column, raw_key_versions, set_raw_column
from tests.crypto_app.models import Secret

pytestmark = pytest.mark.django_db

OLD_RING, NEW_RING = V1, f"{V2},{V1}"


def rotate(*args):
    out, err = StringIO(), StringIO()
    call_command("rotate_encryption_keys", *args, stdout=out, stderr=err)
    return out.getvalue()


@pytest.fixture
def old_rows():
    """Five rows written while version 1 was the newest key; one has NULLs."""
    with override_settings(LIVC_ENCRYPTION_KEYS=OLD_RING):
        rows = [Secret.objects.create(name=f"Naam {n}", note=f"Notitie {n}") for n in range(4)]
        rows.append(Secret.objects.create(name="Naam 4", note="Notitie 4", born="2001-02-03", extra={"a": 1}))
    assert raw_key_versions() == {"1"}
    return rows


def test_it_reencrypts_old_values_with_the_newest_key(old_rows):
    with override_settings(LIVC_ENCRYPTION_KEYS=NEW_RING):
        output = rotate()
        assert raw_key_versions() == {"2"}
        assert sorted(secret.name for secret in Secret.objects.all()) == [f"Naam {n}" for n in range(5)]
    assert "crypto_app.Secret: 5 row(s), 12 value(s) re-encrypted" in output
    assert "Total: 5 row(s), 12 value(s) re-encrypted with key version 2." in output


def test_the_old_key_can_go_once_rotation_has_run(old_rows):
    with override_settings(LIVC_ENCRYPTION_KEYS=NEW_RING):
        rotate()
    with override_settings(LIVC_ENCRYPTION_KEYS=V2):
        last = Secret.objects.get(pk=old_rows[4].pk)
        assert (last.name, last.note, str(last.born), last.extra) == (
            "Naam 4",
            "Notitie 4",
            "2001-02-03",
            {"a": 1},
        )


def test_a_second_run_reencrypts_nothing(old_rows):
    with override_settings(LIVC_ENCRYPTION_KEYS=NEW_RING):
        rotate()
        tokens = all_raw_tokens()
        assert "Total: 0 row(s), 0 value(s) re-encrypted" in rotate()
        assert all_raw_tokens() == tokens


def test_a_dry_run_counts_and_changes_nothing(old_rows):
    tokens = all_raw_tokens()
    with override_settings(LIVC_ENCRYPTION_KEYS=NEW_RING):
        output = rotate("--dry-run")
    assert "crypto_app.Secret: 5 row(s), 12 value(s) to re-encrypt" in output
    assert all_raw_tokens() == tokens


def test_batches_smaller_than_the_table_cover_every_row(old_rows):
    with override_settings(LIVC_ENCRYPTION_KEYS=NEW_RING):
        for size in ("1", "2", "5"):
            rotate("--batch-size", size)  # later runs find nothing left; each must still finish
        assert raw_key_versions() == {"2"}


def test_batches_of_two_rotate_everything_in_one_run(old_rows):
    with override_settings(LIVC_ENCRYPTION_KEYS=NEW_RING):
        assert "5 row(s), 12 value(s) re-encrypted" in rotate("--batch-size", "2")
    assert raw_key_versions() == {"2"}


def test_only_the_old_values_of_a_row_are_rewritten(old_rows):
    with override_settings(LIVC_ENCRYPTION_KEYS=NEW_RING):
        secret = Secret.objects.get(pk=old_rows[0].pk)
        secret.note = "Nieuw"
        secret.save(update_fields=["note"])
        note_token = raw_column(secret, "note")
        rotate()
        assert raw_column(secret, "note") == note_token
        assert raw_column(secret, "name").startswith("v1.2.")


def test_rotation_fires_no_signals(old_rows):
    calls = []

    def record(**kwargs):
        calls.append(kwargs["sender"])

    pre_save.connect(record, weak=False)
    post_save.connect(record, weak=False)
    try:
        with override_settings(LIVC_ENCRYPTION_KEYS=NEW_RING):
            rotate()
    finally:
        pre_save.disconnect(record)
        post_save.disconnect(record)
    from livc.audit.models import LogEntry

    assert [sender for sender in calls if sender is not LogEntry] == []  # only the rotation's own event


def test_a_value_that_does_not_decrypt_is_reported_and_the_rest_rotated(old_rows):
    broken = old_rows[2]
    set_raw_column(broken, "name", raw_column(old_rows[1], "name"))  # moved from another row
    with override_settings(LIVC_ENCRYPTION_KEYS=NEW_RING):
        err = StringIO()
        with pytest.raises(CommandError, match="1 value\\(s\\) could not be decrypted"):
            call_command("rotate_encryption_keys", stdout=StringIO(), stderr=err)
        assert f"crypto_app.Secret.name of row {broken.pk}" in err.getvalue()
        assert raw_column(broken, "name").startswith("v1.1.")
        assert raw_column(broken, "note").startswith("v1.2.")
        assert raw_column(old_rows[3], "name").startswith("v1.2.")


def test_a_batch_size_below_one_is_refused():
    with pytest.raises(CommandError, match="--batch-size"):
        rotate("--batch-size", "0")


def test_the_help_says_the_old_key_must_stay_until_the_end():
    from livc.crypto.management.commands.rotate_encryption_keys import Command

    assert "Keep every old key in LIVC_ENCRYPTION_KEYS until this command has finished" in Command.help


@pytest.mark.django_db
def test_a_rotation_is_recorded_in_the_audit_log_without_a_cell():
    from io import StringIO

    from django.core.management import call_command

    from livc.audit.events import EventKind
    from livc.audit.models import LogEntry

    call_command("rotate_encryption_keys", stdout=StringIO())
    entry = LogEntry.objects.get(event=EventKind.KEYS_ROTATED)
    assert entry.cell is None and entry.additional_data["version"] >= 1
    call_command("rotate_encryption_keys", "--dry-run", stdout=StringIO())
    assert LogEntry.objects.filter(event=EventKind.KEYS_ROTATED).count() == 1
