"""Web intake: enquiry submissions per second through the public form, served by gunicorn.

Starts gunicorn (config.wsgi, the production profile on a throw-away PostgreSQL database)
on a free loopback port, then a bounded load generator: CLIENTS threads that each, like a
person's browser, get the form (/en/enquiries/new/), read its CSRF token and hidden fields
(the bot checks' signed timestamp; the honeypot stays empty), and post a filled-in enquiry
as multipart/form-data, until SUBMISSIONS have been sent. The bot checks' minimum fill-in
time and the rate limits are switched off through the environment, as every submission
comes from one address in a few milliseconds. Each enquiry's acknowledgement is rendered,
stored in the outbox and handed to the mail backend (locmem) in the web process, as in the
embedded profile; with Redis a Celery worker would send it instead.

Prints submissions per second and the latency of the form page and of the post; exits
non-zero if any submission failed or the database does not hold every enquiry.

    .venv/bin/python bench/web_intake.py [--submissions 500] [--clients 8] [--workers 4]
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import secrets
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    ROOT,
    cpu_count,
    data_dir,
    database_version,
    django_start,
    environment,
    machine,
    median,
    percentile,
    postgres_database,
    table,
)
from bench.mail_ingest import NAMES, QUESTIONS

HOST = "127.0.0.1"
FORM_PATH = "/en/enquiries/new/"
# The form's anti-bot and rate-limit settings, opened up for a load test from one address.
OPEN_FORM = {
    "ENQUIRY_FORM_MIN_SECONDS": "0",
    "ENQUIRY_RATE_PER_ADDRESS": "off",
    "ENQUIRY_RATE_PER_EMAIL": "off",
}


class FormReader(HTMLParser):
    """The fields of the page's enquiry form (the post form with a "question" field)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, list[str]]] = []
        self._form: dict[str, list[str]] | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "form" and values.get("method", "").lower() == "post":
            self._form = {}
            self.forms.append(self._form)
        if self._form is None:
            return
        name = values.get("name")
        if tag == "input" and name:
            kind = values.get("type", "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in values:
                self._form.setdefault(name, [])
                return
            self._form.setdefault(name, []).append(values.get("value", ""))
        elif tag in ("textarea", "select") and name:
            self._form.setdefault(name, [])
            self._select = name if tag == "select" else None
        elif tag == "option" and self._select:
            self._form[self._select].append(values.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        if tag == "select":
            self._select = None

    def enquiry_form(self) -> dict[str, list[str]]:
        return next(form for form in self.forms if "question" in form)


def multipart(fields: dict[str, str]) -> tuple[bytes, str]:
    """A multipart/form-data body as a browser sends it (the form may carry files)."""
    boundary = f"----bench{secrets.token_hex(12)}"
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        )
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="attachments"; filename=""\r\n'
        "Content-Type: application/octet-stream\r\n\r\n\r\n"
    )
    parts.append(f"--{boundary}--\r\n")
    return "".join(parts).encode(), f"multipart/form-data; boundary={boundary}"


@dataclass
class Outcome:
    get_seconds: list[float] = field(default_factory=list)
    post_seconds: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _request(
    port: int,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], list[str], bytes]:
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        data = response.read()
        return (
            response.status,
            {name.lower(): value for name, value in response.getheaders()},
            response.headers.get_all("Set-Cookie") or [],
            data,
        )
    finally:
        connection.close()


