"""Settings shared by every profile; each value comes from the environment."""

from pathlib import Path

import dj_database_url
from django.conf.locale import LANG_INFO
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = Path(
    env_str(
        "DATA_DIR",
        str(BASE_DIR / "var"),
        "Folder for the embedded database, uploaded files and other local state.",
    )
)

SECRET_KEY = env_str(
    "SECRET_KEY",
    "",
    "Signs sessions and links. Required in production; the local profile makes one up.",
)
DEBUG = env_bool("DEBUG", False, "Shows tracebacks in the browser. Never in production.")
ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", ["127.0.0.1", "localhost"], "Host names the site answers to."
)
CSRF_TRUSTED_ORIGINS = env_list(
    "CSRF_TRUSTED_ORIGINS", [], "Origins (https://host) allowed to post forms, behind a proxy."
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "infopoint.core",
    "infopoint.accounts",
    "infopoint.hours",
    "infopoint.topics",
    "infopoint.directory",
    "infopoint.pages",
    "infopoint.mail",
    "infopoint.knowledge",
    "infopoint.enquiries",
    "infopoint.appointments",
    "infopoint.news",
    "infopoint.reports",
    "infopoint.privacy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "infopoint.core.middleware.RememberLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "infopoint.accounts.middleware.StaffSessionMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "infopoint.pages.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str(
            "DATABASE_URL",
            f"sqlite:///{DATA_DIR / 'infopoint.sqlite3'}",
            "Database, e.g. postgres://user:password@host:5432/name. Default: SQLite in DATA_DIR.",
        ),
        conn_max_age=env_int(
            "DATABASE_CONN_MAX_AGE", 60, "Seconds a database connection is kept for reuse."
        ),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the site read while a worker writes; IMMEDIATE avoids lock upgrades failing.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:sign_in"
LOGIN_REDIRECT_URL = "accounts:home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: the four of the service, more by configuration (settings + .po + content).
_language_codes = env_list(
    "LANGUAGES",
    ["pl", "uk", "ru", "en"],
    "Language codes the site offers, in menu order; each needs a .po file and content.",
)
# Each named in itself, first letter capitalised as it stands alone in a menu or a select
# (Django writes "polski" but "Українська").
LANGUAGES = [
    (code, LANG_INFO[code]["name_local"][:1].upper() + LANG_INFO[code]["name_local"][1:])
    for code in _language_codes
]
LANGUAGE_CODE = env_str(
    "LANGUAGE_CODE", "pl", "Language used when the visitor's browser names none we offer."
)
LANGUAGE_FALLBACKS = env_list(
    "LANGUAGE_FALLBACKS",
    ["en", "pl"],
    "Languages tried, in order, when content is missing in the visitor's language.",
)
LANGUAGE_COOKIE_NAME = "language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates that read naturally in each language, one style on staff pages (config/formats/).
FORMAT_MODULE_PATH = ["config.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env_str(
    "TIME_ZONE", "Europe/Warsaw", "Time zone of the office: hours, due times and slots."
)

HOLIDAYS_COUNTRY = env_str(
    "HOLIDAYS_COUNTRY", "PL", "Country whose public holidays close the office (ISO code)."
)
HOLIDAYS_SUBDIVISION = env_str(
    "HOLIDAYS_SUBDIVISION", "", "Region whose extra holidays apply too, if the country has any."
)
OFFICE_SCHEDULE = env_str(
    "OFFICE_SCHEDULE",
    "information-point",
    "Slug of the opening-hours schedule of the point itself.",
)

SITE_NAME = _("Information Point for Foreigners")
CONTACT_EMAIL = env_str(
    "CONTACT_EMAIL",
    "info-point@example.invalid",
    "Public e-mail address of the point, shown on the site. Set it: the default is a placeholder.",
)
PHONE_COUNTRY_CODE = env_str(
    "PHONE_COUNTRY_CODE",
    "+48",
    "Country code put before national phone numbers in links, so they dial from abroad.",
)
CONTENT_DIR = Path(
    env_str(
        "CONTENT_DIR",
        str(BASE_DIR / "content" / "krakow"),
        "Folder of default content loaded by `manage.py load_default_content`.",
    )
)

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = DATA_DIR / "media"

SESSION_COOKIE_HTTPONLY = True
# A form refused by the CSRF check gets a translated page that says what to do.
CSRF_FAILURE_VIEW = "infopoint.pages.views.csrf_failure"
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Only this site's own files may run or style a page: no inline script or style anywhere
# (e-mails are not pages), so an injected tag does nothing even if it got past escaping.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {
        "handlers": ["console"],
        "level": env_str("LOG_LEVEL", "INFO", "Least severe log level written."),
    },
}

