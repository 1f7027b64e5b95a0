"""The member's own account page: balance, pending and expiring Likes, and a paginated history."""

from django.core.paginator import Paginator
from django.shortcuts import render

from loyalty.members.decorators import member_required

from .conf import ledger_settings
from .selectors import balance_summary, history_lines, member_history

HISTORY_PAGE_SIZE = 20


@member_required
def account_overview(request):
    member = request.member
    page = Paginator(member_history(member), HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "loyalty/ledger/account.html",
        {
            "member": member,
            "summary": balance_summary(member),
            "page": page,
            "lines": history_lines(page),
            "currency": ledger_settings().currency_name,
        },
    )
