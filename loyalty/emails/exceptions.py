"""Why a campaign action was refused, in words an editor or member understands."""


class CampaignError(Exception):
    code = "campaign_error"
