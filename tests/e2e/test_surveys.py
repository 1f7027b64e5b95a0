"""A member follows the survey link on their account page, answers, and is thanked with Likes (browser)."""

import re

import pytest

from loyalty.insights.models import Survey, SurveyResponse
from loyalty.insights.surveys import invite
from tests.e2e.test_sharing import log_in
from tests.factories import ActionRuleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_answers_an_nps_survey_from_the_account_page(page, member):
    ActionRuleFactory(trigger="survey", likes=20)
    Survey.objects.create(name="NPS after a purchase", kind="nps", touchpoint="purchase", is_active=True)
    invite(member=member, touchpoint="purchase", reference="purchase:1")

    log_in(page, member)
    page.get_by_test_id("survey-prompt").get_by_role("link", name="Answer now").click()
    page.wait_for_url(re.compile(r"/surveys/[^/]+/$"))
    page.get_by_label("9", exact=True).check()
    page.get_by_label("What is the main reason for your score?").fill("Friendly advice in the shop")
    page.get_by_role("button", name="Send").click()

    assert "You earned 20 Likes" in page.get_by_test_id("thanks").inner_text()
    answer = SurveyResponse.objects.get()
    assert (answer.score, answer.comment) == (9, "Friendly advice in the shop")
    page.goto("/account/")
    assert page.get_by_test_id("survey-prompt").count() == 0
    assert page.get_by_test_id("balance").inner_text() == "20 Likes"
