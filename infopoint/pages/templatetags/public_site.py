"""Template tags of the public site: language switcher, fallback note, hours in words."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from django import template
from django.conf import settings
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.template.context import Context
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext, override

from infopoint.core.markdown import render_markdown
from infopoint.hours.calendar import OfficeStatus

from .. import formatting

register = template.Library()


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str
    url: str
    current: bool


def _home_url(code: str) -> str:
    with override(code):
        try:
            return reverse("pages:home")
        except NoReverseMatch:
            return f"/{code}/"


@register.simple_tag(takes_context=True)
def language_links(context: Context) -> list[LanguageLink]:
    """This page in every language of the site, each named in its own language.

    A page that does not exist (a 404) has no counterpart: its links lead to each home page.
    """
    request = context.get("request")
    current = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    path = request.get_full_path() if request is not None else ""
    links = []
    for code, name in settings.LANGUAGES:
        url = translate_url(path, code) if path else ""
        if not url or (url == path and code != current):
            url = _home_url(code)
        links.append(LanguageLink(code, name, url, code == current))
    return links


@register.filter
def language_name(code: str) -> str:
    """A language code's name in the visitor's language."""
    return formatting.language_name(code)


@register.filter
def language_list(codes: list[str]) -> str:
    """Language codes as names in the visitor's language, e.g. "Polish, Ukrainian"."""
    return ", ".join(formatting.language_name(code) for code in codes)


@register.filter
def one_line_address(institution: Any) -> str:
    return formatting.one_line_address(
        institution.street_address, institution.postal_code, institution.city
    )


@register.filter
def weekday_name(weekday: int) -> str:
    return formatting.weekday_name(weekday)


@register.filter
def spans_text(spans: list[tuple[time, time]]) -> str:
    return formatting.spans_text(spans)


@register.filter
def date_range_text(starts_on: date, ends_on: date) -> str:
    return formatting.date_range_text(starts_on, ends_on)


@register.simple_tag
def status_text(status: OfficeStatus) -> str:
    return formatting.status_text(status)


@register.filter
def tel_href(number: str) -> str:
    """A phone number as a tel: link that also dials from a foreign SIM card.

    Numbers are stored as printed locally; a national number (7 digits or more) gets
    PHONE_COUNTRY_CODE in front, while short numbers such as 112 stay as they are.
    """
    number = str(number).strip()
    digits = re.sub(r"\D", "", number)
    if number.startswith("+"):
        return f"tel:+{digits}"
    if number.startswith("(+"):
        return f"tel:+{digits}"
    if number.startswith("00"):
        return f"tel:+{digits[2:]}"
    if len(digits) >= 7 and settings.PHONE_COUNTRY_CODE:
        return f"tel:{settings.PHONE_COUNTRY_CODE}{digits}"
    return f"tel:{digits}"


@register.filter
def markdown(text: str) -> SafeString:
    return render_markdown(text)


class FallbackNode(template.Node):
    def __init__(self, translation: FilterExpression, nodelist: NodeList, inline: bool) -> None:
        self.translation = translation
        self.nodelist = nodelist
        self.inline = inline

    def render(self, context: Context) -> str:
        translation: Any = self.translation.resolve(context, ignore_failures=True)
        content = self.nodelist.render(context)
        if translation is None or not getattr(translation, "is_fallback", False):
            return content
        code = translation.language
        if self.inline:
            return format_html(
                '<span lang="{}">{}</span> <span class="fallback-tag">({})</span>',
                code,
                content,
                formatting.language_name(code),
            )
        note = gettext(
            "This text is not yet available in your language. It is shown in %(language)s."
        ) % {"language": formatting.language_name(code)}
        return format_html(
            '<div class="fallback"><p class="fallback__note">{}</p><div lang="{}">{}</div></div>',
            note,
            code,
            content,
        )


@register.tag
def fallback(parser: Parser, token: Token) -> FallbackNode:
    """Marks text shown in another language than the visitor's.

    ``{% fallback topic.localised %}…{% endfallback %}`` wraps the content in an element with
    the text's ``lang`` and a note saying so, when the translation is a fallback;
    ``{% fallback t inline %}`` only sets ``lang`` and names the language after it (for lists).
    """
    bits = token.split_contents()
    if len(bits) not in (2, 3) or (len(bits) == 3 and bits[2] != "inline"):
        raise template.TemplateSyntaxError(
            "Usage: {% fallback translation %} or {% fallback translation inline %}"
        )
    nodelist = parser.parse(("endfallback",))
    parser.delete_first_token()
    return FallbackNode(parser.compile_filter(bits[1]), nodelist, inline=len(bits) == 3)
