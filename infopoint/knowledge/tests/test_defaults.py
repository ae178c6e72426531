from pathlib import Path

from infopoint.knowledge.defaults import knowledge_default_content_load
from infopoint.knowledge.models import Article, ArticleRevision, ReferralRule

TOML = """
[[article]]
slug = "bank-account"
topic = "other"
reviewed_on = 2026-11-24
institutions = ["information-point", "no-such-institution"]
sources = [{ url = "https://www.knf.gov.pl/", title = "KNF" }]

[article.translations.pl]
title = "Konto w banku"
summary = "Jak otworzyć konto w banku."
body = "Weź paszport."

[article.translations.en]
title = "Bank account"
summary = "How to open a bank account."
body = "Bring your passport."

[article.translations.xx]
title = "Not a language of the site"
summary = "-"
body = "-"

[[article]]
slug = "unknown-topic"
topic = "no-such-topic"
reviewed_on = 2026-11-24
"""


def test_loading_twice_changes_nothing(directory, settings, tmp_path: Path) -> None:
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "other.toml").write_text(TOML, encoding="utf-8")
    settings.CONTENT_DIR = tmp_path
    assert knowledge_default_content_load() >= 1
    article = Article.objects.get()
    assert article.is_published
    assert article.available_languages() == ["en", "pl"]
    assert list(article.institutions.values_list("slug", flat=True)) == ["information-point"]
    assert ReferralRule.objects.filter(topic__slug="legal-stay", article=None).exists()
    revisions = ArticleRevision.objects.count()
    assert knowledge_default_content_load() == 0
    assert ArticleRevision.objects.count() == revisions


def test_a_city_without_articles_loads_nothing(directory, settings, tmp_path: Path) -> None:
    settings.CONTENT_DIR = tmp_path
    knowledge_default_content_load()
    assert not Article.objects.exists()
