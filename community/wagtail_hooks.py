"""The admin's "Community" menu: moderation queue, posts, comments, suspensions and settings."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.widgets.button import ListingButton
from wagtail.contrib.settings.registry import SettingMenuItem
from wagtail.permissions import register_permission_policy

from loyalty.core.admin import ReadOnlyModelViewSet, ReadOnlyPermissionPolicy

from .admin_views import LiftSuspensionView, ModerateView, ModerationQueueView, may_moderate
from .models import Comment, CommunitySettings, Post, Suspension

COMMUNITY_MENU_HOOK = "register_community_menu_item"

# Members write; editors moderate through the actions below (with a reason, logged), never by
# adding, editing or deleting rows: the listings are read-only (loyalty.core.admin).
register_permission_policy(Post, ReadOnlyPermissionPolicy(Post))
register_permission_policy(Comment, ReadOnlyPermissionPolicy(Comment))
register_permission_policy(Suspension, ReadOnlyPermissionPolicy(Suspension))


def _moderate_url(kind: str, pk: int, action: str) -> str:
    return reverse("community_moderation:act", args=[kind, pk, action])


def _buttons(kind: str, instance, actions) -> list[ListingButton]:
    return [
        ListingButton(label, url=_moderate_url(kind, instance.pk, action), icon_name=icon, priority=10 + i)
        for i, (action, label, icon) in enumerate(actions)
    ]


class ModerationViewSet(ViewSet):
    name = "community_moderation"
    url_prefix = "community/moderation"
    icon = "warning"
    menu_label = _("Moderation queue")
    menu_order = 100
    menu_hook = COMMUNITY_MENU_HOOK

    @property
    def menu_item_class(self):
        class ModerationMenuItem(MenuItem):
            def is_shown(self, request):
                return may_moderate(request.user)

        return ModerationMenuItem

    def get_urlpatterns(self):
        return [
            path("", ModerationQueueView.as_view(), name="index"),
            path("<str:kind>/<int:pk>/<str:action>/", ModerateView.as_view(), name="act"),
        ]


class PostIndexView(generic.IndexView):
    def get_base_queryset(self):
        return Post.objects.select_related("author__user", "topic")

    def get_list_more_buttons(self, instance):
        if not may_moderate(self.request.user):
            return []
        actions = []
        if instance.status == Post.Status.PENDING:
            actions += [("approve", _("Approve"), "check"), ("reject", _("Turn down"), "cross")]
        if instance.status == Post.Status.PUBLISHED:
            actions.append(
                ("unfeature", _("Stop featuring"), "pick")
                if instance.is_featured
                else ("feature", _("Feature"), "pick")
            )
            actions += [("hide", _("Hide"), "view"), ("remove", _("Delete"), "bin")]
        if instance.status == Post.Status.HIDDEN or (instance.is_removed and instance.body):
            actions.append(("restore", _("Restore"), "undo"))
        actions.append(("suspend", _("Suspend the author"), "warning"))
        return _buttons("post", instance, actions)


class PostViewSet(ReadOnlyModelViewSet):
    model = Post
    icon = "doc-full"
    menu_label = _("Posts")
    menu_order = 200
    url_prefix = "community/posts"
    name = "community_posts"
    index_view_class = PostIndexView
    inspect_view_enabled = True
    list_display = [
        "title",
        Column("author", label=_("Author"), accessor="author"),
        Column("topic", label=_("Topic"), accessor="topic"),
        "status",
        "featured_at",
        "created_at",
    ]
    list_filter = ["status", "topic"]
    search_fields = ["title", "body", "author__number", "author__user__email"]
    search_backend_name = None
    inspect_view_fields = ["title", "author", "topic", "status", "body", "moderation_reason", "created_at"]


class CommentIndexView(generic.IndexView):
    def get_base_queryset(self):
        return Comment.objects.select_related("author__user", "post")

    def get_list_more_buttons(self, instance):
        if not may_moderate(self.request.user):
            return []
        actions = []
        if instance.status == Comment.Status.PUBLISHED:
            actions += [("hide", _("Hide"), "view"), ("remove", _("Delete"), "bin")]
        if instance.status == Comment.Status.HIDDEN or (
            instance.status == Comment.Status.REMOVED and instance.body
        ):
            actions.append(("restore", _("Restore"), "undo"))
        actions.append(("suspend", _("Suspend the author"), "warning"))
        return _buttons("comment", instance, actions)


class CommentViewSet(ReadOnlyModelViewSet):
    model = Comment
    icon = "comment"
    menu_label = _("Comments")
    menu_order = 300
    url_prefix = "community/comments"
    name = "community_comments"
    index_view_class = CommentIndexView
    inspect_view_enabled = True
    list_display = [
        "__str__",  # the title column: links to the inspect view, carries the row's buttons
        Column("author", label=_("Author"), accessor="author"),
        Column("post", label=_("Post"), accessor="post"),
        "status",
        "created_at",
    ]
    list_filter = ["status"]
    search_fields = ["body", "author__number", "author__user__email"]
    search_backend_name = None


class SuspensionIndexView(generic.IndexView):
    def get_base_queryset(self):
        return Suspension.objects.select_related("member__user", "created_by")

    def get_list_more_buttons(self, instance):
        if instance.is_in_force and self.request.user.has_perm("community.change_suspension"):
            return [
                ListingButton(
                    _("Lift"),
                    url=reverse("community_suspensions:lift", args=[instance.pk]),
                    icon_name="undo",
                    priority=5,
                )
            ]
        return []


class SuspensionViewSet(ReadOnlyModelViewSet):
    model = Suspension
    icon = "warning"
    menu_label = _("Suspensions")
    menu_order = 400
    url_prefix = "community/suspensions"
    name = "community_suspensions"
    index_view_class = SuspensionIndexView
    inspect_view_enabled = True
    list_display = [
        "member",  # the title column: links to the inspect view, carries "Lift"
        "starts_at",
        "ends_at",
        "lifted_at",
        "reason",
        Column("by", label=_("By"), accessor="created_by"),
    ]
    search_fields = ["member__number", "member__user__email", "reason"]
    search_backend_name = None

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("<int:pk>/lift/", LiftSuspensionView.as_view(), name="lift"),
        ]


class CommunityMenu(ViewSetGroup):
    menu_label = _("Community")
    menu_icon = "group"
    menu_order = 260
    submenu_hook = COMMUNITY_MENU_HOOK
    items = (PostViewSet, CommentViewSet, SuspensionViewSet)


@hooks.register("register_admin_viewset")
def register_community_menu():
    return CommunityMenu()


@hooks.register("register_admin_viewset")
def register_moderation():
    return ModerationViewSet()


@hooks.register(COMMUNITY_MENU_HOOK)
def community_settings_menu_item():
    return SettingMenuItem(CommunitySettings, icon="cog", name="community-settings", order=900)
