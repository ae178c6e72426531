from django.contrib import admin

from .models import Page, PageTranslation


class PageTranslationInline(admin.StackedInline):
    model = PageTranslation
    extra = 0


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    list_display = ["slug", "updated_on"]
    inlines = [PageTranslationInline]
