"""Checking and publishing an upload: the one path the upload page and `python -m ledger publish` share."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

import pandas as pd

from ledger.codes import IssueCode
from ledger.diff import overlap
from ledger.intake import DEFAULT_LIMITS, Limits, choice_keys, load_ledger
from ledger.metrics import DEFAULT_THRESHOLDS, Thresholds
from ledger.model import Issue, Ledger, keys_of
from ledger.store import STORE_ERRORS, Columns, NewPlan, Published, Store
from ledger.text import fold, percent

SAME_PLAN_SHARE = 0.5
"""Below this share of its measures found in the plan's newest version, an upload "looks like a different plan"."""


def check_upload(
    store: Store,
    files: Sequence[tuple[str, bytes]],
    received_on: date,
    limits: Limits = DEFAULT_LIMITS,
    plan_id: int | None = None,
    columns: Mapping[str, str] | None = None,
) -> Ledger:
    """Read an upload as it would be published into the plan: its columns as a person chose them now (`columns`) or
    for the plan before; a ledger without phases takes the plan's phases; one whose measures barely match the plan's
    newest version gets a warning."""
    fallback = store.plan_phases(plan_id) if plan_id is not None else None
    chosen = {**(store.column_choices(plan_id) if plan_id is not None else {}), **(columns or {})}
    ledger = load_ledger(list(files), received_on, fallback_phases=fallback, limits=limits, columns=chosen or None)
    newest = store.newest_report_id(plan_id) if plan_id is not None else None
    if ledger.ok and newest is not None and plan_id is not None:
        share = overlap(store.ledger(newest).tasks, ledger.tasks)
        if share is not None and share < SAME_PLAN_SHARE:
            warning = Issue(
                "warning",
                "ledger.different_plan",
                value=store.plan(plan_id).name,
                params=(("share", percent(share * 100, 0)),),
            )
            ledger = replace(ledger, issues=(*ledger.issues, warning))
    return ledger


def with_report_date(ledger: Ledger, report_date: date | None) -> Ledger:
    """The ledger with the report date the editor confirmed (or the detected one when None)."""
    if report_date is None or report_date == ledger.report_date:
        return ledger
    issues = tuple(i for i in ledger.issues if i.code != "ledger.no_report_date")
    return replace(ledger, report_date=report_date, report_date_found=True, issues=issues)


def columns_chosen(ledger: Ledger) -> Columns:
    """The columns of a ledger as read, to keep with its plan once a person has confirmed them."""
    keys = choice_keys(ledger.columns)
    return Columns(ledger.shape, {key: c.field for key, c in zip(keys, ledger.columns, strict=True) if c.header})


@dataclass(frozen=True)
class UnitParts:
    """A ledger whose rows name their units (a unit column), as the units' ledgers: (unit, its ledger) in the order
    the units first appear; `issues` are the rows that cannot be published so (errors)."""

    parts: tuple[tuple[str, Ledger], ...]
    issues: tuple[Issue, ...]


def split_units(ledger: Ledger, unit: str | None = None) -> UnitParts | None:
    """The units' ledgers of a ledger with a unit column (None: it has none). With `unit`, the ledger is that unit's:
    a row naming another unit is an error; without, every row must name its unit, and each unit gets its part, with
    its ids counted within it and the warnings of its rows."""
    if "unit" not in ledger.tasks:
        return None
    written = next((c.header for c in ledger.columns if c.field == "unit"), "")
    names = ledger.tasks["unit"].astype(str)
    folded = names.map(fold)
    if unit is not None:
        other = (folded != "") & (folded != fold(unit))
        issues = _row_issues(ledger.tasks[other], "task.other_unit", written, (("unit", unit),))
        return UnitParts(((unit, _part(ledger, ledger.tasks.index)),), issues)
    blank = folded == ""
    if blank.any():
        return UnitParts((), _row_issues(ledger.tasks[blank], "task.blank_unit", written))
    parts = []
    for key in dict.fromkeys(folded.tolist()):
        rows = ledger.tasks.index[(folded == key).to_numpy()]
        parts.append((names[rows[0]].strip(), _part(ledger, rows)))
    return UnitParts(tuple(parts), ())


