from django import forms

from bcf_dashboard.api.services import MAX_EXPIRY_DAYS


class NewTokenForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        label="What it is for",
        help_text="For example 'Power BI finance report': you will see it in the list below.",
    )
    expires_in_days = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_EXPIRY_DAYS,
        label="Expires after (days)",
        help_text=f"Leave blank for a token that lasts until you revoke it; at most {MAX_EXPIRY_DAYS} days.",
    )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("Say what the token is for, so that you can tell your tokens apart.")
        return name
