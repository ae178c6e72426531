"""Legal-advice appointments for the public: GET /slots and POST /bookings."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from infopoint.appointments import consent as booking_consent
from infopoint.appointments.exceptions import AlreadyBooked, SlotTaken, SlotUnavailable
from infopoint.appointments.links import booking_url
from infopoint.appointments.models import Booking
from infopoint.appointments.selectors import booking_by_form_token, slot_from_key, slots_free
from infopoint.appointments.services import appointment_book
from infopoint.appointments.slots import Slot
from infopoint.topics.models import Topic

from ..serializers.booking import (
    BookingCreatedSerializer,
    BookingCreateSerializer,
    BookingTakenSerializer,
    SlotListSerializer,
    SlotQuerySerializer,
)
from ..serializers.common import ErrorSerializer
from ..throttles import BookingEmailRateThrottle
from .common import ERRORS, django_errors, local

IDEMPOTENCY_HEADER = "Idempotency-Key"
IDEMPOTENCY_KEY_MAX = 255

_SLOT_EXAMPLE = {
    "key": "7-1764597600",
    "starts_at": "2026-12-01T15:00:00+01:00",
    "ends_at": "2026-12-01T15:45:00+01:00",
    "languages": ["pl", "ru", "uk"],
}


def _slot_body(slot: Slot) -> dict[str, Any]:
    return {
        "key": slot.key,
        "starts_at": local(slot.starts_at),
        "ends_at": local(slot.ends_at),
        "languages": list(slot.languages),
    }


def _topic(slug: str) -> Topic | None:
    return Topic.objects.filter(slug=slug).first() if slug else None


class SlotListView(APIView):
    """Anyone may see the free times: the booking pages of the site show the same."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="slot_list",
        summary=_("List free appointment slots"),
        description=_(
            "Free times with a legal adviser who speaks the language, between two office "
            "dates (both included), earliest first. Only times after the minimum notice and "
            "before the booking horizon are offered, as on the site; the range may span the "
            "horizon at most. Messages come in the language of the Accept-Language header."
        ),
        parameters=[SlotQuerySerializer],
        responses={
            200: OpenApiResponse(
                SlotListSerializer,
                description=_("The free slots."),
                examples=[
                    OpenApiExample(
                        "slots",
                        value={
                            "start": "2026-11-30",
                            "end": "2026-12-06",
                            "count": 1,
                            "slots": [_SLOT_EXAMPLE],
                        },
                    )
                ],
            ),
            400: OpenApiResponse(
                ErrorSerializer,
                description=_(
                    "A date, the range, the language or the topic is not valid, or a parameter "
                    "is not known or given twice."
                ),
                examples=[
                    OpenApiExample(
                        "reversed range",
                        value={
                            "errors": {"to": ["The last date must not be before the first date."]}
                        },
                    )
                ],
            ),
            429: ERRORS[429],
        },
        tags=["appointments"],
    )
    def get(self, request: Request) -> Response:
        data = SlotQuerySerializer.parse(request)
        slots = slots_free(
            start=data["start"],
            end=data["end"],
            language=data["language"],
            topic=_topic(data["topic"]),
        )
        body = {
            "start": data["start"].isoformat(),
            "end": data["end"].isoformat(),
            "count": len(slots),
            "slots": [_slot_body(slot) for slot in slots],
        }
        return Response(body)


def _idempotency_key(request: Request, data: dict[str, Any]) -> str | None:
    """The key stored with the booking for the caller's Idempotency-Key header, or None.

    Hashed with the person's contact details: the same header for another person books
    anew, so nobody learns someone else's private links by guessing a key.
    """
    value = request.headers.get(IDEMPOTENCY_HEADER)
    if value is None:
        return None
    value = value.strip()
    if not value or len(value) > IDEMPOTENCY_KEY_MAX or not value.isprintable():
        raise serializers.ValidationError(
            {
                api_settings.NON_FIELD_ERRORS_KEY: [
                    gettext("The Idempotency-Key header must be 1 to %(max)s printable characters.")
                    % {"max": IDEMPOTENCY_KEY_MAX}
                ]
            }
        )
    material = "\x00".join((value, data["email"].lower(), data["phone"]))
    return "api:" + hashlib.sha256(material.encode()).hexdigest()[:56]


def _booking_body(booking: Booking) -> dict[str, Any]:
    return {
        "uid": booking.uid,
        "starts_at": local(booking.starts_at),
        "ends_at": local(booking.ends_at),
        "url": booking_url(booking),
        "cancel_url": booking_url(booking, name="appointments:cancel"),
        "move_url": booking_url(booking, name="appointments:move"),
    }


def _booked(booking: Booking, *, replayed: bool) -> Response:
    response = Response(_booking_body(booking), status=status.HTTP_201_CREATED)
    if replayed:
        response["Idempotent-Replayed"] = "true"
    return response


