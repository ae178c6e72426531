"""Every write to the text pages goes through here."""

from collections.abc import Mapping
from datetime import date

from django.db import transaction

from .models import Page, PageTranslation


@transaction.atomic
def page_create_missing(
    *, slug: str, updated_on: date, translations: Mapping[str, Mapping[str, str]]
) -> tuple[Page, int]:
    """Creates the page and any of its translations that do not exist yet.

    ``translations`` maps a language code to its ``title`` and ``body``. Text that already
    exists is never overwritten: the coordinator completes these pages (the operator's
    details) in the admin, and loading the default content again must not undo that work.
    Returns the page and the number of rows created.
    """
    created = 0
    page = Page.objects.filter(slug=slug).first()
    if page is None:
        page = Page(slug=slug, updated_on=updated_on)
        page.full_clean()
        page.save()
        created += 1
    existing = set(page.translations.values_list("language", flat=True))
    for language, fields in translations.items():
        if language in existing:
            continue
        translation = PageTranslation(
            page=page, language=language, title=fields["title"], body=fields["body"]
        )
        translation.full_clean()
        translation.save()
        created += 1
    return page, created
