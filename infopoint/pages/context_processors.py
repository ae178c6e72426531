from typing import Any

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    """What every public page shows: the site's name and contact address."""
    return {"site_name": settings.SITE_NAME, "contact_email": settings.CONTACT_EMAIL}
