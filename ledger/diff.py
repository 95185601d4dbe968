"""What changed between two versions of the ledger, and what the whole history says about postponed deadlines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from ledger import metrics
from ledger.model import Ledger, text_key
from ledger.vocab import DONE

SHOWN = ["key", "id", "category", "measure", "leader", "department", "owner"]


@dataclass(frozen=True)
class Changes:
    """Differences from an older version to a newer one; each table holds the newer version's rows (SHOWN)."""

    by_text: bool  # matched by measure text, because a version has no id column
    newly_done: pd.DataFrame
    newly_overdue: pd.DataFrame  # with days_overdue
    status_changed: pd.DataFrame  # with old_status, new_status
    postponed: pd.DataFrame  # with old_due, new_due
    regressed: pd.DataFrame  # with old_progress, new_progress, old_status, new_status
    done_without_evidence: pd.DataFrame
    added: pd.DataFrame
    removed: pd.DataFrame  # the older version's rows

    def counts(self) -> dict[str, int]:
        return {
            name: len(getattr(self, name))
            for name in (
                "newly_done",
                "newly_overdue",
                "status_changed",
                "postponed",
                "regressed",
                "done_without_evidence",
                "added",
                "removed",
            )
        }


def _keyed(tasks: pd.DataFrame, by_text: bool) -> pd.DataFrame:
    keyed = tasks.assign(key=text_key(tasks["measure"])) if by_text else tasks
    return keyed.drop_duplicates("key").set_index("key", drop=False)


def compare(old: Ledger, new: Ledger, old_as_of: date | None = None, new_as_of: date | None = None) -> Changes:
    """Match the two versions' measures by id (by measure text when either has no id column) and list changes."""
    by_text = not (old.matched_by_id and new.matched_by_id)
    before, after = _keyed(old.tasks, by_text), _keyed(new.tasks, by_text)
    both = after.index.intersection(before.index)
    a, b = after.loc[both], before.loc[both]
    done_now = a["status"].eq(DONE) & b["status"].ne(DONE)
    added = after.loc[after.index.difference(before.index, sort=False)]
    new_done = pd.concat([a[done_now], added[added["status"].eq(DONE)]])
    late_before = set(metrics.overdue(before, old_as_of or old.report_date)["key"])
    late_now = metrics.overdue(after, new_as_of or new.report_date)
    changed = a["status"].ne(b["status"])
    pushed = (a["due"].notna() & b["due"].notna() & (a["due"] > b["due"])) | (b["due"].notna() & a["long_term"])
    backwards = (a["progress"] < b["progress"]) | (b["status"].eq(DONE) & a["status"].ne(DONE))
    return Changes(
        by_text=by_text,
        newly_done=new_done[SHOWN],
        newly_overdue=late_now[~late_now["key"].isin(late_before)][[*SHOWN, "due", "days_overdue"]],
        status_changed=a.loc[changed, SHOWN].assign(
            old_status=b.loc[changed, "status"], new_status=a.loc[changed, "status"]
        ),
        postponed=a.loc[pushed, SHOWN].assign(
            old_due=b.loc[pushed, "due"], new_due=a.loc[pushed, "due"], long_term=a.loc[pushed, "long_term"]
        ),
        regressed=a.loc[backwards, SHOWN].assign(
            old_progress=b.loc[backwards, "progress"],
            new_progress=a.loc[backwards, "progress"],
            old_status=b.loc[backwards, "status"],
            new_status=a.loc[backwards, "status"],
        ),
        done_without_evidence=after.loc[after["status"].eq(DONE) & after["evidence"].eq(""), SHOWN],
        added=added[SHOWN],
        removed=before.loc[before.index.difference(after.index, sort=False), SHOWN],
    )


def postponements(history: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """How often each measure's deadline was pushed back across all versions, and the same per leader.

    `history` is Store.history(): one row per task per version (version_id, report_date, key, id, measure,
    leader, due, long_term…); versions follow each other in report-date order. Returns (per measure: key, id, measure, leader, times, first_due, last_due;
    per leader: leader, times, measures), most postponed first; only measures postponed at least once."""
    frame = history[
        ["version_id", "report_date", "key", "id", "measure", "leader", "due", "long_term"]
    ].drop_duplicates(["version_id", "key"])
    frame = frame.sort_values(["key", "report_date", "version_id"], kind="stable")
    previous = frame.groupby("key")["due"].shift()
    pushed = previous.notna() & ((frame["due"] > previous) | frame["long_term"].astype(bool))
    frame = frame.assign(pushed=pushed.astype(int))
    last = frame.groupby("key").agg(
        id=("id", "last"),
        measure=("measure", "last"),
        leader=("leader", "last"),
        times=("pushed", "sum"),
        first_due=("due", "first"),
        last_due=("due", "last"),
    )
    per_measure = (
        last[last["times"] > 0]
        .reset_index()
        .sort_values(["times", "key"], ascending=[False, True], kind="stable")
        .reset_index(drop=True)
    )
    per_leader = per_measure.groupby(metrics.name_keys(per_measure["leader"]), sort=False).agg(
        leader=("leader", "first"), times=("times", "sum"), measures=("key", "size")
    )
    per_leader = per_leader.sort_values("times", ascending=False, kind="stable").reset_index(drop=True)
    return per_measure, per_leader


MIN_MEASURES_TO_COMPARE = 3


def overlap(older: pd.DataFrame, newer: pd.DataFrame) -> float | None:
    """The share of the newer ledger's measures that the older one has too — the same measure text (folded:
    spacing, full-width forms), or the same id and category. None when either has fewer than 3 measures.
    Ids alone would not do: every plan numbers its measures 1, 2, 3 …"""
    if min(len(older), len(newer)) < MIN_MEASURES_TO_COMPARE:
        return None
    texts = set(metrics.name_keys(older["measure"]))
    places = set(zip(metrics.name_keys(older["category"]), older["id"], strict=True))
    found = [
        text in texts or (task_id != "" and (category, task_id) in places)
        for text, category, task_id in zip(
            metrics.name_keys(newer["measure"]), metrics.name_keys(newer["category"]), newer["id"], strict=True
        )
    ]
    return sum(found) / len(found)
