"""The blocks editors build a campaign from. Each personal block says what to do when a member has
nothing for it (``if_empty``): skip the member for this campaign, show the fallback text, or leave
the section out. ``personalise.py`` fills them per member."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

IF_EMPTY_CHOICES = [
    ("skip", _("Skip the member (they get no email from this campaign)")),
    ("fallback", _("Show the fallback text instead")),
    ("hide", _("Leave this section out")),
]


def _if_empty(default: str):
    return blocks.ChoiceBlock(
        choices=IF_EMPTY_CHOICES,
        default=default,
        label=_("When a member has nothing here"),
    )


def _fallback():
    return blocks.RichTextBlock(
        required=False,
        features=["bold", "italic", "link"],
        label=_("Fallback text"),
        help_text=_("Shown when the member has nothing here and 'Show the fallback text' is chosen."),
    )


class GreetingBlock(blocks.CharBlock):
    class Meta:
        icon = "user"
        label = _("Greeting")
        help_text = _("For example 'Hello {first_name},'.")


class BalanceCardBlock(blocks.StructBlock):
    expiring_within_days = blocks.IntegerBlock(
        default=30, min_value=1, max_value=365, label=_("Show Likes expiring within (days)")
    )
    if_empty = _if_empty("hide")
    fallback = _fallback()

    class Meta:
        icon = "pick"
        label = _("Balance card")
        help_text = _("The balance and the Likes expiring soon. 'Nothing here' means nothing expires soon.")


class TipsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(default=_("Tips for what you bought"), label=_("Heading"))
    count = blocks.IntegerBlock(default=3, min_value=1, max_value=10, label=_("How many tips"))
    purchased_within_days = blocks.IntegerBlock(
        default=90, min_value=1, max_value=730, label=_("From purchases of the last (days)")
    )
    if_empty = _if_empty("skip")
    fallback = _fallback()

    class Meta:
        icon = "doc-full"
        label = _("Tips for what you bought")
        help_text = _("Tip pages tagged with the categories of the member's recent purchases.")


class CommunityBlock(blocks.StructBlock):
    heading = blocks.CharBlock(default=_("From the community"), label=_("Heading"))
    count = blocks.IntegerBlock(default=3, min_value=1, max_value=10, label=_("How many posts"))
    source = blocks.ChoiceBlock(
        choices=[
            ("topics", _("Popular posts on the member's topics, then featured posts")),
            ("featured", _("Featured posts")),
        ],
        default="topics",
        label=_("Which posts"),
    )
    if_empty = _if_empty("hide")
    fallback = _fallback()

    class Meta:
        icon = "group"
        label = _("From the community")
        help_text = _("Posts from the last 60 days on the categories the member bought.")


class RewardsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(default=_("Rewards you can have now"), label=_("Heading"))
    count = blocks.IntegerBlock(default=3, min_value=1, max_value=10, label=_("How many rewards"))
    if_empty = _if_empty("hide")
    fallback = _fallback()

    class Meta:
        icon = "tag"
        label = _("Rewards you can afford now")
        help_text = _(
            "Available rewards that cost no more than the member's spendable balance, dearest first."
        )


class ButtonBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("Button text"))
    page = blocks.PageChooserBlock(required=False, label=_("Page"))
    url = blocks.URLBlock(required=False, label=_("or address"))

    class Meta:
        icon = "link"
        label = _("Button")

    def clean(self, value):
        from django.core.exceptions import ValidationError
        from wagtail.blocks.struct_block import StructBlockValidationError

        value = super().clean(value)
        if not value.get("page") and not value.get("url"):
            raise StructBlockValidationError(
                block_errors={"url": ValidationError(_("Choose a page or give an address."))}
            )
        return value


class CampaignBodyBlock(blocks.StreamBlock):
    greeting = GreetingBlock()
    text = blocks.RichTextBlock(
        features=["h3", "bold", "italic", "link", "ol", "ul"],
        label=_("Text"),
        help_text=_("Placeholders: {first_name}, {balance}, {currency}."),
    )
    balance = BalanceCardBlock()
    tips = TipsBlock()
    community = CommunityBlock()
    rewards = RewardsBlock()
    button = ButtonBlock()

    class Meta:
        min_num = 1
