"""The inspection (督导检查): what the inspectors work through in the plan's
third phase — claims waiting for review (oldest first), returned claims, measures reported done without evidence,
measures that went back from done — and each week's spot check of verified measures, drawn once, reproducibly, and
kept with the week. Also the data of the 督导检查记录表 (the record of what was checked, seen and decided)."""

from __future__ import annotations

import hashlib
import json
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from ledger.closure import ALL, APPROVE, Review, decisions, newest, reviews
from ledger.evidence import counts
from ledger.store import Store, spot_checks_table
from ledger.text import minute_text
from ledger.vocab import CLAIMED, DONE, RETURNED, VERIFIED

SAMPLE_SHARE, SAMPLE_MINIMUM = 0.10, 3  # the weekly spot check (LEDGER_SPOT_CHECK_PERCENT, at least this many)


# --- the weekly spot check -----------------------------------------------------------------------------------------


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def sample_size(population: int, share: float = SAMPLE_SHARE, minimum: int = SAMPLE_MINIMUM) -> int:
    """How many verified measures a week's spot check re-checks: the share, rounded up, at least `minimum`, never
    more than there are."""
    return min(population, max(minimum, math.ceil(share * population)))


def draw(plan_id: int, scope: int, week: date, population: Sequence[str], share: float, minimum: int) -> list[str]:
    """A reproducible random sample: seeded by the plan, the scope (unit) and the week's Monday."""
    seed = int(hashlib.sha256(f"{plan_id}:{scope}:{monday(week).isoformat()}".encode()).hexdigest()[:16], 16)
    ordered = sorted(population)
    return sorted(random.Random(seed).sample(ordered, sample_size(len(ordered), share, minimum)))


def spot_check(
    store: Store,
    plan_id: int,
    scope: int,
    week: date,
    population: Sequence[str],
    *,
    at: datetime,
    share: float = SAMPLE_SHARE,
    minimum: int = SAMPLE_MINIMUM,
) -> list[str]:
    """The week's spot check of a plan (scope: a unit's id, 0 for the plan as a whole): drawn from `population`
    (the verified measures, as "unit id|key") the first time it is asked for, then kept — it cannot be drawn again
    until it looks good."""
    start = monday(week)
    where = sa.and_(
        spot_checks_table.c.plan_id == plan_id, spot_checks_table.c.scope == scope, spot_checks_table.c.week == start
    )
    with store.engine.connect() as conn:
        kept = conn.execute(sa.select(spot_checks_table.c.chosen).where(where)).scalar()
    if kept is not None:
        return list(json.loads(kept))
    chosen = draw(plan_id, scope, start, population, share, minimum)
    try:
        with store.transaction() as conn:
            conn.execute(
                spot_checks_table.insert().values(
                    plan_id=plan_id,
                    scope=scope,
                    week=start,
                    chosen=json.dumps(chosen, ensure_ascii=False),
                    population=len(population),
                    drawn_at=at,
                )
            )
    except sa.exc.IntegrityError:  # another instance drew it at the same moment: theirs is the week's
        with store.engine.connect() as conn:
            return list(json.loads(conn.execute(sa.select(spot_checks_table.c.chosen).where(where)).scalar_one()))
    return chosen


# --- the inspection page's and command's picture --------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """A measure of the newest version as the inspection lists it."""

    unit_id: int | None
    unit: str
    key: str
    id: str
    measure: str
    review: Review
    reported_done: bool
    evidence: int

    @property
    def state(self) -> str:
        return self.review.state or "open"

    @property
    def label(self) -> str:
        return f"{self.unit} / {self.id}" if self.unit else self.id

    @property
    def place(self) -> str:
        return f"{self.unit_id or 0}|{self.key}"


@dataclass(frozen=True)
class Inspection:
    items: tuple[Item, ...]
    sample: tuple[str, ...]  # places ("unit id|key") of the week's spot check

    def _with(self, state: str) -> list[Item]:
        return [i for i in self.items if i.review.state == state]

    @property
    def claimed(self) -> list[Item]:
        """Claims waiting for review, oldest first."""
        return sorted(self._with(CLAIMED), key=lambda i: (i.review.at or datetime.min, i.label))

    @property
    def verified(self) -> list[Item]:
        return self._with(VERIFIED)

    @property
    def returned(self) -> list[Item]:
        return self._with(RETURNED)

    @property
    def without_evidence(self) -> list[Item]:
        """Measures reported done (returned ones included) with no evidence file."""
        return [i for i in self.items if i.reported_done and i.evidence == 0]

    @property
    def regressed(self) -> list[Item]:
        """Measures that went from done back to not done in any version."""
        return [i for i in self.items if i.review.regressed]

    @property
    def sampled(self) -> list[Item]:
        chosen = set(self.sample)
        return [i for i in self.items if i.place in chosen]

    def record(self) -> dict:
        """The `inspection --json` object."""
        return {
            "claimed": len(self.claimed),
            "verified": len(self.verified),
            "returned": len(self.returned),
            "without_evidence": [i.label for i in self.without_evidence],
            "regressed": [i.label for i in self.regressed],
            "sample": [i.label for i in self.sampled],
            "measures": [
                {"id": i.label, "state": i.state, "evidence": i.evidence, "reason": i.review.reason} for i in self.items
            ],
        }


