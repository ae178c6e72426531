from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from infopoint.core.translations import TranslatedModelAdmin, TranslationInline

from .models import Page, PageTranslation


class PageTranslationInline(TranslationInline):
    model = PageTranslation


@admin.register(Page)
class PageAdmin(TranslatedModelAdmin):
    list_display = ("slug", "title", "updated_on")
    search_fields = ("slug", "translations__title")
    fields = ("slug", "updated_on")
    inlines = [PageTranslationInline]

    @admin.display(description=_("title"))
    def title(self, obj: Page) -> str:
        translation = obj.translation()
        return translation.title if translation else ""