def submit(port: int, number: int, outcome: Outcome) -> None:
    """One person: gets the form, fills it in, sends it; records the times or the error."""
    rng = random.Random(number)
    try:
        started = time.perf_counter()
        status, _headers, set_cookies, page = _request(port, "GET", FORM_PATH)
        got = time.perf_counter()
        if status != 200:
            raise RuntimeError(f"GET {status}")
        cookies = SimpleCookie()
        for header in set_cookies:
            cookies.load(header)
        reader = FormReader()
        reader.feed(page.decode())
        form = reader.enquiry_form()
        language = rng.choice(list(QUESTIONS))
        fields = {name: values[0] if values else "" for name, values in form.items()}
        fields.update(
            question=rng.choice(QUESTIONS[language]).replace("\n", "\n\n"),
            name=rng.choice(NAMES[language]),
            email=f"bench{number}@example.net",
            phone="",
            preferred_language=language,
            safe_contact="any",
            consent="on",
            topic=rng.choice(form.get("topic") or [""]),
        )
        fields.pop("attachments", None)
        body, content_type = multipart(fields)
        cookie = "; ".join(f"{name}={morsel.value}" for name, morsel in cookies.items())
        posted = time.perf_counter()
        status, headers, _cookies, page = _request(
            port,
            "POST",
            FORM_PATH,
            body=body,
            headers={"Content-Type": content_type, "Cookie": cookie},
        )
        done = time.perf_counter()
        if status != 302 or "/t/" not in headers.get("location", ""):
            raise RuntimeError(f"POST {status}")
        with outcome.lock:
            outcome.get_seconds.append(got - started)
            outcome.post_seconds.append(done - posted)
    except Exception as error:  # every failure is counted and shown, none stops the run
        with outcome.lock:
            outcome.errors.append(f"{type(error).__name__}: {error}")


def load(port: int, *, first: int, count: int, clients: int) -> tuple[Outcome, float]:
    outcome = Outcome()
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        for number in range(first, first + count):
            pool.submit(submit, port, number, outcome)
    return outcome, time.perf_counter() - started


def gunicorn(env: dict[str, str], *, workers: int, log: Path) -> tuple[subprocess.Popen, int]:
    from tests.mailservers import free_port, wait_for_port

    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        env={**os.environ, **env},
        cwd=ROOT,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for_port(port, timeout=60)
    except TimeoutError:
        process.kill()
        raise RuntimeError("gunicorn did not start:\n" + log.read_text()) from None
    return process, port


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--submissions", type=int, default=500)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=min(4, max(2, 2 * cpu_count())))
    options = parser.parse_args()
    warm_up = 4 * options.workers

    with data_dir() as folder, postgres_database() as url:
        env = environment(database_url=url, folder=folder, **OPEN_FORM)
        django_start(env)
        from django.db import connections

        from infopoint.enquiries.models import Enquiry

        database = database_version()
        connections.close_all()
        log = folder / "gunicorn.log"
        process, port = gunicorn(env, workers=options.workers, log=log)
        try:
            # Every worker loads its templates and language models before the clock starts.
            warm, _seconds = load(port, first=0, count=warm_up, clients=options.clients)
            outcome, seconds = load(
                port, first=warm_up, count=options.submissions, clients=options.clients
            )
        finally:
            process.terminate()
            process.wait(timeout=30)
        stored = Enquiry.objects.count()
        connections.close_all()
        server_log = log.read_text()

    errors = warm.errors + outcome.errors
    sent = len(outcome.post_seconds)
    if not sent:
        print(f"FAILED: no submission went through, e.g. {errors[:3]}", file=sys.stderr)
        print(server_log[-3000:], file=sys.stderr)
        return 1
    expected = warm_up - len(warm.errors) + sent
    table(
        "Web intake (gunicorn, PostgreSQL)",
        ["figure", "value"],
        [
            *machine(database),
            ("gunicorn workers (sync)", options.workers),
            ("concurrent clients", options.clients),
            ("submissions", options.submissions),
            ("seconds", f"{seconds:.1f}"),
            ("**submissions per second**", f"**{sent / seconds:.1f}**"),
            ("POST median (ms)", f"{1000 * median(outcome.post_seconds):.0f}"),
            ("POST p95 (ms)", f"{1000 * percentile(outcome.post_seconds, 0.95):.0f}"),
            ("form page GET median (ms)", f"{1000 * median(outcome.get_seconds):.0f}"),
            ("form page GET p95 (ms)", f"{1000 * percentile(outcome.get_seconds, 0.95):.0f}"),
            ("errors", len(errors)),
            ("enquiries stored", f"{stored} (expected {expected})"),
        ],
    )
    if errors or stored != expected:
        print(f"\nFAILED: {len(errors)} errors, e.g. {errors[:3]}", file=sys.stderr)
        print(server_log[-3000:], file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
