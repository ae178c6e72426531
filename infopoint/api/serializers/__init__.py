"""The API's bodies, one module per area; ``language_choices`` is named by the settings."""

from .common import ErrorSerializer, language_choices

__all__ = ["ErrorSerializer", "language_choices"]
