"""The narrative form: one text box per section and per metric, each with the stamp of the text it showed."""

from django import forms

from bcf_dashboard.quarterly.models import METRIC_PREFIX, SECTIONS
from bcf_dashboard.quarterly.services import max_length, text_stamp

FORM_ID = "narrative-form"
COMMENT_FIELD = "comment_"  # metric codes hold "-", so a metric's field is comment_<code>
HINTS = {
    "challenges": "What has held progress back this quarter, and what is being done about it.",
    "achievements": "What has gone well: schemes delivered, integration milestones, people helped.",
    "support": "Help the area would like from NHS England, the LGA or the Better Care Support Team.",
}


def field_name(section: str) -> str:
    return COMMENT_FIELD + section[len(METRIC_PREFIX) :] if section.startswith(METRIC_PREFIX) else section


class NarrativeForm(forms.Form):
    """Fields are the sections that may be written; the text boxes sit in place on the summary page
    (each names the form with ``form=``), so a metric's comment is written beside its figures."""

    def __init__(self, *args, sections: list[str], stored: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.sections = {field_name(s): s for s in sections}
        for name, section in self.sections.items():
            text = stored[section].text if section in stored else ""
            is_comment = section.startswith(METRIC_PREFIX)
            label = f"Comment on {section[len(METRIC_PREFIX) :]}" if is_comment else SECTIONS[section]
            self.fields[name] = forms.CharField(
                label=label,
                required=False,
                strip=True,
                max_length=max_length(section),
                initial=text,
                help_text="" if is_comment else HINTS.get(section, ""),
                widget=forms.Textarea(attrs={"rows": 2 if is_comment else 5, "form": FORM_ID}),
            )
            self.fields[f"seen_{name}"] = forms.CharField(
                required=False, initial=text_stamp(text), widget=forms.HiddenInput(attrs={"form": FORM_ID})
            )

    def _posted(self):
        """Only the sections the page showed: one not on the page was not seen, so is not saved."""
        return [(name, section) for name, section in self.sections.items() if f"seen_{name}" in self.data]

    def texts(self) -> dict[str, str]:
        return {section: self.cleaned_data[name] for name, section in self._posted()}

    def seen(self) -> dict[str, str]:
        return {section: self.cleaned_data[f"seen_{name}"] for name, section in self._posted()}

    def section_field(self, key: str):
        return self[key] if key in self.fields else None

    def comment_field(self, code: str):
        name = COMMENT_FIELD + code
        return self[name] if name in self.fields else None

    def seen_fields(self):
        return [self[name] for name in self.fields if name.startswith("seen_")]
