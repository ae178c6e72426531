from typing import Any

from django.contrib import admin
from django.db import models
from django.db.models import ManyToManyField, QuerySet
from django.forms import ModelMultipleChoiceField
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from infopoint.core.translations import TranslatedModelAdmin, TranslationInline
from infopoint.topics.selectors import topic_list

from .forms import InstitutionAdminForm
from .models import Institution, InstitutionTranslation


class InstitutionTranslationInline(TranslationInline):
    model = InstitutionTranslation


class TopicListFilter(admin.SimpleListFilter):
    title = _("topic")
    parameter_name = "topic"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(topic.slug, str(topic)) for topic in topic_list()]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Institution]) -> QuerySet:
        if self.value():
            return queryset.filter(topics__slug=self.value())
        return queryset


@admin.register(Institution)
class InstitutionAdmin(TranslatedModelAdmin):
    form = InstitutionAdminForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("slug", "name", "kind", "city", "position", "reviewed_on")
    list_editable = ("position",)
    list_filter = ("kind", TopicListFilter, "city")
    search_fields = ("slug", "translations__name")
    filter_horizontal = ("topics",)
    list_select_related = ("schedule",)
    fieldsets = (
        (None, {"fields": ("slug", "kind", "position", "topics")}),
        (
            None,
            {
                "fields": (
                    "street_address",
                    "postal_code",
                    "city",
                    "phones",
                    "fax",
                    "email",
                    "website",
                    "languages",
                    "schedule",
                )
            },
        ),
        (None, {"fields": ("source_url", "reviewed_on")}),
    )
    inlines = [InstitutionTranslationInline]

    def formfield_for_manytomany(
        self, db_field: ManyToManyField, request: HttpRequest, **kwargs: Any
    ) -> ModelMultipleChoiceField | None:
        if db_field.name == "topics":
            # Topic names come from their translations: fetch them with the topics.
            kwargs["queryset"] = topic_list()
        return super().formfield_for_manytomany(db_field, request, **kwargs)
