from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.test import RequestFactory

from infopoint.core.ratelimit import (
    Rate,
    client_address,
    rate_limit_check,
    rate_limit_check_rate,
    rate_limit_hit,
    rate_parse,
)

START = datetime(2026, 11, 24, 10, 0, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    cache.clear()


@pytest.mark.parametrize(
    ("text", "rate"),
    [
        ("10/hour", Rate(10, 3600)),
        ("5/minute", Rate(5, 60)),
        ("1/second", Rate(1, 1)),
        ("100/day", Rate(100, 86400)),
        (" 20 / Hours ", Rate(20, 3600)),
        ("off", Rate(None, 3600)),
    ],
)
def test_rates_are_read_from_their_written_form(text: str, rate: Rate) -> None:
    assert rate_parse(text) == rate


@pytest.mark.parametrize("text", ["", "10", "ten/hour", "10/fortnight", "-1/hour", "10/"])
def test_a_wrong_rate_is_refused_with_an_example(text: str) -> None:
    with pytest.raises(ValueError, match="10/hour"):
        rate_parse(text)


def test_the_limit_refuses_only_after_it_is_reached() -> None:
    results = [
        rate_limit_hit(scope="test", key="192.0.2.1", limit=3, window_seconds=3600)
        for _ in range(5)
    ]
    assert results == [False, False, False, True, True]


def test_keys_and_scopes_are_counted_apart() -> None:
    for _ in range(2):
        rate_limit_hit(scope="form", key="a", limit=2, window_seconds=60)
    assert rate_limit_hit(scope="form", key="a", limit=2, window_seconds=60) is True
    assert rate_limit_hit(scope="form", key="b", limit=2, window_seconds=60) is False
    assert rate_limit_hit(scope="api", key="a", limit=2, window_seconds=60) is False


def test_the_count_starts_again_in_the_next_window_and_says_when() -> None:
    with time_machine.travel(START + timedelta(minutes=45), tick=False):
        rate_limit_hit(scope="test", key="k", limit=1, window_seconds=3600)
        result = rate_limit_check(scope="test", key="k", limit=1, window_seconds=3600)
        assert result.hit
        assert result.count == 2
        assert result.retry_after == 15 * 60
    with time_machine.travel(START + timedelta(hours=1, seconds=1), tick=False):
        assert rate_limit_hit(scope="test", key="k", limit=1, window_seconds=3600) is False


def test_no_address_or_email_address_is_written_to_the_cache() -> None:
    rate_limit_hit(scope="enquiries:email", key="olena@example.net", limit=5, window_seconds=60)
    rate_limit_hit(scope="api:address", key="203.0.113.9", limit=5, window_seconds=60)
    stored = " ".join(str(key) for key in cache._cache)  # type: ignore[attr-defined]
    assert "ratelimit:" in stored
    assert "olena" not in stored
    assert "example.net" not in stored
    assert "203.0.113.9" not in stored


def test_a_switched_off_rate_never_counts() -> None:
    for _ in range(3):
        result = rate_limit_check_rate(scope="test", key="k", rate="off")
        assert not result.hit
    assert rate_limit_check_rate(scope="test", key="k", rate="1/minute").count == 1


def test_counting_is_atomic_under_threads() -> None:
    from concurrent.futures import ThreadPoolExecutor

    def hit(_: int) -> bool:
        return rate_limit_hit(scope="threads", key="k", limit=50, window_seconds=3600)

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(hit, range(80)))
    assert results.count(False) == 50
    assert results.count(True) == 30


# --- the client's address --------------------------------------------------------------------


def _request(remote: str = "198.51.100.1", forwarded: str | None = None) -> Any:
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_forwarded_header_is_ignored(settings: Any) -> None:
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(_request(forwarded="203.0.113.5")) == "198.51.100.1"


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (1, "203.0.113.5", "203.0.113.5"),
        # What the client wrote itself (left) is never trusted.
        (1, "10.9.9.9, 203.0.113.5", "203.0.113.5"),
        (2, "10.9.9.9, 203.0.113.5, 192.0.2.77", "203.0.113.5"),
        (3, "203.0.113.5, 192.0.2.77", "203.0.113.5"),
        (1, "", "198.51.100.1"),
        (1, "not-an-address", "198.51.100.1"),
    ],
)
def test_behind_trusted_proxies_the_client_is_the_first_trusted_hop(
    settings: Any, count: int, forwarded: str, expected: str
) -> None:
    settings.TRUSTED_PROXY_COUNT = count
    assert client_address(_request(forwarded=forwarded)) == expected


def test_ipv6_addresses_are_counted_per_64_network(settings: Any) -> None:
    settings.TRUSTED_PROXY_COUNT = 0
    first = client_address(_request("2001:db8:1:2:aaaa::1"))
    second = client_address(_request("2001:db8:1:2:bbbb::2"))
    other = client_address(_request("2001:db8:1:3::1"))
    assert first == second == "2001:db8:1:2::/64"
    assert other != first
    assert client_address(_request("::ffff:192.0.2.4")) == "192.0.2.4"
