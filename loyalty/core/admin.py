"""Read-only admin screens: a listing (and inspect, history, usage) with no way to add, edit or delete.

Wagtail's ``ModelViewSet`` always registers ``new/``, ``edit/<pk>/`` and ``delete/<pk>/``; there is
no ``edit_view_enabled`` switch (only ``inspect_view_enabled`` and ``copy_view_enabled`` exist), so
a viewset that merely hides its buttons still accepts a hand-made POST. A ``ReadOnlyModelViewSet``
closes that in two independent ways:

- routes: only an allow-list is registered (index, results, inspect, history, usage), so the add,
  edit, delete, copy and reorder URLs do not exist and answer 404, even for a superuser; screens
  the viewset adds itself (``super().get_urlpatterns() + [...]``) are kept;
- permissions: the model's registered policy must be a ``ReadOnlyPermissionPolicy``, which refuses
  every action but "view" to everyone, so no menu, button or link offers to add, change or delete.

Register the policy at the top of the app's ``wagtail_hooks.py``, before anything asks for it::

    register_permission_policy(Comment, ReadOnlyPermissionPolicy(Comment))

The viewset refuses to start (ImproperlyConfigured) if another policy is registered for its model.

Django's own permissions are untouched: a moderator's ``change_comment`` still unlocks the
project's own action screens (which check ``user.has_perm``), and, as in Django's admin, it also
lets them see the read-only listing.
"""

from django.contrib.admin.utils import quote
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.usage import UsageView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry

__all__ = ["ReadOnlyModelViewSet", "ReadOnlyPermissionPolicy"]

VIEW = "view"


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Only "view" is ever granted; "add", "change", "delete" (and any other action: "publish",
    "lock", ...) are refused to everyone, superusers included.

    "view" goes to users with the model's ``view`` permission or, as in Django's admin, its
    ``change`` permission (``view_implied_by``): moderators hold ``change_*`` for their own actions.
    """

    view_implied_by: tuple[str, ...] = ("change",)

    def _view_codenames(self):
        return (VIEW, *self.view_implied_by)

    def user_has_permission(self, user, action):
        if action != VIEW:
            return False
        has_model_permission = super().user_has_permission
        return any(has_model_permission(user, codename) for codename in self._view_codenames())

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        if VIEW not in actions:
            return get_user_model().objects.none()
        return super().users_with_any_permission(self._view_codenames())


class ReadOnlyHistoryView(HistoryView):
    """History for whoever may view; Wagtail's asks for add/change/delete, which nobody has here."""

    any_permission_required = [VIEW]
    inspect_url_name = None  # the viewset passes it when its inspect view is enabled

    @cached_property
    def header_buttons(self):  # Wagtail's is an "Edit" button, which would lead nowhere
        if not self.inspect_url_name:
            return []
        url = reverse(self.inspect_url_name, args=(quote(self.object.pk),))
        return [HeaderButton(label=_("Inspect"), url=url, icon_name="info-circle")]


class ReadOnlyUsageView(UsageView):
    """Usage for whoever may view; Wagtail's asks for "change", which nobody has here."""

    permission_required = VIEW


class ReadOnlyURLFinder(ModelAdminURLFinder):
    """Where the admin links an object of a read-only model (usage lists, logs, choosers): its
    inspect view for users who may view it, or nowhere."""

    inspect_url_name = None

    def construct_edit_url(self, instance):
        if not self.inspect_url_name:
            return None
        return reverse(self.inspect_url_name, args=(quote(instance.pk),))

    def get_edit_url(self, instance):
        policy = policy_registry.get(instance)
        if self.user and policy and not policy.user_has_permission_for_instance(self.user, VIEW, instance):
            return None
        return self.construct_edit_url(instance)


class ReadOnlyModelViewSet(ModelViewSet):
    """A ``ModelViewSet`` whose add, edit, delete, copy and reorder screens do not exist.

    Subclasses set ``model``, ``list_display`` and so on as usual (no ``form_fields``: there is no
    form), may keep ``inspect_view_enabled`` and may add their own screens in ``get_urlpatterns``.
    Not for snippets: ``SnippetViewSet`` has further write routes (revisions, publish, lock).
    """

    #: URL names of the screens that write; none is registered, none is offered.
    write_url_names = ("add", "edit", "delete", "copy", "reorder")

    copy_view_enabled = False
    sort_order_field = None  # no drag-and-drop reordering either
    history_view_class = ReadOnlyHistoryView
    usage_view_class = ReadOnlyUsageView

    def get_common_view_kwargs(self, **kwargs):
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        # Views build their buttons and links from these names; without them none points to a missing URL.
        for name in self.write_url_names:
            view_kwargs[f"{name}_url_name"] = None
        return view_kwargs

    def get_urlpatterns(self):
        # An allow-list, not ModelViewSet's list minus some: a route a later Wagtail adds stays out.
        conv = self.pk_path_converter
        urlpatterns = [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path(f"history/<{conv}:pk>/", self.history_view, name="history"),
            path(f"history-results/<{conv}:pk>/", self.history_results_view, name="history_results"),
            path(f"usage/<{conv}:pk>/", self.usage_view, name="usage"),
        ]
        if self.inspect_view_enabled:
            urlpatterns.append(path(f"inspect/<{conv}:pk>/", self.inspect_view, name="inspect"))
        return urlpatterns

    @property
    def url_finder_class(self):
        inspect_url_name = self.get_url_name("inspect") if self.inspect_view_enabled else None
        return type("_ReadOnlyURLFinder", (ReadOnlyURLFinder,), {"inspect_url_name": inspect_url_name})

    def get_permissions_to_register(self):
        # All of them, "view" included even without an inspect view: it is what opens the listing,
        # and the other codenames still unlock the project's own action screens.
        return Permission.objects.filter(content_type=ContentType.objects.get_for_model(self.model))

    def check_permission_policy(self):
        policy = policy_registry.get_by_type(self.model, fallback=False)
        if not isinstance(policy, ReadOnlyPermissionPolicy):
            label = self.model.__name__
            raise ImproperlyConfigured(
                f"{type(self).__name__} is read-only, but {self.model._meta.label} has "
                f"{type(policy).__name__ if policy else 'no registered'} permission policy. Add "
                f"register_permission_policy({label}, ReadOnlyPermissionPolicy({label})) at the top of "
                f"wagtail_hooks.py."
            )

    def register_permissions(self):
        self.check_permission_policy()
        super().register_permissions()