# Mail ---------------------------------------------------------------------------------
# Outgoing mail goes through Django's mail API and the outbox of infopoint.mail;
# incoming mail is read over IMAP. Both servers are named by one URL each.
from infopoint.mail.config import parse_email_url  # noqa: E402

EMAIL_URL = env_str(
    "EMAIL_URL",
    "console://",
    "Outgoing mail: smtp://user:password@host:25, smtp+tls://…:587 (STARTTLS), "
    "smtps://…:465 (TLS), console://, file:///folder or locmem://. Options: ?timeout=30.",
)
_email = parse_email_url(EMAIL_URL)
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email["EMAIL_HOST"]
EMAIL_PORT = _email["EMAIL_PORT"]
EMAIL_HOST_USER = _email["EMAIL_HOST_USER"]
EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"]
EMAIL_USE_TLS = _email["EMAIL_USE_TLS"]
EMAIL_USE_SSL = _email["EMAIL_USE_SSL"]
EMAIL_TIMEOUT = _email["EMAIL_TIMEOUT"]
EMAIL_SSL_CERTFILE = _email["EMAIL_SSL_CERTFILE"]
EMAIL_SSL_KEYFILE = _email["EMAIL_SSL_KEYFILE"]
EMAIL_FILE_PATH = _email["EMAIL_FILE_PATH"] or str(DATA_DIR / "mail")
DEFAULT_FROM_EMAIL = env_str(
    "DEFAULT_FROM_EMAIL",
    "Information Point <info-point@example.invalid>",
    "Sender of every e-mail, e.g. Information Point <info@city.example>. "
    "Set it: the default is a placeholder. Its domain also names outgoing Message-IDs.",
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
IMAP_URL = env_str(
    "IMAP_URL",
    "",
    "Service mailbox read by `manage.py fetch_mail`: imaps://user:password@host:993/INBOX "
    "(TLS), imap+starttls://…:143/INBOX (STARTTLS); plain imap:// only on loopback. Empty: none.",
)
MAIL_MAX_MESSAGE_BYTES = env_int(
    "MAIL_MAX_MESSAGE_BYTES",
    25 * 1024 * 1024,
    "Incoming mail bigger than this is kept raw for staff but not read.",
)
OUTBOX_MAX_ATTEMPTS = env_int(
    "OUTBOX_MAX_ATTEMPTS",
    8,
    "Times an outgoing e-mail is tried (waiting 1, 2, 4 … 60 minutes) before it is failed.",
)
# Dotted path of the callable that receives each fetched ParsedMessage: the enquiry desk
# decides what mail means (mail knows no desk). Empty: mail is stored but left unread.
MAIL_INCOMING_HANDLER = "infopoint.enquiries.services.enquiry_receive_mail"
# Mail end -----------------------------------------------------------------------------

# Enquiry desk -------------------------------------------------------------------------
SITE_URL = env_str(
    "SITE_URL",
    "http://127.0.0.1:8000",
    "Scheme and host of the public site, for links in e-mails (tracking, cancel, move).",
)
ENQUIRY_ANSWER_WITHIN_DAYS = env_int(
    "ENQUIRY_ANSWER_WITHIN_DAYS",
    2,
    "Working days in which an enquiry is answered, unless its topic sets its own.",
)
ENQUIRY_WORKING_DAY_HOURS = env_int(
    "ENQUIRY_WORKING_DAY_HOURS",
    10,
    "Hours of opening time that count as one working day for answer-due times.",
)
ENQUIRY_REFERENCE_PREFIX = env_str(
    "ENQUIRY_REFERENCE_PREFIX", "IP", "First part of reference numbers, as in IP-2026-000123."
)
ENQUIRY_MAX_TEXT_LENGTH = env_int(
    "ENQUIRY_MAX_TEXT_LENGTH", 5000, "Characters of a question or reply typed on the site."
)
ENQUIRY_MAX_ATTACHMENTS = env_int(
    "ENQUIRY_MAX_ATTACHMENTS", 5, "Files a person may attach to one message."
)
ENQUIRY_MAX_ATTACHMENT_BYTES = env_int(
    "ENQUIRY_MAX_ATTACHMENT_BYTES",
    10 * 1024 * 1024,
    "Largest attachment accepted, in bytes (PDF, JPEG, PNG, HEIC; checked by content).",
)

# Background jobs: Celery with Redis in production. With REDIS_URL empty (the embedded
# profile) tasks run in the process that queues them and periodic jobs run in
# `manage.py serve` (infopoint/core/scheduler.py): the same task code either way.
REDIS_URL = env_str(
    "REDIS_URL",
    "",
    "Redis for the task queue, e.g. redis://127.0.0.1:6379/0. Empty: jobs run in the web process.",
)
CELERY_BROKER_URL = REDIS_URL or "memory://"
# The cache holds rate-limit counters and cached pages: shared through Redis in production.
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
MAIL_FETCH_INTERVAL = env_int(
    "MAIL_FETCH_INTERVAL", 60, "Seconds between two reads of the service mailbox."
)
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    "fetch-mail": {"task": "infopoint.mail.tasks.fetch_mail_task", "schedule": MAIL_FETCH_INTERVAL},
    "send-outbox": {"task": "infopoint.mail.tasks.send_outbox_task", "schedule": 60},
}

