"""Private links cannot be guessed or enumerated.

The tracking link of an enquiry and the link of a booking are the only keys a person has. They
must be random with at least 128 bits, found without a timing leak (the tracking token by its
SHA-256 hash, the booking link by an HMAC signature that Django compares in constant time),
and a wrong token must get the same answer as a missing one. No public address carries a
database id that could be counted through.
"""

from __future__ import annotations

import base64
import inspect
import math
import re

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from infopoint.appointments import links
from infopoint.appointments.links import booking_token
from infopoint.appointments.models import Adviser, Booking
from infopoint.appointments.services import appointment_book
from infopoint.appointments.tests.helpers import at, person
from infopoint.enquiries import selectors as enquiry_selectors
from infopoint.enquiries import services as enquiry_services
from infopoint.enquiries.models import Enquiry
from infopoint.enquiries.tests.factories import enquiry_make
from tests.test_permission_matrix import ANONYMOUS, endpoints, rule_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

# Route parts that are not ids: calendar years and months of the news archive.
NOT_IDS = {"year", "month"}


def _entropy_bits(token: str) -> float:
    """Bits in a URL-safe base64 token (6 per character)."""
    return len(token) * math.log2(64)


def test_tracking_tokens_are_random_with_at_least_128_bits() -> None:
    tokens = {enquiry_services._new_tracking_token()[0] for _ in range(200)}
    assert len(tokens) == 200
    for token in tokens:
        assert re.fullmatch(r"[A-Za-z0-9_-]+", token)
        assert _entropy_bits(token) >= 128
    # secrets.token_urlsafe, not random: the source shows which generator makes them.
    assert "secrets.token_urlsafe" in inspect.getsource(enquiry_services._new_tracking_token)


def test_tracking_tokens_are_stored_only_as_a_hash_and_looked_up_by_it() -> None:
    enquiry, token = enquiry_services.enquiry_create(
        channel="web", text="Pytanie", language="pl", name="A", email="a@example.net"
    )
    enquiry.refresh_from_db()
    assert token not in str(Enquiry.objects.filter(pk=enquiry.pk).values().get())
    assert enquiry.tracking_token_hash == enquiry_services.tracking_token_hash(token)
    # The look-up is an equality on the hash in the database: no string compare in Python.
    source = inspect.getsource(enquiry_selectors.enquiry_for_tracking)
    assert "tracking_token_hash=tracking_token_hash(token)" in source


def test_booking_links_carry_an_hmac_of_at_least_128_bits(adviser: Adviser) -> None:
    booking = appointment_book(adviser=adviser, starts_at=at(2026, 12, 1, 15), **person())
    token = booking_token(booking)
    signature = token.rsplit(":", 1)[1]
    assert len(base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4))) * 8 >= 128
    # Django's Signer checks the signature with constant_time_compare (hmac.compare_digest).
    assert "constant_time_compare" in inspect.getsource(signing.Signer.unsign)
    assert "_signer().unsign" in inspect.getsource(links.booking_from_token)


def test_no_public_address_carries_a_sequential_id() -> None:
    public = [e for e in endpoints() if ANONYMOUS in (rule_for(e.name) or frozenset())]
    assert any(e.name == "enquiries:track" for e in public)
    numeric = []
    for endpoint in public:
        for name in re.findall(r"<int:(\w+)>", endpoint.route) + re.findall(
            r"\(\?P<(\w+)>\[0-9\]", endpoint.route
        ):
            if name not in NOT_IDS:
                numeric.append((endpoint.name, name))
    assert numeric == []


def _page(client: Client, name: str, token: str) -> tuple[int, str]:
    """Status and page, with what differs by request alone (the address, nonces) taken out."""
    response = client.get(reverse(name, kwargs={"token": token}))
    page = response.content.decode().replace(token, "TOKEN")
    page = re.sub(r'(nonce|value)="[^"]*"', r'\1=""', page)
    return response.status_code, page


def test_a_wrong_tracking_token_gets_the_same_404_as_a_missing_one() -> None:
    client = Client()
    _enquiry = enquiry_make()
    token = enquiry_services.enquiry_tracking_token_renew(enquiry=_enquiry)
    assert _page(client, "enquiries:track", token)[0] == 200
    almost = token[:-1] + ("A" if token[-1] != "A" else "B")
    answers = {
        _page(client, "enquiries:track", candidate)
        for candidate in (almost, token[:20], "x" * 43, "qq1", "qq2", "x" * 500)
    }
    assert len(answers) == 1
    assert next(iter(answers))[0] == 404


@pytest.fixture
def booking(adviser: Adviser) -> Booking:
    return appointment_book(adviser=adviser, starts_at=at(2026, 12, 1, 15), **person())


@pytest.mark.parametrize(
    "name",
    ["appointments:booking", "appointments:calendar", "appointments:cancel", "appointments:move"],
)
def test_a_forged_booking_link_gets_the_same_404_as_a_missing_one(
    booking: Booking, name: str
) -> None:
    client = Client()
    token = booking_token(booking)
    value, signature = token.rsplit(":", 1)
    tampered_signature = value + ":" + signature[:-1] + ("A" if signature[-1] != "A" else "B")
    # The next booking's id with this booking's signature: counting through ids gets nowhere.
    next_id = token.replace(f"{booking.pk}.", f"{booking.pk + 1}.", 1)
    answers = {
        _page(client, name, candidate)
        for candidate in (tampered_signature, next_id, "qq1", "x" * 60, "7.0:abc:def")
    }
    assert len(answers) == 1
    assert next(iter(answers))[0] == 404
