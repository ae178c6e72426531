"""The site's URLs plus a bare view, the yardstick of the load benchmark; not in the product.

The bare view returns a fixed string through the same middleware, served the same way, so
the public pages' throughput can be given as a share of what Django itself takes.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import handler404, handler500, urlpatterns  # noqa: F401


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Hello, world.", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare), *urlpatterns]
