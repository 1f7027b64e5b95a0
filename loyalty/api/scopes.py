"""What a partner's API key may do; each endpoint names the scope it needs."""

from django.utils.translation import gettext_lazy as _

MEMBERS_READ = "members:read"
MEMBERS_WRITE = "members:write"
PURCHASES_WRITE = "purchases:write"
REDEMPTIONS_WRITE = "redemptions:write"
SHARING_WRITE = "sharing:write"
SURVEYS_WRITE = "surveys:write"
INSIGHTS_READ = "insights:read"
CONTACTS_WRITE = "contacts:write"

SCOPES = {
    MEMBERS_READ: _("Look up members, balances, transactions and discount quotes"),
    MEMBERS_WRITE: _("Enrol members and change their details"),
    PURCHASES_WRITE: _("Record purchases and refunds"),
    REDEMPTIONS_WRITE: _("Redeem Likes for rewards or discounts"),
    SHARING_WRITE: _("Share Likes on a member's behalf"),
    SURVEYS_WRITE: _("Record survey answers"),
    INSIGHTS_READ: _("Read program insights"),
    CONTACTS_WRITE: _("Report support contacts"),
}
SCOPE_CHOICES = list(SCOPES.items())


def parse_scopes(text: str) -> list[str]:
    """'purchases:write, members:read' -> a checked list; raises ValueError naming unknown scopes."""
    scopes = [scope.strip() for scope in text.split(",") if scope.strip()]
    unknown = [scope for scope in scopes if scope not in SCOPES]
    if unknown:
        raise ValueError(f"Unknown scope(s): {', '.join(unknown)}. Known scopes: {', '.join(SCOPES)}.")
    if not scopes:
        raise ValueError(f"Give at least one scope. Known scopes: {', '.join(SCOPES)}.")
    return list(dict.fromkeys(scopes))
