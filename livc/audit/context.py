"""What the access being recorded is about, handed from `record_access` to the log entry."""

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class AccessContext:
    cell: Any
    kind: str
    view_name: str
    details: dict[str, Any] = field(default_factory=dict)  # e.g. an export's filter
    cases: tuple[str, ...] = ()  # the ids of the cases whose content the response shows


_current: ContextVar[AccessContext | None] = ContextVar("livc_access", default=None)


def current_access() -> AccessContext | None:
    return _current.get()


@contextlib.contextmanager
def access_context(access: AccessContext) -> Iterator[None]:
    token = _current.set(access)
    try:
        yield
    finally:
        _current.reset(token)
