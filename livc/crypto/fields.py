"""Model fields whose values are stored encrypted with AES-GCM, bound to model, field and row.

Use them like the Django field they extend (forms, validation and `max_length` apply to the
plaintext); the column is always plain text holding a token (see `livc.crypto.keyring`).

How it works, and why:

- The associated data is `<app_label>.<model_name>.<field_name>.<primary key>`, so a value
  copied to another row or field does not decrypt. The primary key must be known before the
  row is inserted, so a model with encrypted fields needs
  `id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)`;
  `check()` enforces it (livc_crypto.E001).
- Values are encrypted in `pre_save()`, which sees the instance: `save()`, `create()` and
  `bulk_create()` all go through it, and the attribute keeps its plaintext afterwards.
- `from_db_value()` sees no instance, so it only wraps the stored token in a `Ciphertext`;
  the attribute descriptor decrypts it on first access, with the instance's primary key,
  and keeps the plaintext on the instance.
- Plaintext never reaches the database: anything but a `Ciphertext` or None is refused on
  the way to it. `QuerySet.update(field=...)` with a value or an expression,
  `bulk_update()` and column defaults in migrations (AddField / AlterField of a NOT NULL
  encrypted field on a table with rows) therefore fail with `PlaintextWriteError`.
- Encrypted values cannot be searched: every lookup but `isnull` (and `=None`) raises
  `FieldError`. Ordering by an encrypted field orders by ciphertext, i.e. meaninglessly.
- `values()` / `values_list()` return `Ciphertext` objects: they cannot be decrypted there
  (no instance, no primary key binding), and `str()` of one raises rather than pose the
  token as text.
- A value that fails to decrypt raises `DecryptionError`; the stored text is never returned.
"""

import datetime
import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

from django.apps import apps
from django.core import checks
from django.core.exceptions import FieldError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models
from django.db.models.lookups import Exact, IsNull
from django.db.models.query_utils import DeferredAttribute

from livc.crypto import datakeys
from livc.crypto.keyring import DecryptionError, decrypt, encrypt, token_key_version

__all__ = [
    "Ciphertext",
    "DecryptionError",
    "EncryptedCharField",
    "EncryptedDateField",
    "EncryptedField",
    "EncryptedJSONField",
    "EncryptedTextField",
    "PlaintextWriteError",
    "encrypted_models",
    "update_per_row",
]

# Generic in (set type, get type) like Django's fields in django-stubs, so that mypy types a
# model attribute as its plaintext (str, date) instead of Any. At run time Generic only makes
# the classes subscriptable.
_ST = TypeVar("_ST", contravariant=True)
_GT = TypeVar("_GT", covariant=True)

if TYPE_CHECKING:
    _FieldBase = models.Field
else:

    class _FieldBase(models.Field, Generic[_ST, _GT]):
        pass


class PlaintextWriteError(TypeError):
    """A plaintext value, or an SQL expression, was about to be written to an encrypted column."""


class Ciphertext:
    """A token as stored in the database, not decrypted.

    Read the value through the model attribute instead. `str()` raises so that a token is
    never shown, logged or rendered as if it were the value.
    """

    __slots__ = ("token",)

    def __init__(self, token: str) -> None:
        self.token = token

    @property
    def key_version(self) -> int:
        """The ring version of a value sealed with the ring; raises `DecryptionError` for any
        other text (a value sealed with a data key has no ring version: its key has)."""
        return token_key_version(self.token)

    @property
    def data_key(self) -> str | None:
        """The id of the data key that sealed this value (`livc.crypto.datakeys`), or None."""
        return datakeys.token_key_id(self.token)

    def __repr__(self) -> str:
        if self.data_key is not None:
            return f"<Ciphertext data key {self.data_key}>"
        try:
            return f"<Ciphertext v{self.key_version}>"
        except DecryptionError:
            return "<Ciphertext (not a token)>"

    def __str__(self) -> str:
        raise TypeError(
            "This value is encrypted: read it through the model attribute (instance.<field>), "
            "not through values(), values_list() or a raw query."
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Ciphertext) and other.token == self.token

    def __hash__(self) -> int:
        return hash(self.token)


class EncryptedAttribute(DeferredAttribute):
    """Decrypts a loaded value on first access, binding it to the instance's primary key.

    A data descriptor (it defines `__set__`), otherwise the value in the instance's
    `__dict__` would shadow `__get__` and the `Ciphertext` would be returned as is.
    """

    def __get__(self, instance: Any, cls: Any = None) -> Any:
        if instance is None:
            return self
        value = super().__get__(instance, cls)
        if isinstance(value, Ciphertext):
            value = cast("EncryptedField", self.field).decrypt_value(instance, value)
            instance.__dict__[self.field.attname] = value
        return value

    def __set__(self, instance: Any, value: Any) -> None:
        instance.__dict__[self.field.attname] = value


