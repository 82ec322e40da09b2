"""Crypto-shredding, the acceptance test (docs/adr/0010): a backup of the main database made
before a case was purged, restored after the purge and opened with the key store of today,
yields nothing of that case, and everything of the others.

The real tools: `pg_dump -Fc` of the test database, `createdb` and `pg_restore` into a scratch
database, opened through an extra Django connection; the key store is the live one."""

import contextlib
import datetime
import os
import shutil
import subprocess
import uuid

import pytest
from django.db import connection, connections
from django.db.utils import load_backend

from cases.models import Case, InformationItem, Referral, Relation, Subject
from livc.crypto import datakeys
from livc.crypto.datakeys import KeyDestroyedError
from livc.crypto.keyring import DecryptionError
from livc.crypto.models import DataKey, DestroyedBecause
from meetings.models import Action, AgendaItem, Decision
from tests.retention.conftest import KEEP_UNTIL, discuss, purge_on

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

RESTORED = "restored_backup"
TOOLS = ("pg_dump", "pg_restore", "createdb", "dropdb")

# What is read of each row: model, field names.
CASE = (Case, ("aim_signals", "close_reason"))
SUBJECT = (Subject, ("first_name", "last_name", "birth_date"))
REFERRAL = (Referral, ("signals",))


def _client_args() -> tuple[list[str], dict[str, str]]:
    settings = connection.settings_dict
    args = []
    if settings.get("HOST"):
        args += ["-h", str(settings["HOST"])]
    if settings.get("PORT"):
        args += ["-p", str(settings["PORT"])]
    if settings.get("USER"):
        args += ["-U", str(settings["USER"])]
    env = {**os.environ}
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings["PASSWORD"])
    return args, env


def _run(*command: str) -> None:
    args, env = _client_args()
    done = subprocess.run(
        [command[0], *args, *command[1:]], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, f"{command[0]} failed: {done.stderr}"


def dump_main_database(path) -> None:
    _run(
        "pg_dump",
        "-Fc",
        "--no-owner",
        "--no-privileges",
        "-f",
        str(path),
        "-d",
        connection.settings_dict["NAME"],
    )


@contextlib.contextmanager
def restored(path):
    """The dump restored into a scratch database, as the connection alias `RESTORED`."""
    name = f"livc_scratch_{uuid.uuid4().hex[:12]}"
    _run("createdb", name)
    try:
        _run("pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "-d", name, str(path))
        # A connection made here, not configured in DATABASES (which Django's test isolation
        # would refuse): the same server and credentials, the scratch database.
        backend = load_backend(connection.settings_dict["ENGINE"])
        connections[RESTORED] = backend.DatabaseWrapper({**connection.settings_dict, "NAME": name}, RESTORED)
        try:
            yield RESTORED
        finally:
            connections[RESTORED].close()
            del connections[RESTORED]
    finally:
        _run("dropdb", "--if-exists", name)


def read(model, pk, fields, *, using=RESTORED):
    """The values of one row of the restored database, each decrypted with nothing cached: a
    value or the DecryptionError it raised."""
    datakeys.keys.clear()
    row = model._base_manager.using(using).get(pk=pk)
    values = {}
    for name in fields:
        try:
            values[name] = getattr(row, name)
        except DecryptionError as error:
            values[name] = error
    return values


@pytest.fixture
def postgres_tools():
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"needs the PostgreSQL client tools on PATH: {', '.join(missing)} not found")


def test_a_backup_from_before_the_purge_yields_nothing_of_the_purged_case(
    postgres_tools, tmp_path, clock, scenario, members, seats
):
    purged, kept = scenario["case_a"], scenario["other_case"]
    discuss(clock, members, seats, kept, datetime.date(2027, 10, 1))  # kept another year
    agenda = scenario["agenda"]

    # What the backup holds of the purged case: rows of its own key, of the person's, of its item's
    # and of its relation's.
    purged_rows = [
        (*CASE, purged.pk),
        (*SUBJECT, purged.subject_id),
        (*REFERRAL, purged.referral_id),
        (AgendaItem, ("signals",), agenda["case_a"].pk),
        (Decision, ("text",), Decision.objects.get(case=purged).pk),
        (Action, ("description",), Action.objects.get(case=purged).pk),
        (InformationItem, ("text",), InformationItem.objects.get(case=purged).pk),
        (Relation, ("name", "birth_date", "notes"), Relation.objects.get(case=purged).pk),
    ]
    kept_rows = [(*CASE, kept.pk), (*SUBJECT, kept.subject_id), (*REFERRAL, kept.referral_id),
                 (AgendaItem, ("signals",), agenda["other"].pk)]  # fmt: skip
    expected = {(model, pk): read(model, pk, fields, using="default") for model, fields, pk in kept_rows}
    assert expected[(Subject, kept.subject_id)]["last_name"] == "Verborgen"
    assert expected[(AgendaItem, agenda["other"].pk)]["signals"] == "BEUK-MINUTEN-GEHEIM over Persoon Beuk."
    before = {(model, pk): read(model, pk, fields, using="default") for model, fields, pk in purged_rows}
    assert before[(Subject, purged.subject_id)]["last_name"] == "Testeling"
    assert before[(InformationItem, purged_rows[6][2])]["text"] == "EIK-INFO-GEHEIM: zegt dingen."
    assert not any(
        isinstance(v, Exception) for values in [*before.values(), *expected.values()] for v in values.values()
    )

    backup = tmp_path / "main.dump"
    dump_main_database(backup)

    run = purge_on(clock, KEEP_UNTIL + datetime.timedelta(days=1))

    assert [record.reference for record in run.records] == [purged.reference]
    assert not Case.objects.filter(pk=purged.pk).exists() and Case.objects.filter(pk=kept.pk).exists()

    with restored(backup) as alias:
        # The backup does hold the purged case's rows, sealed: only the keys are gone.
        assert Case._base_manager.using(alias).filter(pk__in=[purged.pk, kept.pk]).count() == 2
        for model, fields, pk in purged_rows:
            for name, value in read(model, pk, fields).items():
                assert isinstance(value, KeyDestroyedError), (model.__name__, name, value)
                assert value.because == DestroyedBecause.RETENTION
                assert value.destroyed_at is not None
                assert value.destroyed_at.date() in (KEEP_UNTIL, KEEP_UNTIL + datetime.timedelta(days=1))
        for model, fields, pk in kept_rows:
            assert read(model, pk, fields) == expected[(model, pk)], model.__name__

    # The key store says why: the keys are there, destroyed, holding nothing.
    destroyed = DataKey.objects.filter(destroyed_because=DestroyedBecause.RETENTION)
    assert destroyed.exists() and not destroyed.filter(wrapped__isnull=False).exists()
