"""Version 1 of the API: thin views over the same services the site uses."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiYamlRenderer
from drf_spectacular.utils import OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from infopoint.enquiries.consent import CONSENT_VERSION
from infopoint.enquiries.mailing import tracking_url
from infopoint.enquiries.models import Channel
from infopoint.enquiries.services import enquiry_create
from infopoint.hours.calendar import office_zone
from infopoint.knowledge.language import detect_language

from .serializers import EnquiryCreatedSerializer, EnquiryCreateSerializer, ErrorSerializer
from .throttles import EnquiryEmailRateThrottle

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
