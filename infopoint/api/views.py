"""Version 1 of the API: thin views over the same services the site uses."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiYamlRenderer
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularAPIView
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
from infopoint.enquiries.consent import CONSENT_VERSION
from infopoint.enquiries.mailing import tracking_url
from infopoint.enquiries.models import Channel
from infopoint.enquiries.services import enquiry_create
from infopoint.hours.calendar import office_zone
from infopoint.knowledge.language import detect_language
from infopoint.topics.models import Topic

from .serializers import (
    BookingCreatedSerializer,
    BookingCreateSerializer,
    BookingTakenSerializer,
    EnquiryCreatedSerializer,
    EnquiryCreateSerializer,
    ErrorSerializer,
    SlotListSerializer,
    SlotQuerySerializer,
)
from .throttles import BookingEmailRateThrottle, EnquiryEmailRateThrottle

_ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description=_("The body is not valid; nothing saved.")),
    413: OpenApiResponse(ErrorSerializer, description=_("The body is too large.")),
    429: OpenApiResponse(
        ErrorSerializer,
        description=_(
            "Too many requests; the Retry-After header says in how many seconds to retry."
        ),
    ),
}


def _django_errors(error: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {
            api_settings.NON_FIELD_ERRORS_KEY if name == "__all__" else name: messages
            for name, messages in error.message_dict.items()
        }
    return {api_settings.NON_FIELD_ERRORS_KEY: error.messages}


class EnquiryCreateView(APIView):
    """Anyone may send an enquiry: partners send them for the people they help."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="enquiry_create",
        summary=_("Send an enquiry"),
        description=_(
            "Sends a question to the point on behalf of a person, with the same rules as the "
            "form on the site. The person gets an acknowledgement by e-mail (if they gave an "
            "e-mail address and allow e-mail) and follows the enquiry at tracking_url. "
            "Messages come in the language of the Accept-Language header. Limited per "
            "address and per e-mail address."
        ),
        request=EnquiryCreateSerializer,
        responses={
            201: OpenApiResponse(EnquiryCreatedSerializer, description=_("The enquiry is saved.")),
            **_ERRORS,
        },
        tags=["enquiries"],
    )
    def post(self, request: Request) -> Response:
        serializer = EnquiryCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # Counted only for enquiries that would be saved, like the web form's.
        email_throttle = EnquiryEmailRateThrottle()
        if not email_throttle.allow_request(request, self):
            self.throttled(request, email_throttle.wait())
        data = serializer.validated_data
        try:
            enquiry, token = enquiry_create(
                channel=Channel.API,
                text=data["question"],
                language=detect_language(data["question"]) or get_language(),
                name=data["name"],
                email=data["email"],
                phone=data["phone"],
                topic=data["topic"],
                preferred_language=data["preferred_language"],
                safe_contact=data["safe_contact"],
                consent_version=CONSENT_VERSION,
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError(_django_errors(error)) from error
        body = {
            "reference": enquiry.reference,
            "tracking_url": tracking_url(token=token, language=enquiry.preferred_language),
            "due_at": timezone.localtime(enquiry.due_at, office_zone()).isoformat(),
        }
        return Response(body, status=status.HTTP_201_CREATED)


# --- legal-advice appointments ---------------------------------------------------------------

IDEMPOTENCY_HEADER = "Idempotency-Key"
IDEMPOTENCY_KEY_MAX = 255

_SLOT_EXAMPLE = {
    "key": "7-1764597600",
    "starts_at": "2026-12-01T15:00:00+01:00",
    "ends_at": "2026-12-01T15:45:00+01:00",
    "languages": ["pl", "ru", "uk"],
}


def _local(value: datetime) -> str:
    return timezone.localtime(value, office_zone()).isoformat()


def _slot_body(slot: Slot) -> dict[str, Any]:
    return {
        "key": slot.key,
        "starts_at": _local(slot.starts_at),
        "ends_at": _local(slot.ends_at),
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
                description=_("A date, the range, the language or the topic is not valid."),
                examples=[
                    OpenApiExample(
                        "reversed range",
                        value={
                            "errors": {"to": ["The last date must not be before the first date."]}
                        },
                    )
                ],
            ),
            429: _ERRORS[429],
        },
        tags=["appointments"],
    )
    def get(self, request: Request) -> Response:
        query = SlotQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
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
        "starts_at": _local(booking.starts_at),
        "ends_at": _local(booking.ends_at),
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
            413: _ERRORS[413],
            429: _ERRORS[429],
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
            raise serializers.ValidationError(_django_errors(error)) from error
        return _booked(booking, replayed=False)


