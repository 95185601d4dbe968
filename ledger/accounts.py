"""Personal accounts, roles, units and logins, kept in the store so that every app
instance on one database sees the same people and sessions.

Roles: **admin** manages users, units and plans; **editor** publishes, records meeting requirements and withdraws
versions for the units assigned to them; **viewer** reads; **inspector** (督导组) reads every unit, downloads the
original files and the audit trail, and changes nothing. Passwords are hashed with argon2 and never stored or
logged in plain text."""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import ipaddress
import secrets
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy.exc import IntegrityError

from ledger import audit, throttle
from ledger.store import (
    Store,
    inserted_id,
    plan_units_table,
    sessions_table,
    units_table,
    user_units_table,
    users_table,
)
from ledger.text import fold
from ledger.vocab import ROLES

LOCAL = "local"  # the address of a browser on this machine, in throttling keys and the audit trail


def machine_address(remote: object) -> str:
    """The address a connection is known by: LOCAL for this machine — no address at all (Streamlit reports none
    for 127.0.0.1 and ::1), any of 127.0.0.0/8, ::1, or their IPv4-mapped forms (::ffff:127.0.0.1, which a
    dual-stack listener reports for a browser at http://127.0.0.1) — otherwise the address as given."""
    if not isinstance(remote, str) or not remote:
        return LOCAL
    try:
        address = ipaddress.ip_address(remote.split("%", 1)[0])
    except ValueError:
        return remote
    mapped = getattr(address, "ipv4_mapped", None)
    return LOCAL if (mapped or address).is_loopback else remote


MIN_PASSWORD = 10
MAX_PASSWORD = 200
MAX_NAME = 100
DEFAULT_IDLE_MINUTES = 120
DEFAULT_MAX_HOURS = 12  # a session's whole life, however active (LEDGER_SESSION_MAX_HOURS)
PERMISSIONS = {  # what each role may do
    "admin": {
        "view",
        "publish",
        "withdraw",
        "restore",
        "record",
        "import_plan",
        "manage_plans",
        "manage_users",
        "manage_units",
        "originals",
        "audit",
        "export",
        "evidence",
        "evidence_files",
        "claim",
        "review",
    },
    "editor": {
        "view",
        "publish",
        "withdraw",
        "record",
        "import_plan",
        "originals",
        "export",
        "evidence",
        "evidence_files",
        "claim",
    },
    "viewer": {"view", "export"},
    "inspector": {"view", "originals", "audit", "export", "evidence_files", "review"},
}
# Passwords people choose first (among them, long enough to pass the length rule): refused whatever their case.
COMMON_PASSWORDS = frozenset(
    [
        "1234567890",
        "0123456789",
        "0987654321",
        "1111111111",
        "0000000000",
        "8888888888",
        "6666666666",
        "1234512345",
        "1122334455",
        "1212121212",
        "1q2w3e4r5t",
        "1qaz2wsx3edc",
        "qwertyuiop",
        "qwertyuiop1",
        "qwerty1234",
        "qwerty12345",
        "asdfghjkl;",
        "asdfghjkl1",
        "zxcvbnm123",
        "a1b2c3d4e5",
        "password12",
        "password123",
        "password1!",
        "passw0rd12",
        "p@ssw0rd12",
        "p@ssword12",
        "iloveyou12",
        "iloveyou1314",
        "woaini1314",
        "woaini520",
        "5201314520",
        "1314520520",
        "5211314521",
        "147258369a",
        "a147258369",
        "a123456789",
        "aa12345678",
        "abc1234567",
        "abcd123456",
        "admin12345",
        "admin123456",
        "administrator",
        "root123456",
        "test123456",
        "welcome123",
        "welcome1234",
        "letmein123",
        "changeme123",
        "sunshine12",
        "football12",
        "baseball12",
        "superman12",
        "princess12",
        "dragon1234",
        "monkey1234",
        "master1234",
        "shadow1234",
        "trustno1trustno1",
        "qazwsxedc1",
        "qazwsxedcr",
        "1qazxsw23edc",
        "zaq12wsxcde",
        "123qweasdzxc",
        "qweasdzxc1",
        "123456789a",
        "123456789q",
        "12345678910",
        "11223344556",
        "147852369a",
        "159753852456",
        "987654321a",
        "3.1415926535",
        "aaaaaaaaaa",
        "abcdefghij",
        "abcdefghijk",
    ]
)


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: str
    disabled: bool
    units: tuple[int, ...]  # the units an editor may publish for

    def can(self, action: str) -> bool:
        return not self.disabled and action in PERMISSIONS.get(self.role, set())


