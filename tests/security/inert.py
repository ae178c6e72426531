"""What an attack in stored text looks like, and a check that a page shows it inert."""

from __future__ import annotations

from html.parser import HTMLParser

# One attack of each kind; each calls alert() if a browser ever runs it.
PAYLOADS = (
    "<script>alert('xss-script')</script>",
    "<img src=x onerror=alert('xss-img')>",
    "[click](javascript:alert('xss-link')) <a href=\"javascript:alert('xss-href')\">go</a>",
    "\"><svg onload=alert('xss-svg')>",
)
ATTACK = " ".join(PAYLOADS)


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self._in_script = True
        if tag == "svg":
            self.problems.append("an <svg> element")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"an event handler {name}= on <{tag}>")
            url = (value or "").strip().lower()
            if name in {"href", "src", "action", "formaction", "data"} and url.startswith(
                "javascript:"
            ):
                self.problems.append(f"a javascript: URL in {tag}.{name}")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and "xss-" in data:
            self.problems.append("the attack's <script> element")


def active_markup(html: str) -> list[str]:
    """The markup in ``html`` that a browser would run: event handlers, scripts, js: URLs."""
    scanner = _Scanner()
    scanner.feed(html)
    scanner.close()
    return scanner.problems
