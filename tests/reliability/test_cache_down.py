"""`livc/caching.py::remembered`: the one read through the cache. A cache that does not answer
(Redis down) never fails the request; a "no" that must be asked again is never kept."""

import logging

import pytest
from django.core.cache import cache

from livc.caching import remembered


def test_an_answer_is_kept_and_read_back_until_it_expires():
    calls = []
    compute = lambda: calls.append(1) or 7
    assert remembered("test:kept", compute, timeout=60) == 7
    assert remembered("test:kept", compute, timeout=60) == 7
    assert len(calls) == 1


def test_an_answer_that_is_not_to_be_kept_is_asked_again():
    answers = iter([False, True, False])
    compute = lambda: next(answers)
    assert remembered("test:flag", compute, timeout=60, keep=bool) is False
    assert cache.get("test:flag") is None
    assert remembered("test:flag", compute, timeout=60, keep=bool) is True
    assert remembered("test:flag", compute, timeout=60, keep=bool) is True  # kept: not asked again


@pytest.mark.parametrize("broken", ["get", "set"])
def test_a_cache_that_does_not_answer_leaves_the_answer_to_compute(monkeypatch, caplog, broken):
    def down(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(cache, broken, down)
    # The logger's own level: a Celery test worker elsewhere in the run leaves the root at ERROR.
    with caplog.at_level(logging.WARNING, logger="livc.caching"):
        assert remembered("test:down", lambda: 3, timeout=60) == 3
    assert "The cache does not answer" in caplog.text
