"""Where settings come from: the environment first, then .streamlit/secrets.toml, then defaults."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from ledger.guard import DEFAULT_LIMITS, Limits
from ledger.metrics import DEFAULT_THRESHOLDS, Thresholds

SECRETS_PATH = Path(__file__).resolve().parent.parent / ".streamlit" / "secrets.toml"
DEFAULT_MAX_UPLOAD_MIB = DEFAULT_LIMITS.max_mib


def read_secrets(path: Path = SECRETS_PATH) -> dict:
    """The secrets file as a dict; {} when there is none. A malformed file is the operator's error to see."""
    if not path.is_file():
        return {}
    with path.open("rb") as handle:
        return tomllib.load(handle)


def db_url(environ: Mapping[str, str], secrets: Mapping[str, object], explicit: str | None = None) -> str:
    """The SQLAlchemy URL: --db, then LEDGER_DB_URL, then db_url in secrets, then SQLite at data/ledger.db."""
    from ledger.store import default_url  # SQLAlchemy only for the commands that open the store

    return explicit or environ.get("LEDGER_DB_URL") or str(secrets.get("db_url") or "") or default_url()


def editor_password(environ: Mapping[str, str], secrets: Mapping[str, object]) -> str | None:
    """The editors' password (LEDGER_EDITOR_PASSWORD, then editor_password in secrets); None when unset."""
    value = environ.get("LEDGER_EDITOR_PASSWORD") or secrets.get("editor_password")
    return str(value) if value else None


def max_upload_mib(environ: Mapping[str, str], secrets: Mapping[str, object]) -> int:
    """Largest file accepted, in MiB (LEDGER_MAX_UPLOAD_MB, then max_upload_mb in secrets; 1 MiB = 1,048,576 bytes)."""
    value = environ.get("LEDGER_MAX_UPLOAD_MB") or secrets.get("max_upload_mb") or DEFAULT_MAX_UPLOAD_MIB
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return DEFAULT_MAX_UPLOAD_MIB


def limits(environ: Mapping[str, str], secrets: Mapping[str, object]) -> Limits:
    """The reading limits (README "Limits"), the same for the Upload page and the command line."""
    return replace(DEFAULT_LIMITS, max_mib=max_upload_mib(environ, secrets))


def thresholds(environ: Mapping[str, str], secrets: Mapping[str, object]) -> Thresholds:
    """The due-soon window (days) and the behind threshold (points) the figures and lights use
    (LEDGER_DUE_SOON_DAYS / due_soon_days, LEDGER_BEHIND_POINTS / behind_points)."""
    def number(env: str, key: str, default: float, low: float, high: float) -> float:
        value = environ.get(env) or secrets.get(key)
        try:
            return min(max(float(value), low), high) if value not in (None, "") else default
        except (TypeError, ValueError):
            return default

    return Thresholds(int(number("LEDGER_DUE_SOON_DAYS", "due_soon_days", DEFAULT_THRESHOLDS.due_soon_days, 1, 90)),
                      number("LEDGER_BEHIND_POINTS", "behind_points", DEFAULT_THRESHOLDS.behind_points, 0, 100))
