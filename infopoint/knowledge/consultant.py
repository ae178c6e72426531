"""What the consultant's enquiry screen asks the knowledge base: a triage with the suggested
articles ready to show, and a draft reply built from a chosen article.

The enquiry desk calls these (knowledge never reads enquiries). Nothing is sent from here: the
draft is text for the consultant to edit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from infopoint.core.models import pick_translation

from .language import _detector
from .models import Article, ArticleStatus
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


_LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]*)\)")
_HEADING = re.compile(r"^\s{0,3}#+\s+", re.MULTILINE)
_BULLET = re.compile(r"^(\s*)[*+]\s+", re.MULTILINE)
_EMPHASIS = re.compile(r"\*\*|__|`")


def _link_text(match: re.Match[str]) -> str:
    words, url = match.group(1), match.group(2)
    if url.startswith("/"):
        # An e-mail is read away from the site: an address within it needs the site's host.
        url = settings.SITE_URL.rstrip("/") + url
    return url if not words or words == url else f"{words} ({url})"


def draft_text(markdown: str) -> str:
    """An article's Markdown as plain text for an e-mail.

    Headings stay on lines of their own, list items keep their "-" or "1." markers, and a
    link becomes "text (address)", so the enquirer can still follow it.
    """
    value = _HEADING.sub("", markdown or "")
    value = _BULLET.sub(r"\1- ", value)
    parts = []
    position = 0
    # Emphasis marks go; the addresses of links are kept as written ("__" can be in one).
    for match in _LINK.finditer(value):
        parts.append(_EMPHASIS.sub("", value[position : match.start()]))
        parts.append(_link_text(match))
        position = match.end()
    parts.append(_EMPHASIS.sub("", value[position:]))
    return "".join(parts).strip()


def draft_reply(article: Article, language: str) -> str:
    """A reply in ``language`` built from the article, for the consultant to edit and send.

    It has no greeting: the reply e-mail opens with one, naming the enquirer. The article's text
    is its ``language`` translation, or the nearest fallback (the draft then says in which
    language it is). Sources and the review date close it, so the enquirer can check the
    official pages.
    """
    text = pick_translation(article.translations.all(), language)
    if text is None:
        return ""
    with translation.override(language):
        parts = [gettext("Thank you for your question."), ""]
        if text.language != language:
            parts += [
                gettext(
                    "This information is not yet available in your language; here it is in "
                    "%(language)s."
                )
                % {"language": translation.get_language_info(text.language)["name_translated"]},
                "",
            ]
        parts += [text.title, "", text.summary, "", draft_text(text.body), ""]
        if article.sources:
            parts.append(gettext("Official sources:"))
            parts += [f"- {source['title']}: {source['url']}" for source in article.sources]
            parts.append("")
        date = date_format(article.reviewed_on, "DATE_FORMAT")
        checked = gettext("This information was last checked on %(date)s.") % {"date": date}
        if date.endswith(".") and checked.endswith(date + "."):
            # The date ends in an abbreviation ("2026 р.", "2026 г."): one full stop ends both.
            checked = checked[:-1]
        parts += [checked, "", gettext("Kind regards,")]
    return "\n".join(parts)
