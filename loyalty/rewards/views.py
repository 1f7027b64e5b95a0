"""/account/rewards/: the catalogue, a confirmation step per reward, and the member's vouchers."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from loyalty.ledger.conf import ledger_settings
from loyalty.ledger.exceptions import LedgerError
from loyalty.ledger.selectors import balance_summary
from loyalty.members.decorators import member_required

from .forms import RedeemForm
from .models import Redemption, Reward
from .selectors import rewards_for_member, vouchers_of
from .services import redeem_reward

VOUCHERS_SHOWN = 20


@member_required
def reward_list(request):
    summary = balance_summary(request.member)
    rewards = list(rewards_for_member(request.member))
    for reward in rewards:
        reward.shortfall = max(reward.cost - summary.spendable, 0)
    return render(
        request,
        "loyalty/rewards/list.html",
        {
            "rewards": rewards,
            "vouchers": vouchers_of(request.member)[:VOUCHERS_SHOWN],
            "summary": summary,
            "currency": ledger_settings().currency_name,
        },
    )


@member_required
def redeem(request, pk):
    reward = get_object_or_404(Reward.objects.available(in_stock=False), pk=pk)
    form = RedeemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            redemption = redeem_reward(
                member=request.member,
                reward=reward,
                idempotency_source=f"member:{request.member.pk}",
                idempotency_key=f"reward:{form.cleaned_data['token']}",
            )
        except LedgerError as refusal:
            messages.error(request, str(refusal))
            form = RedeemForm()
        else:
            return redirect("loyalty:voucher", redemption.code)
    summary = balance_summary(request.member)
    return render(
        request,
        "loyalty/rewards/confirm.html",
        {
            "reward": reward,
            "form": form,
            "summary": summary,
            "shortfall": max(reward.cost - summary.spendable, 0),
            "currency": ledger_settings().currency_name,
        },
    )


@member_required
def voucher(request, code):
    if "\x00" in code:  # no voucher has one, and PostgreSQL refuses NUL bytes in a query
        raise Http404()
    redemption = get_object_or_404(
        Redemption.objects.select_related("reward"), code=code, member=request.member
    )
    return render(
        request,
        "loyalty/rewards/voucher.html",
        {"redemption": redemption, "currency": ledger_settings().currency_name},
    )
