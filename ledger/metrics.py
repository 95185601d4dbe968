"""The one definition of every figure: completion, progress, overdue, due soon, phase state — for UI, exports, CLI."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

import numpy as np
import pandas as pd

from ledger.model import EXTRA_PREFIX, RESPONSIBILITY_FIELDS, Phase, extras
from ledger.text import fold
from ledger.vocab import CLAIMED, DONE, ONGOING, STATUSES, VERIFIED

DUE_SOON_DAYS = 7
BEHIND_POINTS = 20.0


@dataclass(frozen=True)
class Thresholds:
    """The settings the figures and lights depend on (LEDGER_DUE_SOON_DAYS, LEDGER_BEHIND_POINTS)."""

    due_soon_days: int = DUE_SOON_DAYS
    behind_points: float = BEHIND_POINTS


DEFAULT_THRESHOLDS = Thresholds()


class Severity(StrEnum):
    """How late an overdue task is. A StrEnum: the value is what the `severity` column holds and the end of its
    message key (severity.mild …)."""

    MILD = "mild"
    SERIOUS = "serious"
    SEVERE = "severe"


SEVERITIES: tuple[tuple[int, int | None, Severity], ...] = (
    (1, 7, Severity.MILD),
    (8, 30, Severity.SERIOUS),
    (31, None, Severity.SEVERE),
)
"""Each band's first and last day late (None: no end)."""


def _pct(part: float, whole: float) -> float | None:
    return part / whole * 100 if whole else None


def pct_of(part: pd.Series, whole: pd.Series) -> pd.Series:
    """_pct for columns of counts (NaN where the whole is 0)."""
    return (part / whole.where(whole > 0) * 100).astype("float64")


def can_finish(tasks: pd.DataFrame) -> pd.Series:
    """Tasks that have an end: everything but ongoing (长期坚持) measures."""
    return tasks["status"] != ONGOING


def completion_pct(tasks: pd.DataFrame) -> float | None:
    """done ÷ tasks that can finish × 100; None when none can."""
    finishing = can_finish(tasks)
    return _pct(int((tasks["status"] == DONE).sum()), int(finishing.sum()))


def review_states(tasks: pd.DataFrame) -> pd.Series:
    """Each measure's closure review: VERIFIED, CLAIMED, RETURNED or "".
    A task table that was never reviewed (a file read outside the store) has every measure it reports done claimed,
    none verified."""
    if "review" in tasks:
        return tasks["review"]
    return pd.Series(np.where(tasks["status"].eq(DONE).to_numpy(), CLAIMED, ""), index=tasks.index, dtype=object)


def verified_mask(tasks: pd.DataFrame) -> pd.Series:
    """Measures done and verified (已销号)."""
    return tasks["status"].eq(DONE) & review_states(tasks).eq(VERIFIED)


def verified_pct(tasks: pd.DataFrame) -> float | None:
    """The completion verified: done and verified ÷ tasks that can finish × 100; None when none can. (The
    completion as reported, completion_pct, counts every measure reported done but a returned claim.)"""
    return _pct(int(verified_mask(tasks).sum()), int(can_finish(tasks).sum()))


def average_progress(tasks: pd.DataFrame) -> float | None:
    """Mean progress (0–100) over tasks that can finish and state a progress."""
    values = tasks.loc[can_finish(tasks), "progress"].dropna()
    return float(values.mean()) if len(values) else None


def status_counts(tasks: pd.DataFrame) -> dict[str, int]:
    counts = tasks["status"].value_counts()
    return {status: int(counts.get(status, 0)) for status in STATUSES}


def _open_with_deadline(tasks: pd.DataFrame) -> pd.Series:
    return (tasks["status"] != DONE) & (tasks["status"] != ONGOING) & tasks["due"].notna()


def severity_of(days: pd.Series) -> np.ndarray:
    """The severity band (SEVERITIES: mild 1–7 days, serious 8–30, severe > 30) of each number of days late."""
    if not len(days):
        return np.array([], dtype=object)
    bands = [(days >= low) & (days <= high if high else True) for low, high, _ in SEVERITIES]
    return np.select(bands, [name.value for _, _, name in SEVERITIES], default="")


def severity(days: int) -> Severity | None:
    """The band of a number of days late; None when it is not late."""
    return next((name for low, high, name in SEVERITIES if low <= days and (high is None or days <= high)), None)


