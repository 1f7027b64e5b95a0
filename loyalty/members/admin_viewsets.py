"""The Wagtail admin's Members screen: search by number, name or email; links to each ledger."""

from django.contrib.auth import get_user_model
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import ListingButton
from wagtail.permission_policies import ModelPermissionPolicy

from .models import Member, user_name_fields


class RestrictedActionsPolicy(ModelPermissionPolicy):
    """Model permissions, minus the ``denied`` actions, which no editor (not even a superuser) gets."""

    denied: tuple[str, ...] = ()

    def __init__(self, model, *, denied: tuple[str, ...] = (), **kwargs):
        super().__init__(model, **kwargs)
        self.denied = denied or self.denied

    def user_has_permission(self, user, action):
        if action in self.denied:
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class MemberPermissionPolicy(RestrictedActionsPolicy):
    """Members join on the website or through the partner API, never by an editor's 'Add' or 'Delete'."""

    denied = ("add", "delete")


class MemberIndexView(generic.IndexView):
    def get_base_queryset(self):
        return Member.objects.select_related("user", "account")

    def get_list_more_buttons(self, instance):
        buttons = [
            ListingButton(
                _("Ledger"),
                url=reverse("loyalty_members:ledger", args=[instance.pk]),
                icon_name="list-ul",
                priority=5,
            ),
        ]
        try:  # the timeline comes with loyalty.insights, which a site may leave out
            timeline = reverse("loyalty_member_timeline", args=[instance.pk])
        except NoReverseMatch:
            timeline = None
        if timeline:
            buttons.append(ListingButton(_("Timeline"), url=timeline, icon_name="history", priority=6))
        return [*buttons, *super().get_list_more_buttons(instance)]


def member_search_fields() -> list[str]:
    """Number, email and, where the site's user model has them, the names."""
    User = get_user_model()
    names = [f"user__{name}" for name in user_name_fields(User)]
    return ["number", f"user__{User.get_email_field_name()}", *names]


class MemberViewSet(ModelViewSet):
    model = Member
    icon = "user"
    menu_label = _("Members")
    url_prefix = "loyalty/members"
    name = "loyalty_members"
    index_view_class = MemberIndexView
    search_fields = member_search_fields()
    search_backend_name = None
    list_filter = ["locale", "marketing_consent"]
    list_display = [
        "formatted_number",
        Column("name", label=_("Name"), accessor="display_name"),
        Column("email", label=_("Email"), accessor="user.email"),
        "joined_at",
        "left_at",
        Column("balance", label=_("Balance"), accessor="account.balance"),
    ]
    form_fields = ["locale", "birth_date", "marketing_consent", "notify_likes_received"]

    def formfield_for_dbfield(self, db_field, **kwargs):
        if db_field.name == "locale":
            from django import forms

            from .models import language_choices

            return forms.ChoiceField(label=db_field.verbose_name, choices=language_choices)
        return super().formfield_for_dbfield(db_field, **kwargs)

    inspect_view_enabled = True
    copy_view_enabled = False

    def get_urlpatterns(self):
        from loyalty.ledger.admin_views import MemberAdjustmentView, MemberLedgerView

        return super().get_urlpatterns() + [
            path("<int:pk>/ledger/", MemberLedgerView.as_view(), name="ledger"),
            path("<int:pk>/adjust/", MemberAdjustmentView.as_view(), name="adjust"),
        ]
