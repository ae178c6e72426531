import re
from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext, override

from infopoint.hours.services import service_notice_upsert
from infopoint.pages import views
from infopoint.pages.models import Page

from .conftest import LANGUAGE_CODES

pytestmark = pytest.mark.usefixtures("point", "privacy_page")

# Every public page, as (URL name, arguments).
PAGES = [
    ("pages:home", []),
    ("pages:topic_list", []),
    ("pages:topic_detail", ["housing"]),
    ("pages:contact", []),
    ("pages:institution_list", []),
    ("pages:institution_detail", ["office"]),
    ("pages:page", ["privacy"]),
]


def url(name: str, args: list[str], language: str) -> str:
    with override(language):
        return reverse(name, args=args)


def html_lang(content: bytes) -> str:
    match = re.search(rb'<html lang="([^"]+)"', content)
    assert match, "no <html lang>"
    return match.group(1).decode()


@pytest.mark.parametrize("language", LANGUAGE_CODES)
@pytest.mark.parametrize(("name", "args"), PAGES)
def test_every_page_answers_in_every_language(
    client: Client, name: str, args: list[str], language: str
) -> None:
    response = client.get(url(name, args, language))

    assert response.status_code == 200
    content = response.content
    assert html_lang(content) == language
    assert content.count(b"<h1") == 1
    assert b'<a class="skip-link" href="#content">' in content
    assert b'<main id="content"' in content
    # Small pages: the HTML and the one stylesheet stay well under 30 KB.
    assert len(content) < 25_000


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_switcher_links_to_the_same_page_in_each_language(
    client: Client, name: str, args: list[str]
) -> None:
    content = client.get(url(name, args, "en")).content.decode()

    for code in LANGUAGE_CODES:
        target = url(name, args, code)
        current = ' aria-current="true"' if code == "en" else ""
        assert f'<a href="{target}" lang="{code}" hreflang="{code}"{current}>' in content


def test_switcher_names_each_language_in_itself(client: Client) -> None:
    content = client.get("/en/").content.decode()

    assert 'lang="uk" hreflang="uk">Українська</a>' in content
    assert 'lang="pl" hreflang="pl">Polski</a>' in content
    assert 'lang="ru" hreflang="ru">Русский</a>' in content


def test_language_select_names_each_language_with_a_capital(client: Client, point: object) -> None:
    content = client.get(reverse("enquiries:new")).content.decode()

    assert re.findall(r'<option value="(pl|uk|ru|en)"[^>]*>([^<]+)</option>', content) == [
        ("pl", "Polski"),
        ("uk", "Українська"),
        ("ru", "Русский"),
        ("en", "English"),
    ]


def test_switcher_keeps_the_query(client: Client) -> None:
    content = client.get("/en/directory/?topic=housing").content.decode()

    assert 'href="/uk/directory/?topic=housing"' in content


@pytest.mark.parametrize(
    "path", ["/en/topics/nope/", "/en/directory/nope/", "/en/info/nope/", "/en/nope/"]
)
def test_unknown_slug_is_404(client: Client, path: str) -> None:
    response = client.get(path)

    assert response.status_code == 404
    assert "404.html" in [template.name for template in response.templates]


@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_failed_csrf_check_explains_in_the_visitors_language(db: None, language: str) -> None:
    client = Client(enforce_csrf_checks=True)
    with override(language):
        url = reverse("enquiries:new")
        heading = gettext("The form has expired")
        advice = gettext(
            "Go back, reload the page and try again. "
            "If it happens again, allow cookies for this site."
        )

    response = client.post(url, {"question": "Hello"})

    assert response.status_code == 403
    assert "403_csrf.html" in [template.name for template in response.templates]
    assert html_lang(response.content) == language
    content = response.content.decode()
    assert f"<h1>{heading}</h1>" in content
    assert advice.replace("'", "&#x27;") in content
    assert "CSRF" not in content


