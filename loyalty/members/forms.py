"""Forms members fill in on the website: sign-up, joining as an existing user, log-in, preferences."""

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _


class JoinForm(forms.Form):
    """A logged-in user of the site who is not a member joins with one click: only consent is asked."""

    locale = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    marketing_consent = forms.BooleanField(
        label=_("Yes, send me personal tips and offers by email"),
        required=False,
    )
    invite = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)


class SignUpForm(JoinForm):
    """A visitor signs up: a new user of the site and their membership."""

    field_order = [
        "first_name",
        "last_name",
        "email",
        "password1",
        "password2",
        "locale",
        "marketing_consent",
    ]

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Email address"))
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, **kwargs):
        from .services import longest_email

        super().__init__(*args, **kwargs)
        email, limit = self.fields["email"], longest_email()
        email.max_length = limit
        email.validators.append(MaxLengthValidator(limit))
        email.widget.attrs["maxlength"] = str(limit)

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords are not the same."))
        elif password1:
            try:
                password_validation.validate_password(password1)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class MemberAuthenticationForm(AuthenticationForm):
    """Log in with an email address, or the username on a site whose user model has one. It goes
    through the site's ``AUTHENTICATION_BACKENDS`` (``authenticate()``), like Django's own form."""

    username = forms.CharField(
        label=_("Email address"), max_length=254, widget=forms.TextInput(attrs={"autofocus": True})
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "This email address and password do not match an account. Check both, or reset your password."
        ),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        User = get_user_model()
        if User.get_email_field_name() != User.USERNAME_FIELD:
            self.fields["username"].label = _("Email address or username")
        else:
            self.fields["username"].widget = forms.EmailInput(attrs={"autofocus": True})

    def clean(self):
        """Try what was typed first (a username, or the address on an email-only model); if that
        fails and it is the address of exactly one user, try that user's username."""
        identifier = (self.cleaned_data.get("username") or "").strip()
        self.cleaned_data["username"] = identifier
        try:
            return super().clean()
        except forms.ValidationError:
            username = self._username_with_email(identifier)
            if username is None or username == identifier:
                raise
            self.cleaned_data["username"] = username
            return super().clean()

    @staticmethod
    def _username_with_email(identifier: str) -> str | None:
        from .services import normalise_email, users_with_email

        if "@" not in identifier:
            return None
        users = list(users_with_email(normalise_email(identifier))[:2])
        return users[0].get_username() if len(users) == 1 else None


class PreferencesForm(forms.Form):
    locale = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    birth_date = forms.DateField(
        label=_("Birthday (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("We give you Likes on your birthday."),
    )
    notify_likes_received = forms.BooleanField(
        label=_("Email me when someone shares Likes with me"), required=False
    )
    marketing_consent = forms.BooleanField(
        label=_("Yes, send me personal tips and offers by email"), required=False
    )

    def clean_birth_date(self):
        from django.utils import timezone

        birth_date = self.cleaned_data["birth_date"]
        if birth_date and not (birth_date.year >= 1900 and birth_date <= timezone.localdate()):
            raise forms.ValidationError(_("Enter your real date of birth."))
        return birth_date
