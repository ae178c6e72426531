import pytest

from infopoint.accounts.models import Role
from infopoint.accounts.services import role_groups_ensure


@pytest.mark.django_db
def test_coordinators_edit_content_and_advisers_only_their_availability() -> None:
    groups = role_groups_ensure()

    coordinator = set(groups[Role.COORDINATOR].permissions.values_list("codename", flat=True))
    adviser = set(groups[Role.ADVISER].permissions.values_list("codename", flat=True))

    assert {"change_weeklyhours", "change_topic", "change_institution", "change_article"} <= (
        coordinator
    )
    assert {"change_availabilityrule", "add_availabilityexception", "view_adviser"} <= adviser
    assert not any(codename.startswith("delete_") for codename in adviser)
    assert "change_booking" not in adviser
    assert {"view_user", "add_user", "change_user"} <= coordinator
    assert "delete_user" not in coordinator
