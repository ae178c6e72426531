"""Helpers the browser tests share: launching Chromium, axe-core, screenshots, page text.

Fixtures live in ``conftest.py``; the plain functions here are imported by test modules
(``from tests.browser.harness import assert_accessible, screenshot``).
"""

from __future__ import annotations

import os
import re
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Page, Request, Response

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
# Chromium must not try to reach Google: the test network is closed.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 390, "height": 844}
AXE_JS = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = ("serious", "critical")


@dataclass
class PageLog:
    """What went wrong while a page was open, beyond what the test asserts."""

    origin: str
    javascript: bool = True
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return [
            *(f"console error: {text}" for text in self.console_errors),
            *(f"failed request: {text}" for text in self.failed_requests),
            *(f"request outside the site (blocked): {url}" for url in self.external_requests),
        ]


_LOGS: weakref.WeakKeyDictionary[Page, PageLog] = weakref.WeakKeyDictionary()


def page_log(page: Page) -> PageLog:
    """What went wrong on a page opened by the ``new_page``/``page`` fixtures, so far."""
    return _LOGS[page]


def watch(page: Page, origin: str, *, javascript: bool = True) -> PageLog:
    """Records console errors and failed requests, and blocks every request outside ``origin``.

    The site must work without any third-party resource (fonts, scripts, analytics).
    """
    log = PageLog(origin=origin, javascript=javascript)

    def on_console(message: Any) -> None:
        if message.type == "error":
            log.console_errors.append(message.text)

    def on_response(response: Response) -> None:
        if response.status >= 400 and _same_origin(response.url, origin):
            log.failed_requests.append(f"{response.status} {response.url}")

    def on_request_failed(request: Request) -> None:
        if _same_origin(request.url, origin):
            log.failed_requests.append(f"{request.failure} {request.url}")

    def route(route: Any) -> None:
        url = route.request.url
        if _same_origin(url, origin) or url.startswith(("data:", "blob:", "about:")):
            route.continue_()
        else:
            log.external_requests.append(url)
            route.abort()

    page.on("console", on_console)
    page.on("pageerror", lambda error: log.console_errors.append(f"uncaught {error}"))
    page.on("response", on_response)
    page.on("requestfailed", on_request_failed)
    page.context.route("**/*", route)
    _LOGS[page] = log
    return log


def _same_origin(url: str, origin: str) -> bool:
    a, b = urlsplit(url), urlsplit(origin)
    return (a.scheme, a.netloc) == (b.scheme, b.netloc)


