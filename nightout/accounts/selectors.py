from django.db.models import QuerySet

from nightout.accounts.models import Membership


def membership_list(*, user) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user)
        .select_related("jurisdiction", "agency", "region")
        .order_by("role", "id")
    )
