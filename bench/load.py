"""Load: the site under wrk, served by gunicorn on loopback, at 10,000 to 1,000,000 enquiries.

Makes the PostgreSQL database ``bench_load`` (dropped afterwards), migrates it, loads the
default content and adds, in SQL (bench/loaddata.py): 2,000 published articles in the
languages of the default ones, 50,000 appointments with five advisers, and enquiries with
their first messages, 10,000 at first. Then starts gunicorn (``config.wsgi``, the production
profile, WORKERS sync workers, no Redis: the page cache is each worker's own memory) and, for
each size, grows the enquiries and drives every address below with wrk for DURATION seconds
after a short warm-up:

- a bare Django view returning a fixed string (the yardstick, only in bench/load_urls.py),
  first and last, its mean the yardstick;
- the public home and an article page (anonymous: the page cache serves them), and the home
  page with an unknown query parameter, which the cache leaves to the view (what a page
  costs without the cache);
- signed in (a session made by force_login, two-factor off): the consultants' inbox, the
  inbox searched for a word and for a reference number, and the coordinator's reports.

A page that takes more than a second alone is timed by three requests one after another
instead (connections 1 in the table; p99 is then the slowest of the three).

Prints requests per second, median and p99 latency, the public pages' throughput as a share
of the bare view's (target >= 0.6), and exits non-zero if any request failed.

    .venv/bin/python bench/load.py [--sizes 10000,100000,1000000] [--duration 10]
        [--connections 8] [--workers 4]
"""

from __future__ import annotations

import argparse
import contextlib
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    cpu_count,
    database_version,
    django_start,
    environment,
    machine,
    median,
    postgres_database,
    table,
)
from bench.web_intake import HOST, _request, gunicorn

DATABASE = "bench_load"
TARGET_RATIO = 0.6
APPOINTMENTS = 50_000
ARTICLES = 2_000
UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}
# A page slower than this alone is timed by SLOW_REQUESTS requests one after another.
SLOW_SECONDS = 1.0
SLOW_REQUESTS = 3


@dataclass
class Figures:
    requests_per_second: float
    median_ms: float
    p99_ms: float
    requests: int
    errors: int


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()  # type: ignore[union-attr]
    return float(number) * UNITS[unit]


