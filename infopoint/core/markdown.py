"""Markdown written by staff, turned into safe HTML: the one place that does it."""

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

# What staff may use: text structure, links, tables. No images, scripts, styles or frames.
ALLOWED_TAGS = {
    "a",
    "abbr",
    "blockquote",
    "br",
    "code",
    "dd",
    "dl",
    "dt",
    "em",
    "h2",
    "h3",
    "h4",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "*": {"lang"},
    "a": {"href", "title", "hreflang"},
    "abbr": {"title"},
    "th": {"scope"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


def render_markdown(text: str) -> SafeString:
    """Markdown to HTML with only the tags above kept; safe to put in a template as is.

    A page has its own h1 (its title), so a ``#`` heading in the text becomes an h2.
    """
    html = markdown.markdown(text or "", extensions=["sane_lists", "tables"])
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    return mark_safe(cleaned)  # noqa: S308  # nosec B308 B703  # sanitised by nh3 just above
