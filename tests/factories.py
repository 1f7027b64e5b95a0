"""factory-boy factories for test data."""

from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from loyalty.members.services import enrol_member


class UserFactory(factory.django.DjangoModelFactory):
    """A user of whatever user model the site has (the demo's username-based one, or the host test
    site's email-only one), made by its manager's ``create_user`` as the site would."""

    class Meta:
        model = get_user_model()

    email = factory.Sequence(lambda n: f"editor{n}@example.com")
    password = "correct horse battery"

    @classmethod
    def _create(cls, model_class, *args, email, password, **fields):
        existing = model_class._default_manager.filter(email=email).first()
        if existing is not None:
            return existing
        identity = {model_class.USERNAME_FIELD: email, model_class.get_email_field_name(): email}
        return model_class._default_manager.create_user(password=password, **identity, **fields)


class MemberFactory(factory.Factory):
    """Members are made through the enrolment service, as in production (account included)."""

    class Meta:
        model = dict

    email = factory.Sequence(lambda n: f"member{n}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = "correct horse battery"
    locale = "en"
    marketing_consent = False

    @classmethod
    def _create(cls, model_class, **kwargs):
        return enrol_member(**kwargs)

    _build = _create


class ProductCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "loyalty_rules.ProductCategory"
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


class PurchaseRuleFactory(factory.django.DjangoModelFactory):
    """10 Likes per EUR 1.00, the example program's rate."""

    class Meta:
        model = "loyalty_rules.EarningRule"

    name = "Likes per euro"
    trigger = "purchase"
    likes_per_unit = Decimal("10")
    unit_amount = Decimal("1.00")
    currency = "EUR"


class ActionRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "loyalty_rules.EarningRule"

    name = factory.LazyAttribute(lambda rule: f"Likes for {rule.trigger}")
    trigger = "post"
    likes = 10


class RewardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "loyalty_rewards.Reward"

    title = factory.Sequence(lambda n: f"Cinema ticket {n}")
    description = "Two tickets for any film."
    cost = 100
    stock = None
