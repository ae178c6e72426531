"""POST /enquiries: partners send enquiries for the people they help."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from infopoint.enquiries.consent import CONSENT_VERSION
from infopoint.enquiries.mailing import tracking_url
from infopoint.enquiries.models import Channel
from infopoint.enquiries.services import enquiry_create, enquiry_language
from infopoint.hours.calendar import office_zone

from ..serializers.intake import EnquiryCreatedSerializer, EnquiryCreateSerializer
from ..throttles import EnquiryEmailRateThrottle
from .common import ERRORS, django_errors


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
            **ERRORS,
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
                language=enquiry_language(text=data["question"], fallback=get_language()),
                name=data["name"],
                email=data["email"],
                phone=data["phone"],
                topic=data["topic"],
                preferred_language=data["preferred_language"],
                safe_contact=data["safe_contact"],
                consent_version=CONSENT_VERSION,
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError(django_errors(error)) from error
        body = {
            "reference": enquiry.reference,
            "tracking_url": tracking_url(token=token, language=enquiry.preferred_language),
            "due_at": timezone.localtime(enquiry.due_at, office_zone()).isoformat(),
        }
        return Response(body, status=status.HTTP_201_CREATED)