def wrk(url: str, *, duration: int, connections: int, cookie: str = "") -> Figures:
    """One wrk run (two threads) against ``url``; errors are non-2xx/3xx answers and
    socket errors, timeouts included."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "60s", "--latency"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(
        [*command, url], capture_output=True, text=True, check=True, timeout=duration + 120
    ).stdout
    latency = dict(re.findall(r"^\s+(50|99)(?:\.0+)?%\s+(\S+)[ \t]*$", output, re.MULTILINE))
    if "99" not in latency:
        raise RuntimeError(f"wrk gave no latencies for {url}:\n{output}")
    errors = sum(
        int(n)
        for n in re.findall(
            r"(?:Non-2xx or 3xx responses|connect|read|write|timeout):? (\d+)", output
        )
    )
    return Figures(
        requests_per_second=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),  # type: ignore[union-attr]
        median_ms=_ms(latency["50"]),
        p99_ms=_ms(latency["99"]),
        requests=int(re.search(r"(\d+) requests in", output).group(1)),  # type: ignore[union-attr]
        errors=errors,
    )


def _get(port: int, path: str, cookie: str) -> float:
    """One request; its seconds. It must answer 200 (not a redirect to the sign-in page)."""
    started = time.perf_counter()
    status, _headers, _cookies, _body = _request(
        port, "GET", path, headers={"Cookie": cookie} if cookie else {}
    )
    if status != 200:
        raise RuntimeError(f"{path}: {status}")
    return time.perf_counter() - started


def one_by_one(port: int, path: str, cookie: str, count: int) -> Figures:
    """``count`` requests one after another: for pages too slow for a timed wrk run, which
    would leave requests running in the server after it stops. p99 is the slowest."""
    seconds = [_get(port, path, cookie) for _request in range(count)]
    return Figures(
        requests_per_second=count / sum(seconds),
        median_ms=median(seconds) * 1000,
        p99_ms=max(seconds) * 1000,
        requests=count,
        errors=0,
    )


@contextlib.contextmanager
def _data_dir() -> Iterator[Path]:
    """The run's DATA_DIR, named for this benchmark alone (it runs long beside the others)."""
    path = Path(tempfile.mkdtemp(prefix="infopoint-load-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def _session_cookie(username: str, role: str) -> str:
    from django.conf import settings
    from django.test import Client

    from infopoint.accounts.models import User
    from infopoint.accounts.services import user_roles_set

    user = User.objects.create_user(username=username, first_name=username.title())
    user_roles_set(user=user, roles=[role])
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=min(4, max(2, 2 * cpu_count())))
    options = parser.parse_args()
    sizes = [int(size) for size in options.sizes.split(",")]
    # Stopped by a signal, still stop gunicorn and drop the database (the finally blocks).
    signal.signal(signal.SIGTERM, lambda *_args: sys.exit(143))
    if shutil.which("wrk") is None:
        print("wrk is missing: `scripts/system-packages.sh bench` as root installs it.")
        return 2

    rows, ratios, failures = [], [], []
    with _data_dir() as folder, postgres_database(DATABASE) as url:
        env = environment(
            database_url=url,
            folder=folder,
            DJANGO_SETTINGS_MODULE="bench.load_settings",
            STAFF_REQUIRE_TWO_FACTOR="false",
        )
        django_start(env)
        from django.db import connections
        from django.utils import timezone

        from bench.loaddata import appointments_add, articles_add, enquiries_grow
        from infopoint.accounts.models import Role
        from infopoint.knowledge.models import Article

        now = timezone.now()
        started = time.perf_counter()
        appointments = appointments_add(count=APPOINTMENTS, now=now)
        articles, texts = articles_add(to=ARTICLES, now=now)
        print(
            f"{articles:,} articles ({texts:,} translations) and {appointments:,} appointments "
            f"written in {time.perf_counter() - started:.1f} s",
            flush=True,
        )
        article = Article.objects.filter(slug__startswith="load-").order_by("pk").last()
        assert article is not None
        consultant = _session_cookie("consultant", Role.CONSULTANT)
        coordinator = _session_cookie("coordinator", Role.COORDINATOR)
        database = database_version()
        connections.close_all()

        targets = [
            ("bare Django view", "/bench/bare/", ""),
            ("public: home", "/en/", ""),
            ("public: article", f"/en/articles/{article.slug}/", ""),
            ("public: home, not cached", "/en/?uncached=1", ""),
            ("consultant: inbox", "/en/enquiries/staff/", consultant),
            ("consultant: search a word", "/en/enquiries/staff/?q=PESEL", consultant),
            ("consultant: search a reference", "/en/enquiries/staff/?q=IP-L-0000777", consultant),
            ("coordinator: reports", "/en/reports/", coordinator),
            # Once more at the end: a busy machine drifts, the yardstick is the mean of both.
            ("bare Django view, again", "/bench/bare/", ""),
        ]
        log = folder / "gunicorn.log"
        process, port = gunicorn(env, workers=options.workers, log=log)
        try:
            # Every worker loads its code and templates before anything is timed.
            wrk(f"http://{HOST}:{port}/en/", duration=3, connections=options.connections)
            for size in sizes:
                started = time.perf_counter()
                count = enquiries_grow(to=size, now=now)
                connections.close_all()
                print(f"{count:,} enquiries ({time.perf_counter() - started:.1f} s)", flush=True)
                rates: dict[str, float] = {}
                for name, path, cookie in targets:
                    address = f"http://{HOST}:{port}{path}"
                    staff = bool(cookie)
                    connections_ = (
                        max(2, options.connections // 2) if staff else options.connections
                    )
                    try:
                        _get(port, path, cookie)  # a worker's first request loads its code
                        slow = _get(port, path, cookie) > SLOW_SECONDS
                    except RuntimeError as error:  # a failing page fails the run, not the rest
                        failures.append(f"{size:,} {name}: {error}")
                        rows.append((f"{count:,}", name, "", "", "failed", str(error), ""))
                        print(f"  {name}: FAILED {error}", flush=True)
                        continue
                    if slow:
                        connections_ = 1
                        figures = one_by_one(port, path, cookie, SLOW_REQUESTS)
                    else:
                        wrk(address, duration=2, connections=connections_, cookie=cookie)  # warm-up
                        figures = wrk(
                            address,
                            duration=options.duration,
                            connections=connections_,
                            cookie=cookie,
                        )
                    rates[name] = figures.requests_per_second
                    if figures.errors:
                        failures.append(f"{size:,} {name}: {figures.errors} errors")
                    rows.append(
                        (
                            f"{count:,}",
                            name,
                            connections_,
                            f"{figures.requests:,}",
                            f"{figures.requests_per_second:,.1f}",
                            f"{figures.median_ms:,.1f}",
                            f"{figures.p99_ms:,.1f}",
                        )
                    )
                    print(
                        f"  {name}: {rows[-1][4]}/s, {rows[-1][5]} / {rows[-1][6]} ms", flush=True
                    )
                if not {"bare Django view", "bare Django view, again"} <= set(rates):
                    continue
                bare = (rates["bare Django view"] + rates["bare Django view, again"]) / 2
                for name in ("public: home", "public: article", "public: home, not cached"):
                    if name in rates:
                        ratios.append((f"{count:,}", name, f"{rates[name] / bare:.2f}"))
        finally:
            process.terminate()
            process.wait(timeout=30)

    table(
        "Machine",
        ["figure", "value"],
        [*machine(database), ("gunicorn workers", str(options.workers))],
    )
    table(
        f"wrk, {options.duration} s per address",
        ["enquiries", "address", "connections", "requests", "requests/s", "median ms", "p99 ms"],
        rows,
    )
    table(
        "Throughput as a share of the bare view (target >= 0.6)",
        ["enquiries", "page", "ratio"],
        ratios,
    )
    for failure in failures:
        print(f"FAILED: {failure}")
    cached = [float(r[2]) for r in ratios if "not cached" not in r[1]] or [0.0]
    verdict = "met" if min(cached) >= TARGET_RATIO else "MISSED"
    print(f"\nLowest ratio of the cached public pages: {min(cached):.2f}; target {verdict}.")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