@pytest.mark.parametrize(
    ("path", "accept", "language"),
    [
        ("/de/", "ru", "ru"),
        ("/xx/anything", "uk,en;q=0.5", "uk"),
        ("/xx/anything", "de", settings.LANGUAGE_CODE),
        ("/uk/no-such-page", "en", "uk"),
    ],
)
def test_not_found_in_best_language(client: Client, path: str, accept: str, language: str) -> None:
    response = client.get(path, HTTP_ACCEPT_LANGUAGE=accept)

    assert response.status_code == 404
    assert "404.html" in [template.name for template in response.templates]
    assert html_lang(response.content) == language
    # The switcher still works: each language's home page.
    assert f'href="/{LANGUAGE_CODES[-1]}/"'.encode() in response.content


def test_server_error_page_needs_no_database(
    django_assert_num_queries: object, rf: RequestFactory
) -> None:
    with override("uk"), django_assert_num_queries(0):  # type: ignore[operator]
        response = views.server_error(rf.get("/uk/"))

    assert response.status_code == 500
    assert html_lang(response.content) == "uk"
    assert settings.CONTACT_EMAIL.encode() in response.content


# --- status ------------------------------------------------------------------------------------


def _at_hours(text: str, language: str) -> str:
    """The text with each {hour} written as the language writes that time of day."""
    with override(language):
        return re.sub(r"\{(\d+)\}", lambda hour: time_format(time(int(hour[1]))), text)


def warsaw(*args: int) -> datetime:
    from zoneinfo import ZoneInfo

    return datetime(*args, tzinfo=ZoneInfo("Europe/Warsaw"))  # type: ignore[misc]


@pytest.mark.parametrize(
    ("moment", "language", "expected"),
    [
        # Tuesday 24 November 2026.
        (warsaw(2026, 11, 24, 10, 0), "en", "Open now — closes at {19}"),
        (warsaw(2026, 11, 24, 10, 0), "pl", "19:00"),
        (warsaw(2026, 11, 24, 20, 0), "en", "Closed — opens tomorrow at {9}"),
        (warsaw(2026, 11, 24, 7, 0), "en", "Closed — opens today at {9}"),
        # Saturday afternoon: the next opening is on Monday.
        (warsaw(2026, 11, 28, 15, 0), "en", "Closed — opens Monday at {9}"),
        (warsaw(2026, 11, 28, 15, 0), "ru", "понедельник"),
        # Independence Day, a Wednesday.
        (
            warsaw(2026, 11, 11, 10, 0),
            "en",
            "Closed today: National Independence Day — opens tomorrow at {9}",
        ),
    ],
)
def test_home_says_whether_the_point_is_open(
    client: Client, moment: datetime, language: str, expected: str
) -> None:
    with time_machine.travel(moment, tick=False):
        content = client.get(url("pages:home", [], language)).content.decode()

    status = re.search(r'<p class="status[^"]*">([^<]*)</p>', content)
    assert status, "no status panel"
    assert _at_hours(expected, language) in status.group(1)


def test_closure_reason_is_shown(client: Client) -> None:
    from infopoint.hours.models import Schedule
    from infopoint.hours.services import closure_upsert

    closure_upsert(
        schedule=Schedule.objects.get(slug=settings.OFFICE_SCHEDULE),
        starts_on=date(2026, 12, 1),
        ends_on=date(2026, 12, 2),
        reasons={"en": "Staff training"},
    )
    with time_machine.travel(warsaw(2026, 12, 1, 10, 0), tick=False):
        home = client.get("/en/").content.decode()
        contact = client.get("/en/contact/").content.decode()

    assert _at_hours("Closed today: Staff training — opens Thursday at {9}", "en") in home
    assert "Staff training" in contact
    with override("en"):  # Christmas Day, within the next 30 days
        assert date_format(date(2026, 12, 25)) in contact


# --- notices -----------------------------------------------------------------------------------


@pytest.fixture
def notice(db: None) -> None:
    service_notice_upsert(
        key="online-only",
        starts_at=datetime(2026, 11, 1, tzinfo=UTC),
        ends_at=datetime(2026, 12, 1, tzinfo=UTC),
        level="warning",
        texts={"en": {"title": "Online only", "text": "We answer by phone and e-mail."}},
    )


