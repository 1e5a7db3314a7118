"""What the accounts app tells the apps above it. `accounts` sits below
`notifications` and must not import it, so a change the account's holder should
hear about is announced here and `notifications.receivers` writes the mail (the
one signal of our own flows: the layers allow no direct call)."""

from django.dispatch import Signal

# Why tokens went (the `reason` argument of `tokens_revoked`).
REVOKED = "revoked"  # one token, by its holder (`revoke_token`)
# (Names of reasons, not passwords: hence the noqa.)
PASSWORD_CHANGED = "password_changed"  # noqa: S105 (a new password, on any path)
PASSWORD_CLEARED = "password_cleared"  # noqa: S105 (the password made unusable)

# Sent when API tokens of an account are revoked, with `user`, `count` (how many
# went, 0 possible) and `reason`. A password change revokes every token
# (`revoke_all_tokens`, called by `User.save` on every path: the site's change
# and reset pages, the invitation's link, the admin, the shell), so one signal
# with PASSWORD_CHANGED lets one mail tell both.
tokens_revoked = Signal()
