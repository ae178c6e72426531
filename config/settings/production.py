"""The production profile: PostgreSQL, HTTPS behind a proxy, secrets from the environment."""

from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int

from .base import *  # noqa: F403
from .base import LOGGING, SECRET_KEY

if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("Set SECRET_KEY to a random string of at least 50 characters.")

DEBUG = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool(
    "SECURE_SSL_REDIRECT", True, "Redirect plain HTTP to HTTPS (off only if the proxy does it)."
)
SECURE_HSTS_SECONDS = env_int(
    "SECURE_HSTS_SECONDS", 31536000, "How long browsers must use HTTPS only (HSTS)."
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
STAFF_REQUIRE_TWO_FACTOR = env_bool(
    "STAFF_REQUIRE_TWO_FACTOR",
    True,
    "Staff without two-factor sign-in must set it up before anything else (on in production).",
)

# Production profile -------------------------------------------------------------------
# Load balancers ask for /healthz over plain HTTP on the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Logs: one JSON object per line on standard error (config/jsonlog.py), for the collector.
LOGGING = {
    **LOGGING,
    "formatters": {"json": {"()": "config.jsonlog.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
}
# Production profile end ---------------------------------------------------------------
