from collections.abc import Callable
from typing import Any, TypeVar

View = TypeVar("View", bound=Callable[..., Any])


def second_factor_not_required(view: View) -> View:
    """Mark a view reachable after the password step, before the second factor."""
    view.second_factor_required = False  # type: ignore[attr-defined]
    return view
