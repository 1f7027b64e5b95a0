"""Member-facing email pages: preferences, one-click unsubscribe, and the tracked link and open pixel."""

import base64
import contextlib

from django.contrib import messages
from django.core import signing
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from loyalty.members.decorators import member_required
from loyalty.members.services import set_marketing_consent

from . import services
from .exceptions import CampaignError
from .forms import EmailPreferencesForm
from .models import EmailKind
from .rendering import CLICK_SALT, OPEN_SALT

PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


@member_required
def email_preferences(request):
    member = request.member
    initial = {"marketing_consent": member.marketing_consent, "kinds": services.wanted_kinds(member)}
    form = EmailPreferencesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        set_marketing_consent(member=member, consent=form.cleaned_data["marketing_consent"])
        services.set_email_kinds(member, form.cleaned_data["kinds"])
        messages.success(request, _("Your email choices are saved."))
        return redirect("loyalty:email_preferences")
    return render(request, "loyalty/emails/preferences.html", {"form": form})


# Mail clients post RFC 8058 one-click unsubscribes without a CSRF token; the signed token is the key.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    try:
        member, kind, send_id = services.read_unsubscribe_token(token)
    except CampaignError as refusal:
        return render(request, "loyalty/emails/unsubscribe.html", {"error": str(refusal)}, status=400)
    kind_label = EmailKind(kind).label
    if request.method == "POST":
        everything = request.POST.get("scope") == "all"
        services.unsubscribe(member, EmailKind.values if everything else [kind], send_id=send_id)
        if everything:
            set_marketing_consent(member=member, consent=False)
        return render(
            request,
            "loyalty/emails/unsubscribe.html",
            {"done": True, "everything": everything, "kind": kind_label},
        )
    return render(request, "loyalty/emails/unsubscribe.html", {"kind": kind_label, "member": member})


def click(request, token):
    try:
        send_id, url = signing.loads(token, salt=CLICK_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return HttpResponseBadRequest(_("This link is damaged. Please open the site directly."))
    if not str(url).startswith(("http://", "https://")):
        return HttpResponseBadRequest(_("This link is damaged. Please open the site directly."))
    services.record_click(int(send_id), url)
    return HttpResponseRedirect(url)


def open_pixel(request, token):
    # A damaged pixel address still gets its image; it just counts nothing.
    with contextlib.suppress(signing.BadSignature, ValueError, TypeError):
        services.record_open(int(signing.loads(token, salt=OPEN_SALT)))
    response = HttpResponse(PIXEL, content_type="image/gif")
    response["Cache-Control"] = "no-store"
    return response
