"""The weekly meeting's view of a stored plan: the requirements a version shows,
read from the store once for the pages, the meeting pack and the command line alike."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime

from ledger import metrics
from ledger import requirements as req
from ledger.brief import Context
from ledger.diff import compare
from ledger.i18n import translate
from ledger.model import Ledger
from ledger.rollup import all_units
from ledger.store import Plan, Store, Version


def previous_version(store: Store, version: Version) -> Version | None:
    """The version before `version` in its plan and unit (by report date, then publish order)."""
    order = store.version_order(version.plan_id, version.unit_id)
    before = [vid for vid, rank in order.items() if rank == order[version.id] - 1]
    return store.version(before[0]) if before else None


def context(
    store: Store,
    version: Version,
    *,
    as_of: date | None = None,
    lang: str = "zh",
    thresholds: metrics.Thresholds = metrics.DEFAULT_THRESHOLDS,
    filters: dict[str, list[str]] | None = None,
    group_by: str = "",
) -> Context:
    """What the meeting pack is made from, for a stored version: its ledger with the filters applied, what changed
    since the version before (filtered alike), the meeting requirements it shows and the plan's history; the brief's
    category chart grouped by `group_by` (an extra field) when given."""
    ledger = store.ledger(version.id)
    as_of = as_of or version.report_date
    older = previous_version(store, version)
    plan = store.plan(version.plan_id)
    return _filtered(
        ledger,
        store.ledger(older.id) if older is not None else None,
        as_of,
        lang,
        thresholds,
        filters,
        group_by,
        plan=plan.name,
        unit=plan.unit or ledger.unit,
        version=version.number,
        requirements=version_requirements(store, version, as_of),
        history=store.history(version.plan_id, unit_id=version.unit_id),
    )


def _filtered(
    ledger: Ledger,
    before: Ledger | None,
    as_of: date,
    lang: str,
    thresholds: metrics.Thresholds,
    filters: dict[str, list[str]] | None,
    group_by: str,
    **named,
) -> Context:
    """The meeting pack's Context of a ledger with the filters applied, and what changed since `before` (filtered
    alike; None: nothing before)."""
    filters = {name: values for name, values in (filters or {}).items() if values}
    tasks = metrics.select(ledger.tasks, filters)
    changes = None
    if before is not None:
        changes = compare(
            replace(before, tasks=metrics.select(before.tasks, filters)), replace(ledger, tasks=tasks), new_as_of=as_of
        )
    return Context(ledger, tasks, as_of, lang, thresholds, changes=changes, filters=filters, group_by=group_by, **named)


def all_units_context(
    store: Store,
    plan: Plan,
    *,
    as_of: date | None = None,
    lang: str = "zh",
    thresholds: metrics.Thresholds = metrics.DEFAULT_THRESHOLDS,
    filters: dict[str, list[str]] | None = None,
    group_by: str = "",
    ledgers_of: Callable[[list[int]], dict[int, Ledger]] | None = None,
    requirements_of: Callable[[Version, date], req.MeetingRequirements] | None = None,
) -> Context | None:
    """The meeting pack of all units together on as_of (ledger.rollup.all_units: each unit's newest ledger reported
    by then), as the pages and `brief --unit ALL` make it: filtered, what changed since each unit's newest ledger
    before that week, and the requirements each unit's version shows. None when no unit had reported by then.
    `ledgers_of` and `requirements_of` may answer from a cache."""
    found = all_units(store, plan.id, as_of, ledgers_of)
    if found is None:
        return None
    ledger, before = found
    as_of = as_of or ledger.report_date
    return _filtered(
        ledger,
        before,
        as_of,
        lang,
        thresholds,
        filters,
        group_by,
        plan=plan.name,
        unit=translate("sidebar.all_units", lang),
        requirements=all_units_requirements(store, plan.id, as_of, requirements_of),
    )


def all_units_requirements(
    store: Store,
    plan_id: int,
    as_of: date | None = None,
    requirements_of: Callable[[Version, date], req.MeetingRequirements] | None = None,
) -> req.MeetingRequirements:
    """What all units together show on as_of: the requirements of each unit's newest version reported by then
    (the versions ledger.rollup.all_units puts together), each on as_of (default: its report date)."""
    shown = [
        requirements_of(v, as_of or v.report_date) if requirements_of else version_requirements(store, v, as_of)
        for v in store.unit_versions(plan_id, as_of).values()
    ]
    return req.MeetingRequirements([s for r in shown for s in r.carried], [r for x in shown for r in x.current])


def version_requirements(store: Store, version: Version, as_of: date | None = None) -> req.MeetingRequirements:
    """What `version` shows: earlier meetings' requirements still open, with their states in this version (on
    as_of, default its report date), and the requirements recorded on it. The states use the whole version,
    whatever filters a page applies."""
    found = store.requirements(version.plan_id)
    if not found:
        return req.MeetingRequirements([], [])
    order = store.version_order(version.plan_id, version.unit_id)  # a unit's requirements stay with the unit
    history = store.history(version.plan_id, ("key", "status"), version.unit_id)
    older = previous_version(store, version)
    previous = (store.ledger(older.id).tasks, older.report_date) if older else None
    return req.for_version(
        found, order, version.id, store.ledger(version.id).tasks, as_of or version.report_date, history, previous
    )


def latest_states(store: Store, plan_id: int) -> list[req.RequirementState]:
    """Every requirement of the plan with its state in the newest version (of the unit it was recorded for, when
    the plan has units): what `decisions` lists."""
    found = store.requirements(plan_id)
    if not found:
        return []
    unit_of = {v.id: v.unit_id for v in store.versions(plan_id, withdrawn=True)}
    shown: list[req.RequirementState] = []
    for unit_id in dict.fromkeys(unit_of.get(r.version_id) for r in found):
        newest = store.newest_report_id(plan_id, unit_id)
        if newest is None:
            continue
        version = store.version(newest)
        history = store.history(plan_id, ("key", "status"), unit_id)
        mine = [r for r in found if unit_of.get(r.version_id) == unit_id]
        shown += req.states(mine, store.ledger(newest).tasks, version.report_date, history)
    order = {r.id: n for n, r in enumerate(found)}
    return sorted(shown, key=lambda s: order[s.requirement.id])


def record(
    store: Store,
    version: Version,
    *,
    scope: str,
    target: str,
    text: str,
    given_by: str,
    meeting_date: date,
    due: date | None,
    recorded_by: str,
    recorded_at: datetime,
    address: str = "",
) -> req.Requirement:
    """Record a requirement against a measure (its id), a leader or a department of `version`. Raises
    requirements.RequirementError when the target is not in the version or the text is empty."""
    required_by = (
        due
        or req.NewRequirement(
            scope, target, (), "", text, given_by, meeting_date, None, version.id, recorded_by, recorded_at
        ).required_by
    )
    keys, measure = req.targets(store.ledger(version.id).tasks, scope, target, required_by)
    return store.add_requirement(
        version.plan_id,
        req.NewRequirement(
            scope, target, keys, measure, text, given_by, meeting_date, due, version.id, recorded_by, recorded_at
        ),
        address,
    )


def requirement_history(
    store: Store, plan_id: int, unit_id: int | None = None
) -> tuple[list[Version], list[tuple[req.Requirement, dict]]]:
    """Every requirement of the plan (recorded on one unit's versions, when given) with its state in each later
    version (version id → state), for the history page; versions oldest first. A version the requirement is not
    carried into (met and settled) has no state."""
    versions = list(reversed(store.versions(plan_id, unit_id)))
    order = {v.id: n for n, v in enumerate(versions)}
    found = [r for r in store.requirements(plan_id) if r.version_id in order]
    if not found:
        return versions, []
    history = store.history(plan_id, ("key", "status"), unit_id)
    states: dict[int, dict[int, str]] = {r.id: {} for r in found}
    previous = None
    for version in versions:
        tasks = store.ledger(version.id).tasks
        shown = req.for_version(found, order, version.id, tasks, version.report_date, history, previous)
        for state in shown.carried:
            states[state.requirement.id][version.id] = state.state
        previous = (tasks, version.report_date)
    return versions, [(r, states[r.id]) for r in found]
