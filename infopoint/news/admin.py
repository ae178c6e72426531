from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from infopoint.core.translations import TranslatedModelAdmin, TranslationInline

from . import services
from .models import NewsItem, NewsItemTranslation


class NewsItemTranslationFormSet(forms.BaseInlineFormSet):
    """Refuses a picture that is not described in every language written."""

    def clean(self) -> None:
        super().clean()
        rows = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("language")
        ]
        missing = services.picture_descriptions_missing(
            has_picture=bool(self.instance.picture), translations=rows
        )
        if missing:
            raise ValidationError(
                _("Describe the picture in every language. Missing: %(languages)s."),
                params={"languages": ", ".join(missing)},
            )


class NewsItemTranslationInline(TranslationInline):
    model = NewsItemTranslation
    formset = NewsItemTranslationFormSet
    fields = ("language", "title", "lead", "body", "picture_alt")


class NewsItemForm(forms.ModelForm):
    source_url = forms.URLField(
        label=_("source"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("The official page the item is based on, if any."),
    )

    class Meta:
        model = NewsItem
        fields = ("slug", "published_at", "updated_on", "picture", "source_url", "related")

    def clean_picture(self) -> Any:
        picture = self.cleaned_data.get("picture")
        # A new upload is checked like the service checks it; a kept picture is not reopened.
        if picture and hasattr(picture, "content_type"):
            services.picture_check(picture)
        return picture


@admin.register(NewsItem)
class NewsItemAdmin(TranslatedModelAdmin):
    form = NewsItemForm
    list_display = ("slug", "title", "published_at", "updated_on", "state", "languages")
    list_filter = ("published_at",)
    date_hierarchy = "published_at"
    search_fields = ("slug", "translations__title")
    filter_horizontal = ("related",)
    readonly_fields = ("created_at",)
    fields = (
        "slug",
        "published_at",
        "updated_on",
        "picture",
        "source_url",
        "related",
        "created_at",
    )
    inlines = [NewsItemTranslationInline]
    actions = ["publish", "unpublish"]

    @admin.display(description=_("title"))
    def title(self, obj: NewsItem) -> str:
        translation = obj.translation()
        return translation.title if translation else ""

    @admin.display(description=_("state"))
    def state(self, obj: NewsItem) -> str:
        return obj.get_state_display()

    @admin.display(description=_("languages"))
    def languages(self, obj: NewsItem) -> str:
        return ", ".join(obj.available_languages())

    @admin.action(description=_("Publish the selected news items now"))
    def publish(self, request: HttpRequest, queryset: QuerySet[NewsItem]) -> None:
        for item in queryset:
            services.news_item_publish(item=item)
        self._done(request, queryset.count())

    @admin.action(description=_("Take the selected news items off the site"))
    def unpublish(self, request: HttpRequest, queryset: QuerySet[NewsItem]) -> None:
        for item in queryset:
            services.news_item_unpublish(item=item)
        self._done(request, queryset.count())

    def _done(self, request: HttpRequest, count: int) -> None:
        self.message_user(
            request,
            ngettext("%(count)d news item changed.", "%(count)d news items changed.", count)
            % {"count": count},
            messages.SUCCESS,
        )