def _part(ledger: Ledger, rows: pd.Index) -> Ledger:
    """The ledger of some rows of a group's ledger, as its unit's own: no unit column, ids within the unit, the
    warnings of those rows and of the ledger as a whole."""
    tasks = ledger.tasks.loc[rows].drop(columns="unit").reset_index(drop=True)
    tasks["key"] = keys_of(*(tasks[f].to_numpy(dtype=object) for f in ("id", "category", "measure")))
    mine = set(zip(tasks["sheet"], tasks["row"], strict=True))
    issues = tuple(
        i
        for i in ledger.issues
        if i.row is None or not i.sheet or (i.sheet, i.row) in mine or i.code.startswith(("column.", "sheet."))
    )
    return replace(ledger, tasks=tasks, issues=issues)


def _row_issues(rows: pd.DataFrame, code: IssueCode, column: str, params: tuple = ()) -> tuple[Issue, ...]:
    return tuple(
        Issue("error", code, sheet, int(row), column, str(value), params)
        for sheet, row, value in zip(rows["sheet"], rows["row"], rows["unit"], strict=True)
    )


MAX_UPLOADER = 200
MAX_NOTE = 2000


def _plain(text: str) -> str:
    """Typed text as stored: no NUL characters (PostgreSQL refuses them), no surrounding spaces."""
    return text.replace("\x00", "").strip()


def _typed(uploaded_by: str, note: str) -> dict[str, str]:
    """Who published and the note, as stored (plain, cut to their limits)."""
    return {"uploaded_by": _plain(uploaded_by)[:MAX_UPLOADER], "note": _plain(note)[:MAX_NOTE]}


def refused(ledgers: Sequence[Ledger], issues: Sequence[Issue] = ()) -> bool:
    """Nothing is stored: a ledger has errors, or rows cannot be published (`issues`), or there is nothing. The
    one check of both publish functions."""
    return bool(issues) or not ledgers or any(ledger.errors for ledger in ledgers)


def publish(
    store: Store,
    files: Sequence[tuple[str, bytes]],
    ledger: Ledger,
    *,
    plan: int | NewPlan,
    uploaded_by: str,
    uploaded_at: datetime,
    note: str = "",
    report_date: date | None = None,
    unit_id: int | None = None,
    address: str = "",
    audit_action: str = "publish",
    columns: Columns | None = None,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> Published | None:
    """Store the upload as a new version of the plan (an id, or a NewPlan created with it), for one of its units
    when given; None (and nothing stored) when the ledger has errors. `columns`, a person's choice of its columns,
    is kept with the plan; a unit's figures under `thresholds` are kept with the version."""
    if refused([ledger]):
        return None
    if "unit" in ledger.tasks:  # published for one unit: the rows are that unit's (split_units checked them)
        ledger = _part(ledger, ledger.tasks.index)
    published = store.publish(
        list(files),
        with_report_date(ledger, report_date),
        plan=plan,
        uploaded_at=uploaded_at,
        **_typed(uploaded_by, note),
        unit_id=unit_id,
        address=address,
        audit_action=audit_action,
        columns=columns,
    )
    _keep_figures(store, [published], thresholds)
    return published


def _keep_figures(store: Store, published: Sequence[Published], thresholds: Thresholds) -> None:
    """A unit version's figures are made as it is published (rollup.kept_figures), so that the Units page reads
    them. The version is stored already: a store that fails now only leaves them to be made when first asked for."""
    from ledger.rollup import kept_figures

    fresh = [p.version for p in published if p.created and p.version.unit_id is not None]
    if fresh:
        with contextlib.suppress(*STORE_ERRORS):
            kept_figures(store, fresh[0].plan_id, fresh, thresholds)


def publish_units(
    store: Store,
    files: Sequence[tuple[str, bytes]],
    parts: UnitParts,
    *,
    plan: int | NewPlan,
    uploaded_by: str,
    uploaded_at: datetime,
    note: str = "",
    report_date: date | None = None,
    address: str = "",
    columns: Columns | None = None,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> list[Published] | None:
    """Store a group's ledger as one version per unit, in one transaction (Store.publish_units); None (and nothing
    stored) when any part has errors or rows that name no unit."""
    if refused([ledger for _, ledger in parts.parts], parts.issues):
        return None
    published = store.publish_units(
        list(files),
        [(name, with_report_date(ledger, report_date)) for name, ledger in parts.parts],
        plan=plan,
        uploaded_at=uploaded_at,
        **_typed(uploaded_by, note),
        address=address,
        columns=columns,
    )
    _keep_figures(store, published, thresholds)
    return published
