"""Where settings come from: the environment first, then .streamlit/secrets.toml, then defaults."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any  # a secrets value is whatever the TOML holds: converted, and refused when it cannot be

from ledger.intake import DEFAULT_EVIDENCE_LIMITS, DEFAULT_LIMITS, EvidenceLimits, Limits
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
    value: Any = environ.get("LEDGER_MAX_UPLOAD_MB") or secrets.get("max_upload_mb") or DEFAULT_MAX_UPLOAD_MIB
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
        value: Any = environ.get(env) or secrets.get(key)
        try:
            return min(max(float(value), low), high) if value not in (None, "") else default
        except (TypeError, ValueError):
            return default

    return Thresholds(
        int(number("LEDGER_DUE_SOON_DAYS", "due_soon_days", DEFAULT_THRESHOLDS.due_soon_days, 1, 90)),
        number("LEDGER_BEHIND_POINTS", "behind_points", DEFAULT_THRESHOLDS.behind_points, 0, 100),
    )


def _flag(value: object) -> bool:
    return str(value).strip().lower() in ("1", "true", "yes", "on")


def public_view(environ: Mapping[str, str], secrets: Mapping[str, object]) -> bool:
    """Viewing without login once accounts exist (LEDGER_PUBLIC_VIEW / public_view; default no): for a
    meeting-room screen. Editing always needs a login."""
    return _flag(environ.get("LEDGER_PUBLIC_VIEW") or secrets.get("public_view") or "")


def idle_minutes(environ: Mapping[str, str], secrets: Mapping[str, object]) -> int:
    """Minutes without activity after which a login ends (LEDGER_SESSION_IDLE_MINUTES / session_idle_minutes;
    default 120, between 5 and 10,080)."""
    value: Any = environ.get("LEDGER_SESSION_IDLE_MINUTES") or secrets.get("session_idle_minutes")
    try:
        return min(max(int(value), 5), 10_080) if value not in (None, "") else 120
    except (TypeError, ValueError):
        return 120


def session_max_hours(environ: Mapping[str, str], secrets: Mapping[str, object]) -> int:
    """Hours after its login at which a session ends, however active (LEDGER_SESSION_MAX_HOURS /
    session_max_hours; default 12, between 1 and 720)."""
    value: Any = environ.get("LEDGER_SESSION_MAX_HOURS") or secrets.get("session_max_hours")
    try:
        return min(max(int(value), 1), 720) if value not in (None, "") else DEFAULT_MAX_HOURS
    except (TypeError, ValueError):
        return DEFAULT_MAX_HOURS


DEFAULT_MAX_HOURS = 12


def device_days(environ: Mapping[str, str], secrets: Mapping[str, object]) -> int:
    """Days a browser that logged in as an account stays known for it (LEDGER_DEVICE_DAYS / device_days; default
    90, between 1 and 400): its attempts are counted apart from everyone else's."""
    return _bounded(environ.get("LEDGER_DEVICE_DAYS") or secrets.get("device_days"), 90, 1, 400)


def login_checks(environ: Mapping[str, str], secrets: Mapping[str, object]) -> int:
    """Password checks at once per process (LEDGER_LOGIN_CHECKS / login_checks; default 2, between 1 and 16): each
    takes 64 MiB, so parallel logins stay within a known memory."""
    return _bounded(environ.get("LEDGER_LOGIN_CHECKS") or secrets.get("login_checks"), 2, 1, 16)


def evidence_limits(environ: Mapping[str, str], secrets: Mapping[str, object]) -> EvidenceLimits:
    """What one evidence file and one measure's files may be:
    LEDGER_EVIDENCE_MIB / evidence_mib (default 20, between 1 and 200) per file, LEDGER_EVIDENCE_FILES /
    evidence_files (default 50, between 1 and 1,000) per measure."""
    default = DEFAULT_EVIDENCE_LIMITS
    return replace(
        default,
        max_mib=_bounded(environ.get("LEDGER_EVIDENCE_MIB") or secrets.get("evidence_mib"), default.max_mib, 1, 200),
        max_files=_bounded(
            environ.get("LEDGER_EVIDENCE_FILES") or secrets.get("evidence_files"), default.max_files, 1, 1000
        ),
    )


def spot_check_share(environ: Mapping[str, str], secrets: Mapping[str, object]) -> float:
    """The share of verified measures each week's spot check re-checks (LEDGER_SPOT_CHECK_PERCENT /
    spot_check_percent; default 10, between 1 and 100), at least 3 of them."""
    return _bounded(environ.get("LEDGER_SPOT_CHECK_PERCENT") or secrets.get("spot_check_percent"), 10, 1, 100) / 100


def backup_max_days(environ: Mapping[str, str], secrets: Mapping[str, object]) -> int:
    """Days after which the last backup counts as old, with a warning on the Users page and in `backup --status`
    (LEDGER_BACKUP_MAX_DAYS / backup_max_days; default 7, between 1 and 365)."""
    return _bounded(environ.get("LEDGER_BACKUP_MAX_DAYS") or secrets.get("backup_max_days"), 7, 1, 365)


def _bounded(value: Any, default: int, low: int, high: int) -> int:
    try:
        return min(max(int(value), low), high) if value not in (None, "") else default
    except (TypeError, ValueError):
        return default


def first_admin(environ: Mapping[str, str], secrets: Mapping[str, object]) -> tuple[str, str] | None:
    """(name, password) of the admin to create on first start when no account exists (LEDGER_ADMIN_PASSWORD /
    admin_password, LEDGER_ADMIN_NAME / admin_name, default "admin"); None when no password is set."""
    password = environ.get("LEDGER_ADMIN_PASSWORD") or secrets.get("admin_password")
    if not password:
        return None
    return str(environ.get("LEDGER_ADMIN_NAME") or secrets.get("admin_name") or "admin"), str(password)
