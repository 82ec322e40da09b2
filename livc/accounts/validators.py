"""Password validators whose messages this project's catalogues translate.

Django 5.2 reworded the minimum-length error ("... at least %d characters.") and its Dutch
catalogue has no entry for the new wording yet (its French one has), so that one message
stayed English on Dutch screens while the others were Dutch. The message is now one of
ours, in `locale/`, like every other string a user reads.
"""

from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return ngettext(
            "This password is too short: use at least %(min_length)d character.",
            "This password is too short: use at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}
