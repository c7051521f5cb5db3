"""The spreadsheet import's forms: the upload, and the mapping of the file's columns to fields."""

from django import forms

from nightout.registry.imports.columns import FIELDS, LEAVE_OUT
from nightout.text import PlainTextFields

NOT_READ = ""
TWICE = "“{field}” is chosen for two columns ({columns}); choose it for one."
MAPPING_CHOICES = [(NOT_READ, "Not read"), (LEAVE_OUT, "Leave out (never stored)")] + [
    (f.name, f.label) for f in FIELDS]


class ImportUploadForm(PlainTextFields, forms.Form):
    file = forms.FileField(label="Spreadsheet (CSV or XLSX)")
    sheet = forms.CharField(label="Sheet", required=False, max_length=200,
                            help_text="For a workbook with several sheets: which one to read.")


class MappingForm(forms.Form):
    """One choice per column of the file: the field it holds, leave it out, or not read.
    Field names are `column-<position>`; `columns` holds the file's own names."""

    def __init__(self, *args, columns: list[str], proposed: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.columns = columns
        for position, name in enumerate(columns):
            self.fields[f"column-{position}"] = forms.ChoiceField(
                label=name or f"Column {position + 1}", choices=MAPPING_CHOICES,
                required=False, initial=proposed.get(name, NOT_READ))

    def clean(self):
        data = super().clean()
        chosen: dict[str, list[str]] = {}
        for position, name in enumerate(self.columns):
            value = data.get(f"column-{position}") or NOT_READ
            if value not in (NOT_READ, LEAVE_OUT):
                chosen.setdefault(value, []).append(name)
        labels = {f.name: f.label for f in FIELDS}
        for value, names in chosen.items():
            if len(names) > 1:
                raise forms.ValidationError(TWICE.format(field=labels[value],
                                                         columns=", ".join(names)))
        return data

    def mapping(self) -> dict[str, str]:
        """Column as spelled → field, LEAVE_OUT or NOT_READ."""
        return {name: self.cleaned_data.get(f"column-{position}") or NOT_READ
                for position, name in enumerate(self.columns)}

    def rows(self, samples: list[list[str]]):
        """(bound field, samples) for each column, for the mapping table."""
        return [(self[f"column-{position}"], samples[position])
                for position in range(len(self.columns))]
