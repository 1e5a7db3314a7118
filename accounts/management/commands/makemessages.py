"""`manage.py makemessages`, which also finds the strings marked with `_lazy`
(`from django.utils.translation import gettext_lazy as _lazy`, used where `_`
already names `gettext`): Django's own command knows only the standard names."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=_lazy"]
