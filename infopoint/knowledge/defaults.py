"""Default content of the knowledge base: content/<city>/articles/*.toml and referral rules."""

from __future__ import annotations

import logging
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings

from infopoint.core.translations import translations_in_configured_languages
from infopoint.directory.models import Institution
from infopoint.topics.models import Topic

from .models import Article, ArticleStatus
from .services import TRANSLATED_FIELDS, article_upsert, referral_rule_set

logger = logging.getLogger(__name__)
REFERRALS_FILE = Path(__file__).resolve().parent / "referrals.toml"


def article_files() -> list[Path]:
    folder = Path(settings.CONTENT_DIR) / "articles"
    return sorted(folder.glob("*.toml")) if folder.is_dir() else []


def article_entries() -> list[dict[str, Any]]:
    """Every [[article]] of the content folder, in file and then file order."""
    entries: list[dict[str, Any]] = []
    for path in article_files():
        with path.open("rb") as handle:
            entries.extend(tomllib.load(handle).get("article", []))
    return entries


def _date(value: Any) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def articles_default_content_load() -> int:
    """Creates or updates the articles of the content folder by slug, published.

    An institution the directory does not have is left out (and logged), so one wrong slug
    does not stop the city's content. Returns the number of articles created or changed; a
    second run returns 0. The coordinator's own articles and languages are left alone.
    """
    topics = set(Topic.objects.values_list("slug", flat=True))
    institutions = set(Institution.objects.values_list("slug", flat=True))
    changed = 0
    for entry in article_entries():
        slug = entry["slug"]
        if entry["topic"] not in topics:
            logger.warning("Article %s: no topic %s; not loaded.", slug, entry["topic"])
            continue
        wanted = entry.get("institutions", [])
        unknown = [name for name in wanted if name not in institutions]
        if unknown:
            logger.warning("Article %s: no institution %s; left out.", slug, ", ".join(unknown))
        translations = {
            code: {field: fields.get(field, "") for field in TRANSLATED_FIELDS}
            for code, fields in translations_in_configured_languages(
                entry.get("translations", {})
            ).items()
        }
        _article, article_changed = article_upsert(
            slug=slug,
            topic_slug=entry["topic"],
            reviewed_on=_date(entry["reviewed_on"]),
            translations=translations,
            institution_slugs=[name for name in wanted if name in institutions],
            sources=entry.get("sources", []),
            status=ArticleStatus.PUBLISHED,
            note="default content",
        )
        changed += article_changed
    return changed


def referral_rules_default_load() -> int:
    """The referral rules of referrals.toml whose topic, article and institution exist here."""
    with REFERRALS_FILE.open("rb") as handle:
        rules = tomllib.load(handle).get("rule", [])
    topics = set(Topic.objects.values_list("slug", flat=True))
    institutions = set(Institution.objects.values_list("slug", flat=True))
    articles = set(Article.objects.values_list("slug", flat=True))
    changed = 0
    for rule in rules:
        institution = rule.get("institution") or None
        article = rule.get("article") or None
        if (
            rule["topic"] not in topics
            or (institution and institution not in institutions)
            or (article and article not in articles)
        ):
            continue
        _rule, rule_changed = referral_rule_set(
            topic_slug=rule["topic"],
            institution_slug=institution,
            article_slug=article,
            weight=float(rule.get("weight", 1.0)),
        )
        changed += rule_changed
    return changed


def knowledge_default_content_load() -> int:
    return articles_default_content_load() + referral_rules_default_load()
