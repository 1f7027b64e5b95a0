"""Each view names the scope a request needs per HTTP method; a key without it gets 403."""

from django.utils.translation import gettext as _
from rest_framework.permissions import BasePermission

from .authentication import PartnerPrincipal


class HasScope(BasePermission):
    code = "missing_scope"

    def has_permission(self, request, view):
        if not isinstance(request.user, PartnerPrincipal):
            return False
        scope = view.required_scopes.get(request.method)
        if scope is None or request.auth.has_scope(scope):
            return True
        self.message = _("This API key lacks the '%(scope)s' scope.") % {"scope": scope}
        return False
