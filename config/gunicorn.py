"""gunicorn for the production profile: ``gunicorn -c config/gunicorn.py``.

Command-line flags and GUNICORN_CMD_ARGS override anything here (``--bind``,
``--workers``), as gunicorn always does.
"""

import multiprocessing

wsgi_app = "config.wsgi"
bind = ["127.0.0.1:8000"]
# gunicorn's advice for sync workers: the CPU waits on the database part of the time.
workers = multiprocessing.cpu_count() * 2 + 1
# A slow client is the proxy's problem (nginx buffers requests and answers); a worker stuck
# longer than this on one request is replaced.
timeout = 30
graceful_timeout = 30
# Workers are renewed now and then, so a slow leak never grows into an outage.
max_requests = 2000
max_requests_jitter = 200
# The control socket (for gunicornc) is one path per user: off, so instances never clash.
control_socket_disable = True
# No access log here: the proxy keeps one, and tracking links in paths are secrets.
accesslog = None
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "config.jsonlog.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "loggers": {"gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}
