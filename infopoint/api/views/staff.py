"""Staff endpoints, with a token: the enquiry inbox and the advisers' agenda.

The same permissions as the web UI, through the same look-ups: desk staff (consultant,
coordinator, administrator) work enquiries (``enquiries.access``); an adviser sees and records
their own appointments, coordinators and administrators everyone's (``appointments.access``).
A look-up the token may not make is a 403; one of something the token may not see is a 404,
as if it did not exist. Every change goes through the service the web UI calls, and the
audit log records what the web UI records: who read an enquiry, an agenda or an appointment,
and who answered or recorded an outcome.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from infopoint.accounts.models import User
from infopoint.appointments.access import advisers_for_agenda, booking_for_staff
from infopoint.appointments.models import Booking
from infopoint.appointments.selectors import agenda
from infopoint.appointments.services import appointment_cancel, appointment_record_outcome
from infopoint.enquiries.access import (
    enquiry_for_booking,
    enquiry_for_staff_by_reference,
    staff_check,
)
from infopoint.enquiries.inbox import enquiry_assign, enquiry_inbox, enquiry_is_overdue
from infopoint.enquiries.models import Enquiry, Message
from infopoint.enquiries.selectors import enquiry_thread
from infopoint.enquiries.services import enquiry_reply, enquiry_set_status
from infopoint.privacy.audit import audit_record
from infopoint.privacy.models import AuditAction

from ..query import page_of, page_serializer
from ..serializers.common import ErrorSerializer
from ..serializers.staff import (
    AppointmentQuery,
    AppointmentSerializer,
    AssignSerializer,
    EnquiryDetailSerializer,
    EnquiryQuery,
    EnquirySerializer,
    MessageSerializer,
    OutcomeSerializer,
    ReplySerializer,
    StatusChangeSerializer,
)
from .common import django_errors, local

_ANSWERS = {
    401: OpenApiResponse(ErrorSerializer, description=_("No token, or a token that is not valid.")),
    403: OpenApiResponse(ErrorSerializer, description=_("The token's role may not do this.")),
}
_BAD_QUERY = OpenApiResponse(
    ErrorSerializer,
    description=_("A parameter is not known, given twice, or its value is not valid."),
)
_BAD_BODY = OpenApiResponse(
    ErrorSerializer, description=_("The body is not valid, or the change is not allowed.")
)
_NOT_FOUND = OpenApiResponse(
    ErrorSerializer, description=_("There is no such item among those the token may see.")
)
_REFERENCE = OpenApiParameter(
    "reference",
    str,
    OpenApiParameter.PATH,
    description=_("Reference number of the enquiry, e.g. IP-2026-000123."),
)
_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description=_("Id of the appointment."))


# Signed in with a token (the default permission); answers are never cached.
class StaffView(APIView):
    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        # They carry personal data.
        add_never_cache_headers(response)
        return response


def _person(user: User | None) -> dict[str, Any] | None:
    return None if user is None else {"id": user.pk, "name": str(user)}


def _optional(value: Any) -> str | None:
    return local(value) if value else None


def _audit(
    request: Request, action: AuditAction, target: Any = None, detail: dict[str, Any] | None = None
) -> None:
    audit_record(actor=request.user, action=action, target=target, detail=detail, request=request)


def _valid(serializer: serializers.Serializer) -> dict[str, Any]:
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


# --- enquiries -------------------------------------------------------------------------------


def _enquiry_body(enquiry: Enquiry, request: Request) -> dict[str, Any]:
    overdue = getattr(enquiry, "is_overdue", None)
    return {
        "reference": enquiry.reference,
        "status": enquiry.status,
        "channel": enquiry.channel,
        "topic": enquiry.topic.slug if enquiry.topic else None,
        "subject": enquiry.subject,
        "language": enquiry.language,
        "preferred_language": enquiry.preferred_language,
        "name": enquiry.name,
        "email": enquiry.email,
        "phone": enquiry.phone,
        "safe_contact": enquiry.safe_contact,
        "assignee": _person(enquiry.assignee),
        "due_at": _optional(enquiry.due_at),
        "is_overdue": enquiry_is_overdue(enquiry=enquiry) if overdue is None else overdue,
        "created_at": local(enquiry.created_at),
        "first_response_at": _optional(enquiry.first_response_at),
        "closed_at": _optional(enquiry.closed_at),
        "merged_into": enquiry.merged_into.reference if enquiry.merged_into else None,
        "url": request.build_absolute_uri(
            reverse("api:staff-enquiry", kwargs={"reference": enquiry.reference})
        ),
    }


def _message_body(message: Message) -> dict[str, Any]:
    return {
        "id": message.pk,
        "direction": message.direction,
        "channel": message.channel,
        "author": _person(message.author),
        "text": message.text,
        "automatic": message.automatic,
        "created_at": local(message.created_at),
        "attachments": [
            {
                "id": attachment.pk,
                "filename": attachment.original_filename,
                "content_type": attachment.content_type,
                "size": attachment.size,
            }
            for attachment in message.attachments.all()
        ],
    }


def _enquiry_detail(enquiry: Enquiry, request: Request) -> dict[str, Any]:
    return {
        **_enquiry_body(enquiry, request),
        "messages": [
            _message_body(message)
            for message in enquiry_thread(enquiry=enquiry, include_automatic=True)
        ],
        "notes": [
            {
                "author": _person(note.author),
                "text": note.text,
                "created_at": local(note.created_at),
            }
            for note in enquiry.notes.select_related("author").order_by("created_at", "pk")
        ],
    }


def _enquiry(request: Request, reference: str) -> Enquiry:
    return enquiry_for_staff_by_reference(user=request.user, reference=reference)


class EnquiryListView(StaffView):
    @extend_schema(
        operation_id="staff_enquiry_list",
        summary=_("List enquiries (inbox)"),
        description=_(
            "The enquiry inbox for desk staff (consultant, coordinator, administrator), most "
            "urgent first: enquiries that owe an answer by due time, then the rest newest "
            "first. The same filters as the inbox page."
        ),
        parameters=[EnquiryQuery],
        responses={200: page_serializer(EnquirySerializer), 400: _BAD_QUERY, **_ANSWERS},
        tags=["staff: enquiries"],
    )
    def get(self, request: Request) -> Response:
        staff_check(user=request.user)
        query = EnquiryQuery.parse(request)
        enquiries = enquiry_inbox(filters=query["filters"], user=request.user)  # type: ignore[arg-type]
        enquiries = enquiries.select_related("merged_into")
        return Response(
            page_of(
                request=request,
                items=enquiries,
                query=query,
                body=lambda enquiry: _enquiry_body(enquiry, request),
            )
        )


class EnquiryDetailView(StaffView):
    @extend_schema(
        operation_id="staff_enquiry_read",
        summary=_("Read an enquiry"),
        description=_("The enquiry with its whole thread and the internal notes."),
        parameters=[_REFERENCE],
        responses={200: EnquiryDetailSerializer, 404: _NOT_FOUND, **_ANSWERS},
        tags=["staff: enquiries"],
    )
    def get(self, request: Request, reference: str) -> Response:
        enquiry = _enquiry(request, reference)
        _audit(request, AuditAction.VIEWED, enquiry)
        return Response(_enquiry_detail(enquiry, request))


class EnquiryReplyView(StaffView):
    @extend_schema(
        operation_id="staff_enquiry_reply",
        summary=_("Answer an enquiry"),
        description=_(
            "The answer joins the thread and goes out by e-mail, threaded, where the person "
            "allows e-mail; they can always read it through their private link. The enquiry "
            "becomes answered (or waiting for the enquirer)."
        ),
        parameters=[_REFERENCE],
        request=ReplySerializer,
        responses={
            201: OpenApiResponse(MessageSerializer, description=_("The answer, as saved.")),
            400: _BAD_BODY,
            404: _NOT_FOUND,
            **_ANSWERS,
        },
        tags=["staff: enquiries"],
    )
    def post(self, request: Request, reference: str) -> Response:
        enquiry = _enquiry(request, reference)
        data = _valid(ReplySerializer(data=request.data, context={"enquiry": enquiry}))
        try:
            message = enquiry_reply(enquiry=enquiry, author=request.user, **data)  # type: ignore[arg-type]
        except DjangoValidationError as error:
            raise serializers.ValidationError(django_errors(error)) from error
        _audit(request, AuditAction.CHANGED, enquiry)
        return Response(_message_body(message), status=status.HTTP_201_CREATED)


class EnquiryAssignView(StaffView):
    @extend_schema(
        operation_id="staff_enquiry_assign",
        summary=_("Assign an enquiry"),
        description=_(
            "Gives the enquiry to a member of desk staff (null: nobody); a note records who "
            "did it. A new enquiry that someone takes is open from then on."
        ),
        parameters=[_REFERENCE],
        request=AssignSerializer,
        responses={200: EnquirySerializer, 400: _BAD_BODY, 404: _NOT_FOUND, **_ANSWERS},
        tags=["staff: enquiries"],
    )
    def post(self, request: Request, reference: str) -> Response:
        enquiry = _enquiry(request, reference)
        data = _valid(AssignSerializer(data=request.data))
        try:
            enquiry = enquiry_assign(
                enquiry=enquiry,
                assignee=data["assignee"],
                author=request.user,  # type: ignore[arg-type]
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError(django_errors(error)) from error
        return Response(_enquiry_body(enquiry, request))


class EnquiryStatusView(StaffView):
    @extend_schema(
        operation_id="staff_enquiry_status",
        summary=_("Change an enquiry's status"),
        description=_(
            "Moves the enquiry to another status where that move is allowed: waiting for the "
            "enquirer stops the due clock, reopening a closed enquiry counts a new due time."
        ),
        parameters=[_REFERENCE],
        request=StatusChangeSerializer,
        responses={200: EnquirySerializer, 400: _BAD_BODY, 404: _NOT_FOUND, **_ANSWERS},
        tags=["staff: enquiries"],
    )
    def post(self, request: Request, reference: str) -> Response:
        enquiry = _enquiry(request, reference)
        data = _valid(StatusChangeSerializer(data=request.data))
        try:
            enquiry = enquiry_set_status(
                enquiry=enquiry,
                status=data["status"],
                author=request.user,  # type: ignore[arg-type]
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError(django_errors(error)) from error
        return Response(_enquiry_body(enquiry, request))


# --- appointments ----------------------------------------------------------------------------


def _appointment_body(booking: Booking, request: Request) -> dict[str, Any]:
    # The linked enquiry only where the reader may see it (not on a topic restricted to others).
    enquiry = enquiry_for_booking(user=request.user, booking=booking)
    return {
        "id": booking.pk,
        "uid": booking.uid,
        "starts_at": local(booking.starts_at),
        "ends_at": local(booking.ends_at),
        "status": booking.status,
        "adviser": {"id": booking.adviser.pk, "name": str(booking.adviser)},
        "name": booking.name,
        "email": booking.email,
        "phone": booking.phone,
        "language": booking.language,
        "topic": booking.topic.slug if booking.topic else None,
        "description": booking.description,
        "enquiry": enquiry.reference if enquiry else None,
        "outcome_note": booking.outcome_note,
        "outcome_recorded_at": _optional(booking.outcome_recorded_at),
        "cancelled_at": _optional(booking.cancelled_at),
        "created_at": local(booking.created_at),
        "url": request.build_absolute_uri(
            reverse("api:staff-appointment", kwargs={"pk": booking.pk})
        ),
    }


class AppointmentListView(StaffView):
    @extend_schema(
        operation_id="staff_appointment_list",
        summary=_("List appointments (agenda)"),
        description=_(
            "Legal-advice appointments between two office dates, earliest first, cancelled ones "
            "left out as in the agenda: an adviser sees their own, coordinators and "
            "administrators everyone's."
        ),
        parameters=[AppointmentQuery],
        responses={200: page_serializer(AppointmentSerializer), 400: _BAD_QUERY, **_ANSWERS},
        tags=["staff: appointments"],
    )
    def get(self, request: Request) -> Response:
        advisers = advisers_for_agenda(user=request.user)
        query = AppointmentQuery.parse(request)
        if "adviser" in query:
            advisers = [adviser for adviser in advisers if adviser.pk == query["adviser"]]
        bookings = agenda(start=query["start"], end=query["end"], advisers=advisers)
        if "status" in query:
            bookings = bookings.filter(status=query["status"])
        page = page_of(
            request=request,
            items=bookings,
            query=query,
            body=lambda booking: _appointment_body(booking, request),
        )
        _audit(request, AuditAction.VIEWED, detail={"agenda": len(page["results"])})
        return Response(page)


class AppointmentDetailView(StaffView):
    @extend_schema(
        operation_id="staff_appointment_read",
        summary=_("Read an appointment"),
        parameters=[_ID],
        responses={200: AppointmentSerializer, 404: _NOT_FOUND, **_ANSWERS},
        tags=["staff: appointments"],
    )
    def get(self, request: Request, pk: str) -> Response:
        booking = booking_for_staff(user=request.user, pk=int(pk))
        _audit(request, AuditAction.VIEWED, booking)
        return Response(_appointment_body(booking, request))


class AppointmentOutcomeView(StaffView):
    @extend_schema(
        operation_id="staff_appointment_outcome",
        summary=_("Record what happened"),
        description=_(
            "Held, did not come, or cancelled late, with a private note: by the appointment's "
            "adviser, a coordinator or an administrator."
        ),
        parameters=[_ID],
        request=OutcomeSerializer,
        responses={200: AppointmentSerializer, 400: _BAD_BODY, 404: _NOT_FOUND, **_ANSWERS},
        tags=["staff: appointments"],
    )
    def post(self, request: Request, pk: str) -> Response:
        booking = booking_for_staff(user=request.user, pk=int(pk))
        data = _valid(OutcomeSerializer(data=request.data))
        try:
            appointment_record_outcome(booking=booking, by=request.user, **data)
        except DjangoValidationError as error:
            raise serializers.ValidationError(django_errors(error)) from error
        _audit(request, AuditAction.CHANGED, booking)
        booking = booking_for_staff(user=request.user, pk=booking.pk)
        return Response(_appointment_body(booking, request))


class AppointmentCancelView(StaffView):
    @extend_schema(
        operation_id="staff_appointment_cancel",
        summary=_("Cancel an appointment"),
        description=_(
            "Cancels a booked appointment: the person gets the cancellation by e-mail, the time "
            "is free again and offered to the waiting list. No body."
        ),
        parameters=[_ID],
        request=None,
        responses={200: AppointmentSerializer, 400: _BAD_BODY, 404: _NOT_FOUND, **_ANSWERS},
        tags=["staff: appointments"],
    )
    def post(self, request: Request, pk: str) -> Response:
        booking = booking_for_staff(user=request.user, pk=int(pk))
        try:
            appointment_cancel(booking=booking, by=request.user)
        except DjangoValidationError as error:
            raise serializers.ValidationError(django_errors(error)) from error
        _audit(request, AuditAction.CHANGED, booking)
        booking = booking_for_staff(user=request.user, pk=booking.pk)
        return Response(_appointment_body(booking, request))
