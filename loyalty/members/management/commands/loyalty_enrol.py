"""manage.py loyalty_enrol: make the host site's existing users members of the loyalty program, in bulk."""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import connections, router
from django.db.models import Count, Max
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from loyalty.core.dates import day_end, day_start
from loyalty.members.exceptions import AlreadyMember
from loyalty.members.models import default_locale
from loyalty.members.services import join_program

FILTERS = ("email_domain", "joined_before", "joined_after", "group", "ids")
DEFAULT_BATCH_SIZE = 500


class Command(BaseCommand):
    help = (
        "Enrol existing users of the site as loyalty members, in batches. It picks active users who "
        "are not members yet (--include-inactive adds the others): give --all, or one or more "
        "filters, which must all match. Every user joins in their own transaction, so a failure "
        "leaves the others enrolled, and running the command again enrols only those who are left. "
        "Nobody is given marketing consent: that is each member's own choice, on their preferences "
        "page. New members receive the Likes friends shared with their email address and, unless "
        "--keep-join-date makes them imported members, the sign-up Likes of the program's rules."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--all",
            action="store_true",
            help="Enrol every user who is not a member yet (instead of giving filters).",
        )
        parser.add_argument(
            "--email-domain",
            metavar="DOMAIN",
            help="Only users whose email address ends in @DOMAIN, such as example.com (not its subdomains).",
        )
        parser.add_argument(
            "--joined-before",
            metavar="YYYY-MM-DD",
            help="Only users who joined the site before this day (the day itself not included).",
        )
        parser.add_argument(
            "--joined-after",
            metavar="YYYY-MM-DD",
            help="Only users who joined the site after this day (the day itself not included).",
        )
        parser.add_argument("--group", metavar="NAME", help="Only users in this group (its exact name).")
        parser.add_argument(
            "--ids", metavar="1,2,3", help="Only the users with these ids, separated by commas."
        )
        parser.add_argument(
            "--include-inactive",
            action="store_true",
            help="Enrol inactive users too (by default only users whose account is active).",
        )
        parser.add_argument(
            "--locale",
            metavar="CODE",
            default=None,
            help="New members' language: one of the site's LANGUAGES (default: the site's LANGUAGE_CODE).",
        )
        parser.add_argument(
            "--keep-join-date",
            action="store_true",
            help=(
                "Date each membership from the day the user joined the site instead of today. "
                "They then count as imported members, who get no sign-up Likes."
            ),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Only say how many users would be enrolled; change nothing.",
        )
        parser.add_argument(
            "--batch-size",
            metavar="N",
            type=int,
            default=DEFAULT_BATCH_SIZE,
            help=f"Users read per batch; progress is shown after each (default: {DEFAULT_BATCH_SIZE}).",
        )

    def handle(self, *args, **options):
        User = get_user_model()
        locale = self.checked_locale(options["locale"])
        if options["batch_size"] < 1:
            raise CommandError(
                _("--batch-size must be 1 or more, not %(size)s.") % {"size": options["batch_size"]}
            )
        if options["keep_join_date"]:
            require_field(User, "date_joined", "--keep-join-date")
        candidates = self.candidates(User, options)
        users = candidates.filter(member__isnull=True)
        counted = users.aggregate(total=Count("pk"), last=Max("pk"))
        total, last = counted["total"], counted["last"]
        users = users.filter(pk__lte=last) if last is not None else users.none()  # who arrives later waits
        members_already = candidates.filter(member__isnull=False).count()

        if options["dry_run"]:
            self.stdout.write(
                "; ".join(
                    [
                        ngettext("Would enrol %(count)s user", "Would enrol %(count)s users", total)
                        % {"count": number(total)},
                        ngettext(
                            "skipping %(count)s who is already a member.",
                            "skipping %(count)s who are already members.",
                            members_already,
                        )
                        % {"count": number(members_already)},
                    ]
                )
                + " "
                + _("Dry run: nothing was changed.")
            )
            return

        enrolled, skipped, failed = self.enrol(
            users,
            total=total,
            locale=locale,
            keep_join_date=options["keep_join_date"],
            batch_size=options["batch_size"],
            progress=options["verbosity"] >= 1,
        )
        self.stdout.write(
            self.style.SUCCESS(
                "; ".join(
                    [
                        ngettext("Enrolled %(count)s user", "Enrolled %(count)s users", enrolled)
                        % {"count": number(enrolled)},
                        ngettext(
                            "skipped %(count)s who was already a member.",
                            "skipped %(count)s who were already members.",
                            skipped + members_already,
                        )
                        % {"count": number(skipped + members_already)},
                    ]
                )
            )
        )
        if failed:
            raise CommandError(
                ngettext(
                    "Could not enrol %(count)s user (see above); running the command again retries them.",
                    "Could not enrol %(count)s users (see above); running the command again retries them.",
                    failed,
                )
                % {"count": number(failed)}
            )

    def enrol(self, users, *, total, locale, keep_join_date, batch_size, progress):
        """Enrol ``users`` in primary-key order, a batch at a time (keyset pagination: each batch starts
        after the last key of the one before), each user in their own transaction."""
        enrolled = skipped = failed = 0
        after = None
        while True:
            batch = users if after is None else users.filter(pk__gt=after)
            batch = list(batch.order_by("pk")[:batch_size])
            if not batch:
                break
            for user in batch:
                try:
                    join_program(
                        user=user,
                        locale=locale,
                        marketing_consent=False,  # consent is the member's to give, never ours
                        joined_at=joined_at_of(user) if keep_join_date else None,
                    )
                except AlreadyMember:  # joined some other way since this batch was read
                    skipped += 1
                except Exception as error:  # noqa: BLE001 (reported; the others still join)
                    failed += 1
                    self.stderr.write(
                        _("Could not enrol user %(id)s: %(error)s")
                        % {"id": user.pk, "error": str(error) or repr(error)}
                    )
                else:
                    enrolled += 1
            after = batch[-1].pk
            if progress:
                self.stdout.write(
                    ngettext(
                        "Enrolled %(count)s of %(total)s user...",
                        "Enrolled %(count)s of %(total)s users...",
                        total,
                    )
                    % {"count": number(enrolled), "total": number(total)}
                )
        return enrolled, skipped, failed

    def candidates(self, User, options):
        """The users the options select, members or not: active ones unless --include-inactive."""
        given = [name for name in FILTERS if options[name] is not None]
        if options["all"] and given:
            raise CommandError(
                _("--all enrols every user; leave it out when you give a filter (%(filters)s).")
                % {"filters": ", ".join(option_name(name) for name in given)}
            )
        if not options["all"] and not given:
            raise CommandError(
                _(
                    "Say whom to enrol: give --all for every user who is not a member yet, or a filter: "
                    "--email-domain, --joined-before, --joined-after, --group or --ids."
                )
            )
        users = User._default_manager.all()
        if not options["include_inactive"] and has_field(User, "is_active"):
            users = users.filter(is_active=True)
        if options["email_domain"] is not None:
            users = users.filter(
                **{f"{email_field(User)}__iendswith": "@" + checked_domain(options["email_domain"])}
            )
        before = after = None
        if options["joined_before"] is not None:
            require_field(User, "date_joined", "--joined-before")
            before = parse_day(options["joined_before"], "--joined-before")
            users = users.filter(date_joined__lt=day_start(before))
        if options["joined_after"] is not None:
            require_field(User, "date_joined", "--joined-after")
            after = parse_day(options["joined_after"], "--joined-after")
            users = users.filter(date_joined__gte=day_end(after))
        if before and after and after + timedelta(days=1) >= before:
            raise CommandError(
                _("--joined-after %(after)s and --joined-before %(before)s leave no day in between.")
                % {"after": after.isoformat(), "before": before.isoformat()}
            )
        if options["group"] is not None:
            users = users.filter(groups=checked_group(User, options["group"]))
        if options["ids"] is not None:
            users = users.filter(pk__in=parse_ids(User, options["ids"]))
        return users

    def checked_locale(self, locale: str | None) -> str:
        if locale is None:
            return default_locale()
        codes = [code for code, _name in settings.LANGUAGES]
        if locale not in codes:
            raise CommandError(
                _("--locale must be one of the site's languages (%(codes)s), not '%(locale)s'.")
                % {"codes": ", ".join(codes), "locale": locale}
            )
        return locale


