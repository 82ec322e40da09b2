"""Every create form, sent twice: one row (issue 13).

The walk takes every URL whose POST someone may send (`tests/access/matrix.py`) from the tables
of `tests/reliability/posts.py`. For each, as a user allowed to send it: the page that shows the
form is read (GET) and the form's hidden inputs taken from it, among them its one-time
`submission_token`; the form is sent once, and the rows of every model of the project (but the
audit log, login failures, the outbox and the tokens themselves) are counted before and after.

- A create form (`CREATES`): the first POST adds exactly the rows declared; its view is
  `@once_per_submission` and its form carried a token; the same form sent again adds nothing,
  writes nothing, and is answered as the first was (the same redirect). A token is a logged-in
  user's: a form sent by someone not logged in (the invitee's first answer) must still add its
  rows once, by its own means (the link is used once).
- A state change or an edit that writes (`STEPS`): the first POST does it, adding no row but
  events; the same form sent again writes nothing more, whatever the view does about tokens.
- Every URL someone may post to is in one of the tables or in `NOT_CREATING`, with its reason: a
  new create form without data here fails `test_every_url_someone_posts_to_is_walked`.

Each walk runs in a transaction rolled back afterwards, on the world of the access matrix.
"""

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import resolve, reverse

from tests.access import matrix, test_matrix
from tests.access.builders import URL_KWARGS, World
from tests.access.test_matrix import Stage
from tests.reliability.posts import (
    CREATES,
    EVENT_MODELS,
    NOT_CREATING,
    NOT_THE_FORMS_OWN,
    STEPS,
    TOKEN_FIELD,
    Post,
    audit_writes,
    difference,
    form_posting_to,
    posted_urls,
    snapshot,
    url_name,
)

stage = test_matrix.stage  # the fixture: the matrix's world, one per module, rolled back at its end


def _url(stage: Stage, name: str, kwargs: dict[str, Any]) -> str:
    if "<slug:cell_slug>" in matrix.ROUTES[name]:
        kwargs = {"cell_slug": stage.cast.cell_a.slug, **kwargs}
    return reverse(name, kwargs=kwargs)


def _answer(response: Any) -> tuple[int, str]:
    """Where an answer leads: its status and the local address it sends to (redirect or htmx)."""
    location = response.headers.get("Location") or response.headers.get("HX-Redirect") or ""
    parts = urlsplit(location)
    return response.status_code, parts._replace(scheme="", netloc="").geturl()


@dataclass
class Sent:
    page: str
    token: str | None  # the form's submission_token, if it carried one
    marked: bool  # the view is @once_per_submission
    first: tuple[int, str]
    first_rows: dict[str, int]
    first_writes: int
    second: tuple[int, str]
    second_rows: dict[str, int]
    second_writes: int
    states: tuple[Any, Any, Any]  # `Post.state` before, after the first and after the second POST

    def describe(self) -> str:
        return (
            f"first POST {self.first}: rows {self.first_rows}, {self.first_writes} audit writes; "
            f"second {self.second}: rows {self.second_rows}, {self.second_writes} audit writes"
        )


def _send_twice(stage: Stage, key: str, post: Post) -> Sent:
    world = stage.world
    name = url_name(key)
    if post.setup is not None:
        post.setup(world)
    url = _url(stage, name, (post.kwargs or URL_KWARGS.get(name, _nothing))(world))
    page_name = post.page or name
    page_kwargs = post.page_kwargs or (post.kwargs if post.page is None else None)
    page_url = _url(stage, page_name, (page_kwargs or URL_KWARGS.get(page_name, _nothing))(world))
    page_url += post.page_query(world) if post.page_query else ""
    typed = post.data(world)
    client = stage.client(post.user)
    page = client.get(page_url)
    assert page.status_code == 200, f"{key}: the page {page_url} answers {page.status_code} to {post.user}"
    form = form_posting_to(page.content.decode(), urlsplit(page_url).path, urlsplit(url).path, typed)
    assert form is not None, f"{key}: the page {page_url} shows {post.user} no form posting to {url}"
    hidden = {name: value for name, value in form.hidden.items() if name not in NOT_THE_FORMS_OWN}
    token = form.hidden.get(TOKEN_FIELD)
    data = {**hidden, **typed, **({TOKEN_FIELD: token} if token else {})}
    headers = {**post.headers, **({"HTTP_HX_CURRENT_URL": page_url} if post.headers else {})}

    state = post.state or _nothing
    counts, writes, state_before = snapshot(), audit_writes(), state(world)
    first = client.post(url, data, **headers)
    middle, middle_writes, state_middle = snapshot(), audit_writes(), state(world)
    second = client.post(url, data, **headers)
    after, after_writes, state_after = snapshot(), audit_writes(), state(world)
    return Sent(
        page=page_url,
        token=token,
        marked=bool(getattr(resolve(urlsplit(url).path).func, "once_per_submission", False)),
        first=_answer(first),
        first_rows=difference(counts, middle),
        first_writes=middle_writes - writes,
        second=_answer(second),
        second_rows=difference(middle, after),
        second_writes=after_writes - middle_writes,
        states=(state_before, state_middle, state_after),
    )


