"""The one gate of every staff screen."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

from infopoint.accounts.selectors import user_works_desk

from ..models import Attachment, Enquiry

View = Callable[..., HttpResponseBase]


def forbidden(request: HttpRequest) -> HttpResponse:
    return render(request, "enquiries/staff/forbidden.html", status=403)


def desk_staff_required(view: View) -> View:
    """Signed-in desk staff only: anonymous people go to sign in, others get a 403 page.

    Look-ups that find nothing (``enquiry_for_staff`` and the like) become 404. Pages are
    never cached and send no Referer: they carry personal data.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not user_works_desk(request.user):
            return forbidden(request)
        try:
            response = view(request, *args, **kwargs)
        except PermissionDenied:
            return forbidden(request)
        except (Enquiry.DoesNotExist, Attachment.DoesNotExist) as error:
            raise Http404 from error
        add_never_cache_headers(response)
        response["Referrer-Policy"] = "same-origin"
        return response

    return wrapper
