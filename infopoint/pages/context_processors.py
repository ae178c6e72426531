from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from infopoint.hours.selectors import notices_in_force


def site(request: HttpRequest) -> dict[str, Any]:
    """What every public page shows: the site's name, contact address and notices in force.

    The notices are read only when a template uses them (two queries: the notices and
    their translations), so admin pages and e-mails pay nothing.
    """
    return {
        "site_name": settings.SITE_NAME,
        "contact_email": settings.CONTACT_EMAIL,
        "service_notices": SimpleLazyObject(notices_in_force),
    }