@pytest.mark.usefixtures("notice")
@pytest.mark.parametrize(("name", "args"), PAGES)
def test_notice_is_shown_on_every_page_while_in_force(
    client: Client, name: str, args: list[str]
) -> None:
    with time_machine.travel(datetime(2026, 11, 20, 12, tzinfo=UTC), tick=False):
        shown = client.get(url(name, args, "en")).content.decode()
    with time_machine.travel(datetime(2026, 12, 1, 0, 1, tzinfo=UTC), tick=False):
        after = client.get(url(name, args, "en")).content.decode()

    assert "Online only" in shown
    assert 'class="notice notice--warning"' in shown
    assert "Online only" not in after


@pytest.mark.usefixtures("notice")
def test_notice_in_another_language_is_marked(client: Client) -> None:
    with time_machine.travel(datetime(2026, 11, 20, 12, tzinfo=UTC), tick=False):
        content = client.get("/uk/").content.decode()

    assert '<div lang="en">' in content
    assert 'class="fallback__note"' in content


@pytest.mark.usefixtures("notice")
def test_notices_are_not_read_when_not_shown(django_assert_num_queries: object) -> None:
    from django.template import RequestContext, Template

    request = RequestFactory().get("/en/")
    with django_assert_num_queries(0):  # type: ignore[operator]
        Template("{{ site_name }}").render(RequestContext(request, {}))


# --- fallback ----------------------------------------------------------------------------------


def test_missing_translation_falls_back_visibly(client: Client) -> None:
    content = client.get("/pl/topics/culture/").content.decode()

    assert '<div class="fallback"><p class="fallback__note">' in content
    assert '<div lang="en"><p>Theatres and museums</p></div>' in content
    assert '<span lang="en">Culture</span>' in content


def test_translation_present_has_no_note(client: Client) -> None:
    content = client.get("/pl/topics/housing/").content.decode()
    with override("pl"):
        other_places = gettext("Other places that deal with this")
    assert other_places in content
    main = content.split("<main")[1].split(other_places)[0]

    assert "Renting pl" in main
    assert "fallback" not in main


# --- pages -------------------------------------------------------------------------------------


def test_topic_page_lists_institutions_with_a_referral_summary(client: Client) -> None:
    content = client.get("/en/topics/housing/").content.decode()

    assert 'href="/en/directory/office/"' in content
    assert "ul. Urzędowa 2" in content
    assert 'href="tel:+48123456789"' in content
    assert "Polish, English" in content


def test_directory_is_grouped_by_kind_and_filtered_by_topic(client: Client) -> None:
    everything = client.get("/en/directory/").content.decode()
    filtered = client.get("/en/directory/?topic=culture").content.decode()

    assert "<h2>Information point</h2>" in everything
    assert "<h2>Public office</h2>" in everything
    assert '<label for="id_topic">Topic</label>' in everything
    assert '<button type="submit"' in everything
    assert "The office" in everything
    assert "The office" not in filtered
    assert '<option value="culture" selected>' in filtered


def test_directory_refuses_an_unknown_topic(client: Client) -> None:
    content = client.get("/en/directory/?topic=nonsense").content.decode()

    assert 'aria-invalid="true"' in content
    assert '<div class="error-summary" role="alert"' in content
    assert '<a href="#id_topic">Choose a topic from the list.</a>' in content
    assert "Choose a topic from the list." in content
    assert "The office" in content  # the whole list, not an empty page


def test_institution_page(client: Client) -> None:
    content = client.get("/en/directory/office/").content.decode()

    assert 'href="tel:+48123456789"' in content
    assert "12 345 67 00" in content  # fax
    assert "mailto:" not in content.split("<main")[1].split("</main>")[0]  # no e-mail published
    assert "<caption>Opening hours</caption>" in content
    hours = _at_hours("{8}–{15}", "en")
    assert f'<th scope="row">Monday</th><td>{hours}</td>' in content
    assert f'Source: <a href="{"https://example.org/source"}">' in content
    with override("en"):
        assert f"last reviewed {date_format(date(2026, 11, 20))}" in content


