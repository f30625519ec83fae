"""The exception tree. Every message says what went wrong and how to fix it."""

from __future__ import annotations


class CommuniqueError(Exception):
    """Base of every error communique raises on purpose."""


class InputError(CommuniqueError):
    """An input file or record could not be read. Carries the file and, where known, the line."""

    def __init__(self, path: str, reason: str, line: int | None = None) -> None:
        self.path = path
        self.reason = reason
        self.line = line
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {reason}")


class ModelError(CommuniqueError):
    """A language model or data file the pipeline needs is missing."""


class StoreError(CommuniqueError):
    """The database could not be opened, migrated or written."""
