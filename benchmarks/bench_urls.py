"""The project's URLs plus `/bench/ping/`, the floor the throughput is compared
with: same middleware and gunicorn, no database work. Benchmark only."""

from django.http import HttpResponse
from django.urls import include, path


def ping(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [
    path("bench/ping/", ping, name="bench-ping"),
    path("", include("config.urls")),
]
