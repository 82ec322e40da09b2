"""The document number printed on every page of one minutes PDF copy, next to its recipient's name.

A leaked copy is traced by it: the copy's row (`MinutesDocument.number`) names the recipient and
when it was made, and each download's access entry holds it (`details={"document": number}`).
It is random, not a sequence: it tells nothing about the cell, the meeting, the recipient or how
many copies exist. Eight symbols of Crockford's base 32 (no I, L, O or U, which are misread):
40 bits, e.g. `LIVC-7KQ4-M2XA`.
"""

import re
import secrets

PREFIX = "LIVC"
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 8
MAX_LENGTH = len(PREFIX) + 1 + LENGTH + 1  # "LIVC-XXXX-XXXX"
EXAMPLE = f"{PREFIX}-7KQ4-M2XA"

# What a reader may mistype from a printed copy: letters that look like digits.
_MISREAD = str.maketrans({"O": "0", "I": "1", "L": "1"})
_TYPED = re.compile(rf"{PREFIX}([0-9A-Z]{{{LENGTH}}})")


def _format(symbols: str) -> str:
    return f"{PREFIX}-{symbols[:4]}-{symbols[4:]}"


def document_number_new() -> str:
    return _format("".join(secrets.choice(ALPHABET) for _ in range(LENGTH)))


def document_number_normalise(typed: str) -> str | None:
    """The number as stored, from what someone typed (any case, with or without spaces or dashes,
    O for 0); None if it cannot be a document number."""
    compact = re.sub(r"[\s.\-\u2010-\u2015]", "", typed or "").upper()  # spaces, dots, dashes
    match = _TYPED.fullmatch(compact)
    if match is None:
        return None
    symbols = match.group(1).translate(_MISREAD)
    if any(symbol not in ALPHABET for symbol in symbols):  # U
        return None
    return _format(symbols)
