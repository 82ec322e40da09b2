"""Forms of the retention pages: they validate and clean only."""

from django import forms

from retention.models import RetentionSettings


class RetentionSettingsForm(forms.ModelForm):
    class Meta:
        model = RetentionSettings
        fields = ["not_retained_days", "warning_days"]