UNIT_ACTIONS = ("publish", "withdraw", "record", "evidence", "claim")
"""What an editor does for some units only: publish a unit's ledger, withdraw its versions, record requirements,
attach evidence to its measures and re-submit their closure."""


@dataclass(frozen=True)
class Scope:
    """Where an action is done: a plan and the units expected to report for it (none: a plan without units), or a
    plan the action itself creates (plan_id None)."""

    plan_id: int | None
    units: frozenset[int] = frozenset()


def may(user: User | None, action: str, plan: Scope | None = None, unit: int | None = None) -> bool:
    """Whether `user` may do `action` — for `unit` (None: the plan as a whole, a plan without units) in `plan` (None:
     wherever, as far as the unit goes). The one rule the pages, their buttons' callbacks and the publish path ask
    :

     - nobody, a disabled account, or a role without the action: no;
     - an admin: yes;
     - an editor assigned to units publishes, withdraws and records for those units only: never for a plan as a
       whole or a plan without units, and never for a unit the plan does not expect (that would attach it: an admin
       does that, or the editor's own new plan);
     - an editor assigned to no unit: for plans without units only.
    """
    if user is None or not user.can(action):
        return False
    if action not in UNIT_ACTIONS or user.role == "admin":
        return True
    if user.units:
        if unit is None or unit not in user.units:
            return False
        return plan is None or plan.plan_id is None or unit in plan.units
    return unit is None and (plan is None or not plan.units)


def scope(store: Store, plan_id: int | None) -> Scope:
    """A plan's Scope: its id and the units expected to report for it (plan_id None: a plan to be created)."""
    if plan_id is None:
        return Scope(None)
    return Scope(plan_id, frozenset(u.id for u in units(store, plan_id)))


@dataclass(frozen=True)
class Unit:
    id: int
    name: str


class AccountError(ValueError):
    """A refused account operation; `code` names the message (i18n `account.*`)."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


_hasher = PasswordHasher()


def password_problem(password: str, name: str = "") -> AccountError | None:
    """Why a new password is refused: too short or long, the user's own name, one repeated character, or among
    the most common passwords."""
    if len(password) < MIN_PASSWORD:
        return AccountError("account.password_short", n=MIN_PASSWORD)
    if len(password) > MAX_PASSWORD:
        return AccountError("account.password_long", n=MAX_PASSWORD)
    lowered = password.lower()
    if lowered in COMMON_PASSWORDS or len(set(lowered)) <= 2:
        return AccountError("account.password_common")
    if name and fold(name) and fold(name) in fold(password):
        return AccountError("account.password_name")
    return None


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _verify(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


@functools.cache
def dummy_hash() -> str:
    """What an unknown name's password is checked against, to spend the same time on it; made on first use (or
    by the dashboard's warm-up) rather than on import, which it would slow by a few tenths of a second."""
    return _hasher.hash("a password nobody has, to spend the same time on unknown names")


def _clean_name(name: str) -> str:
    """A name as stored: spaces collapsed; empty, overlong, or holding a control, format or direction character
    (zero-width spaces, U+202E) refused."""
    name = " ".join(str(name).split())
    if not name:
        raise AccountError("account.name_empty")
    if len(name) > MAX_NAME:
        raise AccountError("account.name_long", n=MAX_NAME)
    if any(unicodedata.category(ch) in _HIDDEN for ch in name):
        raise AccountError("account.name_hidden")
    return name


_HIDDEN = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def _look_alike(conn, table: sa.Table, name: str) -> str | None:
    """An existing name that folds to the same (ａｄｍｉｎ, ADMIN and admin are one name): it, or None."""
    key = fold(name)
    return next((found for found in conn.execute(sa.select(table.c.name)).scalars() if fold(found) == key), None)


