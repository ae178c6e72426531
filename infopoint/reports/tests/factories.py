"""Rows for the report tests, written straight to the tables (the reports only read them)."""

from __future__ import annotations

import secrets
from datetime import timedelta

import factory
from django.utils import timezone

from infopoint.accounts.models import Role, User
from infopoint.accounts.services import user_roles_set
from infopoint.appointments.models import Adviser, Booking, BookingStatus
from infopoint.directory.tests.factories import InstitutionFactory, InstitutionTranslationFactory
from infopoint.enquiries.models import Channel, Enquiry, Referral, Status
from infopoint.topics.tests.factories import TopicTranslationFactory

__all__ = [
    "AdviserFactory",
    "BookingFactory",
    "EnquiryFactory",
    "ReferralFactory",
    "institution_named",
    "staff_user",
    "topic_named",
]


def staff_user(role: str, username: str | None = None) -> User:
    user = User.objects.create_user(
        username=username or f"{role}-{secrets.token_hex(4)}", password="a long test password"
    )
    return user_roles_set(user=user, roles=[role])


def topic_named(name: str):  # type: ignore[no-untyped-def]
    return TopicTranslationFactory(name=name).topic


def institution_named(name: str):  # type: ignore[no-untyped-def]
    return InstitutionTranslationFactory(name=name).institution


class EnquiryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enquiry

    reference = factory.Sequence(lambda n: f"IP-2026-{n + 1:06d}")
    tracking_token_hash = factory.LazyFunction(lambda: secrets.token_hex(32))
    channel = Channel.WEB
    status = Status.NEW
    language = "uk"
    preferred_language = "uk"
    created_at = factory.LazyFunction(timezone.now)
    due_at = factory.LazyAttribute(lambda o: o.created_at + timedelta(days=2))


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Referral

    enquiry = factory.SubFactory(EnquiryFactory)
    institution = factory.SubFactory(InstitutionFactory)
    created_at = factory.LazyFunction(timezone.now)


class AdviserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Adviser

    user = factory.LazyFunction(lambda: staff_user(Role.ADVISER))
    location = "Room 12"


class BookingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Booking

    adviser = factory.SubFactory(AdviserFactory)
    starts_at = factory.LazyFunction(timezone.now)
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(minutes=45))
    status = BookingStatus.BOOKED
    name = "Ivan"
    email = "ivan@example.net"
    language = "ru"
    consent_version = "2026-01"
    consent_given_at = factory.LazyFunction(timezone.now)
    uid = factory.Sequence(lambda n: f"booking-{n}@infopoint.test")
