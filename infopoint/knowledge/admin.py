from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from infopoint.core.translations import TranslatedModelAdmin, TranslationInline

from . import services
from .models import (
    Article,
    ArticleFeedback,
    ArticleRevision,
    ArticleTranslation,
    ReferralRule,
    TriageExample,
    TriageModel,
)
from .selectors import article_is_stale, stale_before


class ArticleTranslationInline(TranslationInline):
    model = ArticleTranslation
    fields = ("language", "title", "summary", "body")


class StaleListFilter(admin.SimpleListFilter):
    title = _("review")
    parameter_name = "stale"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("yes", _("Due for review")), ("no", _("Reviewed recently"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Article]) -> QuerySet[Article]:
        if self.value() == "yes":
            return queryset.filter(reviewed_on__lt=stale_before())
        if self.value() == "no":
            return queryset.filter(reviewed_on__gte=stale_before())
        return queryset


@admin.register(Article)
class ArticleAdmin(TranslatedModelAdmin):
    list_display = ("slug", "title", "topic", "status", "reviewed_on", "stale", "languages")
    list_filter = ("status", StaleListFilter, "topic")
    search_fields = ("slug", "translations__title")
    filter_horizontal = ("institutions",)
    readonly_fields = ("published_at", "created_at", "updated_at")
    fields = (
        "slug",
        "topic",
        "status",
        "reviewed_on",
        "institutions",
        "sources",
        "published_at",
        "created_at",
        "updated_at",
    )
    inlines = [ArticleTranslationInline]
    actions = ["publish", "unpublish", "mark_reviewed"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Article]:
        return super().get_queryset(request).select_related("topic")

    @admin.display(description=_("title"))
    def title(self, obj: Article) -> str:
        translation = obj.translation()
        return translation.title if translation else ""

    @admin.display(description=_("due for review"), boolean=True)
    def stale(self, obj: Article) -> bool:
        return article_is_stale(obj)

    @admin.display(description=_("languages"))
    def languages(self, obj: Article) -> str:
        return ", ".join(obj.available_languages())

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # The forms have saved the article and its translations: record and index the result.
        super().save_related(request, form, formsets, change)
        services.article_changed(article=form.instance, author=request.user, note="admin")

    @admin.action(description=_("Publish the selected articles"))
    def publish(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        for article in queryset:
            services.article_publish(article=article, author=request.user)
        self._done(request, queryset.count())

    @admin.action(description=_("Take the selected articles back to draft"))
    def unpublish(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        for article in queryset:
            services.article_unpublish(article=article, author=request.user)
        self._done(request, queryset.count())

    @admin.action(description=_("Mark the selected articles as reviewed today"))
    def mark_reviewed(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        today = timezone.localdate()
        for article in queryset:
            services.article_reviewed(article=article, reviewed_on=today, author=request.user)
        self._done(request, queryset.count())

    def _done(self, request: HttpRequest, count: int) -> None:
        self.message_user(
            request,
            ngettext("%(count)d article changed.", "%(count)d articles changed.", count)
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(ArticleRevision)
class ArticleRevisionAdmin(admin.ModelAdmin):
    list_display = ("article", "created_at", "author", "note")
    list_filter = ("created_at",)
    search_fields = ("article__slug",)
    readonly_fields = ("article", "snapshot", "author", "note", "created_at")
    list_select_related = ("article", "author")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ArticleFeedback)
class ArticleFeedbackAdmin(admin.ModelAdmin):
    list_display = ("translation", "language", "helpful_yes", "helpful_no", "opened")
    list_select_related = ("translation__article",)
    readonly_fields = ("translation", "helpful_yes", "helpful_no", "opened_from_suggestion")

    @admin.display(description=_("language"))
    def language(self, obj: ArticleFeedback) -> str:
        return obj.translation.language

    @admin.display(description=_("opened from a suggestion"))
    def opened(self, obj: ArticleFeedback) -> int:
        return obj.opened_from_suggestion

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(ReferralRule)
class ReferralRuleAdmin(admin.ModelAdmin):
    list_display = ("topic", "article", "institution", "weight")
    list_filter = ("topic",)
    list_select_related = ("topic", "article", "institution")


@admin.register(TriageExample)
class TriageExampleAdmin(admin.ModelAdmin):
    list_display = ("created_at", "language", "topic", "referral", "source", "reference")
    list_filter = ("source", "language", "topic")
    search_fields = ("text", "reference")
    list_select_related = ("topic", "referral")


@admin.register(TriageModel)
class TriageModelAdmin(admin.ModelAdmin):
    list_display = ("created_at", "examples", "score", "deployed")
    readonly_fields = ("created_at", "topics", "examples", "score", "deployed")
    exclude = ("parameters",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
