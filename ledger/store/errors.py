"""The store's errors, and the message a person reads for a database failure."""

from __future__ import annotations

import sqlalchemy as sa


class StoreError(Exception):
    """The store cannot be used or cannot do what was asked; `code` names the message (i18n `store.*`)."""

    def __init__(self, code: str, detail: str = "", **params: object):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail
        self.params = params  # what the message states besides the detail, such as the limit that was exceeded


def problem_code(error: BaseException) -> str:
    """The i18n code of the message a person should read about a database failure (`store.*`): full disk,
    read-only, corrupted file, busy, unreachable… Details stay in the server log."""
    if isinstance(error, StoreError):
        return error.code
    original = getattr(error, "orig", None) or error
    text = str(original).lower()
    state = getattr(original, "sqlstate", None) or ""
    checks = (
        ("store.full", state == "53100" or "disk is full" in text or "no space left" in text),
        ("store.io", "disk i/o error" in text or state.startswith("58")),
        ("store.read_only", state == "25006" or "readonly database" in text or "read-only" in text),
        ("store.corrupt", "file is not a database" in text or "malformed" in text),
        ("store.busy", "database is locked" in text or state in ("55P03", "57014", "40P01")),
        ("store.too_long", state == "22001"),
    )
    for code, matched in checks:
        if matched:
            return code
    if isinstance(error, (sa.exc.OperationalError, sa.exc.InterfaceError, sa.exc.TimeoutError, OSError)):
        return "store.unavailable"
    return "store.failed"


def problem_params(error: BaseException) -> dict[str, object]:
    """The parameters of problem_code()'s message: the name or id it concerns (`name`), and any limit it states."""
    if isinstance(error, StoreError):
        return {"name": error.detail, **error.params}
    return {"name": ""}


STORE_ERRORS = (StoreError, sa.exc.SQLAlchemyError, OSError)