def inspection(
    store: Store,
    plan_id: int,
    units: Sequence[tuple[int | None, str]],
    *,
    week: date,
    at: datetime,
    share: float = SAMPLE_SHARE,
    minimum: int = SAMPLE_MINIMUM,
    scope: int = 0,
) -> Inspection:
    """The inspection of a plan's newest version (each unit's newest, for `units`: (id, name) pairs; [(None, "")]
    for a plan without units), with the week's spot check drawn from its verified measures."""
    evidence = counts(store, plan_id)
    items: list[Item] = []
    for unit_id, name in units:
        version_id = newest(store, plan_id, unit_id)
        if version_id is None:
            continue
        tasks = store.ledger(version_id).tasks
        found = reviews(store, plan_id, unit_id, version_id)
        for key, mid, text, status in zip(tasks["key"], tasks["id"], tasks["measure"], tasks["status"], strict=True):
            review = found.get(key, Review(CLAIMED if status == DONE else ""))
            items.append(
                Item(unit_id, name, key, str(mid), str(text), review, status == DONE, evidence.get((unit_id, key), 0))
            )
    population = [i.place for i in items if i.review.state == VERIFIED]
    sample = spot_check(store, plan_id, scope, week, population, at=at, share=share, minimum=minimum)
    return Inspection(tuple(items), tuple(sample))


# --- the 督导检查记录表 -------------------------------------------------------------------------------------------------


def record_data(
    store: Store,
    plan_id: int,
    plan_name: str,
    units: Sequence[tuple[int | None, str]],
    found: Inspection,
    week: date,
    lang: str,
) -> dict:
    """What the 督导检查记录表 of a week shows (word.record_docx, templates/record.typ): each approval and return
    of the week — the measure, the evidence files the decision saw, the decision, its reason, who and when — and
    the week's spot check with each sampled measure's state; blank lines for the inspectors' signatures."""
    from ledger import evidence
    from ledger.i18n import translate

    def t(key: str, **params: object) -> str:
        return translate(key, lang, **params)

    start = monday(week)
    end = start + timedelta(days=7)
    names = dict(units)
    made = [
        d
        for d in decisions(store, plan_id, ALL, since=datetime.combine(start, datetime.min.time()))
        if d.at < datetime.combine(end, datetime.min.time())
        and (d.unit_id in names or (d.unit_id is None and not units))
    ]
    files = {e.id: e.name for e in evidence.files(store, plan_id)}
    texts = {(i.unit_id, i.key): i.measure for i in found.items}
    rows = [
        {
            "id": d.measure,
            "unit": names.get(d.unit_id, "") or "",
            "measure": texts.get((d.unit_id, d.key), ""),
            "evidence": "、".join(files.get(i, f"#{i}") for i in d.evidence) or t("record.no_evidence"),
            "decision": t("record.approved") if d.action == APPROVE else t("record.returned"),
            "reason": d.reason,
            "by": d.by,
            "at": minute_text(d.at),
        }
        for d in made
    ]
    sample = [
        {
            "id": i.id,
            "unit": i.unit,
            "measure": i.measure,
            "evidence": str(i.evidence),
            "state": t(f"review.{i.state}"),
        }
        for i in found.sampled
    ]
    shown_units = "、".join(name for _, name in units if name) or ""
    return {
        "lang": lang,
        "title": t("record.title"),
        "plan": plan_name,
        "unit": shown_units,
        "period": t("record.dates", start=start.isoformat(), end=(end - timedelta(days=1)).isoformat()),
        "rows": rows,
        "sample": sample,
        "labels": {
            name: t(f"record.{name}")
            for name in (
                "plan",
                "unit",
                "period",
                "decisions",
                "id",
                "measure",
                "evidence",
                "decision",
                "reason",
                "by",
                "at",
                "sample",
                "state",
                "none",
                "leader",
                "members",
                "date",
            )
        },
    }
