"""An agency token's name is one line of plain text, from the command line too."""

import pytest
from django.core.management import CommandError, call_command

from nightout.api.models import AgencyToken

pytestmark = pytest.mark.django_db


def test_a_token_name_with_a_control_character_is_refused_with_a_message(police):
    with pytest.raises(CommandError, match=r"The name contains a control character \(U\+000B\) "
                                           r"at position 9"):
        call_command("api-token", "create", agency=police.slug, name="Dispatch\x0bconsole")
    assert not AgencyToken.objects.exists()
    call_command("api-token", "create", agency=police.slug, name="Console de répartition 🚓")
    assert AgencyToken.objects.get().name == "Console de répartition 🚓"
