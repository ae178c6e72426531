"""The API reads strict JSON (no NaN or Infinity) and says so, translated, when it is not.

Its size is limited by Django's DATA_UPLOAD_MAX_MEMORY_SIZE, answered with 413 by the
exception handler.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


class JSONParser(parsers.JSONParser):
    def parse(
        self,
        stream: Any,
        media_type: str | None = None,
        parser_context: dict[str, Any] | None = None,
    ) -> Any:
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            return json.loads(stream.read().decode(encoding), parse_constant=_no_constants)
        except (ValueError, UnicodeDecodeError):
            raise ParseError(_("The body of the request must be JSON.")) from None
