"""What the consultant's enquiry screen asks the knowledge base: a triage with the suggested
articles ready to show, and a draft reply built from a chosen article.

The enquiry desk calls these (knowledge never reads enquiries). Nothing is sent from here: the
draft is text for the consultant to edit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from infopoint.core.models import pick_translation

from .language import _detector
from .models import Article, ArticleStatus
from .snippets import plain_text
from .triage import Triage, triage


@dataclass
class EnquiryTriage:
    """A triage with its suggested articles as objects (translations prefetched)."""

    triage: Triage
    articles: list[Article] = field(default_factory=list)


def triage_for_enquiry(text: str, language: str | None = None) -> EnquiryTriage:
    """Language, topic, referral (each with a confidence) and the articles that answer ``text``.

    ``language`` is the enquiry's language when the desk knows it (the form's or the
    enquirer's); otherwise it is detected.
    """
    result = triage(text, language)
    slugs = [slug for slug, _language, _score in result.articles]
    by_slug = {
        article.slug: article
        for article in Article.objects.filter(
            slug__in=slugs, status=ArticleStatus.PUBLISHED
        ).prefetch_related("translations", "institutions__translations")
    }
    return EnquiryTriage(result, [by_slug[slug] for slug in slugs if slug in by_slug])


def language_confidence(text: str, language: str | None) -> float:
    """How sure the detector is that ``text`` is written in ``language``, from 0 to 1.

    0 when it cannot tell (no language, or fewer than two site languages it knows).
    """
    if not language or not (text or "").strip():
        return 0.0
    codes = tuple(code for code, _name in settings.LANGUAGES)
    built = _detector(codes)
    if built is None:
        return 0.0
    detector, names = built
    from lingua import Language

    for name, code in names.items():
        if code == language:
            return float(detector.compute_language_confidence(text, getattr(Language, name)))
    return 0.0


def draft_reply(article: Article, language: str) -> str:
    """A reply in ``language`` built from the article, for the consultant to edit and send.

    It opens and closes in ``language``; the article's text is its ``language`` translation,
    or the nearest fallback (the draft then says in which language it is). Sources and the
    review date close it, so the enquirer can check the official pages.
    """
    text = pick_translation(article.translations.all(), language)
    if text is None:
        return ""
    with translation.override(language):
        parts = [gettext("Hello,"), "", gettext("Thank you for your question."), ""]
        if text.language != language:
            parts += [
                gettext(
                    "This information is not yet available in your language; here it is in "
                    "%(language)s."
                )
                % {"language": translation.get_language_info(text.language)["name_translated"]},
                "",
            ]
        parts += [text.title, "", text.summary, "", plain_text(text.body).strip(), ""]
        if article.sources:
            parts.append(gettext("Official sources:"))
            parts += [f"- {source['title']}: {source['url']}" for source in article.sources]
            parts.append("")
        parts.append(
            gettext("This information was last checked on %(date)s.")
            % {"date": date_format(article.reviewed_on, "DATE_FORMAT")}
        )
        parts += ["", gettext("Kind regards,")]
    return "\n".join(parts)
