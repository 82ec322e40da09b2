"""Tests of livc.crypto. Helpers here read and write the test table raw, bypassing the fields:
what a database dump would show, or what someone with write access to the database could do."""

from django.db import connection

from tests.crypto_app.models import Secret

TABLE = Secret._meta.db_table
ENCRYPTED_COLUMNS = ("name", "note", "born", "extra")
V1 = "1:dGVzdC1rZXktdmVyc2lvbi1vbmUtMzItYnl0ZXMtISE="
V2 = "2:dGVzdC1rZXktdmVyc2lvbi10d28tMzItYnl0ZXMtISE="


def _row_param(secret: Secret) -> object:
    return Secret._meta.pk.get_db_prep_value(secret.pk, connection)


def raw_column(secret: Secret, column: str) -> str | None:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {quote(column)} FROM {quote(TABLE)} WHERE {quote('id')} = %s",  # noqa: S608
            [_row_param(secret)],
        )
        return cursor.fetchone()[0]


def set_raw_column(secret: Secret, column: str, value: str | None) -> None:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(TABLE)} SET {quote(column)} = %s WHERE {quote('id')} = %s",  # noqa: S608
            [value, _row_param(secret)],
        )


def all_raw_tokens() -> list[str]:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(column) for column in ENCRYPTED_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {quote(TABLE)}")  # noqa: S608
        return [value for row in cursor.fetchall() for value in row if value is not None]


def raw_key_versions() -> set[str]:
    return {token.split(".")[1] for token in all_raw_tokens()}


def copy_raw_column(source: Secret, target: Secret, column: str, target_column: str | None = None) -> None:
    """What an attacker with database access would do: move a token to another row or field."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(TABLE)} SET {quote(target_column or column)} = "  # noqa: S608
            f"(SELECT {quote(column)} FROM {quote(TABLE)} WHERE {quote('id')} = %s) WHERE {quote('id')} = %s",
            [_row_param(source), _row_param(target)],
        )