class NoneOnlyExact(Exact):
    """`filter(field=None)`, which Django turns into `isnull`; any other value is refused."""

    def __init__(self, lhs: Any, rhs: Any) -> None:
        if rhs is not None:
            raise FieldError(_search_refused(getattr(lhs, "output_field", None)))
        super().__init__(lhs, rhs)


def _search_refused(field: object) -> str:
    name = getattr(field, "name", None) or "this field"
    return f"{name!s} is encrypted and cannot be searched: only isnull (or =None) is allowed."


class EncryptedField(_FieldBase[_ST, _GT]):
    """The behaviour shared by every encrypted field; combine it with a Django field class.

    Subclasses turn their Python value into text (`to_text`) and back (`from_text`).
    """

    descriptor_class = EncryptedAttribute

    # --- Column ------------------------------------------------------------------------------

    def get_internal_type(self) -> str:
        """Text: a token is longer than `max_length`, and a JSON token is not JSON."""
        return "TextField"

    def db_type(self, connection: Any) -> str | None:
        return cast(str, connection.data_types["TextField"])

    def cast_db_type(self, connection: Any) -> str | None:
        return self.db_type(connection)

    # --- Reading -----------------------------------------------------------------------------

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Ciphertext | None:
        if value is None:
            return None
        datakeys.note_token(value)  # its key is fetched with the others the request needs
        return Ciphertext(value)

    def decrypt_value(self, instance: models.Model, value: Ciphertext) -> Any:
        """The plaintext of `value`, stored in this field of `instance`'s row."""
        return self.decrypt_for_row(value, instance.pk)

    def decrypt_for_row(self, value: Ciphertext, pk: Any) -> Any:
        """The plaintext of `value`, stored in this field of the row with primary key `pk`."""
        aad, context = self.associated_data(pk), self.describe(pk)
        if value.data_key is not None:
            plaintext = datakeys.open_token(value.token, aad, context=context)
        else:
            plaintext = decrypt(value.token, aad, context=context)
        return self.from_text(plaintext.decode("utf-8"))

    # --- Writing -----------------------------------------------------------------------------

    def pre_save(self, model_instance: models.Model, add: bool) -> Ciphertext | None:
        """Encrypt here, the last place where the instance (and so its primary key) is known."""
        value = super().pre_save(model_instance, add)  # through the descriptor: the plaintext
        if value is None:
            return None
        if hasattr(value, "resolve_expression"):
            raise PlaintextWriteError(f"{self.describe()} cannot be set to an SQL expression.")
        return self.encrypt_for_row(value, model_instance.pk, owner=datakeys.owner_of(model_instance))

    def get_db_prep_save(self, value: Any, connection: Any) -> Any:
        return self._token_or_refuse(value)

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        return self._token_or_refuse(value)

    def _token_or_refuse(self, value: Any) -> str | None:
        """The last gate before the database: only tokens (`Ciphertext`) and NULL pass."""
        if value is None:
            return None
        if isinstance(value, Ciphertext):
            return value.token
        raise PlaintextWriteError(
            f"Refusing to write a value that is not encrypted to {self.describe()}. Encryption "
            "needs the row, so save it through the model (save(), create(), bulk_create()); "
            "QuerySet.update(), bulk_update() and migration defaults cannot encrypt. "
            "To add a NOT NULL encrypted field to a table with rows: add it with null=True, "
            "save every row in a data migration, then make it NOT NULL."
        )

    # --- Binding ------------------------------------------------------------------------------

    def encrypt_for_row(self, value: Any, pk: Any, *, owner: str | None = None) -> Ciphertext:
        """`value` encrypted for this field of the row with primary key `pk`: with the data key
        of `owner` (`livc.crypto.datakeys`), or with the ring when there is no owner."""
        text = self.to_text(self.to_python(value)).encode("utf-8")
        aad = self.associated_data(pk)
        return Ciphertext(datakeys.seal(text, aad, owner) if owner else encrypt(text, aad))

    def associated_data(self, pk: Any) -> bytes:
        """`<app_label>.<model_name>.<field_name>.<pk>`: what a value is bound to."""
        if pk is None:
            raise ValueError(f"{self.describe()} cannot be encrypted or decrypted without a primary key.")
        pk_field = self.model._meta.pk
        row = pk_field.to_python(pk) if pk_field else pk  # a UUID given as text binds like the UUID
        return f"{self.model._meta.label_lower}.{self.name}.{row}".encode()

    def describe(self, pk: Any = None) -> str:
        """A name for messages: model, field and row, never the value."""
        model = getattr(self, "model", None)
        name = f"{model._meta.label}.{self.name}" if model else f"encrypted field {self.name!r}"
        return name if pk is None else f"{name} of row {pk}"

    # --- Serialisation (overridden per type) -----------------------------------------------------

    def to_text(self, value: Any) -> str:
        return str(value)

    def from_text(self, text: str) -> Any:
        return text

    # --- No searching ----------------------------------------------------------------------------

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name == "isnull":
            return IsNull
        if lookup_name == "exact":
            return NoneOnlyExact
        raise FieldError(_search_refused(self))

    def get_transform(self, lookup_name: str) -> Any:
        raise FieldError(_search_refused(self))

    # --- Checks -------------------------------------------------------------------------------

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        return [
            *super().check(**kwargs),
            *self._check_primary_key(),
            *self._check_not_unique(),
            *self._check_no_database_default(),
        ]

    def _check_primary_key(self) -> list[checks.CheckMessage]:
        pk = self.model._meta.pk
        if isinstance(pk, models.UUIDField) and pk.has_default():
            return []
        return [
            checks.Error(
                "A model with encrypted fields needs a primary key whose value exists before the "
                "row is saved: each value is bound to it.",
                hint="Use id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False).",
                obj=self,
                id="livc_crypto.E001",
            )
        ]

    def _check_not_unique(self) -> list[checks.CheckMessage]:
        if not (self.unique or self.primary_key):
            return []
        return [
            checks.Error(
                "An encrypted field cannot be unique or a primary key: equal values encrypt differently.",
                obj=self,
                id="livc_crypto.E003",
            )
        ]

    def _check_no_database_default(self) -> list[checks.CheckMessage]:
        if self.db_default is models.NOT_PROVIDED:
            return []
        return [
            checks.Error(
                "An encrypted field cannot have a db_default: the database would store it unencrypted.",
                hint="Use default= instead; it is encrypted when the row is saved.",
                obj=self,
                id="livc_crypto.E004",
            )
        ]


