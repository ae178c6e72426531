"""Loading the default content: each app's AppConfig may offer ``load_default_content``.

Core knows no capability app: it asks every installed app, in INSTALLED_APPS
order, so an app that depends on another loads after it.
"""

import tomllib
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import transaction


def read_content_file(name: str) -> dict[str, Any]:
    """One TOML file of the content folder (``CONTENT_DIR``), or {} when the city has none."""
    path = Path(settings.CONTENT_DIR) / name
    if not path.exists():
        return {}
    with path.open("rb") as handle:
        return tomllib.load(handle)


@transaction.atomic
def default_content_load() -> dict[str, int]:
    """Creates or updates the default content; running it twice changes nothing.

    Returns the number of rows each app created or changed.
    """
    changed: dict[str, int] = {}
    for config in apps.get_app_configs():
        loader = getattr(config, "load_default_content", None)
        if loader is not None:
            changed[config.label] = loader()
    return changed
