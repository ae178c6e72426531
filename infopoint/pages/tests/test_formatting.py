from datetime import datetime, time

import pytest
from django.template import Context, Template
from django.utils.formats import date_format, time_format
from django.utils.translation import override

from infopoint.core.markdown import render_markdown
from infopoint.pages import formatting
from infopoint.pages.templatetags.public_site import tel_href


@pytest.mark.parametrize(
    ("number", "href"),
    [
        ("887 201 598", "tel:+48887201598"),
        ("+48 887 201 598", "tel:+48887201598"),
        ("(+48) 12-39-21-354", "tel:+48123921354"),
        ("0048 12 39 21 354", "tel:+48123921354"),
        ("12 426 90 01", "tel:+48124269001"),
        ("112", "tel:112"),
        ("19524", "tel:19524"),
    ],
)
def test_tel_href(number: str, href: str) -> None:
    assert tel_href(number) == href


def test_spans_in_each_locale() -> None:
    spans = [(time(9), time(12)), (time(13), time(17))]
    with override("pl"):
        assert formatting.spans_text(spans) == "09:00–12:00, 13:00–17:00"
    with override("en"):
        times = [time_format(moment) for span in spans for moment in span]
        assert formatting.spans_text(spans) == "{}–{}, {}–{}".format(*times)
    with override("en"):
        assert formatting.spans_text([]) == "Closed"


@pytest.mark.parametrize(
    ("language", "name"),
    [("pl", "angielski"), ("uk", "англійська"), ("ru", "английский"), ("en", "English")],
)
def test_language_names_in_the_visitors_language(language: str, name: str) -> None:
    with override(language):
        assert formatting.language_name("en") == name
    assert formatting.language_name("xx-unknown") == "xx-unknown"


def test_weekday_names_come_from_the_locale() -> None:
    with override("ru"):
        assert formatting.weekday_name(0) != "Monday"


def render(template: str, **context: object) -> str:
    return Template("{% load public_site %}" + template).render(Context(context))


def test_fallback_tag() -> None:
    class Row:
        language = "en"
        is_fallback = True
        text = "Hello"

    row = Row()
    with override("pl"):
        block = render("{% fallback t %}<p>{{ t.text }}</p>{% endfallback %}", t=row)
        inline = render("{% fallback t inline %}{{ t.text }}{% endfallback %}", t=row)
        row.is_fallback = False
        plain = render("{% fallback t %}<p>{{ t.text }}</p>{% endfallback %}", t=row)

    assert '<div lang="en"><p>Hello</p></div>' in block
    assert 'class="fallback__note"' in block
    assert "angielski" in block
    assert inline == '<span lang="en">Hello</span> <span class="fallback-tag">(angielski)</span>'
    assert plain == "<p>Hello</p>"


def test_fallback_tag_without_a_translation() -> None:
    assert render("{% fallback t %}<b>x</b>{% endfallback %}", t=None) == "<b>x</b>"


def test_markdown_is_sanitised() -> None:
    html = render_markdown(
        "# Title\n\n<script>alert(1)</script>\n\n[link](javascript:alert(1)) "
        "[ok](https://example.org) <img src=x onerror=alert(1)>\n\n| a | b |\n|---|---|\n| 1 | 2 |"
    )

    assert "<h2>Title</h2>" in html
    assert "<script" not in html
    assert "javascript:" not in html
    assert "<img" not in html
    assert '<a href="https://example.org" rel="noopener noreferrer">ok</a>' in html
    assert "<table>" in html


def test_one_line_address() -> None:
    assert formatting.one_line_address("ul. A 1", "", "Kraków") == "ul. A 1, Kraków"
    assert formatting.one_line_address("ul. A 1", "31-547", "Kraków") == "ul. A 1, 31-547 Kraków"
    assert formatting.one_line_address("", "", "") == ""


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("uk", "6 грудня 2026 р., 13:44"),
        ("ru", "6 декабря 2026 г., 13:44"),
        ("pl", "6 grudnia 2026, 13:44"),
        ("en", "6 Dec 2026, 13:44"),
    ],
)
def test_dates_read_naturally_in_each_language(language: str, expected: str) -> None:
    moment = datetime(2026, 12, 6, 13, 44)  # formatting only
    with override(language):
        assert date_format(moment, "DATETIME_FORMAT") == expected
        assert date_format(moment, "SHORT_DATETIME_FORMAT").endswith(", 13:44")
        assert date_format(moment).startswith("6 ")
