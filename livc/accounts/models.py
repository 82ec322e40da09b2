"""Users: one account per person, e-mail as login, a preferred UI language.

A person holds roles in cells through `cells.Membership`; the account itself grants nothing.
Accounts are deactivated, never deleted, so that audit entries keep their actor.
"""

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device


class Language(models.TextChoices):
    DUTCH = "nl", _("Dutch")
    FRENCH = "fr", _("French")
    GERMAN = "de", _("German")
    ENGLISH = "en", _("English")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: object) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: object) -> "User":
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)

    def get_by_natural_key(self, username: str | None) -> "User":
        return self.get(email__iexact=username)


# The plugin cannot type the reverse manager of `ProviderDevice.user` (django-otp ships no types).
class User(AbstractBaseUser, PermissionsMixin):  # type: ignore[django-manager-missing]
    email = models.EmailField(_("e-mail address"), unique=True)
    name = models.CharField(_("name"), max_length=150)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.DUTCH)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("platform administrator"),
        default=False,
        help_text=_("Manages cells and municipalities in the admin; never sees case content."),
    )
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self) -> str:
        return f"User {self.pk}"

    def clean(self) -> None:
        super().clean()
        self.email = self.email.strip().lower()

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name


class PasswordFailure(models.Model):
    """One wrong password for a typed login name, from any address (the per-account cap).

    `key` is a keyed hash of the normalised e-mail address, never the address: a mistyped
    address is someone else's personal data, or no one's. Rows older than the window are
    deleted as new ones come in (`livc/accounts/lockout.py`).
    """

    key = models.CharField(max_length=64, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("failed password")
        verbose_name_plural = _("failed passwords")

    def __str__(self) -> str:
        return f"PasswordFailure {self.pk}"


class ProviderDevice(Device):
    """An identity provider that proved multi-factor authentication, as django-otp's device.

    django-otp keeps a session verified only while the session names a confirmed device of the
    account (`OTPMiddleware`). A login whose ID token proves multi-factor (`livc/accounts/oidc.py`)
    names this device: one row per account and provider. It never accepts a typed code and is not
    a local second factor: `livc/accounts/otp.py` leaves it out when it asks whether a person has
    one, so the password login still asks for the authenticator app or sends to its setup.
    """

    provider = models.CharField(_("identity provider"), max_length=64)

    class Meta(Device.Meta):
        verbose_name = _("identity provider device")
        verbose_name_plural = _("identity provider devices")
        constraints = [models.UniqueConstraint("user", "provider", name="provider_device_once")]

    def __str__(self) -> str:
        return f"ProviderDevice {self.pk}"

    def verify_token(self, token: object) -> bool:
        return False
