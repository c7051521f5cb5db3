from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from nightout.accounts.selectors import membership_list


@login_required
def me(request):
    return render(
        request, "accounts/me.html", {"memberships": membership_list(user=request.user)}
    )
