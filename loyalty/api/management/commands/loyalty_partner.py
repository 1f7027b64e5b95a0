"""manage.py loyalty_partner create NAME --scopes ... | revoke KEY_PREFIX: script partner onboarding."""

from datetime import datetime, time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from loyalty.api.scopes import SCOPES, parse_scopes
from loyalty.api.services import UnknownKey, issue_key, revoke_key


class Command(BaseCommand):
    help = "Create a partner (or add a key to one) and print the new API key once; or revoke a key."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a partner or add a key to an existing one.")
        create.add_argument("name", help="The partner's name, for example 'Shop Amsterdam'.")
        create.add_argument("--scopes", required=True, help=f"Comma-separated: {', '.join(SCOPES)}")
        create.add_argument("--key-name", default="", help="A label for this key, for example 'till 3'.")
        create.add_argument("--expires", default="", help="Last day the key works, YYYY-MM-DD.")
        revoke = sub.add_parser("revoke", help="Revoke a key by its prefix (the part before the dot).")
        revoke.add_argument("prefix")

    def handle(self, *args, action, **options):
        if action == "revoke":
            try:
                api_key = revoke_key(prefix=options["prefix"])
            except UnknownKey:
                raise CommandError(f"No API key has the prefix '{options['prefix']}'.") from None
            self.stdout.write(f"Revoked key {api_key.prefix} of {api_key.partner}.")
            return
        try:
            scopes = parse_scopes(options["scopes"])
        except ValueError as error:
            raise CommandError(str(error)) from None
        expires_at = None
        if options["expires"]:
            try:
                day = datetime.strptime(options["expires"], "%Y-%m-%d").date()
            except ValueError:
                raise CommandError(
                    f"--expires must be a date as YYYY-MM-DD, not '{options['expires']}'."
                ) from None
            expires_at = timezone.make_aware(datetime.combine(day, time.max))
            if expires_at <= timezone.now():
                raise CommandError("--expires must be in the future.")
        name = options["name"].strip()
        if not name:
            raise CommandError("Give the partner a name.")
        api_key, key = issue_key(
            partner_name=name, scopes=scopes, key_name=options["key_name"], expires_at=expires_at
        )
        self.stdout.write(f"Partner: {api_key.partner.name} (code {api_key.partner.slug})")
        self.stdout.write(f"Scopes:  {', '.join(api_key.scopes)}")
        self.stdout.write("API key (shown once; store it now):")
        self.stdout.write(key)