# Appointments -------------------------------------------------------------------------
APPOINTMENTS_MIN_NOTICE_HOURS = env_int(
    "APPOINTMENTS_MIN_NOTICE_HOURS",
    24,
    "Opening hours of the point between booking and the earliest legal-advice slot offered.",
)
APPOINTMENTS_HORIZON_DAYS = env_int(
    "APPOINTMENTS_HORIZON_DAYS", 42, "How many days ahead legal-advice appointments can be booked."
)
APPOINTMENTS_CHANGE_CUTOFF_HOURS = env_int(
    "APPOINTMENTS_CHANGE_CUTOFF_HOURS",
    24,
    "Hours before an appointment after which the e-mailed link no longer cancels or moves it.",
)
CELERY_BEAT_SCHEDULE["send-appointment-reminders"] = {
    "task": "infopoint.appointments.tasks.send_reminders_task",
    "schedule": 900,
}
# Appointments end ---------------------------------------------------------------------

# Knowledge ----------------------------------------------------------------------------
# Articles, multilingual search, suggestions and triage (infopoint/knowledge, docs/quality.md).
KNOWLEDGE_STALE_MONTHS = env_int(
    "KNOWLEDGE_STALE_MONTHS",
    12,
    "Months after its last review that an article is flagged to the coordinator as stale.",
)
KNOWLEDGE_EMBEDDING_THREADS = env_int(
    "KNOWLEDGE_EMBEDDING_THREADS",
    1,
    "CPU threads each process uses to embed a question (0: all cores).",
)
KNOWLEDGE_CACHE_DIR = Path(
    env_str(
        "KNOWLEDGE_CACHE_DIR",
        str(Path.home() / ".cache" / "infopoint"),
        "Cache shared by every DATA_DIR: article embeddings, so loading content again is quick.",
    )
)
# Tuned on the dev split of the evaluation set (manage.py knowledge_eval --tune).
KNOWLEDGE_LEXICAL_WEIGHT = 0.1
KNOWLEDGE_SEMANTIC_FLOOR = 0.7
KNOWLEDGE_MIN_SCORE = 0.2
CELERY_BEAT_SCHEDULE["knowledge-retrain-triage"] = {
    "task": "infopoint.knowledge.tasks.triage_retrain_task",
    "schedule": 24 * 3600,
}
# Knowledge end ------------------------------------------------------------------------

