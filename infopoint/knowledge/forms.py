from django import forms
from django.utils.translation import gettext_lazy as _

# Longer than any question typed in a search box; a longer text gets a message, not a search.
MAX_QUERY_LENGTH = 500


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("What do you want to know?"),
        help_text=_("A few words or a question, in Polish, Ukrainian, Russian or English."),
        required=False,
        strip=True,
        max_length=MAX_QUERY_LENGTH,
        error_messages={
            "max_length": _(
                "Your question is too long to search. Use a few words, at most "
                "%(limit_value)d characters."
            )
        },
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


class FeedbackForm(forms.Form):
    helpful = forms.TypedChoiceField(
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
    )
    language = forms.CharField(max_length=12)
