"""The production profile, as the benchmarks run it: no collectstatic needed.

The production profile stores static files with a manifest made by ``collectstatic`` into the
working tree; a benchmark must not write there, and finding a static file's URL costs the same
either way. Everything else (DEBUG off, PostgreSQL, secure settings) is production's.
"""

from config.settings.production import *  # noqa: F403

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
