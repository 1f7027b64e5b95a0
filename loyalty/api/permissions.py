"""Each view names the scope a request needs per HTTP method; a key without it gets 403."""

from django.utils.translation import gettext as _
from rest_framework.permissions import BasePermission

from .authentication import PartnerPrincipal


class HasScope(BasePermission):
    code = "missing_scope"

    def has_permission(self, request, view):
        if not isinstance(request.user, PartnerPrincipal):
            return False
        method = "GET" if request.method == "HEAD" else request.method  # HEAD answers with GET's view
        if method == "OPTIONS":
            return True  # the endpoint's description, no member data
        scope = view.required_scopes.get(method)
        if scope is None:
            # Not declared: refused where the view would answer it; DRF answers 405 where it would not.
            return not hasattr(view, method.lower())
        if request.auth.has_scope(scope):
            return True
        self.message = _("This API key lacks the '%(scope)s' scope.") % {"scope": scope}
        return False
