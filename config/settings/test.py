"""The test profile: SQLite in memory unless DATABASE_URL names another database."""

import os

from .base import *  # noqa: F403
from .base import DATABASES

SECRET_KEY = "test-only-secret-key-not-for-any-real-site"  # noqa: S105  # nosec B105  # tests only
DEBUG = False
if "DATABASE_URL" not in os.environ:
    DATABASES["default"] = {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Static files straight from the apps, as in development: tests need no collectstatic.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# No delay for the bot time check of public forms (one test keeps the real one), and
# rate-limit counters in this process only, emptied before each test (conftest.py).
ENQUIRY_FORM_MIN_SECONDS = 0
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Tests travel in time for days while signed in: sessions last as long as Django's default.
# The tests of the session limits set their own (override_settings).
SESSION_IDLE_MINUTES = 60 * 24 * 14
SESSION_MAX_HOURS = 24 * 14
SESSION_COOKIE_AGE = SESSION_MAX_HOURS * 3600