def axe_check(page: Page, *, impacts: tuple[str, ...] = BLOCKING_IMPACTS) -> list[dict[str, Any]]:
    """Runs the vendored axe-core on the page (WCAG 2.1 A and AA rules).

    Returns the violations whose impact is in ``impacts`` (serious or critical by default),
    as axe reports them: ``id``, ``impact``, ``help``, ``helpUrl``, ``nodes`` ...
    Needs JavaScript enabled in the page's context.
    """
    log = _LOGS.get(page)
    if log is not None and not log.javascript:
        # axe-core's timers never fire there, and axe.run would wait forever.
        raise ValueError("axe-core needs JavaScript: check this page in a context that has it")
    if not _has_axe(page):
        # Evaluated through the browser's debugging protocol, not added as a <script>: the
        # site's Content-Security-Policy rightly refuses inline scripts.
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async (tags) => await axe.run(document, {
            runOnly: {type: 'tag', values: tags},
            resultTypes: ['violations'],
        })""",
        AXE_TAGS,
    )
    return [v for v in result["violations"] if v.get("impact") in impacts]


def _has_axe(page: Page) -> bool:
    return page.evaluate("() => typeof window.axe !== 'undefined'")


def format_violations(violations: list[dict[str, Any]], *, where: str = "") -> str:
    """A readable list: rule id, impact, help, and the selectors of the failing elements."""
    lines = [f"{len(violations)} serious or critical WCAG 2.1 AA violation(s) {where}".rstrip()]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']} "
            f"[{violation.get('helpUrl', '')}]"
        )
        for node in violation["nodes"][:10]:
            target = " ".join(str(part) for part in node["target"])
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    at {target}: {summary}")
        if len(violation["nodes"]) > 10:
            lines.append(f"    ... and {len(violation['nodes']) - 10} more")
    return "\n".join(lines)


def assert_accessible(page: Page, *, where: str = "") -> None:
    """Fails the test with a readable list when axe finds a serious or critical violation."""
    violations = axe_check(page)
    if violations:
        pytest.fail(format_violations(violations, where=where or page.url), pytrace=False)


def screenshot_dir() -> Path:
    """Where screenshots go: $SCREENSHOT_DIR, by default test-artifacts/screenshots/."""
    configured = os.environ.get("SCREENSHOT_DIR")
    folder = Path(configured) if configured else ROOT / "test-artifacts" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def screenshot(page: Page, name: str, *, full_page: bool = True) -> Path:
    """Writes ``<name>.png`` to the screenshot folder and prints its path (see it with -s)."""
    path = screenshot_dir() / (name if name.endswith(".png") else f"{name}.png")
    page.screenshot(path=str(path), full_page=full_page)
    print(f"screenshot: {path}")
    return path


# Text in another language must be marked with its own lang attribute (WCAG 3.1.2), as a
# language switcher's entries are; this returns only the visible text in the page's language.
_TEXT_IN_PAGE_LANGUAGE = """() => {
    const pageLang = (document.documentElement.lang || '').toLowerCase();
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const parts = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const element = node.parentElement;
        if (!element || !node.textContent.trim()) continue;
        if (element.closest('script, style, noscript, template')) continue;
        if (element.checkVisibility && !element.checkVisibility()) continue;
        const marked = element.closest('[lang]');
        const lang = (marked ? marked.lang : pageLang).toLowerCase();
        if (lang && lang.split('-')[0] !== pageLang.split('-')[0]) continue;
        parts.push(node.textContent.trim());
    }
    return parts.join('\\n');
}"""


def text_in_page_language(page: Page) -> str:
    """The visible text of the page, leaving out passages marked as another language."""
    return page.evaluate(_TEXT_IN_PAGE_LANGUAGE)


# Words of one language that a page in another language should not show: untranslated
# interface leftovers (English function words catch whole untranslated sentences). Data,
# not the list of the site's languages: only pages in a language of SCRIPT_RULES are
# checked this way, since other languages may share some of these words.
LEFTOVER_WORDS: dict[str, list[str]] = {
    "en": [
        "the", "and", "with", "you", "your", "our", "can", "for", "of", "is", "are", "this",
        "from", "please", "us",
        "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
        "Opening hours", "Open now", "Closed", "Contact us", "Skip to", "Read more",
        "Send", "Submit", "Language", "Languages", "Search", "Home page", "Topics", "Phone",
        "Address", "Important", "Privacy", "Accessibility", "Sign in", "Hours",
    ],
    "pl": [
        "jest", "się", "oraz", "przez", "nie", "nas", "nam", "czy", "lub", "jeśli", "można",
        "poniedziałek", "wtorek", "środa", "czwartek", "piątek", "sobota", "niedziela",
        "Godziny otwarcia", "Otwarte", "Zamknięte", "Wyślij", "Przejdź do", "Szukaj",
        "Strona główna", "Czytaj dalej", "Napisz do nas", "Tematy", "Telefon",
    ],
}  # fmt: skip

# Letters a language's text must show at least one of, and letters it never uses.
SCRIPT_RULES: dict[str, tuple[str, str]] = {
    "uk": ("іїєґІЇЄҐ", "ыэъЫЭЪ"),
    "ru": ("ыэъёЫЭЪЁ", "іїєґІЇЄҐ"),
    "pl": ("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ", "\u0400-\u04ff"),
    "en": ("", "\u0400-\u04ff"),
}


def language_problems(text: str, language: str) -> list[str]:
    """Why ``text`` (lines of a page's text) does not read as ``language``; empty when fine.

    Each problem quotes the line it was found in, so the untranslated string is easy to find.
    """
    rule = SCRIPT_RULES.get(language)
    if rule is None:
        return []
    problems = []
    patterns = {
        other: re.compile(
            "|".join(rf"(?<!\w){re.escape(word)}(?!\w)" for word in words), re.IGNORECASE
        )
        for other, words in LEFTOVER_WORDS.items()
        if other != language
    }
    for line in dict.fromkeys(text.splitlines()):
        for other, pattern in patterns.items():
            match = pattern.search(line)
            if match:
                problems.append(
                    f"{other!r} text on a {language!r} page ({match.group(0)!r}): {line[:100]!r}"
                )
    required, forbidden = rule
    if required and not re.search(f"[{required}]", text):
        problems.append(f"none of the letters {required!r} that {language!r} text uses")
    for line in dict.fromkeys(text.splitlines()):
        found = sorted(set(re.findall(f"[{forbidden}]", line)))
        if found:
            problems.append(
                f"letters {language!r} does not use ({''.join(found)!r}): {line[:100]!r}"
            )
    return problems
