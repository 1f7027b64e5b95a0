"""Member sign-up; log-in, log-out and password reset reuse Django's views with our templates."""

from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView

from .exceptions import EmailAlreadyRegistered
from .forms import SignUpForm
from .services import enrol_member


class SignUpView(FormView):
    template_name = "loyalty/members/signup.html"
    form_class = SignUpForm

    def get_initial(self):
        return {"locale": self.request.LANGUAGE_CODE}

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
