"""The OpenAPI schema and the server-rendered docs page made from it."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiYamlRenderer
from drf_spectacular.views import SpectacularAPIView


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


@csrf_exempt
def not_found(request: HttpRequest, path: str = "") -> JsonResponse:
    """Any other address under /api/v1/: a JSON 404 in the API's error body, not a page.

    Exempt from the CSRF check, which would otherwise answer a POST with an HTML 403 page;
    it changes nothing.
    """
    message = gettext("There is no such address in the API. See /api/v1/docs.")
    return JsonResponse({"errors": {"non_field_errors": [message]}}, status=404)
