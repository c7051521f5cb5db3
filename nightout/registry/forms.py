from django import forms

from nightout.registry.dates import default_nno_date
from nightout.registry.models import Season


class SeasonForm(forms.ModelForm):
    """A season whose date may be left blank: it then takes the default NNO date for the
    jurisdiction's state (first Tuesday of August; of October in Texas)."""

    class Meta:
        model = Season
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nno_date"].required = False

    def clean(self):
        data = super().clean()
        jurisdiction, year = data.get("jurisdiction"), data.get("year")
        if not data.get("nno_date") and jurisdiction and year:
            data["nno_date"] = default_nno_date(year, jurisdiction.state)
            self.instance.nno_date = data["nno_date"]
        return data
