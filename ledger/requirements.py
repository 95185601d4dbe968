"""Meeting requirements (会议要求, 领导批示) carried to next week.

A requirement is recorded in the weekly meeting against one measure, or against a leader or a department (then it
concerns that person's open measures due by the required date). It is stored with the plan and never edits the
ledger. Each later version shows its state:

- **met** (已落实): every measure it concerns was done by the required date;
- **pending** (未到期): not yet due — the version's date is on or before the required date;
- **missed** (未落实): due, and not done by then (done late counts as missed).

The required date is the requirement's new deadline, else the meeting date + 7 days. A measure's done date is its
完成日期, else the report date of the first version that shows it done."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pandas as pd

from ledger import metrics
from ledger.text import fold
from ledger.vocab import DONE

SCOPES = ("measure", "leader", "department")
STATES = ("met", "pending", "missed")
DEFAULT_DAYS = 7
MAX_TEXT = 2000
MAX_NAME = 200


@dataclass(frozen=True)
class NewRequirement:
    """What an editor records in the meeting; `keys` and `measure` come from targets()."""

    scope: str  # SCOPES
    target: str  # the measure's id as the ledger shows it (序号), or the leader's or department's name
    keys: tuple[str, ...]  # the measures it concerns (task keys)
    measure: str  # the measure's text (scope "measure"), kept in case a later ledger drops it
    text: str
    given_by: str  # the leader's title who gave it (党总支书记 …)
    meeting_date: date
    due: date | None
    version_id: int  # the version on screen when it was recorded
    recorded_by: str
    recorded_at: datetime

    @property
    def required_by(self) -> date:
        return self.due or self.meeting_date + timedelta(days=DEFAULT_DAYS)


@dataclass(frozen=True)
class Requirement(NewRequirement):
    id: int = 0
    plan_id: int = 0


@dataclass(frozen=True)
class RequirementState:
    requirement: Requirement
    state: str  # STATES
    done: int  # of the measures it concerns, how many were done by the required date
    concerned: int


class RequirementError(ValueError):
    """The requirement cannot be recorded; `code` names the message (i18n `requirement.*`)."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


def targets(tasks: pd.DataFrame, scope: str, target: str, required_by: date) -> tuple[tuple[str, ...], str]:
    """The measures a requirement concerns, and the measure's text (scope "measure"): the measure with that id
    (序号, or its key); a leader's or department's measures still open (not done, not ongoing) and due on or
    before the required date. Raises RequirementError when the measure or the person is not in the version."""
    target = target.strip()
    if scope not in SCOPES:
        raise RequirementError("requirement.scope", scope=scope)
    if not target:
        raise RequirementError("requirement.no_target")
    if scope == "measure":
        found = tasks[(tasks["id"] == target) | (tasks["key"] == target)]
        if found.empty:
            raise RequirementError("requirement.no_measure", measure=target)
        if found["key"].nunique() > 1:
            raise RequirementError(
                "requirement.ambiguous_measure", measure=target, keys="、".join(found["key"].astype(str).tolist()[:10])
            )
        return (str(found["key"].iloc[0]),), str(found["measure"].iloc[0])
    mine = tasks[metrics.name_keys(tasks[scope]) == fold(target)]
    if mine.empty:
        raise RequirementError(f"requirement.no_{scope}", name=target)
    open_due = mine[
        ~mine["status"].isin((DONE, "ongoing")) & mine["due"].notna() & (mine["due"] <= pd.Timestamp(required_by))
    ]
    return tuple(open_due["key"].astype(str)), ""


def checked(new: NewRequirement) -> NewRequirement:
    """The requirement with its text and names trimmed; raises RequirementError for what cannot be stored."""
    text, given_by = new.text.strip(), new.given_by.strip()
    if not text:
        raise RequirementError("requirement.no_text")
    if len(text) > MAX_TEXT:
        raise RequirementError("requirement.too_long", limit=MAX_TEXT)
    if not given_by:
        raise RequirementError("requirement.no_by")
    if len(given_by) > MAX_NAME or len(new.target) > MAX_NAME:
        raise RequirementError("requirement.name_too_long", limit=MAX_NAME)
    if new.due is not None and new.due < new.meeting_date:
        raise RequirementError(
            "requirement.due_before_meeting", due=new.due.isoformat(), date=new.meeting_date.isoformat()
        )
    return NewRequirement(
        new.scope,
        new.target.strip(),
        new.keys,
        new.measure,
        text,
        given_by,
        new.meeting_date,
        new.due,
        new.version_id,
        new.recorded_by,
        new.recorded_at,
    )