def has_field(model, name: str) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def require_field(model, name: str, option: str) -> None:
    if not has_field(model, name):
        raise CommandError(
            _("The user model %(model)s has no %(field)s field, so %(option)s cannot be used.")
            % {"model": model._meta.label, "field": name, "option": option}
        )


def email_field(User) -> str:
    name = User.get_email_field_name()
    require_field(User, name, "--email-domain")
    return name


def checked_domain(value: str) -> str:
    domain = value.strip().removeprefix("@").lower()
    if not domain or "@" in domain or any(char.isspace() for char in domain):
        raise CommandError(
            _("--email-domain must be a domain such as example.com, not '%(value)s'.") % {"value": value}
        )
    return domain


def parse_day(value: str, option: str) -> date:
    try:
        return datetime.strptime(value.strip(), "%Y-%m-%d").date()
    except ValueError:
        raise CommandError(
            _("%(option)s must be a date as YYYY-MM-DD, not '%(value)s'.")
            % {"option": option, "value": value}
        ) from None


def checked_group(User, name: str) -> Group:
    try:
        field = User._meta.get_field("groups")
    except FieldDoesNotExist:
        field = None
    if field is None or field.related_model is not Group:
        raise CommandError(
            _("The user model %(model)s has no groups, so --group cannot be used.")
            % {"model": User._meta.label}
        )
    try:
        return Group.objects.get(name=name)
    except Group.DoesNotExist:
        raise CommandError(_("There is no group called '%(name)s'.") % {"name": name}) from None


def parse_ids(User, value: str) -> list:
    """User ids (whatever type the user model's primary key is) from "1,2,3"."""
    ids = []
    for part in value.split(","):
        part = part.strip()
        if not part:
            continue
        try:
            ids.append(User._meta.pk.to_python(part))
        except ValidationError:
            raise CommandError(
                _("--ids must be user ids separated by commas, such as 1,2,3; '%(part)s' is not an id.")
                % {"part": part}
            ) from None
    if not ids:
        raise CommandError(_("--ids needs at least one user id, such as 1,2,3."))
    ranges = connections[router.db_for_read(User)].ops.integer_field_ranges
    if User._meta.pk.get_internal_type() in ranges:  # an id the database cannot hold is nobody's
        low, high = ranges[User._meta.pk.get_internal_type()]
        ids = [pk for pk in ids if low <= pk <= high]
    return ids


def joined_at_of(user) -> datetime | None:
    """When the user joined the site; None (today) when that is unknown or not yet past."""
    joined = getattr(user, "date_joined", None)
    return joined if joined is not None and joined < timezone.now() else None


def option_name(name: str) -> str:
    return "--" + name.replace("_", "-")


def number(value: int) -> str:
    """1234 as "1,234" (in the active language's way of grouping digits)."""
    return formats.number_format(value, force_grouping=True)
