"""A paginator whose count stops at a bound, for lists that grow with the cell.

Django's `Paginator` counts every row of the list before showing a page of it: at national scale
(a cell of 10,000 cases) that count costs as much as the whole list. `BoundedPaginator` counts at
most `bound + 1` rows (`SELECT COUNT(*) FROM (… LIMIT bound + 1)`); over the bound the page says
"more than 1,000" and knows no last page, and a page finds whether another follows by fetching
one row more than it shows. Page links beyond the bound still work.
"""

import math
from collections.abc import Sequence
from functools import cached_property
from typing import Any

from django.conf import settings
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import QuerySet
from django.utils.formats import number_format


def count_bound() -> int:
    """The setting `LIVC_LIST_COUNT_BOUND` (1,000; tests lower it)."""
    return int(settings.LIVC_LIST_COUNT_BOUND)


class BoundedPage(Page):
    """A page of a list counted past its bound: it knows its own rows, and whether more follow."""

    def __init__(self, object_list: Sequence[Any], number: int, paginator: Paginator, *, more: bool) -> None:
        super().__init__(object_list, number, paginator)
        self.more = more

    def has_next(self) -> bool:
        return self.more

    def end_index(self) -> int:
        return self.start_index() + len(self) - 1 if len(self) else 0


class BoundedPaginator(Paginator):
    """`Paginator` with a count that reads at most `bound + 1` rows; see the module's docstring.

    The pages' rows are evaluated once (a list), so that the page, the access log and the
    template share one query.
    """

    def __init__(self, object_list: QuerySet[Any], per_page: int, *, bound: int | None = None) -> None:
        super().__init__(object_list, per_page)
        self.queryset = object_list
        self.bound = count_bound() if bound is None else bound

    @cached_property
    def count(self) -> int:
        """The number of rows, or `bound + 1` when there are more than `bound`."""
        rows = self.queryset.order_by().values("pk")[: self.bound + 1]
        return rows.count()

    @property
    def exceeded(self) -> bool:
        """More rows than the bound: the count is not known, and nor is the last page."""
        return self.count > self.bound

    @property
    def shown_bound(self) -> str:
        """The bound as the page writes it, grouped in the active language ("1.000", "1,000")."""
        return number_format(self.bound, force_grouping=True)

    @cached_property
    def num_pages(self) -> int:
        """Within the bound, the pages there are; past it, the pages the bound covers (at least)."""
        return max(1, math.ceil(min(self.count, self.bound) / self.per_page))

    def validate_number(self, number: Any) -> int:
        if not self.exceeded:
            return super().validate_number(number)
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return number

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        if not self.exceeded:
            return Page(list(self.queryset[bottom : bottom + self.per_page]), number, self)
        rows = list(self.queryset[bottom : bottom + self.per_page + 1])
        if not rows and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        return BoundedPage(rows[: self.per_page], number, self, more=len(rows) > self.per_page)

    def get_page(self, number: Any) -> Page:
        """Like `Paginator.get_page`: page 1 for a non-number, the last page past the end (where,
        over the bound, a full count finds it: only for a page number typed beyond the list)."""
        try:
            number = self.validate_number(number)
        except PageNotAnInteger:
            number = 1
        except EmptyPage:
            number = 1 if self.exceeded else self.num_pages
        try:
            return self.page(number)
        except EmptyPage:  # over the bound, a number past the last page
            return self.page(self._last_page())

    def _last_page(self) -> int:
        total = self.queryset.order_by().count()
        return max(1, math.ceil(total / self.per_page))