# Privacy ------------------------------------------------------------------------------
# Audit log, consent texts, retention and data subject requests (infopoint/privacy,
# docs/privacy.md). The audit middleware lets the log name who changed roles in a request.
MIDDLEWARE = [*MIDDLEWARE, "infopoint.privacy.context.AuditRequestMiddleware"]
# Months each kind of record keeps its personal data; then it is anonymised (0: never).
RETENTION_ENQUIRY_MONTHS = env_int(
    "RETENTION_ENQUIRY_MONTHS",
    24,
    "Months after an enquiry is closed that its names, contacts, messages and files are erased.",
)
RETENTION_APPOINTMENT_MONTHS = env_int(
    "RETENTION_APPOINTMENT_MONTHS",
    24,
    "Months after an appointment that the person's name and contacts on it are erased.",
)
RETENTION_APPOINTMENT_NOTES_MONTHS = env_int(
    "RETENTION_APPOINTMENT_NOTES_MONTHS",
    12,
    "Months after an appointment that what it was about and the adviser's note are erased.",
)
RETENTION_WAITING_LIST_MONTHS = env_int(
    "RETENTION_WAITING_LIST_MONTHS",
    3,
    "Months after its week that a waiting-list entry's name and e-mail are erased.",
)
RETENTION_MAIL_MONTHS = env_int(
    "RETENTION_MAIL_MONTHS",
    6,
    "Months after stored mail was sent or received that its addresses and text are erased.",
)
RETENTION_REQUEST_MONTHS = env_int(
    "RETENTION_REQUEST_MONTHS",
    12,
    "Months after a data subject request was handled that its e-mail and phone become a digest.",
)
CELERY_BEAT_SCHEDULE["privacy-retention"] = {
    "task": "infopoint.privacy.tasks.retention_task",
    "schedule": 24 * 3600,
}
# Privacy end --------------------------------------------------------------------------

# API and abuse limits -----------------------------------------------------------------
# REST API v1 (infopoint.api) with its OpenAPI schema, and the rate limits, honeypot and
# time check of public forms and the API (infopoint.core.ratelimit). Rates are written
# <count>/<second|minute|hour|day>, e.g. 10/hour, or "off".
from infopoint.core.ratelimit import rate_parse  # noqa: E402

INSTALLED_APPS += [
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "infopoint.api",
]
TRUSTED_PROXY_COUNT = env_int(
    "TRUSTED_PROXY_COUNT",
    0,
    "Reverse proxies in front of the site that append to X-Forwarded-For; 0: the client "
    "address is the connection's. Rate limits count per client address.",
)
ENQUIRY_RATE_PER_ADDRESS = env_str(
    "ENQUIRY_RATE_PER_ADDRESS",
    "10/hour",
    "Enquiries the web form accepts from one address (IPv6: one /64), e.g. 10/hour; off: none.",
)
ENQUIRY_RATE_PER_EMAIL = env_str(
    "ENQUIRY_RATE_PER_EMAIL",
    "5/hour",
    "Enquiries accepted for one e-mail address, web form and API together, e.g. 5/hour.",
)
API_RATE_PER_ADDRESS = env_str(
    "API_RATE_PER_ADDRESS",
    "60/hour",
    "Requests to the public API from one address without a token, e.g. 60/hour; off: none.",
)
APPOINTMENTS_RATE_PER_EMAIL = env_str(
    "APPOINTMENTS_RATE_PER_EMAIL",
    "3/hour",
    "Legal-advice bookings the API accepts for one e-mail address, e.g. 3/hour; off: none.",
)
for _rate in (
    ENQUIRY_RATE_PER_ADDRESS,
    ENQUIRY_RATE_PER_EMAIL,
    API_RATE_PER_ADDRESS,
    APPOINTMENTS_RATE_PER_EMAIL,
):
    rate_parse(_rate)  # a wrong value stops the start, not the first enquiry
