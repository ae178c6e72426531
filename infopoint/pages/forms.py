from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class DirectoryFilterForm(forms.Form):
    """The directory's topic filter (GET). An unknown topic is an error, not an empty list."""

    topic = forms.ChoiceField(
        label=_("Topic"),
        required=False,
        error_messages={"invalid_choice": _("Choose a topic from the list.")},
    )

    def __init__(self, *args: Any, topics: Iterable[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.topics = {topic.slug: topic for topic in topics}
        self.fields["topic"].choices = [  # type: ignore[attr-defined]
            ("", _("All topics")),
            *(
                (slug, str(topic.localised.name) if topic.localised else slug)
                for slug, topic in self.topics.items()
            ),
        ]

    def selected_topic(self) -> Any:
        """The chosen topic, or None for all topics or an invalid choice."""
        if not self.is_valid():
            return None
        return self.topics.get(self.cleaned_data.get("topic") or "")
