"""/healthz: can this instance serve, and is its background work keeping up?

For load balancers and monitoring: a JSON body with one entry per check and status 200
when every check passes, 503 otherwise. Cheap (one query per check, one Redis ping) and
free of personal data: numbers and exception class names only, never a message, which
may name a host or a user. Apps add checks of their own (the mail outbox) in their
AppConfig.ready with ``health_check_register``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

import redis
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

# Seconds a broker or database may take to answer before it counts as down.
TIMEOUT_SECONDS = 2


@dataclass(frozen=True)
class HealthCheck:
    ok: bool
    detail: dict[str, int | float | str] = field(default_factory=dict)


_checks: dict[str, Callable[[], HealthCheck]] = {}


def health_check_register(*, name: str, check: Callable[[], HealthCheck]) -> None:
    """Adds ``check`` to /healthz under ``name`` (registering a name again replaces it)."""
    _checks[name] = check


def _database() -> HealthCheck:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return HealthCheck(ok=True)


@cache
def _redis(url: str) -> redis.Redis:
    return redis.Redis.from_url(
        url, socket_timeout=TIMEOUT_SECONDS, socket_connect_timeout=TIMEOUT_SECONDS
    )


def _broker() -> HealthCheck:
    if not settings.REDIS_URL:  # the embedded profile: jobs run in this process
        return HealthCheck(ok=True, detail={"broker": "none"})
    return HealthCheck(ok=bool(_redis(settings.REDIS_URL).ping()), detail={"broker": "redis"})


health_check_register(name="database", check=_database)
health_check_register(name="broker", check=_broker)


def health_report(*, names: list[str] | None = None) -> tuple[bool, dict[str, dict[str, object]]]:
    """Runs the named checks (default: all); a check that raises has failed, named by its
    exception's class."""
    report: dict[str, dict[str, object]] = {}
    for name, check in _checks.items():
        if names and name not in names:
            continue
        started = time.perf_counter()
        try:
            result = check()
        except Exception as error:  # whatever broke, the answer is "unhealthy", not a 500
            result = HealthCheck(ok=False, detail={"error": type(error).__name__})
        report[name] = {
            "ok": result.ok,
            "ms": round((time.perf_counter() - started) * 1000, 1),
            **result.detail,
        }
    return all(entry["ok"] for entry in report.values()), report


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """All checks, or only those named by ``?check=``: a load balancer asks only about
    what a web machine needs (``?check=database``), so a mail outage, which monitoring
    reports, does not take every web machine out of service."""
    names = request.GET.getlist("check")
    unknown = sorted(set(names) - set(_checks))
    if unknown:
        return JsonResponse(
            {"status": "error", "unknown_checks": unknown, "checks": sorted(_checks)}, status=400
        )
    healthy, checks = health_report(names=names)
    return JsonResponse(
        {"status": "ok" if healthy else "unhealthy", "checks": checks},
        status=200 if healthy else 503,
    )
