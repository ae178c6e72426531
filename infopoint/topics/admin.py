from django.contrib import admin

from infopoint.core.translations import TranslatedModelAdmin, TranslationInline

from .models import Topic, TopicTranslation


class TopicTranslationInline(TranslationInline):
    model = TopicTranslation


@admin.register(Topic)
class TopicAdmin(TranslatedModelAdmin):
    list_display = ("slug", "name", "position", "answer_within_days")
    list_editable = ("position",)
    search_fields = ("slug", "translations__name")
    fields = ("slug", "position", "answer_within_days", "restricted_to")
    filter_horizontal = ("restricted_to",)
    inlines = [TopicTranslationInline]