# --- users -------------------------------------------------------------------------------------------------
def any_account(store: Store) -> bool:
    with store.engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(users_table)).scalar_one() > 0


def _user(conn, row) -> User:
    units = tuple(
        conn.execute(
            sa.select(user_units_table.c.unit_id)
            .where(user_units_table.c.user_id == row["id"])
            .order_by(user_units_table.c.unit_id)
        ).scalars()
    )
    return User(row["id"], row["name"], row["role"], bool(row["disabled"]), units)


def users(store: Store) -> list[User]:
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(users_table).order_by(users_table.c.id)).mappings().all()
        return [_user(conn, row) for row in rows]


def user_named(store: Store, name: str) -> User | None:
    with store.engine.connect() as conn:
        row = (
            conn.execute(sa.select(users_table).where(users_table.c.name == " ".join(name.split()))).mappings().first()
        )
        return _user(conn, row) if row else None


def _existing_user(store: Store, name: str) -> User:
    found = user_named(store, name)
    if found is None:
        raise AccountError("account.no_user", name=name)
    return found


def add_user(
    store: Store,
    name: str,
    role: str,
    password: str,
    *,
    at: datetime,
    by: str,
    address: str = "",
    units: Sequence[int] = (),
) -> User:
    """A new account; raises AccountError for a taken name, an unknown role or a weak password."""
    name = _clean_name(name)
    if role not in ROLES:
        raise AccountError("account.role", role=role)
    problem = password_problem(password, name)
    if problem:
        raise problem
    hashed = hash_password(password)
    try:
        with store.transaction() as conn:
            if (other := _look_alike(conn, users_table, name)) is not None:
                raise AccountError("account.name_taken", name=other)
            user_id = inserted_id(
                conn.execute(
                    users_table.insert().values(
                        name=name,
                        role=role,
                        password_hash=hashed,
                        disabled=False,
                        created_at=at,
                        password_changed_at=at,
                    )
                )
            )
            for unit_id in units:
                conn.execute(user_units_table.insert().values(user_id=user_id, unit_id=unit_id))
            audit.append(
                conn,
                at=at,
                who=by,
                action="user_added",
                target=name,
                address=address,
                detail={"role": role, "units": list(units)},
            )
    except IntegrityError:
        raise AccountError("account.name_taken", name=name) from None
    return _existing_user(store, name)


def _keep_an_admin(conn, found: User, role: str, disabled: bool) -> None:
    """Refuse to disable or demote the last active admin: nobody could manage accounts any more."""
    if found.role != "admin" or found.disabled or (role == "admin" and not disabled):
        return
    others = conn.execute(
        sa.select(sa.func.count())
        .select_from(users_table)
        .where(users_table.c.role == "admin", users_table.c.disabled == sa.false(), users_table.c.id != found.id)
    ).scalar_one()
    if not others:
        raise AccountError("account.last_admin", name=found.name)


def set_disabled(store: Store, name: str, disabled: bool, *, at: datetime, by: str, address: str = "") -> User:
    """Disable (or enable) an account; disabling ends its sessions at once. The last active admin stays."""
    found = _existing_user(store, name)
    with store.transaction() as conn:
        _keep_an_admin(conn, found, found.role, disabled)
        conn.execute(users_table.update().where(users_table.c.id == found.id).values(disabled=disabled))
        if disabled:
            _end_sessions(conn, found.id, at)
        audit.append(
            conn,
            at=at,
            who=by,
            action="user_disabled" if disabled else "user_enabled",
            target=found.name,
            address=address,
        )
    return _existing_user(store, name)


def set_password(store: Store, name: str, password: str, *, at: datetime, by: str, address: str = "") -> None:
    """A new password (a reset by an admin, or `users passwd`); ends the account's other sessions."""
    found = _existing_user(store, name)
    problem = password_problem(password, found.name)
    if problem:
        raise problem
    with store.transaction() as conn:
        conn.execute(
            users_table.update()
            .where(users_table.c.id == found.id)
            .values(password_hash=hash_password(password), password_changed_at=at)
        )
        _end_sessions(conn, found.id, at)
        audit.append(conn, at=at, who=by, action="password_changed", target=found.name, address=address)