def _taken(error: SlotTaken) -> Response:
    body = {
        "errors": {"slot": list(error.messages)},
        "next_slots": [_slot_body(slot) for slot in error.next_slots],
    }
    return Response(body, status=status.HTTP_409_CONFLICT)


class BookingCreateView(APIView):
    """Anyone may book a free slot: partners book for the people they help."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="booking_create",
        summary=_("Book an appointment"),
        description=_(
            "Books a free slot from GET /slots for a person, with the same rules as the "
            "booking form on the site. The person gets a confirmation by e-mail with a "
            "calendar invitation (if they gave an e-mail address) and can cancel or move the "
            "appointment through the private links until the cut-off. Send an "
            "Idempotency-Key header (any random text) to retry safely: the same key with the "
            "same contact details books once and answers with the same appointment. "
            "Messages come in the language of the Accept-Language header. Limited per "
            "address and per e-mail address."
        ),
        parameters=[
            OpenApiParameter(
                IDEMPOTENCY_HEADER,
                str,
                OpenApiParameter.HEADER,
                required=False,
                description=_(
                    "Random text of the caller, the same on a retry of the same booking "
                    "(at most 255 characters)."
                ),
            )
        ],
        request=BookingCreateSerializer,
        examples=[
            OpenApiExample(
                "booking",
                request_only=True,
                value={
                    "slot": "7-1764597600",
                    "name": "Olena Kovalenko",
                    "email": "olena@example.net",
                    "phone": "",
                    "language": "uk",
                    "topic": None,
                    "description": "Продовження карти побиту",
                    "consent": True,
                    "consent_version": booking_consent.CONSENT_VERSION,
                },
            )
        ],
        responses={
            201: OpenApiResponse(
                BookingCreatedSerializer,
                description=_(
                    "The appointment is booked (or was already, by a request with the same "
                    "Idempotency-Key: then the Idempotent-Replayed header is true)."
                ),
                examples=[
                    OpenApiExample(
                        "booked",
                        value={
                            "uid": "5f0c1e0c9b2d4f7e8a6b3c2d1e0f9a8b@example.org",
                            "starts_at": "2026-12-01T15:00:00+01:00",
                            "ends_at": "2026-12-01T15:45:00+01:00",
                            "url": "https://infopoint.example.org/uk/appointments/b/TOKEN/",
                            "cancel_url": (
                                "https://infopoint.example.org/uk/appointments/b/TOKEN/cancel/"
                            ),
                            "move_url": (
                                "https://infopoint.example.org/uk/appointments/b/TOKEN/move/"
                            ),
                        },
                    )
                ],
            ),
            400: OpenApiResponse(
                ErrorSerializer,
                description=_(
                    "The body is not valid, or the time cannot be booked (past, too soon, too "
                    "far ahead, not a slot); nothing booked."
                ),
            ),
            409: OpenApiResponse(
                BookingTakenSerializer,
                description=_(
                    "Someone else has just booked this time; nothing booked. next_slots are "
                    "the next free ones."
                ),
                examples=[
                    OpenApiExample(
                        "taken",
                        value={
                            "errors": {
                                "slot": [
                                    "This time has just been taken. Choose one of the next "
                                    "free times."
                                ]
                            },
                            "next_slots": [_SLOT_EXAMPLE],
                        },
                    )
                ],
            ),
            413: ERRORS[413],
            429: ERRORS[429],
        },
        tags=["appointments"],
    )
    def post(self, request: Request) -> Response:
        serializer = BookingCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        key = _idempotency_key(request, data)
        # A retry of a booking already made answers with it, and is not counted again.
        earlier = booking_by_form_token(key) if key else None
        if earlier is not None:
            return _booked(earlier, replayed=True)
        email_throttle = BookingEmailRateThrottle()
        if not email_throttle.allow_request(request, self):
            self.throttled(request, email_throttle.wait())
        topic = _topic(data["topic"])
        try:
            slot = slot_from_key(key=data["slot"], language=data["language"], topic=topic)
            booking = appointment_book(
                slot=slot,
                name=data["name"],
                email=data["email"],
                phone=data["phone"],
                language=data["language"],
                topic=topic,
                description=data["description"],
                consent_version=booking_consent.CONSENT_VERSION,
                idempotency_key=key,
            )
        except AlreadyBooked as already:
            return _booked(already.booking, replayed=True)
        except SlotTaken as error:
            return _taken(error)
        except SlotUnavailable as error:
            raise serializers.ValidationError({"slot": list(error.messages)}) from error
        except DjangoValidationError as error:
            raise serializers.ValidationError(django_errors(error)) from error
        return _booked(booking, replayed=False)
