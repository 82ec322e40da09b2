"""Model fields whose values are stored encrypted (AES-GCM), bound to model, field and row.

How it works, and why:
- The associated data is `<app_label.model>.<field>.<primary key>`: a value copied to
  another row or field fails to decrypt. The key must be known before the row is inserted,
  so a model with encrypted fields needs a primary key with a default (a UUID); `check()`
  enforces it.
- Values are encrypted in `pre_save` (which sees the instance; `save()` and `bulk_create()`
  both call it) and decrypted lazily by the attribute descriptor on first access (which
  sees the instance too). `from_db_value` sees no instance, so it only wraps the stored
  token in a `Ciphertext`.
- Plaintext never reaches the database: anything but a `Ciphertext` or None is refused in
  `get_db_prep_value`, so `QuerySet.update(field="text")` fails loudly.
- Encrypted values cannot be searched: every lookup but `isnull` is refused.
- `values()` / `values_list()` return `Ciphertext` objects: they cannot be decrypted there,
  and `str()` of one raises rather than show the token as if it were text.
"""

import datetime
import json
from typing import Any

from django.core import checks
from django.core.exceptions import FieldError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.lookups import Exact, IsNull
from django.db.models.query_utils import DeferredAttribute

from livc.crypto.keyring import decrypt, encrypt, token_key_version


class Ciphertext:
    """A stored token, not yet decrypted."""

    __slots__ = ("token",)

    def __init__(self, token: str) -> None:
        self.token = token

    @property
    def key_version(self) -> int:
        return token_key_version(self.token)

    def __repr__(self) -> str:
        return f"<Ciphertext v{self.key_version}>"

    def __str__(self) -> str:
        raise TypeError("This value is encrypted: read it through the model attribute.")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Ciphertext) and other.token == self.token

    def __hash__(self) -> int:
        return hash(self.token)


class EncryptedAttribute(DeferredAttribute):
    """Decrypts on first access, with the instance's primary key as part of the binding.

    A data descriptor (it defines `__set__`): otherwise the value in the instance's
    `__dict__` would shadow `__get__` and the ciphertext would be returned as is.
    """

    def __set__(self, instance: Any, value: Any) -> None:
        instance.__dict__[self.field.attname] = value

    def __get__(self, instance: Any, cls: Any = None) -> Any:
        if instance is None:
            return self
        value = super().__get__(instance, cls)
        if isinstance(value, Ciphertext):
            value = self.field.decrypt_for(instance, value)  # type: ignore[attr-defined]
            instance.__dict__[self.field.attname] = value
        return value


class NoneOnlyExact(Exact):
    """`filter(field=None)` becomes `isnull`; comparing with a value is impossible."""

    def __init__(self, lhs: Any, rhs: Any) -> None:
        if rhs is not None:
            raise FieldError(_SEARCH_REFUSED.format(name=getattr(lhs.target, "name", "?")))
        super().__init__(lhs, rhs)


_SEARCH_REFUSED = "The field {name!r} is encrypted and cannot be searched; only isnull is allowed."


class EncryptedFieldMixin:
    descriptor_class = EncryptedAttribute

    # --- storage --------------------------------------------------------------------------

    def get_internal_type(self) -> str:
        return "TextField"  # ciphertext is longer than max_length; never varchar, never jsonb

    def db_type(self, connection: Any) -> str | None:
        return str(connection.data_types["TextField"])

    def cast_db_type(self, connection: Any) -> str | None:
        return self.db_type(connection)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        return None if value is None else Ciphertext(value)

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        value = getattr(model_instance, self.attname)  # type: ignore[attr-defined]
        if value is None:
            return None
        plaintext = self.to_plaintext(self.to_python(value)).encode()
        return Ciphertext(encrypt(plaintext, self.associated_data(model_instance)))

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if value is None:
            return None
        if isinstance(value, Ciphertext):
            return value.token
        raise TypeError(
            f"Plaintext for the encrypted field {self.name!r} must be saved through the model "  # type: ignore[attr-defined]
            "(save() or bulk_create()), never written directly."
        )

    def get_db_prep_save(self, value: Any, connection: Any) -> Any:
        return self.get_db_prep_value(value, connection)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, Ciphertext):
            return value
        return super().to_python(value)  # type: ignore[misc]

    # --- binding and decryption -----------------------------------------------------------

    def associated_data(self, instance: models.Model) -> bytes:
        if instance.pk is None:
            raise ValueError(f"{self.model._meta.label} needs its primary key before encrypting.")  # type: ignore[attr-defined]
        return f"{self.model._meta.label_lower}.{self.name}.{instance.pk}".encode()  # type: ignore[attr-defined]

    def decrypt_for(self, instance: models.Model, value: Ciphertext) -> Any:
        where = f"{self.model._meta.label}.{self.name} {instance.pk}"  # type: ignore[attr-defined]
        return self.from_plaintext(decrypt(value.token, self.associated_data(instance), where=where).decode())

    def to_plaintext(self, value: Any) -> str:
        return str(value)

    def from_plaintext(self, text: str) -> Any:
        return text

    # --- no searching -----------------------------------------------------------------------

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name == "isnull":
            return IsNull
        if lookup_name == "exact":
            return NoneOnlyExact
        raise FieldError(_SEARCH_REFUSED.format(name=self.name))  # type: ignore[attr-defined]

    def get_transform(self, lookup_name: str) -> Any:
        raise FieldError(_SEARCH_REFUSED.format(name=self.name))  # type: ignore[attr-defined]

    # --- checks -----------------------------------------------------------------------------

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        errors = list(super().check(**kwargs))  # type: ignore[misc]
        pk = self.model._meta.pk  # type: ignore[attr-defined]
        if not (isinstance(pk, models.UUIDField) and pk.has_default()):
            errors.append(
                checks.Error(
                    "A model with encrypted fields needs a primary key that exists before saving.",
                    hint="Use id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False).",
                    obj=self,
                    id="livc_crypto.E001",
                )
            )
        return errors


class EncryptedTextField(EncryptedFieldMixin, models.TextField):  # type: ignore[misc]
    pass


class EncryptedCharField(EncryptedFieldMixin, models.CharField):  # type: ignore[misc]
    """max_length applies to the plaintext (forms and validation); the column is text."""


class EncryptedDateField(EncryptedFieldMixin, models.DateField):  # type: ignore[misc]
    def to_plaintext(self, value: datetime.date) -> str:
        return value.isoformat()

    def from_plaintext(self, text: str) -> datetime.date:
        return datetime.date.fromisoformat(text)

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        return EncryptedFieldMixin.pre_save(self, model_instance, add)  # no auto_now for encrypted dates


class EncryptedJSONField(EncryptedFieldMixin, models.JSONField):  # type: ignore[misc]
    def to_plaintext(self, value: Any) -> str:
        return json.dumps(value, cls=self.encoder or DjangoJSONEncoder, sort_keys=True)

    def from_plaintext(self, text: str) -> Any:
        return json.loads(text, cls=self.decoder)

    def to_python(self, value: Any) -> Any:
        return value  # JSON values are already Python values