def set_role(
    store: Store, name: str, role: str, units: Sequence[int], *, at: datetime, by: str, address: str = ""
) -> User:
    """Change an account's role and units. The last active admin stays an admin."""
    found = _existing_user(store, name)
    if role not in ROLES:
        raise AccountError("account.role", role=role)
    with store.transaction() as conn:
        _keep_an_admin(conn, found, role, False)
        conn.execute(users_table.update().where(users_table.c.id == found.id).values(role=role))
        conn.execute(user_units_table.delete().where(user_units_table.c.user_id == found.id))
        for unit_id in sorted(set(units)):
            conn.execute(user_units_table.insert().values(user_id=found.id, unit_id=unit_id))
        audit.append(
            conn,
            at=at,
            who=by,
            action="role_changed",
            target=found.name,
            address=address,
            detail={"role": role, "units": sorted(set(units)), "was": found.role, "units_were": list(found.units)},
        )
    return _existing_user(store, name)


# --- units -------------------------------------------------------------------------------------------------
def units(store: Store, plan_id: int | None = None) -> list[Unit]:
    """Every unit, or a plan's (those expected to report for it), by name."""
    query = sa.select(units_table.c.id, units_table.c.name).order_by(units_table.c.name)
    if plan_id is not None:
        query = query.join(plan_units_table, plan_units_table.c.unit_id == units_table.c.id).where(
            plan_units_table.c.plan_id == plan_id
        )
    with store.engine.connect() as conn:
        return [Unit(i, n) for i, n in conn.execute(query)]


def unit_named(store: Store, name: str) -> Unit | None:
    with store.engine.connect() as conn:
        row = conn.execute(
            sa.select(units_table.c.id, units_table.c.name).where(units_table.c.name == " ".join(name.split()))
        ).first()
    return Unit(*row) if row else None


def add_unit(store: Store, name: str, *, at: datetime, by: str, plan_id: int | None = None, address: str = "") -> Unit:
    """A unit (a school, a branch), optionally expected to report for a plan; an existing name is reused."""
    name = _clean_name(name)
    found = unit_named(store, name)
    with store.transaction() as conn:
        if found is None:
            unit_id = inserted_id(conn.execute(units_table.insert().values(name=name, created_at=at)))
            audit.append(conn, at=at, who=by, action="unit_added", target=name, address=address)
        else:
            unit_id = found.id
        if (
            plan_id is not None
            and conn.execute(
                sa.select(plan_units_table).where(
                    plan_units_table.c.plan_id == plan_id, plan_units_table.c.unit_id == unit_id
                )
            ).first()
            is None
        ):
            conn.execute(plan_units_table.insert().values(plan_id=plan_id, unit_id=unit_id))
    return Unit(unit_id, name)


# --- logins ------------------------------------------------------------------------------------------------
LOGIN_POLICY = throttle.Policy()
DEVICE_DAYS = 90  # how long a browser that logged in as an account stays known for it (LEDGER_DEVICE_DAYS)
MAX_DEVICE_TOKENS = 5  # accounts one browser stays known for (a shared office computer)


@dataclass(frozen=True)
class Login:
    user: User | None  # None: refused
    token: str = ""  # the session's secret, kept by the browser session only (its digest is stored)
    wait_seconds: float = 0.0  # > 0: throttled, not even checked
    device: str = ""  # after a login: a device token for the browser, which it shows at its next logins


def device_token(store: Store, name: str, now: datetime, days: int = DEVICE_DAYS) -> str:
    """A signed token saying "this browser logged in as `name`" until now + `days`: its attempts at that account
    are then counted apart from everyone else's (OWASP's device cookies), so guessing elsewhere never makes the
    owner wait. Bound to the account (folded), with a nonce of its own; it outlives log-out."""
    expiry = int((now + timedelta(days=days)).timestamp())
    payload = f"{fold(name)}|{secrets.token_urlsafe(12)}|{expiry}".encode()
    body = base64.urlsafe_b64encode(payload).decode().rstrip("=")
    return f"{body}.{_sign(store, body)}"


def _sign(store: Store, body: str) -> str:
    return hmac.new(store.secret("device"), body.encode(), "sha256").hexdigest()[:32]


