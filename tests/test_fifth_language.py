"""Adding a language is settings, a .po file and content: no code changes."""

import shutil
import subprocess
from pathlib import Path

import pytest

from infopoint.core.content import default_content_load
from infopoint.topics.models import Topic, TopicTranslation

GEORGIAN_PO = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: ka\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

msgid "Topics"
msgstr "თემები"
"""

pytestmark = pytest.mark.skipif(
    shutil.which("msgfmt") is None, reason="gettext tools are not installed (Debian: gettext)"
)


@pytest.fixture
def georgian(settings, tmp_path: Path) -> None:
    catalogue = tmp_path / "ka" / "LC_MESSAGES"
    catalogue.mkdir(parents=True)
    (catalogue / "django.po").write_text(GEORGIAN_PO)
    subprocess.run(
        ["msgfmt", "-o", str(catalogue / "django.mo"), str(catalogue / "django.po")], check=True
    )
    settings.LANGUAGES = [*settings.LANGUAGES, ("ka", "ქართული")]
    settings.LOCALE_PATHS = [tmp_path, *settings.LOCALE_PATHS]


@pytest.mark.django_db
def test_a_fifth_language_gets_its_own_pages(client, georgian) -> None:
    default_content_load()
    health = Topic.objects.get(slug="health")
    TopicTranslation.objects.create(
        topic=health, language="ka", name="ჯანდაცვა", description="ექიმი და დაზღვევა."
    )

    response = client.get("/ka/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ka"' in html
    assert "თემები" in html  # interface string from the new .po file
    assert "ჯანდაცვა" in html  # content row in the new language
    assert 'hreflang="ka"' in html  # offered in the language switcher


@pytest.mark.django_db
def test_content_missing_in_the_fifth_language_falls_back_visibly(client, georgian) -> None:
    default_content_load()

    response = client.get("/ka/topics/education/")

    assert response.status_code == 200
    html = response.content.decode()
    education = Topic.objects.get(slug="education").translation("en")
    assert education.name in html
    # Marked as English for screen readers, with a note (untranslated in Georgian, so English).
    assert f'<span lang="en">{education.name}</span>' in html
    assert 'class="fallback__note"' in html
