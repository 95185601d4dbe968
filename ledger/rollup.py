"""Many units, one plan: each unit's newest ledger with its figures — the same
`report.summary` the command line prints for that ledger — and the units that have not reported this week.

Sorted by what needs attention (no report this week, then most overdue, longest delay, lowest completion), never
ranked: there is no position number and no "best unit"."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

import pandas as pd

from ledger import metrics
from ledger.accounts import Unit, units
from ledger.closure import review_columns, reviewed, reviews
from ledger.model import EXTRA_PREFIX, Ledger, extra_text, fill_text
from ledger.report import summary
from ledger.store import Store, Version


@dataclass(frozen=True)
class UnitFigures:
    unit: Unit
    version: Version | None  # None: the unit has not reported yet
    figures: dict | None  # report.summary of its ledger
    missing: bool  # no report in the current week

    @property
    def overdue(self) -> int:
        return len(self.figures["overdue"]) if self.figures else 0

    @property
    def longest_overdue(self) -> int:
        return max((r["days_overdue"] for r in self.figures["overdue"]), default=0) if self.figures else 0

    def record(self) -> dict:
        """The `rollup --json` item: {unit, report_date, tasks, completion_pct, verified_pct, overdue, lights, phases}
        and more."""
        f = self.figures or {}
        return {
            "unit": self.unit.name,
            "report_date": self.version.report_date.isoformat() if self.version else None,
            "tasks": f.get("tasks", 0),
            "completion_pct": f.get("completion_pct"),
            "verified_pct": f.get("verified_pct"),
            "overdue": self.overdue,
            "longest_overdue_days": self.longest_overdue,
            "longest_overdue": f["overdue"][0]["measure"] if f.get("overdue") else None,
            "lights": f.get("lights"),
            "phases": f.get("phases", []),
            "missing": self.missing,
            "version": self.version.id if self.version else None,
        }


def week_of(day: date) -> tuple[int, int]:
    year, week, _ = day.isocalendar()
    return year, week


def unit_summary(
    ledger: Ledger, plan_phases: tuple, as_of: date | None, thresholds: metrics.Thresholds = metrics.DEFAULT_THRESHOLDS
) -> dict:
    """One unit's figures: `report.summary` of its ledger (with the plan's phases when the ledger has none)."""
    if not ledger.phases and plan_phases:
        ledger = replace(ledger, phases=plan_phases)
    return summary(ledger, as_of, thresholds=thresholds)


def summary_basis(thresholds: metrics.Thresholds, plan_phases: tuple, decided: int) -> str:
    """What a unit version's figures depend on besides the version itself (which never changes): the thresholds,
    the plan's phases (a ledger without its own takes them) and the unit's newest closure decision."""
    phases = hashlib.sha256(repr(plan_phases).encode()).hexdigest()[:16]
    return f"{thresholds.due_soon_days}|{thresholds.behind_points}|{phases}|{decided}"


def kept_figures(
    store: Store,
    plan_id: int,
    versions: Sequence[Version],
    thresholds: metrics.Thresholds = metrics.DEFAULT_THRESHOLDS,
) -> dict[int, dict]:
    """Unit versions' figures as of their own report dates (version id → unit_summary), kept in the store: made
    once — when the version is published, or the first time they are asked for — and made again only when their
    basis changes (summary_basis). The Units page after a start reads them instead of summarising every unit."""
    phases = store.plan_phases(plan_id)
    decided = store.review_stamps(plan_id)
    bases = {v.id: summary_basis(thresholds, phases, decided.get(v.unit_id, 0)) for v in versions}
    found = store.summaries(bases)
    missing = [v for v in versions if v.id not in found]
    if missing:
        ledgers = store.ledgers([v.id for v in missing])
        made = {
            v.id: unit_summary(reviewed(store, plan_id, v.unit_id, v.id, ledgers[v.id]), phases, None, thresholds)
            for v in missing
        }
        store.keep_summaries({i: (bases[i], figures) for i, figures in made.items()})
        found.update(made)
    return found


def rollup(
    store: Store,
    plan_id: int,
    as_of: date | None = None,
    thresholds: metrics.Thresholds = metrics.DEFAULT_THRESHOLDS,
    figures_of: Callable[[Version, tuple], dict] | None = None,
) -> list[UnitFigures]:
    """Every unit of the plan with its newest ledger's figures, most in need of attention first.

    Without as_of each unit's figures are as of its own report date (what `summary` says of that ledger); with
    as_of, of its newest ledger reported on or before as_of, as of that day. The current week is as_of's, else the
    week of the plan's newest report; a unit whose last report is older is flagged as missing. `figures_of(version,
    plan_phases)` may give a version's unit_summary from a cache (a version never changes); without as_of they come
    from the store (kept_figures)."""
    expected = units(store, plan_id)
    newest = store.unit_versions(plan_id, as_of)
    reference = as_of or max((v.report_date for v in newest.values()), default=None)
    plan_phases = store.plan_phases(plan_id)
    if figures_of is None and as_of is None:
        kept = kept_figures(store, plan_id, list(newest.values()), thresholds)

        def figures_of(version: Version, phases: tuple) -> dict:
            return kept[version.id]

    elif figures_of is None:
        ledgers = store.ledgers([v.id for v in newest.values()])

        def figures_of(version: Version, phases: tuple) -> dict:
            ledger = reviewed(store, plan_id, version.unit_id, version.id, ledgers[version.id])
            return unit_summary(ledger, phases, as_of, thresholds)

    rows = []
    for unit in expected:
        version = newest.get(unit.id)
        figures = figures_of(version, plan_phases) if version is not None else None
        missing = version is None or (reference is not None and week_of(version.report_date) < week_of(reference))
        rows.append(UnitFigures(unit, version, figures, missing))
    rows.sort(
        key=lambda r: (
            not r.missing,
            -r.overdue,
            -r.longest_overdue,
            (r.figures or {}).get("completion_pct") if (r.figures or {}).get("completion_pct") is not None else 101,
            r.unit.name,
        )
    )
    return rows


def combined(
    store: Store,
    plan_id: int,
    as_of: date | None = None,
    ledgers_of: Callable[[list[int]], dict[int, Ledger]] | None = None,
) -> Ledger | None:
    """All units' newest ledgers as one, with the unit as a field (`unit`) and keys kept apart per unit: what the
    overview, the responsibilities page and the meeting pack show for "all units". `ledgers_of(version ids)` may
    give the ledgers from a cache (default: Store.ledgers)."""
    newest = store.unit_versions(plan_id, as_of)
    if not newest:
        return None
    names = {u.id: u.name for u in units(store)}
    ledgers = (ledgers_of or store.ledgers)([v.id for v in newest.values()])
    decided = store.review_stamps(plan_id)  # units with no decision: each measure reported done is a claim
    frames = []
    for unit_id, version in newest.items():
        found = reviews(store, plan_id, unit_id, version.id) if unit_id in decided else {}
        tasks = review_columns(ledgers[version.id].tasks, found)
        frames.append(
            tasks.assign(
                unit=names.get(unit_id, str(unit_id)),
                key=names.get(unit_id, str(unit_id)) + "|" + tasks["key"].astype(str),
            )
        )
    first = ledgers[max(newest.values(), key=lambda v: v.report_date).id]
    phases = store.plan_phases(plan_id) or first.phases
    tasks = fill_text(pd.concat(_same_kinds(frames), ignore_index=True))
    return Ledger(tasks, phases, max(v.report_date for v in newest.values()), True, (), True)


def week_before(day: date) -> date:
    """The last day of the week before `day`'s (its Sunday): "since last week" compares with what was reported by
    then."""
    return day - timedelta(days=day.weekday() + 1)


def all_units(
    store: Store,
    plan_id: int,
    as_of: date | None = None,
    ledgers_of: Callable[[list[int]], dict[int, Ledger]] | None = None,
) -> tuple[Ledger, Ledger | None] | None:
    """All units together as of a day, the one definition the pages, the meeting pack and the command line use:
    each unit's newest ledger reported on or before as_of (default: each unit's newest) as one (`combined`), and
    what "since last week" compares with, each unit's newest reported before that ledger's week (None: nothing
    then). None when no unit had reported by as_of."""
    ledger = combined(store, plan_id, as_of, ledgers_of)
    if ledger is None:
        return None
    return ledger, combined(store, plan_id, week_before(ledger.report_date), ledgers_of)


def _same_kinds(frames: list[pd.DataFrame]) -> list[pd.DataFrame]:
    """Units' task tables whose extra fields of one name agree on a kind: one that is numbers for one unit and text
    for another is text for all."""
    kinds: dict[str, set[str]] = {}
    for frame in frames:
        for name in frame.columns:
            if name.startswith(EXTRA_PREFIX):
                kinds.setdefault(name, set()).add(frame[name].dtype.kind)
    mixed = [name for name, found in kinds.items() if len(found) > 1]
    if not mixed:
        return frames
    return [frame.assign(**{n: extra_text(frame[n]) for n in mixed if n in frame}) for frame in frames]