class SchemaView(SpectacularAPIView):
    """The OpenAPI 3 schema: JSON, or YAML with ?format=yaml."""

    renderer_classes = [OpenApiJsonRenderer, OpenApiYamlRenderer]


# --- the docs page ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DocField:
    name: str
    type: str
    required: bool
    description: str
    choices: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DocOperation:
    method: str
    path: str
    summary: str
    description: str
    request_fields: list[DocField]
    responses: list[tuple[str, str, list[DocField]]]
    parameters: list[tuple[str, list[DocField]]] = field(default_factory=list)
    examples: list[tuple[str, str]] = field(default_factory=list)


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref", "")
    if ref.startswith("#/components/schemas/"):
        return schema["components"]["schemas"].get(ref.rsplit("/", 1)[-1], {})
    return node


def _type_name(schema: dict[str, Any], node: dict[str, Any]) -> tuple[str, list[str]]:
    parts = [_resolve(schema, part) for part in node.get("allOf", node.get("oneOf", []))]
    node = {**_resolve(schema, node), **{k: v for part in parts for k, v in part.items()}}
    choices = [str(value) for value in node.get("enum", []) if value not in ("", None)]
    kind = node.get("type", "string" if choices else "object")
    if node.get("format"):
        kind = f"{kind} ({node['format']})"
    if node.get("nullable"):
        kind = f"{kind}, null"
    return kind, choices


def _fields(schema: dict[str, Any], content: dict[str, Any]) -> list[DocField]:
    body = _resolve(schema, content.get("application/json", {}).get("schema", {}))
    required = set(body.get("required", []))
    fields = []
    for name, node in body.get("properties", {}).items():
        kind, choices = _type_name(schema, node)
        description = node.get("description") or _resolve(schema, node).get("description", "")
        fields.append(DocField(name, kind, name in required, description, choices))
    return fields


def _parameters(
    schema: dict[str, Any], operation: dict[str, Any]
) -> list[tuple[str, list[DocField]]]:
    """The query and header parameters of an operation, grouped by where they go."""
    groups: dict[str, list[DocField]] = {}
    for parameter in operation.get("parameters", []):
        kind, choices = _type_name(schema, parameter.get("schema", {}))
        groups.setdefault(parameter.get("in", "query"), []).append(
            DocField(
                parameter["name"],
                kind,
                bool(parameter.get("required")),
                parameter.get("description", ""),
                choices,
            )
        )
    return list(groups.items())


def _examples(operation: dict[str, Any]) -> list[tuple[str, str]]:
    """(what it is, the JSON) of each example of the request and the responses."""
    found = []
    bodies = [("", operation.get("requestBody", {})), *operation.get("responses", {}).items()]
    for code, body in bodies:
        for example in (
            body.get("content", {}).get("application/json", {}).get("examples", {}).values()
        ):
            title = example.get("summary", "")
            label = f"{code}: {title}" if code else title
            found.append((label, json.dumps(example.get("value"), indent=2, ensure_ascii=False)))
    return found


def docs_operations(schema: dict[str, Any]) -> list[DocOperation]:
    """The operations of an OpenAPI schema, with their fields, for the docs page."""
    operations = []
    for path, methods in schema.get("paths", {}).items():
        for method, operation in methods.items():
            responses = [
                (code, answer.get("description", ""), _fields(schema, answer.get("content", {})))
                for code, answer in operation.get("responses", {}).items()
            ]
            request_body = operation.get("requestBody", {}).get("content", {})
            operations.append(
                DocOperation(
                    method=method.upper(),
                    path=path,
                    summary=operation.get("summary", ""),
                    description=operation.get("description", ""),
                    request_fields=_fields(schema, request_body),
                    responses=responses,
                    parameters=_parameters(schema, operation),
                    examples=_examples(operation),
                )
            )
    return operations


def docs(request: HttpRequest) -> HttpResponse:
    """Server-rendered documentation from the schema: no scripts, nothing from elsewhere."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    context = {
        "info": schema.get("info", {}),
        "operations": docs_operations(schema),
    }
    return render(request, "api/docs.html", context)
