"""Password rules speak the user's language: every validator's message is translated."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import translation

from livc.accounts.models import User

# Too short, too common, all digits, too like the e-mail address.
PASSWORDS = ["kort", "password1234", "123456789012345", "nele.tester@example.test"]


def messages(password: str, language: str) -> list[str]:
    user = User(email="nele.tester@example.test", name="Nele Tester")
    with translation.override(language), pytest.raises(ValidationError) as error:
        validate_password(password, user)
    return error.value.messages


@pytest.mark.parametrize("password", PASSWORDS)
@pytest.mark.parametrize("language", ["nl", "fr", "de"])
def test_every_password_message_is_translated(password, language):
    english = messages(password, "en")
    assert english
    assert not set(messages(password, language)) & set(english)


def test_the_length_message_says_the_minimum():
    assert messages("kort", "en") == ["This password is too short: use at least 12 characters."]