def overdue_mask(tasks: pd.DataFrame, as_of: date | pd.Series) -> pd.Series:
    """Which tasks are overdue: not done, not ongoing, due < as_of (a date, or one per row as datetimes)."""
    day = pd.Timestamp(as_of) if isinstance(as_of, date) else as_of
    return _open_with_deadline(tasks) & (tasks["due"] < day)


def days_past_due(due: pd.Series, as_of: date) -> pd.Series:
    """as_of − due in days, the one count of days overdue (README "Figures"): what the pages, the brief, the
    exports and the command line show; NaN where there is no deadline."""
    return (pd.Timestamp(as_of) - due).dt.days


def overdue(tasks: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Not done, not ongoing, due < as_of; with days_overdue = as_of − due and severity; most days first."""
    mask = overdue_mask(tasks, as_of)
    late = tasks.loc[mask].copy()
    late["days_overdue"] = days_past_due(late["due"], as_of).astype("int64")
    late["severity"] = severity_of(late["days_overdue"])
    return late.sort_values(["days_overdue", "row"], ascending=[False, True], kind="stable")


def due_soon(tasks: pd.DataFrame, as_of: date, days: int = DUE_SOON_DAYS) -> pd.DataFrame:
    """Not done, not ongoing, as_of ≤ due < as_of + 7 days; soonest first."""
    start, end = pd.Timestamp(as_of), pd.Timestamp(as_of + timedelta(days=days))
    mask = _open_with_deadline(tasks) & (tasks["due"] >= start) & (tasks["due"] < end)
    soon = tasks.loc[mask].copy()
    soon["days_left"] = (soon["due"] - start).dt.days.astype("int64")
    return soon.sort_values(["due", "row"], kind="stable")


def name_keys(values: pd.Series) -> pd.Series:
    """Names as they are grouped and filtered (ledger.text.fold): look-alikes — full-width letters, compatibility
    ideographs, stray spaces — fall in one group, shown under the first spelling met. Folds each distinct value once."""
    if values.dtype == object and len(values):  # text: each row's value found by number, not looked up again
        codes, distinct = pd.factorize(values.to_numpy())
        if (codes >= 0).all():
            folded = pd.Series(list(map(fold, distinct)))  # typed as Series.map types them
            return pd.Series(folded.array.take(codes), index=values.index, name=values.name)
    distinct = pd.unique(values.to_numpy())  # missing values, categories …: as Series.map has them
    return values.map(dict(zip(distinct, map(fold, distinct), strict=True)))


def by_category(tasks: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Per category in ledger order: tasks, each status, done, completion %, average progress, overdue."""
    return by_group(tasks, as_of, "category")


def by_group(tasks: pd.DataFrame, as_of: date, column: str) -> pd.DataFrame:
    """by_category's figures per value of another text column: the category, or an extra field a ledger adds (an
    audit source, internal or external, a problem type). Blank values form a group of their own, named ""."""
    late_keys = name_keys(tasks.loc[overdue_mask(tasks, as_of), column])
    rows = []
    read = tasks[[column, "status", "progress"]].assign(review=review_states(tasks))  # grouped; the rest not copied
    for key, group in read.groupby(name_keys(tasks[column]), sort=False):
        counts = status_counts(group)
        rows.append(
            {
                "name": group[column].iloc[0],
                "tasks": len(group),
                **counts,
                "done": counts[DONE],
                "verified": int(verified_mask(group).sum()),
                "completion_pct": completion_pct(group),
                "verified_pct": verified_pct(group),
                "average_progress": average_progress(group),
                "overdue": int((late_keys == key).sum()),
            }
        )
    columns = ["name", "tasks", *STATUSES, "verified", "completion_pct", "verified_pct", "average_progress", "overdue"]
    return pd.DataFrame(rows, columns=columns)


GROUPING_MAX_VALUES = 30
"""An extra field of text can group the figures (instead of the category) when it has at most this many values."""


def groupings(tasks: pd.DataFrame) -> list[str]:
    """The extra fields of text with a few distinct values (two to GROUPING_MAX_VALUES, fewer than the measures: an
    audit source, internal/external, a problem type): what the categories page, the brief and the sidebar filters
    may group by instead of the category."""
    found = []
    for extra in extras(tasks):
        if extra.kind == "text":
            values = set(name_keys(tasks[extra.column]).tolist()) - {""}
            if 2 <= len(values) <= GROUPING_MAX_VALUES and len(values) < len(tasks):
                found.append(extra.name)
    return found


def amount_fields(tasks: pd.DataFrame) -> list[str]:
    """The extra fields of numbers that can be totalled (an amount in 万元): not a column of years (审计年度)."""
    found = []
    for extra in extras(tasks):
        if extra.kind == "number":
            values = tasks[extra.column].dropna()
            years = bool(len(values)) and bool(((values % 1 == 0) & values.between(1900, 2100)).all())
            if not years:
                found.append(extra.name)
    return found


def amounts(tasks: pd.DataFrame, name: str, by: str | None = None) -> pd.DataFrame:
    """A number extra field (an amount in 万元) totalled: total, done (measures done) and not done, over all the
    tasks or per value of `by` (category, unit, or another text column) in ledger order."""
    values = tasks[EXTRA_PREFIX + name].astype("float64")
    done = (tasks["status"] == DONE).to_numpy()
    frame = pd.DataFrame({"total": values, "done": values.where(done, 0.0)}, index=tasks.index)
    if by is None:
        totals = frame.sum()
        return pd.DataFrame([{"name": "", "total": float(totals["total"]), "done": float(totals["done"])}]).assign(
            not_done=lambda t: t["total"] - t["done"]
        )
    keys = name_keys(tasks[by])
    first = tasks[by].groupby(keys, sort=False).first()
    summed = frame.groupby(keys, sort=False).sum()
    return pd.DataFrame(
        {"name": first.to_numpy(), "total": summed["total"].to_numpy(), "done": summed["done"].to_numpy()}
    ).assign(not_done=lambda t: t["total"] - t["done"])


@dataclass(frozen=True)
class PhaseState:
    phase: Phase
    state: str  # "done" (end < as_of), "current", "upcoming"
    tasks: int
    completion_pct: float | None
    elapsed_pct: float
    behind: bool
    days_left: int  # days from as_of to the phase's end (0 when over)

    @property
    def name(self) -> str:
        return self.phase.name


def _time_gone(passed_days, total_days):
    """Share of a period's days that lie before the day, in % (0–100); works on numbers and columns alike."""
    return np.clip(passed_days / total_days * 100, 0, 100)


def elapsed_pct(phase: Phase, as_of: date) -> float:
    """Share of the phase's days that lie before as_of."""
    return float(_time_gone((as_of - phase.start).days, phase.days))


def phase_states(
    phases: tuple[Phase, ...], tasks: pd.DataFrame, as_of: date, behind_points: float = BEHIND_POINTS
) -> list[PhaseState]:
    """Each phase's state on as_of, completion of its tasks, and whether it is behind (elapsed − completion > 20)."""
    states = []
    for phase in phases:
        mine = tasks.loc[_in_phase(tasks, phase), ["status"]]
        state = "done" if phase.end < as_of else ("upcoming" if phase.start > as_of else "current")
        completion = completion_pct(mine)
        elapsed = elapsed_pct(phase, as_of)
        behind = completion is not None and elapsed - completion > behind_points
        states.append(
            PhaseState(phase, state, len(mine), completion, elapsed, behind, max((phase.end - as_of).days, 0))
        )
    return states


def _in_phase(tasks: pd.DataFrame, phase: Phase) -> np.ndarray:
    """The tasks of a phase (numpy compares a text column several times faster than pandas)."""
    return tasks["phase"].to_numpy(dtype=object) == phase.name


def current_phase(states: list[PhaseState]) -> PhaseState | None:
    return next((s for s in states if s.state == "current"), None)


def planned_shares(phases: tuple[Phase, ...], tasks: pd.DataFrame, as_of: date | pd.Series) -> pd.Series:
    """Per task, the share of its time gone by as_of (a date, or one per row): its phase's elapsed %; a task
    outside every phase counts its own start → due span; NaN when neither is known."""
    shares = pd.Series(np.nan, index=tasks.index)
    for phase in phases:
        mine = _in_phase(tasks, phase)
        if isinstance(as_of, date):  # one day for every task: the phase's share, worked out once
            shares[mine] = _time_gone((pd.Timestamp(as_of) - pd.Timestamp(phase.start)).days, phase.days)
        else:
            shares[mine] = _time_gone((as_of[mine] - pd.Timestamp(phase.start)).dt.days, phase.days)
    own = shares.isna() & tasks["due"].notna()
    if own.any():
        day = pd.Series(pd.Timestamp(as_of), index=tasks.index) if isinstance(as_of, date) else as_of
        start = tasks.loc[own, "start"].fillna(tasks.loc[own, "due"])
        span = (tasks.loc[own, "due"] - start).dt.days + 1
        shares[own] = _time_gone((day[own] - start).dt.days, span)
    return shares


def planned_pct(phases: tuple[Phase, ...], tasks: pd.DataFrame, as_of: date) -> float | None:
    """The completion the plan's pace expects by as_of: over the tasks that can finish, the mean share of their
    time gone (planned_shares)."""
    if not phases:
        return None
    shares = planned_shares(phases, tasks, as_of)[can_finish(tasks)].dropna()
    return float(shares.mean()) if len(shares) else None


@dataclass(frozen=True)
class Headline:
    tasks: int
    by_status: dict[str, int]
    completion_pct: float | None
    verified_pct: float | None
    verified: int  # measures done and verified
    average_progress: float | None
    overdue: int
    due_soon: int
    phases: list[PhaseState]

    @property
    def finishing(self) -> int:
        """The measures that can finish (all but the ongoing 长期坚持 ones): what completion counts out of."""
        return self.tasks - self.by_status["ongoing"]

    @property
    def current(self) -> PhaseState | None:
        return current_phase(self.phases)

    @property
    def behind(self) -> list[PhaseState]:
        return [s for s in self.phases if s.behind]


def headline(
    tasks: pd.DataFrame, phases: tuple[Phase, ...], as_of: date, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> Headline:
    """The figures a meeting reads first."""
    return Headline(
        len(tasks),
        status_counts(tasks),
        completion_pct(tasks),
        verified_pct(tasks),
        int(verified_mask(tasks).sum()),
        average_progress(tasks),
        len(overdue(tasks, as_of)),
        len(due_soon(tasks, as_of, thresholds.due_soon_days)),
        phase_states(phases, tasks, as_of, thresholds.behind_points),
    )


def responsibility_groups(tasks: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Overdue work grouped leader → department → owner (within each unit, for all units together): count and
    most days late, worst first."""
    fields = ("unit", *RESPONSIBILITY_FIELDS) if "unit" in tasks else RESPONSIBILITY_FIELDS
    late = overdue(tasks, as_of)
    if late.empty:
        return pd.DataFrame(columns=[*fields, "overdue", "max_days_overdue"])
    keys = {f"_{field}": name_keys(late[field]) for field in fields}
    grouped = (
        late.assign(**keys)
        .groupby(list(keys), sort=False)
        .agg(
            **{field: (field, "first") for field in fields},
            overdue=("days_overdue", "size"),
            max_days_overdue=("days_overdue", "max"),
        )
        .reset_index(drop=True)
    )
    return grouped.sort_values(["max_days_overdue", "overdue"], ascending=False, kind="stable").reset_index(drop=True)


FILTER_FIELDS = ("category", "phase", "leader", "department", "owner", "status")


def filter_fields(tasks: pd.DataFrame) -> tuple[str, ...]:
    """The fields the sidebar filters by: the unit (all units together), FILTER_FIELDS, and the extra fields of text
    with few values (groupings)."""
    base = ("unit", *FILTER_FIELDS) if "unit" in tasks else FILTER_FIELDS
    return (*base, *(EXTRA_PREFIX + name for name in groupings(tasks)))


def filter_options(tasks: pd.DataFrame, field: str) -> list[str]:
    """The values a filter offers, in ledger order (statuses in their canonical order)."""
    if field == "status":
        present = set(tasks["status"])
        return [s for s in STATUSES if s in present]
    first: dict[str, str] = {}
    for value in pd.unique(tasks[field].to_numpy()):
        if value:
            first.setdefault(fold(value), value)
    return list(first.values())


def select(tasks: pd.DataFrame, filters: dict[str, list[str]]) -> pd.DataFrame:
    """The tasks matching every non-empty filter (a filter keeps rows whose field is one of its values, look-alike
    spellings included). A filter on an extra field another version does not have is left out for that version."""
    mask = pd.Series(True, index=tasks.index)
    for field, values in filters.items():
        if values and (field in tasks or not field.startswith(EXTRA_PREFIX)):
            wanted = {fold(value) for value in values}
            spellings = [value for value in pd.unique(tasks[field].to_numpy()) if fold(value) in wanted]
            mask &= tasks[field].isin(spellings)
    return tasks if mask.all() else tasks[mask]
