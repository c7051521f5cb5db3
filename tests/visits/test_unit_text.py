"""A unit's name is one line of plain text; its district one of the town's."""

import pytest
from django.core.exceptions import ValidationError

from nightout.registry.models import Agency
from nightout.visits.forms import UnitForm
from nightout.visits.models import Unit


@pytest.mark.django_db
@pytest.mark.parametrize(("field", "value", "code"), [
    ("name", "Car\x0b1", "U+000B"), ("name", "Car\n1", "U+000A"), ("name", "Car\ud8001", "U+D800"),
])
def test_the_unit_form_refuses_bad_text(field, value, code):
    form = UnitForm({field: value}, agencies=Agency.objects.none(), units=Unit.objects.none())
    assert not form.is_valid()
    assert any(f"({code})" in e for e in form.errors[field])


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["Centrl", "Nor\x85th", "central"])
def test_a_units_district_is_one_of_the_towns_never_a_typo(value):
    form = UnitForm({"district": value}, agencies=Agency.objects.none(),
                    units=Unit.objects.none(), districts=["Central", "North"])
    assert not form.is_valid()
    assert "Select a valid choice" in form.errors["district"][0]
    assert [c for c, _ in form.fields["district"].choices] == ["", "Central", "North"]


@pytest.mark.django_db
def test_a_district_typed_before_the_list_is_kept_and_marked():
    form = UnitForm(initial={"district": "Centrl"}, agencies=Agency.objects.none(),
                    units=Unit.objects.none(), districts=["Central"])
    assert ("Centrl", "Centrl (not one of the town's districts)") in form.fields[
        "district"].choices


def test_the_model_refuses_it_too_for_the_administration():
    with pytest.raises(ValidationError, match="The name contains a control character"):
        Unit._meta.get_field("name").run_validators("Car\x0b1")
