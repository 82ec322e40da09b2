"""The closed lists an event's `detail` is taken from, per kind (`livc/statistics/models.py`).

An event holds no free text: its category is one value of a list the app that records it
registers in its `AppConfig.ready()` (the referrer's organisation types and the qualification's
outcomes by `cases`, the meeting tables by `meetings`), since `livc` imports none of them. A
kind nobody registered a list for carries no category. The labels serve the statistics page.
"""

from collections.abc import Iterable

from django.utils.functional import Promise

_lists: dict[str, dict[str, str | Promise]] = {}


def register(kind: str, choices: Iterable[tuple[str, str | Promise]]) -> None:
    """Add values (with their labels) to the closed list of a kind's categories."""
    _lists.setdefault(kind, {}).update(dict(choices))


def categories(kind: str) -> dict[str, str | Promise]:
    """The values a kind's `detail` may take, with their labels ({} for a kind without categories)."""
    return dict(_lists.get(kind, {}))


def is_allowed(kind: str, detail: str) -> bool:
    """Whether an event of this kind may carry this category ("" only for a kind without a list)."""
    allowed = _lists.get(kind)
    if not allowed:
        return detail == ""
    return detail in allowed
