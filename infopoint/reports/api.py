"""GET /api/v1/reports: the report of a period for coordinators' own tools, with a token.

The same figures as the report pages (``selectors``), the same period rule (``PeriodForm``)
and the same roles (coordinators and administrators). Counts are keyed by stable values
(status, channel, language codes, topic and institution ids) with a label in the language
of the request.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from infopoint.api.serializers.common import ErrorSerializer

from . import selectors
from .decorators import user_reads_reports
from .forms import PeriodForm
from .selectors import Period

PARAMETERS = ("start", "end")


class ReadsReports(BasePermission):
    message = _("Reports are for coordinators and administrators.")

    def has_permission(self, request: Request, view: Any) -> bool:
        return user_reads_reports(request.user)


class CountSerializer(serializers.Serializer):
    key = serializers.CharField(help_text=_("Stable value: a code, a month or an id."))
    label = serializers.CharField()
    count = serializers.IntegerField(min_value=0)


class EnquiryCountsSerializer(serializers.Serializer):
    by_topic = CountSerializer(many=True, help_text=_("Topics with enquiries, most first."))
    by_language = CountSerializer(many=True)
    by_channel = CountSerializer(many=True)
    by_month = CountSerializer(many=True, help_text=_("Every month of the period, in order."))
    by_status = CountSerializer(many=True)


class ResponseTimesSerializer(serializers.Serializer):
    received = serializers.IntegerField(min_value=0)
    answered = serializers.IntegerField(min_value=0)
    median_seconds = serializers.FloatField(
        allow_null=True, help_text=_("In opening time of the point; null without answers.")
    )
    p90_seconds = serializers.FloatField(allow_null=True)
    answered_with_due = serializers.IntegerField(min_value=0)
    answered_on_time = serializers.IntegerField(min_value=0)
    share_on_time = serializers.FloatField(allow_null=True, min_value=0, max_value=1)
    unanswered_overdue = serializers.IntegerField(min_value=0)


class AdviserCountsSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    booked = serializers.IntegerField(min_value=0)
    held = serializers.IntegerField(min_value=0)
    no_show = serializers.IntegerField(min_value=0)
    cancelled = serializers.IntegerField(min_value=0)
    cancelled_late = serializers.IntegerField(min_value=0)
    pending = serializers.IntegerField(min_value=0)


class SearchMissSerializer(serializers.Serializer):
    query = serializers.CharField(help_text=_("The words searched, spaces and case normalised."))
    count = serializers.IntegerField(min_value=1)
    by_language = serializers.DictField(
        child=serializers.IntegerField(min_value=0),
        help_text=_("Searches per language code, every site language included."),
    )


class ReportSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    enquiries = EnquiryCountsSerializer()
    response_times = ResponseTimesSerializer()
    referrals_by_institution = CountSerializer(many=True)
    appointments_by_adviser = AdviserCountsSerializer(many=True)
    search_misses = SearchMissSerializer(
        many=True, help_text=_("The most frequent searches with no result, most first.")
    )


def _period(request: Request) -> Period:
    """The period of the query string; anything unknown, missing or impossible is a 400."""
    params = request.query_params
    errors: dict[str, list[str]] = {}
    for name in params:
        if name not in PARAMETERS:
            errors[name] = [
                gettext("This parameter is not known here. Known parameters: %(names)s.")
                % {"names": ", ".join(PARAMETERS)}
            ]
        elif len(params.getlist(name)) > 1:
            errors[name] = [gettext("Give this parameter once.")]
    form = PeriodForm({name: params[name] for name in PARAMETERS if name in params})
    if not form.is_valid():
        for name, messages in form.errors.items():
            errors.setdefault(name, [str(message) for message in messages])
    if errors:
        raise serializers.ValidationError(errors)
    return form.period


def report_body(period: Period) -> dict[str, Any]:
    return {
        "start": period.start,
        "end": period.end,
        "enquiries": selectors.enquiry_counts(period=period),
        "response_times": selectors.response_times(period=period),
        "referrals_by_institution": selectors.referrals_by_institution(period=period),
        "appointments_by_adviser": selectors.appointments_by_adviser(period=period),
        "search_misses": selectors.search_misses(period=period),
    }


class ReportView(APIView):
    permission_classes = [IsAuthenticated, ReadsReports]

    @extend_schema(
        operation_id="report_read",
        summary=_("The report of a period"),
        description=_(
            "Enquiries by topic, language, channel, month and status; the first answer's time "
            "in opening hours (median, 90th percentile, share on time); referrals by "
            "institution; appointments per legal adviser; the searches that found nothing. "
            "Coordinators and administrators only. Days are the office's days, both ends included."
        ),
        parameters=[
            OpenApiParameter(
                "start",
                OpenApiTypes.DATE,
                required=True,
                description=_("First day, e.g. 2026-11-01."),
            ),
            OpenApiParameter(
                "end",
                OpenApiTypes.DATE,
                required=True,
                description=_("Last day, included, e.g. 2026-11-30."),
            ),
        ],
        responses={
            200: ReportSerializer,
            400: OpenApiResponse(
                ErrorSerializer, description=_("A parameter is unknown, missing or impossible.")
            ),
            401: OpenApiResponse(ErrorSerializer, description=_("No valid token.")),
            403: OpenApiResponse(
                ErrorSerializer, description=_("The token's user may not read reports.")
            ),
            429: OpenApiResponse(ErrorSerializer, description=_("Too many requests.")),
        },
        tags=["reports"],
    )
    def get(self, request: Request) -> Response:
        period = _period(request)
        return Response(ReportSerializer(report_body(period)).data)