def device_nonce(store: Store, token: str, name: str, now: datetime) -> str | None:
    """The nonce of a device token that is genuine, unexpired and bound to the account `name`; else None."""
    if not isinstance(token, str) or len(token) > 300 or token.count(".") != 1:
        return None
    body, mac = token.split(".")
    if not hmac.compare_digest(mac, _sign(store, body)):
        return None
    try:
        account, nonce, expiry = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)).decode().split("|")
        if account != fold(name) or int(expiry) < now.timestamp():
            return None
    except ValueError:
        return None
    return nonce


def _keys(store: Store, name: str, address: str, devices: Sequence[str], now: datetime) -> list[tuple[str, int]]:
    """What an attempt at `name` counts against: from a browser known for the account, that browser only; from any
    other, the account's attempts from unknown browsers, the address, and everyone's together."""
    nonce = next((found for token in devices if (found := device_nonce(store, token, name, now))), None)
    if nonce is not None:
        return [(f"device:{nonce}", LOGIN_POLICY.free_failures)]
    return [
        (f"account:{fold(name)}", LOGIN_POLICY.free_failures),
        (f"address:{address}", LOGIN_POLICY.free_failures),
        (throttle.EVERYONE, LOGIN_POLICY.free_failures_overall),
    ]


def login_wait(store: Store, name: str, address: str, now: datetime, devices: Sequence[str] = ()) -> float:
    """Seconds before a login as `name` from this address (and browser) would be checked again (nothing counted)."""
    return throttle.waiting(store, _keys(store, name, address, devices, now), now, LOGIN_POLICY)


def log_in(
    store: Store,
    name: str,
    password: str,
    *,
    address: str,
    now: datetime,
    devices: Sequence[str] = (),
    device_days: int = DEVICE_DAYS,
) -> Login:
    """Check a login. The same refusal for an unknown name, a wrong password and a
    disabled account. The attempt is checked against the throttle and counted in one step; one refused while it
    must wait is not checked at all, and such attempts are recorded once per account, address and minute. The
    password check waits for one of the process's few slots. `devices` are the device tokens the browser holds;
    a successful login gives it one for this account (Login.device)."""
    name = " ".join(str(name).split())[:MAX_NAME]
    keys = _keys(store, name, address, devices, now)
    tried = throttle.attempt(store, keys, now, LOGIN_POLICY)
    if not tried.allowed:
        if throttle.throttled(store, fold(name), address, now) == 1:  # the first this minute: the trail says so
            with store.transaction() as conn:
                audit.append(
                    conn,
                    at=now,
                    who=name,
                    action="login_throttled",
                    target=fold(name),
                    address=address,
                    detail={"minute": now.replace(second=0, microsecond=0).isoformat(), "counted": "ledger_throttled"},
                )
        return Login(None, wait_seconds=tried.wait_seconds)
    with store.engine.connect() as conn:
        row = conn.execute(sa.select(users_table).where(users_table.c.name == name)).mappings().first()
    with throttle.verifying() as slot:
        if not slot:  # every slot busy for long: refused unchecked, and not counted as a failure
            throttle.succeeded(store, tried, forget=())
            return Login(None, wait_seconds=1.0)
        stored = row["password_hash"] if row else dummy_hash()
        right = _verify(stored, password[:MAX_PASSWORD]) and row is not None and not row["disabled"]
    if not right or row is None:
        with store.transaction() as conn:
            audit.append(conn, at=now, who=name, action="login_failed", target=fold(name), address=address)
        return Login(None)
    throttle.succeeded(store, tried, forget=[key for key, _ in keys if key.startswith(("account:", "device:"))])
    with store.transaction() as conn:
        token = secrets.token_urlsafe(32)
        conn.execute(
            sessions_table.insert().values(
                token_sha256=_digest(token), user_id=row["id"], created_at=now, last_seen_at=now, address=address[:100]
            )
        )
        audit.append(conn, at=now, who=name, action="login", target=fold(name), address=address)
        user = _user(conn, row)
    return Login(user, token, device=device_token(store, name, now, device_days))


