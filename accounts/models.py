from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import (
    AbstractBaseUser,
    BaseUserManager,
    PermissionsMixin,
)
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(
        self, email: str, password: str | None = None, **extra
    ) -> User:
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, email: str) -> User:
        return self.get(email__iexact=email)


class User(AbstractBaseUser, PermissionsMixin):
    """A person using the site. The e-mail address is the login."""

    email = models.EmailField(_("e-mail address"), unique=True)
    name = models.CharField(_("full name"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    institution = models.CharField(
        _("institution"),
        max_length=200,
        blank=True,
        help_text=_("The ministry, regional government or agency you work for."),
    )
    can_create_contests = models.BooleanField(
        _("may create contests"),
        default=False,
        help_text=_("Ministry or committee staff who set up new contests."),
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language of the e-mails the site sends you."),
    )
    is_staff = models.BooleanField(_("staff status"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.name or self.email

    def get_full_name(self) -> str:
        return self.name or self.email

    def get_short_name(self) -> str:
        return self.name.split(" ")[0] if self.name else self.email

    def set_unusable_password(self) -> None:
        super().set_unusable_password()
        self._password_cleared = True

    def save(self, *args, **kwargs) -> None:
        # A new password (set_password: allauth change and reset, the invitation's
        # link, the admin, the shell) or a cleared one revokes every API token of
        # the account. A hash upgrade at login (check_password) keeps them: it
        # resets `_password` before saving.
        password_changed = not self._state.adding and (
            self._password is not None or getattr(self, "_password_cleared", False)
        )
        super().save(*args, **kwargs)
        if password_changed:
            self._password_cleared = False
            from accounts.services import revoke_all_tokens

            revoke_all_tokens(user=self)
