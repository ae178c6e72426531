"""Query strings and pages: one way for every endpoint to read its filters and to page.

A query serializer names every parameter an endpoint knows. Anything else, or a parameter
given twice, is answered 400 with a translated message, so a typing mistake in a filter is
never silently a list of everything. Lists come in one envelope: ``count``, ``page``,
``pages``, ``next``, ``previous`` and ``results``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.utils.urls import replace_query_param

from infopoint.core.models import fallback_order
from infopoint.topics.models import Topic

from .serializers.common import language_choices

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
# Far beyond any real list; keeps the number a plain integer for every database.
MAX_PAGE = 1_000_000


class Query(serializers.Serializer):
    """The parameters an endpoint knows; ``parse`` refuses any other."""

    @classmethod
    def parse(cls, request: Request) -> dict[str, Any]:
        """The validated parameters of ``request``'s query string, or a 400 with every problem."""
        params = request.query_params
        known = cls().fields
        errors: dict[str, list[str]] = {}
        for name in params:
            if name not in known:
                errors[name] = [
                    gettext("This parameter is not known here. Known parameters: %(names)s.")
                    % {"names": ", ".join(sorted(known)) or "–"}
                ]
            elif len(params.getlist(name)) > 1:
                errors[name] = [gettext("Give this parameter once.")]
        query = cls(data={name: params[name] for name in params if name not in errors})
        if not query.is_valid():
            for name, messages in query.errors.items():
                errors.setdefault(name, [str(message) for message in messages])
        if errors:
            raise serializers.ValidationError(errors)
        return dict(query.validated_data)


def content_language(value: str | None) -> str:
    """The language asked for (a parameter), else the request's (Accept-Language)."""
    return value or fallback_order(get_language())[0]


class TopicField(serializers.SlugField):
    """A topic named by its slug; the validated value is the Topic."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", _("Slug of a topic."))
        super().__init__(**kwargs)

    def run_validation(self, data: Any = serializers.empty) -> Any:
        slug = super().run_validation(data)
        topic = Topic.objects.filter(slug=slug).first()
        if topic is None:
            raise serializers.ValidationError(
                gettext("There is no topic “%(slug)s”. GET /api/v1/topics lists them.")
                % {"slug": slug}
            )
        return topic


class LanguageQuery(Query):
    """Content in a language: the ``language`` parameter, else the Accept-Language header."""

    language = serializers.ChoiceField(
        choices=[],
        required=False,
        help_text=_(
            "Language code of the text; left out: the language of the Accept-Language header. "
            "Text missing in it comes in another language, marked is_fallback."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = language_choices()  # type: ignore[attr-defined]


class PageQuery(Query):
    page = serializers.IntegerField(
        required=False,
        default=1,
        min_value=1,
        max_value=MAX_PAGE,
        help_text=_("Page number, from 1."),
    )
    page_size = serializers.IntegerField(
        required=False,
        default=PAGE_SIZE,
        min_value=1,
        max_value=MAX_PAGE_SIZE,
        help_text=_("Items per page, at most 100 (default 20)."),
    )


class LanguagePageQuery(PageQuery, LanguageQuery):
    pass


def page_of(
    *,
    request: Request,
    items: QuerySet[Any] | Sequence[Any],
    query: dict[str, Any],
    body: Callable[[Any], dict[str, Any]],
) -> dict[str, Any]:
    """One page of ``items`` in the envelope, each item made into JSON by ``body``.

    A page past the last is a 400 that says how many pages there are (an empty list has one,
    empty, page).
    """
    paginator = Paginator(items, query["page_size"])
    number = query["page"]
    if number > paginator.num_pages:
        pages = paginator.num_pages
        raise serializers.ValidationError(
            {
                "page": [
                    ngettext(
                        "There is only %(pages)s page.", "There are only %(pages)s pages.", pages
                    )
                    % {"pages": pages}
                ]
            }
        )
    page = paginator.page(number)
    url = request.build_absolute_uri()
    return {
        "count": paginator.count,
        "page": number,
        "pages": paginator.num_pages,
        "next": replace_query_param(url, "page", number + 1) if page.has_next() else None,
        "previous": replace_query_param(url, "page", number - 1) if page.has_previous() else None,
        "results": [body(item) for item in page.object_list],
    }


_PAGES: dict[type[serializers.Serializer], type[serializers.Serializer]] = {}


def page_serializer(item: type[serializers.Serializer]) -> type[serializers.Serializer]:
    """The schema of a page of ``item``s (``FooSerializer`` gives the component ``FooPage``)."""
    if item not in _PAGES:
        name = item.__name__.removesuffix("Serializer") + "Page"
        fields = {
            "count": serializers.IntegerField(help_text=_("Number of items on every page.")),
            "page": serializers.IntegerField(help_text=_("This page's number, from 1.")),
            "pages": serializers.IntegerField(help_text=_("Number of pages; at least 1.")),
            "next": serializers.URLField(
                allow_null=True, help_text=_("Address of the next page; null on the last.")
            ),
            "previous": serializers.URLField(
                allow_null=True, help_text=_("Address of the previous page; null on the first.")
            ),
            "results": item(many=True),
            "__module__": __name__,
        }
        _PAGES[item] = type(name + "Serializer", (serializers.Serializer,), fields)
    return _PAGES[item]
