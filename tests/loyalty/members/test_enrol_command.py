"""manage.py loyalty_enrol makes the host site's existing users members, in bulk and in batches."""

from datetime import datetime, timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.utils import timezone

from loyalty.ledger import services as ledger
from loyalty.members.exceptions import AlreadyMember
from loyalty.members.management.commands import loyalty_enrol
from loyalty.members.models import Member
from tests.factories import ActionRuleFactory, UserFactory
from tests.loyalty.ledger.helpers import balance_of

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("loyalty_enrol", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def is_member(user) -> bool:
    return Member.objects.filter(user=user).exists()


def local(*args) -> datetime:
    return timezone.make_aware(datetime(*args))


def test_enrol_all_makes_every_active_non_member_a_member_with_an_account():
    users = [UserFactory(email=f"customer{n}@example.com") for n in range(3)]

    output = run("--all")

    for user in users:
        member = Member.objects.get(user=user)
        assert balance_of(member) == 0
        assert member.locale == "en"
        assert member.marketing_consent is False
        assert member.joined_at > timezone.now() - timedelta(minutes=5)
    assert "Enrolled 3 users; skipped 0 who were already members." in output


def test_email_domain_enrols_only_users_with_an_address_at_that_domain():
    anna = UserFactory(email="anna@shop.nl")
    bram = UserFactory(email="Bram@SHOP.NL")
    others = [UserFactory(email="eva@example.com"), UserFactory(email="tom@mail.shop.nl")]

    run("--email-domain", "shop.nl")

    assert is_member(anna) and is_member(bram)
    assert not any(is_member(user) for user in others)


def test_group_enrols_only_the_users_in_that_group():
    regulars = Group.objects.create(name="Regulars")
    inside, outside = UserFactory(), UserFactory()
    inside.groups.add(regulars)

    run("--group", "Regulars")

    assert is_member(inside)
    assert not is_member(outside)


def test_an_unknown_group_is_refused_by_its_name():
    UserFactory()

    with pytest.raises(CommandError, match="There is no group called 'Staff club'"):
        run("--group", "Staff club")
    assert Member.objects.count() == 0


def test_without_all_or_a_filter_nobody_is_enrolled():
    UserFactory()

    with pytest.raises(CommandError, match="give --all .* or a filter"):
        run()
    assert Member.objects.count() == 0


def test_a_bad_date_is_refused_with_the_reason():
    UserFactory()

    with pytest.raises(CommandError, match="--joined-before must be a date as YYYY-MM-DD, not '2024-02-30'"):
        run("--joined-before", "2024-02-30")
    assert Member.objects.count() == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--ids", "1,two,3"], "'two' is not an id"),
        (["--ids", ","], "at least one user id"),
        (["--email-domain", "anna@"], "must be a domain such as example.com"),
        (["--joined-after", "2024-03-01", "--joined-before", "2024-03-02"], "leave no day in between"),
        (["--all", "--locale", "de"], r"one of the site's languages \(en, nl\), not 'de'"),
        (["--all", "--batch-size", "0"], "--batch-size must be 1 or more"),
        (["--all", "--group", "Regulars"], "leave it out when you give a filter"),
    ],
)
def test_other_bad_input_is_refused_with_the_reason(args, message):
    UserFactory()

    with pytest.raises(CommandError, match=message):
        run(*args)
    assert Member.objects.count() == 0


def test_joined_before_and_after_select_by_the_day_the_user_joined_the_site():
    early = UserFactory(date_joined=local(2024, 1, 31, 23, 30))
    middle = UserFactory(date_joined=local(2024, 2, 15, 9, 0))
    late = UserFactory(date_joined=local(2024, 3, 1, 0, 15))

    run("--joined-after", "2024-01-31", "--joined-before", "2024-03-01")

    assert is_member(middle)
    assert not is_member(early) and not is_member(late)


def test_ids_enrol_only_those_users():
    chosen, also_chosen, not_chosen = UserFactory(), UserFactory(), UserFactory()

    run("--ids", f"{chosen.pk}, {also_chosen.pk},999999")

    assert is_member(chosen) and is_member(also_chosen)
    assert not is_member(not_chosen)