def _nothing(world: World) -> dict[str, Any]:
    return {}


def walk(stage: Stage, key: str, post: Post) -> Sent:
    """Send the form twice in a transaction rolled back afterwards; forget what the world built in it."""
    built = set(vars(stage.world))
    try:
        with transaction.atomic():
            try:
                return _send_twice(stage, key, post)
            finally:
                transaction.set_rollback(True)
    finally:
        for name in set(vars(stage.world)) - built:  # rolled back: built again when next needed
            del vars(stage.world)[name]
        cache.clear()  # throttles start afresh


# --- Every URL someone posts to is walked, or says why not ---------------------------------------------


def unwalked() -> set[str]:
    """URL names someone may post to, neither walked nor said to create nothing."""
    return posted_urls() - {url_name(key) for key in (*CREATES, *STEPS)} - set(NOT_CREATING)


def test_every_url_someone_posts_to_is_walked():
    missing = unwalked()
    assert not missing, (
        "URLs someone may post to, neither walked nor said to create nothing "
        f"(tests/reliability/posts.py: CREATES with valid data, or NOT_CREATING with the reason): {sorted(missing)}"
    )


def test_a_new_form_without_data_is_reported(monkeypatch):
    monkeypatch.setitem(
        matrix.DECLARED, "newapp:thing_new", matrix.Cell(get="coordinator", post="coordinator")
    )
    assert unwalked() == {"newapp:thing_new"}


def test_the_tables_name_only_urls_someone_posts_to():
    named = {url_name(key) for key in (*CREATES, *STEPS)} | set(NOT_CREATING)
    assert not (named - posted_urls())
    assert not ({url_name(key) for key in CREATES} & set(NOT_CREATING)), (
        "a create form said to create nothing"
    )
    assert {url_name(key) for key in STEPS} <= set(NOT_CREATING), "a step without its reason in NOT_CREATING"


# --- Create forms ------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("key", sorted(CREATES))
def test_a_create_form_sent_twice_adds_one_row(stage, key):
    post = CREATES[key]
    sent = walk(stage, key, post)
    assert sent.first_rows == post.rows, (
        f"{key}: the first POST added {sent.first_rows}, not {post.rows}. {sent.describe()}"
    )
    if post.user is not None:  # a token is a logged-in user's: a POST by someone not logged in runs as before
        assert sent.marked, f"{key}: the view adds rows but is not @once_per_submission"
        assert sent.token, f"{key}: the form on {sent.page} carries no {TOKEN_FIELD}"
    assert not sent.second_rows and not sent.second_writes, f"{key}: sent again, it wrote. {sent.describe()}"
    if post.user is not None:
        assert sent.second == sent.first, f"{key}: sent again, it was answered otherwise. {sent.describe()}"
    else:  # the first POST may have logged the newcomer in: the same page, with another `next`
        assert urlsplit(sent.second[1]).path == urlsplit(sent.first[1]).path, f"{key}: {sent.describe()}"


# --- State changes and edits ----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("key", sorted(STEPS))
def test_a_step_sent_twice_is_done_once(stage, key):
    post = STEPS[key]
    sent = walk(stage, key, post)
    added = {label for label, count in sent.first_rows.items() if count > 0} - EVENT_MODELS
    assert not added, f"{key}: adds rows of {sorted(added)}: a create form (CREATES). {sent.describe()}"
    assert sent.first_rows == post.rows, (
        f"{key}: the first POST changed {sent.first_rows}, not {post.rows}. {sent.describe()}"
    )
    before, first, second = sent.states
    assert sent.first_writes or sent.first_rows or first != before, (
        f"{key}: the first POST changed nothing. {sent.describe()}"
    )
    assert not sent.second_rows and not sent.second_writes, f"{key}: sent again, it wrote. {sent.describe()}"
    assert second == first, f"{key}: sent again, it changed {first!r} to {second!r}"
