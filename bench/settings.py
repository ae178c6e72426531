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
# An empty folder in the benchmark's DATA_DIR, so WhiteNoise does not warn about a missing one.
STATIC_ROOT = DATA_DIR / "staticfiles"  # noqa: F405
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
