"""Admin views: the moderation queue, and one form for every moderator action (with its reason)."""

from collections import OrderedDict

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import moderation
from .exceptions import CommunityError
from .models import Comment, Post, Report, Suspension

QUEUE_LIMIT = 200


def may_moderate(user) -> bool:
    return user.has_perm("community.change_post") and user.has_perm("community.change_comment")


class ModerationQueueView(WagtailAdminTemplateMixin, TemplateView):
    """Posts waiting for approval, then everything members reported, most-reported first."""

    page_title = gettext_lazy("Moderation queue")
    header_icon = "warning"
    template_name = "community/admin/queue.html"

    def dispatch(self, request, *args, **kwargs):
        if not may_moderate(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        pending = Post.objects.filter(status=Post.Status.PENDING).select_related("author__user", "topic")
        reports = (
            Report.objects.filter(resolved_at__isnull=True)
            .select_related("reporter__user", "post__author__user", "comment__author__user", "comment__post")
            .order_by("created_at")[:QUEUE_LIMIT]
        )
        reported = OrderedDict()
        for report in reports:
            target = report.post or report.comment
            key = ("post" if report.post_id else "comment", target.pk)
            entry = reported.setdefault(key, {"kind": key[0], "target": target, "reports": []})
            entry["reports"].append(report)
        items = sorted(reported.values(), key=lambda entry: -len(entry["reports"]))
        return super().get_context_data(pending=list(pending[:QUEUE_LIMIT]), reported=items, **kwargs)


class ModerateForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Sent to the author by email."),
    )

    def __init__(self, *args, reason_required=False, with_days=False, **kwargs):
        super().__init__(*args, **kwargs)
        if reason_required:
            self.fields["reason"].required = True
            self.fields["reason"].error_messages["required"] = _("Give a reason: the author is told why.")
        if with_days:
            self.fields["days"] = forms.IntegerField(
                label=_("Suspend for (days)"), min_value=1, max_value=3650, initial=7
            )


ACTIONS = {
    # action: (label, applies to, reason required)
    "approve": (gettext_lazy("Approve"), {"post"}, False),
    "reject": (gettext_lazy("Turn down"), {"post"}, True),
    "hide": (gettext_lazy("Hide"), {"post", "comment"}, True),
    "restore": (gettext_lazy("Restore"), {"post", "comment"}, False),
    "remove": (gettext_lazy("Delete"), {"post", "comment"}, True),
    "dismiss": (gettext_lazy("Keep (dismiss reports)"), {"post", "comment"}, False),
    "suspend": (gettext_lazy("Suspend the author"), {"post", "comment"}, True),
    "feature": (gettext_lazy("Feature"), {"post"}, False),
    "unfeature": (gettext_lazy("Stop featuring"), {"post"}, False),
}


class ModerateView(WagtailAdminTemplateMixin, FormView):
    """``<kind>/<pk>/<action>/``: confirm a moderator action and give the reason the author reads."""

    header_icon = "warning"
    template_name = "community/admin/moderate.html"
    form_class = ModerateForm

    def dispatch(self, request, *args, kind, pk, action, **kwargs):
        if action not in ACTIONS or kind not in ACTIONS[action][1]:
            raise Http404
        if not may_moderate(request.user):
            raise PermissionDenied
        if action == "suspend" and not request.user.has_perm("community.add_suspension"):
            raise PermissionDenied
        model = Post if kind == "post" else Comment
        self.kind, self.action = kind, action
        self.target = get_object_or_404(model.objects.select_related("author__user"), pk=pk)
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return ACTIONS[self.action][0]

    def get_page_subtitle(self):
        return str(self.target)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "reason_required": ACTIONS[self.action][2],
            "with_days": self.action == "suspend",
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(target=self.target, kind=self.kind, action=self.action, **kwargs)

    def form_valid(self, form):
        reason = form.cleaned_data["reason"]
        user = self.request.user
        try:
            self.perform(user, reason, form.cleaned_data.get("days"))
        except CommunityError as refusal:
            form.add_error(None, str(refusal))
            return self.form_invalid(form)
        messages.success(self.request, _("Done: %(action)s.") % {"action": ACTIONS[self.action][0]})
        # ``next`` only ever leads back into this site, never to one a crafted link names.
        return redirect(get_valid_next_url_from_request(self.request) or "community_moderation:index")

    def perform(self, user, reason, days):
        target, action = self.target, self.action
        if action == "approve":
            moderation.approve_post(post=target, moderator=user)
        elif action == "reject":
            moderation.reject_post(post=target, moderator=user, reason=reason)
        elif action == "hide":
            moderation.hide(target=target, moderator=user, reason=reason)
        elif action == "restore":
            moderation.restore(target=target, moderator=user, reason=reason)
        elif action == "remove":
            moderation.remove(target=target, moderator=user, reason=reason)
        elif action == "dismiss":
            moderation.dismiss_reports(target=target, moderator=user, reason=reason)
        elif action == "suspend":
            moderation.suspend(member=target.author, moderator=user, days=days, reason=reason)
        else:
            moderation.set_featured(post=target, moderator=user, featured=action == "feature")


class LiftSuspensionView(WagtailAdminTemplateMixin, FormView):
    page_title = gettext_lazy("Lift suspension")
    header_icon = "warning"
    template_name = "community/admin/moderate.html"
    form_class = forms.Form

    def dispatch(self, request, *args, pk, **kwargs):
        if not request.user.has_perm("community.change_suspension"):
            raise PermissionDenied
        self.suspension = get_object_or_404(Suspension.objects.select_related("member__user"), pk=pk)
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.suspension.member)

    def get_context_data(self, **kwargs):
        return super().get_context_data(suspension=self.suspension, action="lift", **kwargs)

    def form_valid(self, form):
        try:
            moderation.lift_suspension(suspension=self.suspension, moderator=self.request.user)
        except CommunityError as refusal:
            form.add_error(None, str(refusal))
            return self.form_invalid(form)
        messages.success(self.request, _("The suspension is lifted."))
        return redirect("community_suspensions:index")
