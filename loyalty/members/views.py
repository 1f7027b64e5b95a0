"""Member sign-up and preferences; log-in, log-out and password reset reuse Django's views."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.generic import FormView

from .decorators import member_required
from .exceptions import EmailAlreadyRegistered
from .forms import PreferencesForm, SignUpForm
from .services import enrol_member, update_preferences


class SignUpView(FormView):
    template_name = "loyalty/members/signup.html"
    form_class = SignUpForm

    def get_initial(self):
        return {"locale": self.request.LANGUAGE_CODE, "invite": self.request.GET.get("invite", "")}

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and hasattr(request.user, "member"):
            return redirect("loyalty:account")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            member = enrol_member(
                email=data["email"],
                password=data["password1"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                locale=data["locale"],
                marketing_consent=data["marketing_consent"],
                referral_code=data["invite"],
            )
        except EmailAlreadyRegistered as error:
            form.add_error("email", str(error))
            return self.form_invalid(form)
        login(self.request, member.user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            self.request,
            _("Welcome to the club, %(name)s! Your member number is %(number)s.")
            % {"name": member.first_name, "number": member.formatted_number},
        )
        return redirect("loyalty:account")


@login_required
@member_required
def preferences(request):
    member = request.member
    initial = {
        "locale": member.locale,
        "birth_date": member.birth_date,
        "notify_likes_received": member.notify_likes_received,
        "marketing_consent": member.marketing_consent,
    }
    form = PreferencesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        update_preferences(member=member, **form.cleaned_data)
        messages.success(request, _("Your preferences were saved."))
        return redirect("loyalty:preferences")
    return render(request, "loyalty/members/preferences.html", {"form": form})