def done_dates(tasks: pd.DataFrame, history: pd.DataFrame | None, as_of: date) -> dict[str, date]:
    """When each measure done in `tasks` was done: its 完成日期, else the report date of the first version (up to
    as_of) that shows it done, else as_of. `history` is Store.history(columns key, status) or None."""
    done = tasks[tasks["status"] == DONE]
    first: Mapping[str, date] = {}
    if history is not None and not history.empty:
        seen = history[(history["status"] == DONE) & (pd.to_datetime(history["report_date"]) <= pd.Timestamp(as_of))]
        first = {str(key): day for key, day in seen.groupby("key")["report_date"].min().items()}
    dates = {}
    for key, completed in zip(done["key"].astype(str), done["completed_on"], strict=True):
        if pd.notna(completed):
            dates[key] = completed.date()
        else:
            found = first.get(key)
            dates[key] = pd.Timestamp(found).date() if found is not None else as_of
    return dates


def state_of(requirement: Requirement, done_on: Mapping[str, date], as_of: date) -> RequirementState:
    """The requirement's state in a version dated as_of, given done_dates() of that version."""
    required = requirement.required_by
    met = sum(1 for key in requirement.keys if key in done_on and done_on[key] <= required)
    concerned = len(requirement.keys)
    if met == concerned and (concerned or as_of > required):
        state = "met"
    elif as_of <= required:
        state = "pending"
    else:
        state = "missed"
    return RequirementState(requirement, state, met, concerned)


def states(
    requirements: Sequence[Requirement], tasks: pd.DataFrame, as_of: date, history: pd.DataFrame | None = None
) -> list[RequirementState]:
    """Each requirement's state in the version whose tasks are `tasks`, dated as_of."""
    done_on = done_dates(tasks, history, as_of)
    return [state_of(r, done_on, as_of) for r in requirements]


def counts(found: Sequence[RequirementState]) -> dict[str, int]:
    return {state: sum(1 for s in found if s.state == state) for state in STATES}


@dataclass(frozen=True)
class MeetingRequirements:
    """What a version shows: last meetings' requirements still open (with their states) and this meeting's."""

    carried: list[RequirementState]
    current: list[Requirement]


def for_version(
    requirements: Sequence[Requirement],
    order: Mapping[int, int],
    version_id: int | None,
    tasks: pd.DataFrame,
    as_of: date,
    history: pd.DataFrame | None = None,
    previous: tuple[pd.DataFrame, date] | None = None,
) -> MeetingRequirements:
    """The requirements a version shows. `order` ranks the plan's versions by report date (then publish order);
    a requirement recorded on an earlier version is carried unless it was already met in the version before this
    one (`previous`: its tasks and date); this meeting's are those recorded on this version."""
    if version_id is None or version_id not in order:
        return MeetingRequirements([], [])
    here = order[version_id]
    earlier = [r for r in requirements if order.get(r.version_id, here) < here]
    if previous is not None and earlier:  # shown as met last week: settled (recorded last week: not yet shown)
        settled = {
            s.requirement.id
            for s in states(earlier, previous[0], previous[1], history)
            if s.state == "met" and order[s.requirement.version_id] < here - 1
        }
        earlier = [r for r in earlier if r.id not in settled]
    return MeetingRequirements(
        states(earlier, tasks, as_of, history), [r for r in requirements if r.version_id == version_id]
    )


def default_meeting_date(as_of: date, today: date, window_days: int = 14) -> date:
    """The meeting date an editor starts from: today when the version is recent (reported at most two weeks
    ago), else its report date (an old version, such as the bundled sample of 2019)."""
    return today if as_of <= today <= as_of + timedelta(days=window_days) else as_of


def records(found: Sequence[RequirementState]) -> list[dict]:
    """The JSON of `python -m ledger decisions --json`: {id, measure, text, by, date, due, state} and the scope,
    target, required date and counts."""
    return [
        {
            "id": s.requirement.id,
            "measure": s.requirement.target if s.requirement.scope == "measure" else None,
            "text": s.requirement.text,
            "by": s.requirement.given_by,
            "date": s.requirement.meeting_date.isoformat(),
            "due": s.requirement.due.isoformat() if s.requirement.due else None,
            "state": s.state,
            "scope": s.requirement.scope,
            "target": s.requirement.target,
            "measure_text": s.requirement.measure,
            "required_by": s.requirement.required_by.isoformat(),
            "done": s.done,
            "concerned": s.concerned,
        }
        for s in found
    ]
