"""Staff see the outbox (sent or failed, retry now) and fetched mail (download raw, retry).

Both are read-only records of what happened: nothing here edits a message. Raw mail is
never rendered in the browser; it is offered only as a file download.
"""

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import IncomingMessage, OutgoingAttachment, OutgoingMessage
from .services import incoming_message_reprocess, mail_incoming_handler, outbox_retry


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in self.model._meta.fields] + list(self.readonly_fields)


class OutgoingAttachmentInline(admin.TabularInline):
    model = OutgoingAttachment
    fields = ["filename", "content_type", "size"]
    readonly_fields = ["filename", "content_type", "size"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("size in bytes"))
    def size(self, attachment: OutgoingAttachment) -> int:
        return len(attachment.content)


@admin.register(OutgoingMessage)
class OutgoingMessageAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "recipients",
        "subject",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "short_error",
    ]
    list_filter = ["status", "created_at"]
    search_fields = ["subject", "to", "message_id"]
    date_hierarchy = "created_at"
    inlines = [OutgoingAttachmentInline]
    actions = ["retry_now"]

    @admin.display(description=_("to"))
    def recipients(self, message: OutgoingMessage) -> str:
        return ", ".join(message.to)

    @admin.display(description=_("last error"))
    def short_error(self, message: OutgoingMessage) -> str:
        return Truncator(message.last_error).chars(80)

    @admin.action(description=_("Retry sending now"), permissions=["change"])
    def retry_now(self, request: HttpRequest, queryset: QuerySet[OutgoingMessage]) -> None:
        retried = [
            message.pk
            for message in queryset.exclude(status=OutgoingMessage.Status.SENT)
            if outbox_retry(pk=message.pk)
        ]
        self.message_user(
            request,
            ngettext("%(count)d message sent.", "%(count)d messages sent.", len(retried))
            % {"count": len(retried)},
            messages.SUCCESS if retried else messages.WARNING,
        )


@admin.register(IncomingMessage)
class IncomingMessageAdmin(ReadOnlyAdmin):
    list_display = ["received_at", "from_address", "subject", "status", "raw_size", "error"]
    list_filter = ["status", "received_at"]
    search_fields = ["subject", "from_address", "message_id"]
    date_hierarchy = "received_at"
    exclude = ["raw"]
    readonly_fields = ["download"]
    actions = ["process_again"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[IncomingMessage]:
        return super().get_queryset(request).defer("raw")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [name for name in super().get_readonly_fields(request, obj) if name != "raw"]

    @admin.display(description=_("error"))
    def error(self, message: IncomingMessage) -> str:
        return Truncator(message.parse_error or message.handle_error).chars(80)

    @admin.display(description=_("raw message"))
    def download(self, message: IncomingMessage) -> str:
        url = reverse("admin:mail_incomingmessage_raw", args=[message.pk])
        return format_html('<a href="{}" download>{}</a>', url, _("Download (.eml)"))

    def get_urls(self) -> list[Any]:
        raw = path(
            "<int:pk>/raw/",
            self.admin_site.admin_view(self.raw_view),
            name="mail_incomingmessage_raw",
        )
        return [raw, *super().get_urls()]

    def raw_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        message = get_object_or_404(IncomingMessage, pk=pk)
        # An opaque type and an attachment: the browser saves the file, never shows it.
        response = HttpResponse(bytes(message.raw), content_type="application/octet-stream")
        response["Content-Disposition"] = f'attachment; filename="message-{message.pk}.eml"'
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response

    @admin.action(description=_("Process again"), permissions=["change"])
    def process_again(self, request: HttpRequest, queryset: QuerySet[IncomingMessage]) -> None:
        handle = mail_incoming_handler()
        if handle is None:
            self.message_user(
                request, _("No handler for incoming mail is configured."), messages.ERROR
            )
            return
        results = [
            incoming_message_reprocess(pk=message.pk, handle=handle)
            for message in queryset.exclude(status=IncomingMessage.Status.PROCESSED)
        ]
        done = results.count(IncomingMessage.Status.PROCESSED)
        self.message_user(
            request,
            ngettext(
                "%(done)d of %(count)d message processed.",
                "%(done)d of %(count)d messages processed.",
                len(results),
            )
            % {"done": done, "count": len(results)},
            messages.SUCCESS if done == len(results) else messages.WARNING,
        )