def test_contact_page_has_everything_to_reach_the_point(client: Client) -> None:
    content = client.get("/en/contact/").content.decode()

    assert 'href="tel:+48100200300"' in content
    assert f'href="mailto:{settings.CONTACT_EMAIL}"' in content
    assert "ul. Przykładowa 1" in content
    assert '<th scope="col">Day</th>' in content
    hours = _at_hours("{9}–{14}", "en")
    assert f'<th scope="row">Saturday</th><td>{hours}</td>' in content
    assert '<th scope="row">Sunday</th><td>Closed</td>' in content


def test_home_lists_topics_languages_and_legal_advice(client: Client) -> None:
    content = client.get("/en/").content.decode()

    assert "<h1>The point en</h1>" in content
    assert 'href="/en/topics/housing/"' in content
    assert "by prior appointment" in content
    assert "Polish, Ukrainian, Russian, English" in content


def test_text_page_renders_markdown(client: Client) -> None:
    content = client.get("/en/info/privacy/").content.decode()

    assert "<h1>Privacy policy</h1>" in content
    assert "<h2>Who we are</h2>" in content
    assert "<em>city</em>" in content


def test_footer_links(client: Client) -> None:
    content = client.get("/en/").content.decode()
    footer = content.split("<footer")[1]

    for target in ["/en/contact/", "/en/info/privacy/", "/en/info/cookies/"]:
        assert f'href="{target}"' in footer
    assert 'href="/en/info/accessibility/"' in footer
    assert f'href="{reverse("accounts:sign_in")}"' in footer


# --- queries -----------------------------------------------------------------------------------


@pytest.mark.usefixtures("notice")
@pytest.mark.parametrize(
    ("path", "most"),
    # The home page: 14, and 2 for the newest news item and its translations.
    [("/en/", 16), ("/en/directory/", 10), ("/en/directory/?topic=housing", 10)],
)
def test_query_counts_stay_small(
    client: Client, django_assert_max_num_queries: object, path: str, most: int
) -> None:
    with time_machine.travel(datetime(2026, 11, 20, 12, tzinfo=UTC), tick=False):
        client.get(path)  # warm up: session, content types
        with django_assert_max_num_queries(most):  # type: ignore[operator]
            response = client.get(path)

    assert response.status_code == 200


def test_more_institutions_cost_no_more_queries(
    client: Client, django_assert_max_num_queries: object
) -> None:
    from datetime import date

    from infopoint.directory.services import institution_upsert

    for number in range(10):
        institution_upsert(
            slug=f"org-{number}",
            kind="organisation",
            position=10 + number,
            source_url="https://example.org/",
            reviewed_on=date(2026, 11, 1),
            translations={"en": {"name": f"Org {number}"}},
            topic_slugs=["housing", "culture"],
        )
    with django_assert_max_num_queries(10):  # type: ignore[operator]
        client.get("/en/directory/")
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        client.get("/en/topics/housing/")


def test_yesterday_notice_is_ignored(client: Client) -> None:
    service_notice_upsert(
        key="old",
        starts_at=datetime(2026, 1, 1, tzinfo=UTC),
        ends_at=datetime(2026, 1, 2, tzinfo=UTC) - timedelta(seconds=1),
        texts={"en": {"title": "Old notice", "text": "Gone."}},
    )
    assert "Old notice" not in client.get("/en/").content.decode()


def test_coordinator_edits_pages_in_the_admin(admin_client: Client, privacy_page: Page) -> None:
    listing = admin_client.get("/en/admin/pages/page/")
    change = admin_client.get(f"/en/admin/pages/page/{privacy_page.pk}/change/")

    assert listing.status_code == 200
    assert "Privacy policy" in listing.content.decode()
    assert change.status_code == 200


def test_favicon_ico_leads_to_the_svg_icon_every_page_links(client: Client, point: object) -> None:
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    icon = client.get(response["Location"])
    assert icon.status_code == 200
    assert b"<svg" in b"".join(icon.streaming_content)
    page = client.get(reverse("pages:home"))
    assert f'<link rel="icon" href="{response["Location"]}" type="image/svg+xml">' in page.text
