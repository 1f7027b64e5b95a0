"""The survey answer page: opened from a signed link, no login needed, one answer per invitation."""

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from loyalty.ledger.conf import ledger_settings
from loyalty.ledger.exceptions import LedgerError

from .models import SurveyResponse
from .surveys import SurveyClosed, answer, invitation_from_token, shop_name

SCALE_LABELS = {
    "nps": (gettext_lazy("Not at all likely"), gettext_lazy("Extremely likely")),
    "ces": (gettext_lazy("Strongly disagree"), gettext_lazy("Strongly agree")),
    "csat": (gettext_lazy("Very dissatisfied"), gettext_lazy("Very satisfied")),
}
WHY = gettext_lazy("What is the main reason for your score?")


class AnswerForm(forms.Form):
    def __init__(self, *args, invitation, **kwargs):
        super().__init__(*args, **kwargs)
        survey = invitation.survey
        low, high = SurveyResponse.SCALES[survey.kind]
        self.fields["score"] = forms.TypedChoiceField(
            label=survey.question_text(shop_name()),
            choices=[(value, str(value)) for value in range(low, high + 1)],
            coerce=int,
            widget=forms.RadioSelect,
            error_messages={"required": _("Choose a score.")},
        )
        questions = [question.text for question in survey.follow_ups.all()]
        if survey.kind == "nps" and not questions:
            questions = [str(WHY)]
        self.questions = questions
        for index, question in enumerate(questions):
            self.fields[f"q{index}"] = forms.CharField(
                label=question, required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
            )

    def follow_ups(self) -> list[tuple[str, str]]:
        return [
            (question, self.cleaned_data.get(f"q{index}", "").strip())
            for index, question in enumerate(self.questions)
        ]


def survey_answer(request, token):
    try:
        invitation = invitation_from_token(token)
    except SurveyClosed as refusal:
        return render(request, "loyalty/insights/answer.html", {"closed": str(refusal)}, status=400)
    if invitation.answered_at is not None:
        return render(
            request,
            "loyalty/insights/answer.html",
            {"closed": _("You already answered this survey. Thank you!")},
        )
    form = AnswerForm(request.POST if request.method == "POST" else None, invitation=invitation)
    if request.method == "POST" and form.is_valid():
        try:
            response = answer(
                invitation=invitation, score=form.cleaned_data["score"], follow_ups=form.follow_ups()
            )
        except (SurveyClosed, LedgerError) as refusal:
            return render(request, "loyalty/insights/answer.html", {"closed": str(refusal)})
        return render(
            request,
            "loyalty/insights/answer.html",
            {"thanks": True, "likes": response.likes_earned, "currency": ledger_settings().currency_name},
        )
    low, high = SCALE_LABELS[invitation.survey.kind]
    return render(
        request,
        "loyalty/insights/answer.html",
        {"form": form, "invitation": invitation, "low_label": low, "high_label": high},
        status=400 if request.method == "POST" else 200,
    )