def kept_devices(devices: Sequence[str], new: str, store: Store, name: str, now: datetime) -> list[str]:
    """The device tokens a browser keeps after logging in as `name`: the new one, and its others (for other
    accounts) that are still genuine, the most recent MAX_DEVICE_TOKENS."""
    others = [t for t in devices if device_nonce(store, t, name, now) is None and _genuine(store, t)]
    return [new, *others][:MAX_DEVICE_TOKENS]


def _genuine(store: Store, token: str) -> bool:
    if not isinstance(token, str) or len(token) > 300 or token.count(".") != 1:
        return False
    body, mac = token.split(".")
    return hmac.compare_digest(mac, _sign(store, body))


def reauthenticate(store: Store, name: str, password: str, *, address: str, now: datetime) -> bool:
    """Whether `name` (the admin acting) gave their own password again, before a password reset, a role change or
    disabling an account. Throttled apart from logins (a guesser elsewhere cannot block it); a wrong answer is in
    the trail as a failed login."""
    tried = throttle.attempt(store, [(f"reauth:{fold(name)}", LOGIN_POLICY.free_failures)], now, LOGIN_POLICY)
    if not tried.allowed:
        return False
    with store.engine.connect() as conn:
        row = conn.execute(sa.select(users_table).where(users_table.c.name == name)).mappings().first()
    with throttle.verifying() as slot:
        right = (
            slot and row is not None and not row["disabled"] and _verify(row["password_hash"], password[:MAX_PASSWORD])
        )
    if right:
        throttle.succeeded(store, tried, forget=tried.keys)
    else:
        with store.transaction() as conn:
            audit.append(conn, at=now, who=name, action="login_failed", target=fold(name), address=address)
    return bool(right)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def session_user(
    store: Store,
    token: str,
    now: datetime,
    idle_minutes: int = DEFAULT_IDLE_MINUTES,
    max_hours: int = DEFAULT_MAX_HOURS,
) -> User | None:
    """The person a session belongs to, if it is still open: not logged out, not idle for longer than
    `idle_minutes`, not older than `max_hours` since its login however active, the account not disabled. Seeing it
    counts as activity."""
    if not token:
        return None
    digest = _digest(token)
    with store.engine.connect() as conn:
        row = (
            conn.execute(
                sa.select(sessions_table, users_table.c.disabled)
                .join(users_table, users_table.c.id == sessions_table.c.user_id)
                .where(sessions_table.c.token_sha256 == digest)
            )
            .mappings()
            .first()
        )
    if row is None or row["ended_at"] is not None or row["disabled"]:
        return None
    if now - row["last_seen_at"] > timedelta(minutes=idle_minutes) or now - row["created_at"] > timedelta(
        hours=max_hours
    ):
        with store.transaction() as conn:
            conn.execute(sessions_table.update().where(sessions_table.c.token_sha256 == digest).values(ended_at=now))
        return None
    if now - row["last_seen_at"] > timedelta(seconds=30):  # write at most twice a minute per session
        with store.transaction() as conn:
            conn.execute(
                sessions_table.update().where(sessions_table.c.token_sha256 == digest).values(last_seen_at=now)
            )
    with store.engine.connect() as conn:
        user_row = conn.execute(sa.select(users_table).where(users_table.c.id == row["user_id"])).mappings().one()
        return _user(conn, user_row)


def log_out(store: Store, token: str, *, now: datetime, address: str = "") -> None:
    digest = _digest(token)
    with store.transaction() as conn:
        row = conn.execute(
            sa.select(sessions_table.c.user_id, users_table.c.name)
            .join(users_table, users_table.c.id == sessions_table.c.user_id)
            .where(sessions_table.c.token_sha256 == digest)
        ).first()
        if row is None:
            return
        conn.execute(sessions_table.update().where(sessions_table.c.token_sha256 == digest).values(ended_at=now))
        audit.append(conn, at=now, who=row[1], action="logout", target=fold(row[1]), address=address)


def _end_sessions(conn, user_id: int, at: datetime) -> None:
    conn.execute(
        sessions_table.update()
        .where(sessions_table.c.user_id == user_id, sessions_table.c.ended_at.is_(None))
        .values(ended_at=at)
    )


def require(user: User | None, action: str) -> None:
    """Raise AccountError("account.forbidden") unless the user may do `action`."""
    if user is None or not user.can(action):
        raise AccountError("account.forbidden", action=action)
