"""Recognising the same person twice without storing who they are.

A keyed hash (HMAC-SHA256) of the normalised name and birth date, bound to the cell, lets
the coordinator be told "this person was referred before" while the database holds no
readable name: the key lives in the environment, apart from the data.
"""

import datetime
import hashlib
import hmac
import unicodedata

from django.conf import settings
from django.utils import timezone

ADULT_AGE = 18


def normalise_name(*parts: str) -> str:
    """Lower case, no accents, no punctuation, words sorted (first and last name swap often)."""
    text = unicodedata.normalize("NFKD", " ".join(parts)).casefold()
    letters = "".join(c if c.isalnum() else " " for c in text if not unicodedata.combining(c))
    return " ".join(sorted(letters.split()))


def identity_hash(*, cell_id: int, first_name: str, last_name: str, birth_date: datetime.date | None) -> str:
    name = normalise_name(first_name, last_name)
    if not name or birth_date is None:
        return ""
    message = f"{cell_id}|{name}|{birth_date.isoformat()}".encode()
    return hmac.new(_key(), message, hashlib.sha256).hexdigest()


def _key() -> bytes:
    configured: str = settings.LIVC_IDENTITY_HASH_KEY
    if configured:
        return configured.encode()
    return hashlib.sha256(b"livc.identity-hash:" + settings.SECRET_KEY.encode()).digest()


def is_minor_on(birth_date: datetime.date | None, day: datetime.date | None = None) -> bool:
    if birth_date is None:
        return False
    day = day or timezone.localdate()
    try:
        adult_from = birth_date.replace(year=birth_date.year + ADULT_AGE)
    except ValueError:  # born on 29 February
        adult_from = birth_date.replace(year=birth_date.year + ADULT_AGE, day=28) + datetime.timedelta(days=1)
    return day < adult_from
