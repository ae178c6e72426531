"""The public page cache: kept for anonymous visitors, cleared on change, never for staff."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.test import Client
from django.urls import path

from infopoint.accounts.models import User
from infopoint.core.cache import public_page
from infopoint.topics.models import Topic, TopicTranslation
from infopoint.topics.services import topic_upsert

NOON = datetime(2026, 11, 24, 11, 0, 30, tzinfo=UTC)


@public_page()
def _form_page(request: HttpRequest) -> HttpResponse:
    template = engines["django"].from_string('<form method="post">{% csrf_token %}</form>')
    return HttpResponse(template.render(request=request))


def _form_post(request: HttpRequest) -> HttpResponse:
    return HttpResponse("posted")


def _csrf_refused(request: HttpRequest, reason: str = "") -> HttpResponse:
    return HttpResponse("refused", status=403)


# The URLconf of the CSRF test (pytest.mark.urls(__name__)).
urlpatterns = [path("form/", _form_page), path("post/", _form_post)]


@pytest.fixture
def housing(db: None) -> Topic:
    topic, _changed = topic_upsert(
        slug="housing",
        position=1,
        translations={"en": {"name": "Housing", "description": "Renting a flat"}},
    )
    return topic


def _rename_quietly(topic: Topic, name: str) -> None:
    """Changes the database behind the cache's back (no save signal), to see who reads it."""
    TopicTranslation.objects.filter(topic=topic, language="en").update(name=name)


@time_machine.travel(NOON, tick=False)
def test_an_anonymous_visitor_gets_the_page_from_the_cache(
    housing: Topic, client: Client, django_assert_num_queries: object
) -> None:
    first = client.get("/en/topics/")
    assert b"Housing" in first.content
    with django_assert_num_queries(0):  # type: ignore[operator]
        second = Client().get("/en/topics/")
    assert second.status_code == 200
    assert second.content == first.content


@time_machine.travel(NOON, tick=False)
def test_a_change_through_a_service_shows_at_once(housing: Topic, client: Client) -> None:
    client.get("/en/topics/")
    topic_upsert(
        slug="housing", position=1, translations={"en": {"name": "Flats", "description": "New"}}
    )
    content = client.get("/en/topics/").content
    assert b"Flats" in content
    assert b"Housing" not in content


@time_machine.travel(NOON, tick=False)
def test_a_saved_translation_clears_the_cache_of_every_language(
    housing: Topic, client: Client
) -> None:
    client.get("/en/topics/")
    client.get("/pl/topics/")
    translation = TopicTranslation.objects.get(topic=housing, language="en")
    translation.name = "Flats"
    translation.save()  # as the admin does
    assert b"Flats" in client.get("/en/topics/").content
    assert b"Flats" in client.get("/pl/topics/").content  # Polish falls back to English


@time_machine.travel(NOON, tick=False)
def test_a_signed_in_person_never_gets_the_cached_page(housing: Topic, client: Client) -> None:
    client.get("/en/topics/")
    _rename_quietly(housing, "Flats")
    assert b"Housing" in Client().get("/en/topics/").content  # the anonymous page is cached
    staff = Client()
    staff.force_login(User.objects.create_user(username="consultant"))
    content = staff.get("/en/topics/").content
    assert b"Flats" in content
    assert b"Housing" not in content
    # Nor is their page kept for anonymous visitors.
    assert b"Housing" in Client().get("/en/topics/").content


def test_a_page_is_never_older_than_its_minute(housing: Topic) -> None:
    with time_machine.travel(NOON, tick=False):
        Client().get("/en/topics/")
        _rename_quietly(housing, "Flats")
        assert b"Housing" in Client().get("/en/topics/").content
    with time_machine.travel(NOON + timedelta(seconds=30), tick=False):
        assert b"Flats" in Client().get("/en/topics/").content


@time_machine.travel(NOON, tick=False)
def test_an_unknown_query_parameter_is_served_by_the_view(housing: Topic) -> None:
    Client().get("/en/topics/")
    _rename_quietly(housing, "Flats")
    assert b"Housing" in Client().get("/en/topics/").content
    assert b"Flats" in Client().get("/en/topics/", {"utm_source": "x"}).content


@time_machine.travel(NOON, tick=False)
def test_an_error_page_is_not_kept(housing: Topic) -> None:
    assert Client().get("/en/topics/none/").status_code == 404
    topic_upsert(
        slug="none", position=2, translations={"en": {"name": "Now here", "description": "."}}
    )
    assert Client().get("/en/topics/none/").status_code == 200


def _token(content: bytes) -> str:
    match = re.search(rb'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"', content)
    assert match, content
    return match.group(1).decode()


@pytest.mark.urls(__name__)
@time_machine.travel(NOON, tick=False)
def test_a_cached_form_carries_each_visitors_own_csrf_token(db: None, settings: Any) -> None:
    # A bare refusal: the site's refusal page links to the site's URLs, not this test's.
    settings.CSRF_FAILURE_VIEW = f"{__name__}._csrf_refused"
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_token = _token(first.get("/form/").content)
    page = second.get("/form/")
    second_token = _token(page.content)
    assert second_token != first_token
    assert "csrftoken" in page.cookies  # the cached page still sets the visitor's cookie
    posted = second.post("/post/", {"csrfmiddlewaretoken": second_token})
    assert posted.status_code == 200
    # The first visitor's token, left in a page, would not have let the second one in.
    third = Client(enforce_csrf_checks=True)
    third.get("/form/")
    assert third.post("/post/", {"csrfmiddlewaretoken": first_token}).status_code == 403
