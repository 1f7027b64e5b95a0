"""Member sign-up, joining as an existing user, and preferences (log-in pages: ``auth_views``)."""

from django.contrib import messages
from django.contrib.auth import authenticate, login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView

from .auth import login_url
from .decorators import member_required
from .exceptions import AlreadyMember, EmailAlreadyRegistered
from .forms import JoinForm, PreferencesForm, SignUpForm
from .services import enrol_member, join_program, update_preferences


class SignUpView(FormView):
    """Visitors sign up (a new user and their membership); a logged-in user of the site who is not a
    member joins with one click (consent asked); members go to their account page."""

    template_name = "loyalty/members/signup.html"
    form_class = SignUpForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and hasattr(request.user, "member"):
            return redirect("loyalty:account")
        if request.user.is_authenticated:
            self.template_name, self.form_class = "loyalty/members/join.html", JoinForm
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {
            "locale": getattr(self.request, "LANGUAGE_CODE", None),
            "invite": self.request.GET.get("invite", ""),
        }

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "login_url": login_url(reverse("loyalty:account"))}

    def form_valid(self, form):
        if self.request.user.is_authenticated:
            return self.join(form.cleaned_data)
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
        user = authenticate(self.request, username=member.user.get_username(), password=data["password1"])
        if user is None:  # the site's backends want more first (a verified address, say)
            messages.success(self.request, _("Welcome to the club! Log in to see your Likes."))
            return redirect(login_url(reverse("loyalty:account")))
        login(self.request, user)
        return self.welcome(member)

    def join(self, data):
        try:
            member = join_program(
                user=self.request.user,
                locale=data["locale"],
                marketing_consent=data["marketing_consent"],
                referral_code=data["invite"],
            )
        except AlreadyMember:
            return redirect("loyalty:account")
        return self.welcome(member)

    def welcome(self, member):
        messages.success(
            self.request,
            _("Welcome to the club, %(name)s! Your member number is %(number)s.")
            % {"name": member.first_name, "number": member.formatted_number},
        )
        return redirect("loyalty:account")


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
