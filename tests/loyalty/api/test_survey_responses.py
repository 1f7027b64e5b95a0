"""POST /api/v1/survey-responses/: NPS, CES and CSAT answers on their scales, thanked with survey Likes."""

import pytest

from loyalty.insights.models import SurveyResponse
from tests.factories import ActionRuleFactory
from tests.loyalty.ledger.helpers import balance_of

pytestmark = pytest.mark.django_db


def answer(api, member, **fields):
    body = {
        "member": member.number,
        "kind": "nps",
        "score": 9,
        "comment": "Great advice",
        "touchpoint": "42",
        **fields,
    }
    return api.post("/api/v1/survey-responses/", body, format="json")


def test_an_answer_is_recorded_and_earns_the_survey_likes(api, member):
    ActionRuleFactory(trigger="survey", likes=25, cap_per_month=50)

    response = answer(api, member)

    assert response.status_code == 201
    assert response.json()["likes_earned"] == 25
    saved = SurveyResponse.objects.get()
    assert (saved.kind, saved.score, saved.comment, saved.touchpoint, saved.source) == (
        "nps",
        9,
        "Great advice",
        "42",
        "shop-x",
    )
    assert balance_of(member) == 25


def test_survey_likes_stop_at_the_rules_cap(api, member):
    ActionRuleFactory(trigger="survey", likes=25, cap_per_month=50)

    earned = [answer(api, member).json()["likes_earned"] for _ in range(3)]

    assert earned == [25, 25, 0]
    assert SurveyResponse.objects.count() == 3


@pytest.mark.parametrize(("kind", "score"), [("nps", 11), ("ces", 0), ("ces", 8), ("csat", 6), ("csat", 0)])
def test_a_score_off_its_scale_is_refused_and_nothing_is_stored(api, member, kind, score):
    response = answer(api, member, kind=kind, score=score)

    assert response.status_code == 400
    assert SurveyResponse.objects.count() == 0


def test_an_unknown_kind_names_the_field(api, member):
    response = answer(api, member, kind="mood")

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "kind"


def test_answers_need_the_surveys_scope(key_with, member):
    response = answer(key_with("members:read"), member)

    assert response.status_code == 403 and "surveys:write" in response.json()["detail"]
