"""Bodies of the public, read-only endpoints: the point's status, topics, the directory,
articles and search. They describe the schema; the views build the JSON (``views/public.py``).

Translated text comes with ``language`` (the language it is written in) and ``is_fallback``
(true when it stands in for the language asked for).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from infopoint.directory.models import InstitutionKind
from infopoint.hours.models import NoticeLevel

from ..query import LanguagePageQuery, LanguageQuery, Query, TopicField
from .common import language_choices


def _language() -> serializers.ChoiceField:
    return serializers.ChoiceField(
        choices=language_choices(), help_text=_("Language the text is written in.")
    )


def _fallback() -> serializers.BooleanField:
    return serializers.BooleanField(
        help_text=_("True: the text is not in the language asked for, but in this one.")
    )


class HoursSerializer(serializers.Serializer):
    weekday = serializers.IntegerField(
        min_value=0, max_value=6, help_text=_("Day of the week: 0 Monday … 6 Sunday.")
    )
    opens = serializers.RegexField(r"^\d\d:\d\d$", help_text=_("Opens (HH:MM, office time)."))
    closes = serializers.RegexField(r"^\d\d:\d\d$", help_text=_("Closes (HH:MM, office time)."))


class NoticeSerializer(serializers.Serializer):
    level = serializers.ChoiceField(
        choices=NoticeLevel.choices, help_text=_("warning: important, shown first.")
    )
    title = serializers.CharField()
    text = serializers.CharField()
    starts_at = serializers.DateTimeField(help_text=_("Shown from."))
    ends_at = serializers.DateTimeField(
        allow_null=True, help_text=_("Shown until; null: until further notice.")
    )
    language = _language()
    is_fallback = _fallback()


class StatusSerializer(serializers.Serializer):
    open = serializers.BooleanField(help_text=_("Whether the point is open now."))
    closes_at = serializers.DateTimeField(
        allow_null=True, help_text=_("When it closes next (ISO 8601, office time zone).")
    )
    next_opening = serializers.DateTimeField(
        allow_null=True,
        help_text=_("When it opens next; null when no opening hours are known."),
    )
    reason = serializers.CharField(
        allow_null=True,
        help_text=_("Why it is closed today (a holiday, a closure); null otherwise."),
    )
    weekly_hours = HoursSerializer(many=True, help_text=_("The regular weekly hours."))
    notices = NoticeSerializer(many=True, help_text=_("Service notices in force now."))


class TopicSerializer(serializers.Serializer):
    slug = serializers.SlugField(help_text=_("Names the topic in filters and other endpoints."))
    name = serializers.CharField()
    description = serializers.CharField()
    language = _language()
    is_fallback = _fallback()


class InstitutionSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    kind = serializers.ChoiceField(choices=InstitutionKind.choices)
    name = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    rooms = serializers.CharField(allow_blank=True, help_text=_("Rooms and floor."))
    hours_note = serializers.CharField(
        allow_blank=True, help_text=_("A note on the hours or how to get in touch.")
    )
    street_address = serializers.CharField(allow_blank=True)
    postal_code = serializers.CharField(allow_blank=True)
    city = serializers.CharField(allow_blank=True)
    phones = serializers.ListField(child=serializers.CharField())
    fax = serializers.CharField(allow_blank=True)
    email = serializers.CharField(allow_blank=True)
    website = serializers.CharField(allow_blank=True)
    languages = serializers.ListField(
        child=serializers.CharField(), help_text=_("Languages spoken there (codes).")
    )
    topics = serializers.ListField(
        child=serializers.SlugField(), help_text=_("Slugs of the topics it handles.")
    )
    weekly_hours = HoursSerializer(many=True, help_text=_("Opening hours; empty: not known."))
    source_url = serializers.URLField(help_text=_("Official page the facts come from."))
    reviewed_on = serializers.DateField(help_text=_("When the facts were last checked."))
    language = _language()
    is_fallback = _fallback()


class SourceSerializer(serializers.Serializer):
    url = serializers.URLField()
    title = serializers.CharField()


class ArticleSummarySerializer(serializers.Serializer):
    slug = serializers.SlugField()
    topic = serializers.SlugField(help_text=_("Slug of the article's topic."))
    title = serializers.CharField()
    summary = serializers.CharField()
    reviewed_on = serializers.DateField(
        help_text=_("When the facts were last checked against the sources.")
    )
    languages = serializers.ListField(
        child=serializers.CharField(), help_text=_("Languages the article is written in.")
    )
    url = serializers.URLField(help_text=_("The article on the site, in its language."))
    language = _language()
    is_fallback = _fallback()


class ArticleSerializer(ArticleSummarySerializer):
    body = serializers.CharField(help_text=_("The text, in Markdown."))
    sources = SourceSerializer(many=True, help_text=_("Official pages the facts come from."))
    institutions = serializers.ListField(
        child=serializers.SlugField(), help_text=_("Slugs of the institutions it refers to.")
    )
    published_at = serializers.DateTimeField(allow_null=True, help_text=_("First published."))


class SearchHitSerializer(ArticleSummarySerializer):
    score = serializers.FloatField(help_text=_("How well it answers the question, 0 to 1."))
    snippet = serializers.CharField(help_text=_("A passage of the text that matches."))


# --- queries ---------------------------------------------------------------------------------


class TopicQuery(LanguagePageQuery):
    pass


class InstitutionQuery(LanguagePageQuery):
    topic = TopicField(required=False, help_text=_("Slug of a topic they handle."))
    kind = serializers.ChoiceField(
        choices=InstitutionKind.choices, required=False, help_text=_("Kind of institution.")
    )
    speaks = serializers.ChoiceField(
        choices=[],
        required=False,
        help_text=_("Language code: only institutions where it is spoken."),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["speaks"].choices = language_choices()  # type: ignore[attr-defined]


class ArticleQuery(LanguagePageQuery):
    topic = TopicField(required=False)


class SearchQuery(LanguagePageQuery):
    q = serializers.CharField(
        max_length=500,
        help_text=_("A few words or a question, in any of the site's languages."),
    )


class DetailQuery(LanguageQuery):
    pass


class NoQuery(Query):
    pass