class EncryptedTextField(EncryptedField[_ST, _GT], models.TextField):
    """Free text, encrypted."""


class EncryptedCharField(EncryptedField[_ST, _GT], models.CharField):
    """Short text, encrypted; `max_length` limits the plaintext, the column is text."""


class EncryptedDateField(EncryptedField[_ST, _GT], models.DateField):
    """A date, encrypted as ISO `YYYY-MM-DD`."""

    def to_text(self, value: datetime.date) -> str:
        return value.isoformat()

    def from_text(self, text: str) -> datetime.date:
        return datetime.date.fromisoformat(text)


class EncryptedJSONField(EncryptedField[_ST, _GT], models.JSONField):
    """A JSON value, encrypted; None is SQL NULL (there is no separate JSON null)."""

    def to_text(self, value: Any) -> str:
        return json.dumps(value, cls=self.encoder or DjangoJSONEncoder, sort_keys=True)

    def from_text(self, text: str) -> Any:
        return json.loads(text, cls=self.decoder)


def update_per_row(model: type[models.Model], pks: Iterable[Any], **values: Any) -> None:
    """Set fields of the rows with these primary keys to the same `values`, encrypting each
    encrypted field for each row (its own binding, its own nonce), with the ring: for values
    that say nothing of anyone, such as the blanks the purge leaves where minutes were erased
    (their owner's data key is about to be destroyed, and a blank must stay readable):

        update_per_row(Addendum, pks, text="")

    `QuerySet.update()` cannot do this (no row, no binding) and one `save()` per row costs a
    round trip each: this executes one UPDATE statement for all rows (`executemany`, which
    psycopg sends as one pipeline). Plain fields are prepared as `update()` would.
    """
    fields = [cast(models.Field, model._meta.get_field(name)) for name in values]
    pk_field = model._meta.pk
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(str(field.column))} = %s" for field in fields)
    table, key = quote(model._meta.db_table), quote(str(pk_field.column))  # names from the model, quoted
    statement = f"UPDATE {table} SET {assignments} WHERE {key} = %s"  # noqa: S608
    rows = []
    for pk in pks:
        row = []
        for field in fields:
            value = values[field.name]
            if isinstance(field, EncryptedField) and value is not None:
                value = field.encrypt_for_row(value, pk)
            row.append(field.get_db_prep_save(value, connection))
        rows.append([*row, pk_field.get_db_prep_value(pk, connection)])
    if rows:
        with connection.cursor() as cursor:
            cursor.executemany(statement, rows)


def encrypted_models() -> list[tuple[type[models.Model], list[EncryptedField]]]:
    """Each concrete model with the encrypted fields of its own table (proxies and children
    of multi-table inheritance would otherwise visit a parent's fields twice)."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        fields = [f for f in model._meta.local_concrete_fields if isinstance(f, EncryptedField)]
        if fields:
            found.append((model, fields))
    return found