def test_a_dry_run_says_how_many_would_join_and_changes_nothing(member):
    UserFactory(), UserFactory()

    output = run("--all", "--dry-run")

    assert "Would enrol 2 users; skipping 1 who is already a member. Dry run: nothing was changed." in output
    assert Member.objects.count() == 1


def test_running_twice_enrols_nobody_the_second_time():
    UserFactory(), UserFactory()
    run("--all")

    again = run("--all")

    assert "Enrolled 0 users; skipped 2 who were already members." in again
    assert Member.objects.count() == 2


def test_keep_join_date_dates_the_membership_from_joining_the_site_without_sign_up_likes():
    ActionRuleFactory(trigger="signup", likes=25)
    user = UserFactory(date_joined=local(2020, 5, 1, 10, 0))

    run("--all", "--keep-join-date")

    member = Member.objects.get(user=user)
    assert member.joined_at == user.date_joined
    assert balance_of(member) == 0


def test_without_keep_join_date_new_members_join_today_with_the_sign_up_likes():
    ActionRuleFactory(trigger="signup", likes=25)
    user = UserFactory(date_joined=local(2020, 5, 1, 10, 0))

    run("--all")

    member = Member.objects.get(user=user)
    assert member.joined_at > timezone.now() - timedelta(minutes=5)
    assert balance_of(member) == 25


def test_inactive_users_are_left_out_unless_asked_for():
    active, inactive = UserFactory(), UserFactory(is_active=False)

    run("--all")
    assert is_member(active) and not is_member(inactive)

    run("--all", "--include-inactive")
    assert is_member(inactive)


def test_batches_smaller_than_the_users_still_enrol_everyone_and_report_each_batch():
    users = [UserFactory() for _ in range(5)]

    output = run("--all", "--batch-size", "2")

    assert all(is_member(user) for user in users)
    progress = [line for line in output.splitlines() if line.endswith("...")]
    assert progress == ["Enrolled 2 of 5 users...", "Enrolled 4 of 5 users...", "Enrolled 5 of 5 users..."]


def test_verbosity_zero_leaves_out_the_progress_lines():
    UserFactory(), UserFactory()

    output = run("--all", "--batch-size", "1", "--verbosity", "0")

    assert "..." not in output
    assert Member.objects.count() == 2


def test_existing_members_are_left_as_they_are(member):
    joined_at = timezone.now() - timedelta(days=400)
    Member.objects.filter(pk=member.pk).update(joined_at=joined_at)
    ledger.earn(member=member, amount=40)
    newcomer = UserFactory()

    output = run("--all")

    member.refresh_from_db()
    assert member.joined_at == joined_at
    assert balance_of(member) == 40
    assert Member.objects.filter(user=member.user).count() == 1
    assert is_member(newcomer)
    assert "Enrolled 1 user; skipped 1 who was already a member." in output


def test_a_user_who_joins_meanwhile_is_skipped(monkeypatch):
    raced, other = UserFactory(), UserFactory()
    real_join = loyalty_enrol.join_program

    def join_or_race(*, user, **kwargs):
        if user == raced:
            raise AlreadyMember()
        return real_join(user=user, **kwargs)

    monkeypatch.setattr(loyalty_enrol, "join_program", join_or_race)

    output = run("--all")

    assert is_member(other)
    assert "Enrolled 1 user; skipped 1 who was already a member." in output


def test_one_user_failing_leaves_the_others_enrolled(monkeypatch):
    broken, first, last = UserFactory(), UserFactory(), UserFactory()
    real_join = loyalty_enrol.join_program

    def join_or_fail(*, user, **kwargs):
        if user == broken:
            raise RuntimeError("the mail server is down")
        return real_join(user=user, **kwargs)

    monkeypatch.setattr(loyalty_enrol, "join_program", join_or_fail)
    errors = StringIO()

    with pytest.raises(CommandError, match="Could not enrol 1 user"):
        call_command("loyalty_enrol", "--all", "--batch-size", "1", stdout=StringIO(), stderr=errors)

    assert is_member(first) and is_member(last)
    assert not is_member(broken)
    assert f"Could not enrol user {broken.pk}: the mail server is down" in errors.getvalue()
