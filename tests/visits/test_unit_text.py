"""A unit's name and district are one line of plain text."""

import pytest
from django.core.exceptions import ValidationError

from nightout.registry.models import Agency
from nightout.visits.forms import UnitForm
from nightout.visits.models import Unit


@pytest.mark.django_db
@pytest.mark.parametrize(("field", "value", "code"), [
    ("name", "Car\x0b1", "U+000B"), ("name", "Car\n1", "U+000A"), ("name", "Car\ud8001", "U+D800"),
    ("district", "Nor\x85th", "U+0085"),
])
def test_the_unit_form_refuses_bad_text(field, value, code):
    form = UnitForm({field: value}, agencies=Agency.objects.none(), units=Unit.objects.none())
    assert not form.is_valid()
    assert any(f"({code})" in e for e in form.errors[field])


def test_the_model_refuses_it_too_for_the_administration():
    with pytest.raises(ValidationError, match="The name contains a control character"):
        Unit._meta.get_field("name").run_validators("Car\x0b1")
