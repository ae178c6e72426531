from collections import defaultdict
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .calendar import spans_problems
from .models import (
    ChangedHours,
    Closure,
    ClosureTranslation,
    Schedule,
    ServiceNotice,
    ServiceNoticeTranslation,
    Weekday,
    WeeklyHours,
)


class SpansFormSet(forms.BaseInlineFormSet):
    """Rejects inverted hours and overlapping intervals on the same day (weekday or date)."""

    day_field = ""

    def clean(self) -> None:
        super().clean()
        spans: dict[Any, list[tuple[Any, Any]]] = defaultdict(list)
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE"):
                continue
            day, opens, closes = data.get(self.day_field), data.get("opens"), data.get("closes")
            if day is None or opens is None or closes is None:
                continue
            spans[day].append((opens, closes))
        problems = spans_problems(spans)
        if problems:
            raise forms.ValidationError(
                [
                    gettext("%(day)s: %(problem)s")
                    % {"day": self._day_label(day), "problem": message}
                    for day, message in problems
                ]
            )

    def _day_label(self, day: Any) -> str:
        return str(day)


class WeeklyHoursFormSet(SpansFormSet):
    day_field = "weekday"

    def _day_label(self, day: Any) -> str:
        return str(Weekday(day).label)


class ChangedHoursFormSet(SpansFormSet):
    day_field = "date"

    def _day_label(self, day: Any) -> str:
        return day.isoformat()


class WeeklyHoursInline(admin.TabularInline):
    model = WeeklyHours
    formset = WeeklyHoursFormSet
    extra = 0


class ChangedHoursInline(admin.TabularInline):
    model = ChangedHours
    formset = ChangedHoursFormSet
    extra = 0


@admin.register(Schedule)
class ScheduleAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [WeeklyHoursInline, ChangedHoursInline]


class OneRowPerLanguageFormSet(forms.BaseInlineFormSet):
    """Empty rows come with the languages still missing, in the order of settings.LANGUAGES."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        instance = kwargs.get("instance")
        existing = (
            set(instance.translations.values_list("language", flat=True))
            if instance is not None and instance.pk
            else set()
        )
        missing = [code for code, _name in settings.LANGUAGES if code not in existing]
        kwargs.setdefault("initial", [{"language": code} for code in missing])
        super().__init__(*args, **kwargs)


class OneRowPerLanguageInline(admin.StackedInline):
    """One row per language the site offers (settings.LANGUAGES, read when the form is built)."""

    formset = OneRowPerLanguageFormSet

    def get_extra(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> int:
        existing = obj.translations.count() if obj is not None and obj.pk else 0
        return max(len(settings.LANGUAGES) - existing, 0)

    def get_max_num(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> int:
        return len(settings.LANGUAGES)

    def get_min_num(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> int:
        return 1


class ClosureTranslationInline(OneRowPerLanguageInline):
    model = ClosureTranslation


@admin.register(Closure)
class ClosureAdmin(admin.ModelAdmin):
    list_display = ("__str__", "schedule", "starts_on", "ends_on")
    list_filter = ("schedule",)
    date_hierarchy = "starts_on"
    inlines = [ClosureTranslationInline]

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).select_related("schedule")


class ServiceNoticeTranslationInline(OneRowPerLanguageInline):
    model = ServiceNoticeTranslation


@admin.register(ServiceNotice)
class ServiceNoticeAdmin(admin.ModelAdmin):
    list_display = ("__str__", "level", "starts_at", "ends_at")
    list_filter = ("level",)
    date_hierarchy = "starts_at"
    inlines = [ServiceNoticeTranslationInline]
    fieldsets = (
        (None, {"fields": ("level", "starts_at", "ends_at")}),
        (_("Advanced"), {"fields": ("key",), "classes": ("collapse",)}),
    )

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).prefetch_related("translations")
