"""The embedded profile of `make run`: SQLite, no other server, mail to the console.

DEBUG comes from the environment (default off), so visitors see the site's own error
pages; static files are served from the apps by WhiteNoise, without collectstatic.
"""

from django.core.management.utils import get_random_secret_key

from .base import *  # noqa: F403
from .base import DATA_DIR, SECRET_KEY

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


def _local_secret_key() -> str:
    """A key made once per machine and kept in DATA_DIR, so sessions survive restarts."""
    path = DATA_DIR / "secret-key"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(get_random_secret_key())
        path.chmod(0o600)
    return path.read_text().strip()


if not SECRET_KEY:
    SECRET_KEY = _local_secret_key()
# Static files straight from the apps, as in tests: `make run` needs no collectstatic.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
