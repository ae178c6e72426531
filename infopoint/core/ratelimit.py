"""Rate limits for public forms and the API, counted in Django's cache.

A limit is "N requests per window" in fixed windows aligned to the clock (an hour limit resets
on the hour), so the time until the caller may try again is known without storing anything
else. Counters live in the default cache (Redis in production, shared by every web process;
local memory otherwise) and are raised atomically (``cache.add`` then ``cache.incr``). Keys
are HMACs of the scope and the caller's key with SECRET_KEY: no raw address or e-mail address
is ever written to the cache.

Rates are written ``<count>/<unit>``, unit one of second, minute, hour, day (``10/hour``);
``off`` switches a limit off.
"""

from __future__ import annotations

import ipaddress
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

UNITS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
OFF = "off"
# IPv6 hosts usually own a whole /64: counting per address would let one host rotate freely.
IPV6_PREFIX = 64


@dataclass(frozen=True)
class Rate:
    """At most ``limit`` requests per ``window_seconds``; ``limit`` None means no limit."""

    limit: int | None
    window_seconds: int

    @property
    def is_off(self) -> bool:
        return self.limit is None


@dataclass(frozen=True)
class RateLimitResult:
    hit: bool
    count: int
    retry_after: int  # seconds until the current window ends


def rate_parse(value: str) -> Rate:
    """``"10/hour"`` → Rate(10, 3600); ``"off"`` → no limit. ValueError on anything else."""
    text = value.strip().lower()
    if text == OFF:
        return Rate(limit=None, window_seconds=UNITS["hour"])
    count, _slash, unit = text.partition("/")
    unit = unit.strip().removesuffix("s") or "?"
    if not count.strip().isdigit() or unit not in UNITS:
        raise ValueError(
            f"A rate is written like 10/hour (units: {', '.join(UNITS)}) or off, not {value!r}"
        )
    return Rate(limit=int(count), window_seconds=UNITS[unit])


def _cache_key(scope: str, key: str, window_index: int) -> str:
    digest = salted_hmac("infopoint.core.ratelimit", f"{scope}\x00{key}").hexdigest()
    return f"ratelimit:{scope}:{digest}:{window_index}"


def rate_limit_check(*, scope: str, key: str, limit: int, window_seconds: int) -> RateLimitResult:
    """Counts one request of ``key`` in ``scope`` and says whether it is over ``limit``.

    Every call counts, also the refused ones, so a caller who keeps trying stays refused until
    the window ends.
    """
    if window_seconds <= 0:
        raise ValueError("window_seconds must be positive")
    now = time.time()
    window_index = math.floor(now / window_seconds)
    retry_after = max(1, math.ceil((window_index + 1) * window_seconds - now))
    cache_key = _cache_key(scope, key, window_index)
    # The entry outlives its window by a little, so it never expires while still counted.
    timeout = window_seconds + 60
    cache.add(cache_key, 0, timeout=timeout)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=timeout)
        count = 1
    return RateLimitResult(hit=count > limit, count=count, retry_after=retry_after)


def rate_limit_hit(*, scope: str, key: str, limit: int, window_seconds: int) -> bool:
    """Counts one request; True when the caller is over the limit (see rate_limit_check)."""
    return rate_limit_check(scope=scope, key=key, limit=limit, window_seconds=window_seconds).hit


def rate_limit_check_rate(*, scope: str, key: str, rate: Rate | str) -> RateLimitResult:
    """rate_limit_check with a Rate or a rate written as in settings (``"10/hour"``)."""
    if isinstance(rate, str):
        rate = rate_parse(rate)
    if rate.limit is None:
        return RateLimitResult(hit=False, count=0, retry_after=0)
    return rate_limit_check(
        scope=scope, key=key, limit=rate.limit, window_seconds=rate.window_seconds
    )


def _address_key(text: str) -> str | None:
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, IPV6_PREFIX), strict=False))
    return str(address)


def client_address(request: HttpRequest, *, trusted_proxy_count: int | None = None) -> str:
    """The address the request came from, as a rate-limit key (IPv6 cut to its /64).

    REMOTE_ADDR, unless settings.TRUSTED_PROXY_COUNT is N > 0: then the site runs behind N
    proxies that each append to X-Forwarded-For, and the client is the address the outermost
    of them saw (the N-th entry from the right). Entries left of it are what the client sent
    and are never trusted.
    """
    if trusted_proxy_count is None:
        trusted_proxy_count = settings.TRUSTED_PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR", "")
    if trusted_proxy_count > 0:
        hops = [
            hop.strip()
            for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if hop.strip()
        ]
        if hops:
            forwarded = _address_key(hops[-min(trusted_proxy_count, len(hops))])
            if forwarded:
                return forwarded
    return _address_key(remote) or remote or "unknown"
