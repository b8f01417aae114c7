"""Errors a user can act on.

Everything the user can cause or fix (a missing article, a bad file, a busy index) is a
``KbError`` whose message says what happened and what to do. The CLI prints it as one
line and exits 2; the GUI shows it as a message. Anything else is a bug and is reported
as one (with details to copy), never dressed up as a user error.
"""

from __future__ import annotations


class KbError(Exception):
    """An error the user can understand and act on. ``str(err)`` is the whole message."""


class NotFound(KbError):
    """A slug or id that does not exist."""


class InvalidInput(KbError):
    """Input that cannot be used as given (a bad slug, an unreadable file, a bad value)."""


class DataFolderError(KbError):
    """The data folder or its database cannot be used (unwritable, corrupt, too new)."""


class IndexBusy(KbError):
    """Another process holds the search index's write lock for longer than we waited."""


class Cancelled(KbError):
    """Long work stopped because the user asked it to."""

    def __init__(self, message: str = "Cancelled.") -> None:
        super().__init__(message)


class PolicyLocked(KbError):
    """The organisation's policy file fixes this setting or turns this action off."""