ENQUIRY_FORM_MIN_SECONDS = env_int(
    "ENQUIRY_FORM_MIN_SECONDS",
    3,
    "A public form sent back sooner than this after it was shown is refused as a bot's.",
)
CLAMAV_ADDRESS = env_str(
    "CLAMAV_ADDRESS",
    "",
    "ClamAV daemon that scans attachments: host:port or its unix socket path; empty: no scan.",
)
ENQUIRY_FLOOD_PER_SENDER = env_int(
    "ENQUIRY_FLOOD_PER_SENDER",
    5,
    "Enquiry-flood alarm: more enquiries than this from one e-mail address or phone number.",
)
ENQUIRY_FLOOD_TOTAL = env_int(
    "ENQUIRY_FLOOD_TOTAL", 50, "Enquiry-flood alarm: more enquiries than this in all."
)
ENQUIRY_FLOOD_WINDOW_MINUTES = env_int(
    "ENQUIRY_FLOOD_WINDOW_MINUTES", 60, "Enquiry-flood alarm: the window the counts are over."
)
ENQUIRY_FORM_MAX_AGE_SECONDS = 24 * 3600  # an older form is sent again with a new timestamp
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.TokenAuthentication"],
    # Closed unless an endpoint opens itself (the public ones say AllowAny).
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": ["infopoint.api.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_THROTTLE_CLASSES": ["infopoint.api.throttles.AddressRateThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "infopoint.api.exceptions.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Infopoint API",
    "DESCRIPTION": _(
        "The enquiry desk of the Information Point for Foreigners for partner sites and apps."
    ),
    "VERSION": "1",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_GENERATE_CHOICE_DESCRIPTION": False,
    # The site's languages are one choice set, whatever the field is called.
    "ENUM_NAME_OVERRIDES": {"LanguageEnum": "infopoint.api.serializers.language_choices"},
}
# API and abuse limits end -------------------------------------------------------------

# Staff sign-in ------------------------------------------------------------------------
# Sign-in with two-factor codes, lock-out and session limits (infopoint/accounts).
STAFF_REQUIRE_TWO_FACTOR = env_bool(
    "STAFF_REQUIRE_TWO_FACTOR",
    False,
    "Staff without two-factor sign-in must set it up before anything else (on in production).",
)
SIGN_IN_MAX_FAILURES = env_int(
    "SIGN_IN_MAX_FAILURES",
    5,
    "Failed sign-ins to one account within SIGN_IN_FAILURE_WINDOW_MINUTES that lock it.",
)
SIGN_IN_MAX_FAILURES_PER_ADDRESS = env_int(
    "SIGN_IN_MAX_FAILURES_PER_ADDRESS",
    20,
    "Failed sign-ins from one network (IPv4 /24, IPv6 /48) within the window that lock it out.",
)
SIGN_IN_FAILURE_WINDOW_MINUTES = env_int(
    "SIGN_IN_FAILURE_WINDOW_MINUTES", 15, "Minutes in which failed sign-ins are counted."
)
SIGN_IN_LOCKOUT_MINUTES = env_int(
    "SIGN_IN_LOCKOUT_MINUTES", 15, "Minutes an account or network stays locked out."
)
SIGN_IN_HISTORY_DAYS = env_int(
    "SIGN_IN_HISTORY_DAYS", 90, "Days sign-in attempts are kept for the sign-in history."
)
SESSION_IDLE_MINUTES = env_int(
    "SESSION_IDLE_MINUTES", 30, "Staff are signed out after this many minutes without a request."
)
SESSION_MAX_HOURS = env_int(
    "SESSION_MAX_HOURS", 10, "Staff are signed out this many hours after signing in, active or not."
)
SESSION_COOKIE_AGE = SESSION_MAX_HOURS * 3600
# Staff sign-in end --------------------------------------------------------------------
