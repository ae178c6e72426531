"""Every interface string is translated into every language of the site.

The test extracts the strings from the code and templates into a copy of the
``.po`` files, so a string added without a translation fails here, not in
front of a visitor.
"""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

ROOT = Path(__file__).resolve().parent.parent
SOURCE_LANGUAGE = "en"  # msgids are English: an empty English msgstr shows the msgid itself

pytestmark = pytest.mark.skipif(
    shutil.which("msgattrib") is None, reason="gettext tools are not installed (Debian: gettext)"
)


@pytest.fixture(scope="module")
def refreshed_catalogues(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's .po files merged with every string the code uses today."""
    locale = tmp_path_factory.mktemp("catalogues") / "locale"
    shutil.copytree(ROOT / "locale", locale)
    codes = [code for code, _name in settings.LANGUAGES]
    with override_settings(LOCALE_PATHS=[locale]):
        call_command(
            "makemessages",
            locale=codes,
            ignore_patterns=[".venv/*", "node_modules/*", "test-artifacts/*", "var/*"],
            no_location=True,
            verbosity=0,
        )
    return locale


def _entries(po_file: Path, *options: str) -> list[str]:
    output = subprocess.run(
        ["msgattrib", *options, "--no-obsolete", "--no-wrap", str(po_file)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [line[len("msgid ") :] for line in output.splitlines() if line.startswith('msgid "')][
        1:  # the header entry
    ]


@pytest.mark.slow
@pytest.mark.parametrize("code", [code for code, _name in settings.LANGUAGES])
def test_every_string_is_translated(refreshed_catalogues: Path, code: str) -> None:
    po_file = refreshed_catalogues / code / "LC_MESSAGES" / "django.po"
    assert po_file.exists(), f"locale/{code}/LC_MESSAGES/django.po is missing: run make messages"
    fuzzy = _entries(po_file, "--only-fuzzy")
    assert not fuzzy, f"{code}: fuzzy entries to check: {fuzzy[:20]}"
    if code != SOURCE_LANGUAGE:
        untranslated = _entries(po_file, "--untranslated")
        assert not untranslated, (
            f"{code}: {len(untranslated)} strings without a translation "
            f"(run make messages and translate them): {untranslated[:20]}"
        )
