"""factory-boy factories for test data."""

import factory
from django.contrib.auth import get_user_model

from loyalty.members.services import enrol_member


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    email = factory.Sequence(lambda n: f"editor{n}@example.com")
    username = factory.SelfAttribute("email")
    password = factory.django.Password("correct horse battery")


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
