"""The meeting pack: what the weekly meeting takes away, built from the version and filters
on screen — the brief (周报) as a one-page PDF, an editable Word document and a 1,080-pixel image, the supervision
notices (督办单), and the whole version as a workbook with its lights.

Every figure comes from ledger.metrics, ledger.lights, ledger.diff and ledger.requirements, the same functions the
pages call; this module only chooses, orders and words them (`brief_data`, `notices_data`), and the renderers
(ledger.typeset for PDF and PNG, ledger.word for .docx) only lay them out."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import pandas as pd

from ledger import lights as light_rules
from ledger import metrics
from ledger.diff import Changes, postponements
from ledger.figures import STATE_COLORS, STATUS_COLORS, is_inspection
from ledger.i18n import translate
from ledger.model import DATE_COLUMNS, EXTRA_PREFIX, TASK_FIELDS, Ledger, Phase, extras
from ledger.report import column_name, status_words
from ledger.requirements import MeetingRequirements, RequirementState
from ledger.text import percent, shortened
from ledger.vocab import BY_CHOICES, DONE, STATUSES

TOP_OVERDUE = 15  # measures listed in the brief; the rest are counted ("and N more")
TOP_CHANGES = 5
TOP_REQUIREMENTS = 8
TOP_CATEGORIES = 10
MEASURE_CHARS = 42  # a measure's text in the brief's tables, cut with an ellipsis


@dataclass(frozen=True)
class Context:
    """What every document of the pack is made from: the version on screen, its filters and its date."""

    ledger: Ledger
    tasks: pd.DataFrame  # after the filters
    as_of: date
    lang: str = "zh"
    thresholds: metrics.Thresholds = metrics.DEFAULT_THRESHOLDS
    plan: str = ""
    unit: str = ""
    version: int | None = None  # the version's number within its plan
    changes: Changes | None = None  # since the version before (None: the first, or a file on its own)
    requirements: MeetingRequirements | None = None
    history: pd.DataFrame | None = None  # Store.history(): postponements so far
    filters: dict[str, list[str]] = field(default_factory=dict)
    group_by: str = ""  # an extra field of text the category chart groups by instead of the category ("": category)

    def t(self, key: str, **params) -> str:
        return translate(key, self.lang, **params)

    @property
    def colon(self) -> str:
        return "：" if self.lang == "zh" else ": "

    @property
    def lights(self) -> pd.Series:
        return light_rules.lights(self.tasks, self.ledger.phases, self.as_of, self.thresholds)


def _short(text: object, length: int = MEASURE_CHARS) -> str:
    return shortened(" ".join(str(text or "").split()), length)


def _day(value) -> str:
    return "" if value is None or pd.isna(value) else pd.Timestamp(value).date().isoformat()


def title_of(ctx: Context) -> str:
    return ctx.plan or ctx.ledger.title or ctx.t("brief.default_plan")


def filters_line(ctx: Context) -> str:
    shown = [
        column_name(name, ctx.lang) + ctx.colon + "、".join(values) for name, values in ctx.filters.items() if values
    ]
    return ctx.t("brief.filtered", filters="；".join(shown)) if shown else ""


# --- the charts' data: the same figures as the on-screen plotly charts (ledger.figures) -----------------------
def gantt_rows(
    phases: tuple[Phase, ...],
    tasks: pd.DataFrame,
    as_of: date,
    lang: str,
    thresholds: metrics.Thresholds = metrics.DEFAULT_THRESHOLDS,
) -> dict:
    """The phase Gantt as fractions of one time axis — the axis ledger.figures.gantt draws (first start − 2 days
    to last end + 4 days, each end day drawn whole): per phase its start, length, completion and state."""
    if not phases:
        return {"rows": [], "ticks": [], "as_of": None}
    days = [p.start for p in phases] + [p.end for p in phases] + [as_of]
    first, last = min(days) - timedelta(days=2), max(days) + timedelta(days=4)
    span = (last - first).days
    at = lambda day: (day - first).days / span  # noqa: E731
    rows = []
    for state in metrics.phase_states(phases, tasks, as_of, thresholds.behind_points):
        rows.append(
            {
                "name": state.name,
                "start": state.phase.start.isoformat(),
                "end": state.phase.end.isoformat(),
                "x": at(state.phase.start),
                "width": (state.phase.days) / span,
                "completion": state.completion_pct,
                "completion_text": percent(state.completion_pct),
                "state": state.state,
                "state_word": translate(f"phase_state.{state.state}", lang),
                "behind": state.behind,
                "color": STATE_COLORS[state.state],
                "inspection": is_inspection(state.phase),
            }
        )
    ticks = [{"x": at(p.start), "text": f"{p.start.month}/{p.start.day}"} for p in phases]
    return {
        "rows": rows,
        "ticks": ticks,
        "as_of": at(as_of),
        "as_of_text": translate("gantt.as_of", lang, day=f"{as_of.month}/{as_of.day}"),
        "done_color": STATUS_COLORS[DONE],
        "behind_word": translate("gantt.behind", lang),
    }


def category_rows(
    tasks: pd.DataFrame, as_of: date, lang: str, top: int = TOP_CATEGORIES, column: str = "category"
) -> dict:
    """Completion by category (or by another text column: metrics.by_group), as ledger.figures.category_bars stacks
    it: per category the measures in each status, its completion and overdue count; beyond `top` categories, the
    rest in one row."""
    table = metrics.by_group(tasks, as_of, column)
    rows = [
        {
            "name": row["name"],
            "counts": {s: int(row[s]) for s in STATUSES},
            "tasks": int(row["tasks"]),
            "label": translate(
                "chart.completion",
                lang,
                pct=percent(row["completion_pct"]).replace(".0%", "%"),
                verified=percent(row["verified_pct"]).replace(".0%", "%"),
                late=int(row["overdue"]),
            ),
        }
        for row in table.to_dict("records")
    ]
    if len(rows) > top:
        rest = rows[top - 1 :]
        counts = {s: sum(r["counts"][s] for r in rest) for s in STATUSES}
        rows = [
            *rows[: top - 1],
            {
                "name": translate("brief.other_categories", lang, n=len(rest)),
                "counts": counts,
                "tasks": sum(counts.values()),
                "label": "",
            },
        ]
    return {
        "rows": rows,
        "max": max((r["tasks"] for r in rows), default=1) or 1,
        "statuses": [{"name": s, "word": translate(f"status.{s}", lang), "color": STATUS_COLORS[s]} for s in STATUSES],
    }


# --- the brief ------------------------------------------------------------------------------------------------
def headline_figures(head: metrics.Headline, lang: str, thresholds: metrics.Thresholds) -> list[dict]:
    """The headline cards, one definition for the overview and the brief: each {key, label, value (as shown), note,
    color (a light's, for overdue and due soon), help}; completion and verification out of the measures that can
    finish (Headline.finishing)."""
    t = lambda key, **kw: translate(key, lang, **kw)  # noqa: E731
    red, yellow = light_rules.COLORS[light_rules.RED], light_rules.COLORS[light_rules.YELLOW]
    figure = lambda key, label, value, note="", color="", help="": {  # noqa: E731
        "key": key,
        "label": label,
        "value": value,
        "note": note,
        "color": color,
        "help": help,
    }
    return [
        figure(
            "measures",
            t("overview.measures"),
            str(head.tasks),
            help=t("overview.measures_help", ongoing=head.by_status["ongoing"]),
        ),
        figure(
            "completion",
            t("overview.completion"),
            percent(head.completion_pct),
            t("overview.done_of", done=head.by_status["done"], total=head.finishing),
        ),
        figure(
            "verified",
            t("overview.verified"),
            percent(head.verified_pct),
            t("overview.verified_of", done=head.verified, total=head.finishing),
        ),
        figure("average", t("overview.average_progress"), percent(head.average_progress)),
        figure("overdue", t("overview.overdue"), str(head.overdue), t("light.red"), red if head.overdue else ""),
        figure(
            "due_soon",
            t("overview.due_soon", days=thresholds.due_soon_days),
            str(head.due_soon),
            t("light.yellow"),
            yellow if head.due_soon else "",
        ),
    ]


def light_items(ctx: Context, shown: pd.Series) -> list[dict]:
    found = light_rules.counts(shown)
    return [
        {"name": name, "word": ctx.t(f"light.{name}"), "count": found[name], "color": light_rules.COLORS[name]}
        for name in light_rules.LIGHTS
    ]


def overdue_groups(ctx: Context, top: int = TOP_OVERDUE) -> tuple[list[dict], int, int]:
    """The overdue measures, most days late first, grouped by leader in that order: (groups, listed, more)."""
    late = metrics.overdue(ctx.tasks, ctx.as_of)
    listed = late.head(top)
    groups: dict[str, dict] = {}
    keys = metrics.name_keys(listed["leader"]) if len(listed) else pd.Series(dtype=object)
    by_unit = "unit" in listed  # all units together: the same title in two units is two people
    if by_unit and len(listed):
        keys = listed["unit"].astype(str) + "\x1f" + keys
    for key, row in zip(keys, listed.to_dict("records"), strict=True):
        leader = row["leader"] or ctx.t("brief.no_leader")
        group = groups.setdefault(key, {"leader": f"{row['unit']} {leader}" if by_unit else leader, "rows": []})
        group["rows"].append(
            {
                "id": row["id"] or str(row["row"]),
                "measure": _short(row["measure"]),
                "department": row["department"],
                "owner": row["owner"],
                "due": _day(row["due"]),
                "days": int(row["days_overdue"]),
            }
        )
    return list(groups.values()), len(listed), max(len(late) - top, 0)


CHANGE_COUNTS = ("newly_overdue", "postponed", "regressed", "done_without_evidence", "newly_done", "added", "removed")


def changes_data(ctx: Context) -> dict:
    if ctx.changes is None:
        return {"available": False, "text": ctx.t("brief.no_previous"), "counts": [], "lines": []}
    counts = ctx.changes.counts()
    lines = []
    for name in ("newly_overdue", "newly_done"):
        frame = getattr(ctx.changes, name)
        for row in frame.head(TOP_CHANGES).to_dict("records"):
            lines.append(
                {
                    "kind": ctx.t(f"changes.{name}"),
                    "alarm": name == "newly_overdue",
                    "text": f"{row['id']} {_short(row['measure'], 36)}",
                    "who": row["leader"] or row["owner"],
                }
            )
    return {
        "available": True,
        "text": "",
        "lines": lines,
        "counts": [
            {
                "name": n,
                "label": ctx.t(f"changes.{n}"),
                "n": counts[n],
                "alarm": n in CHANGE_COUNTS[:4] and counts[n] > 0,
            }
            for n in CHANGE_COUNTS
        ],
    }


def requirement_rows(ctx: Context, found: list[RequirementState], top: int = TOP_REQUIREMENTS) -> dict:
    rows = [
        {
            "text": _short(s.requirement.text, 60),
            "target": requirement_target(s.requirement, ctx.lang),
            "by": s.requirement.given_by,
            "meeting": s.requirement.meeting_date.isoformat(),
            "required_by": s.requirement.required_by.isoformat(),
            "state": s.state,
            "state_word": ctx.t(f"requirement.state.{s.state}"),
            "progress": f"{s.done}/{s.concerned}" if s.concerned != 1 else "",
        }
        for s in found
    ]
    return {"rows": rows[:top], "more": max(len(rows) - top, 0)}


def requirement_target(requirement, lang: str, length: int | None = 24) -> str:
    """What a requirement concerns, in words: the measure's id and text (cut to `length`), or the leader or
    department."""
    if requirement.scope == "measure":
        text = requirement.measure if length is None else _short(requirement.measure, length)
        return f"{requirement.target} {text}".strip()
    return translate("field." + requirement.scope, lang) + ("：" if lang == "zh" else ": ") + requirement.target


def brief_data(ctx: Context) -> dict:
    """Everything the brief shows, worded in ctx.lang: one JSON value for the templates and the Word writer."""
    head = metrics.headline(ctx.tasks, ctx.ledger.phases, ctx.as_of, ctx.thresholds)
    shown = ctx.lights
    groups, listed, more = overdue_groups(ctx)
    carried = ctx.requirements.carried if ctx.requirements else []
    current = ctx.requirements.current if ctx.requirements else []
    subtitle = [ctx.unit or ctx.ledger.unit, ctx.t("brief.as_of", day=ctx.as_of.isoformat())]
    if ctx.version:
        subtitle.append(ctx.t("brief.version", n=ctx.version))
    grouped = EXTRA_PREFIX + ctx.group_by if ctx.group_by and EXTRA_PREFIX + ctx.group_by in ctx.tasks else "category"
    labels = {
        key: ctx.t(f"brief.{key}")
        for key in (
            "heading",
            "figures",
            "lights",
            "gantt",
            "categories",
            "overdue",
            "changes",
            "requirements",
            "no_overdue",
            "no_requirements",
            "days",
            "due",
            "measure",
            "leader",
            "target",
            "by",
            "required_by",
            "state",
            "current_requirements",
        )
    }
    if grouped != "category":
        labels["categories"] = ctx.t("brief.groups", name=ctx.group_by)
    return {
        "lang": ctx.lang,
        "title": title_of(ctx),
        "heading": ctx.t("brief.heading"),
        "subtitle": " · ".join(part for part in subtitle if part),
        "filters": filters_line(ctx),
        "labels": labels,
        "figures": headline_figures(head, ctx.lang, ctx.thresholds),
        "lights": light_items(ctx, shown),
        "lights_rule": ctx.t(
            "overview.lights_help", days=ctx.thresholds.due_soon_days, points=f"{ctx.thresholds.behind_points:g}"
        ),
        "gantt": gantt_rows(ctx.ledger.phases, ctx.tasks, ctx.as_of, ctx.lang, ctx.thresholds),
        "categories": category_rows(ctx.tasks, ctx.as_of, ctx.lang, column=grouped),
        "overdue": {
            "groups": groups,
            "listed": listed,
            "total": listed + more,
            "more": ctx.t("brief.more", n=more) if more else "",
        },
        "changes": changes_data(ctx),
        "requirements": {
            **requirement_rows(ctx, carried),
            "current": len(current),
            "current_text": ctx.t("brief.current_count", n=len(current)) if current else "",
        },
        "footer": ctx.t("brief.footer", day=ctx.as_of.isoformat()),
    }


# --- supervision notices (督办单) ------------------------------------------------------------------------------
def notices_data(ctx: Context, by: str = "leader", first_number: int = 1) -> dict:
    """One notice per responsible leader (or department) with overdue or due-soon measures, the most overdue
    first, numbered 督办〔year〕第N号: each measure with its deadline, days late, postponements so far and the
    meeting requirements on it."""
    if by not in BY_CHOICES:
        raise ValueError(by)
    late = metrics.overdue(ctx.tasks, ctx.as_of)
    soon = metrics.due_soon(ctx.tasks, ctx.as_of, ctx.thresholds.due_soon_days)
    concerned = pd.concat([late, soon])
    concerned = concerned[concerned[by].astype(str).str.strip() != ""]
    pushed = {}
    if ctx.history is not None and not ctx.history.empty:
        per_measure, _ = postponements(ctx.history)
        pushed = dict(zip(per_measure["key"], per_measure["times"], strict=True))
    asked: dict[str, list[str]] = {}
    if ctx.requirements:
        for found in [*[s.requirement for s in ctx.requirements.carried], *ctx.requirements.current]:
            for key in found.keys:
                asked.setdefault(key, []).append(
                    found.given_by
                    + ctx.colon
                    + found.text
                    + (
                        f"（{found.required_by.isoformat()}）"
                        if ctx.lang == "zh"
                        else f" (by {found.required_by.isoformat()})"
                    )
                )
    groups = []
    keys = metrics.name_keys(concerned[by])
    if "unit" in concerned:  # all units together: the same title in two units is two people
        keys = concerned["unit"].astype(str) + "\x1f" + keys
    for _, group in concerned.groupby(keys, sort=False):
        rows = []
        for row in group.to_dict("records"):
            days = row.get("days_overdue")
            rows.append(
                {
                    "id": row["id"] or str(row["row"]),
                    "measure": _short(row["measure"], 80),
                    "due": _day(row["due"]),
                    "late": not pd.isna(days),
                    "days": (light_rules.SYMBOLS[light_rules.RED] + " " + ctx.t("notice.days_late", n=int(days)))
                    if not pd.isna(days)
                    else (
                        light_rules.SYMBOLS[light_rules.YELLOW]
                        + " "
                        + ctx.t("notice.days_left", n=int(row["days_left"]))
                    ),
                    "postponed": int(pushed.get(row["key"], 0)),
                    "people": " / ".join(x for x in (row["leader"], row["department"], row["owner"]) if x),
                    "requirements": "；".join(asked.get(row["key"], [])),
                }
            )
        worst = max((int(d) for d in group["days_overdue"].dropna()), default=-1)
        name = group[by].iloc[0]
        groups.append((worst, f"{group['unit'].iloc[0]} {name}" if "unit" in group else name, rows))
    groups.sort(key=lambda g: -g[0])
    year = ctx.as_of.year
    notices = [
        {
            "number": ctx.t("notice.number", year=year, n=first_number + i),
            "to": name,
            "rows": rows,
            "intro": ctx.t(
                f"notice.intro_{by}",
                name=name,
                plan=title_of(ctx),
                day=ctx.as_of.isoformat(),
                late=sum(r["late"] for r in rows),
                soon=sum(not r["late"] for r in rows),
            ),
            "deadline": ctx.t("notice.reply_by", day=(ctx.as_of + timedelta(days=3)).isoformat()),
        }
        for i, (_, name, rows) in enumerate(groups)
    ]
    labels = {
        key: ctx.t(f"notice.{key}")
        for key in (
            "title",
            "to",
            "measure",
            "due",
            "days",
            "postponed",
            "requirements",
            "feedback",
            "signature",
            "date",
            "issuer",
            "none",
        )
    }
    return {
        "lang": ctx.lang,
        "plan": title_of(ctx),
        "unit": ctx.unit or ctx.ledger.unit,
        "by": by,
        "labels": labels,
        "notices": notices,
        "issued": ctx.t("notice.issued", day=ctx.as_of.isoformat()),
    }


# --- the whole version as a workbook ---------------------------------------------------------------------------
LIGHT_ORDER = {
    name: rank
    for rank, name in enumerate(
        (
            light_rules.RED,
            light_rules.YELLOW,
            light_rules.GREEN,
            light_rules.ONGOING_MARK,
            light_rules.CLAIMED_MARK,
            light_rules.DONE_MARK,
        )
    )
}
_WIDTHS = {f.name: f.width for f in TASK_FIELDS}  # a field as wide as in a written ledger (ledger.model)
VERSION_COLUMNS = (  # (field, width, kind): the exported version's columns
    ("light", 16, "text"),
    ("days_overdue", 9, "number"),
    *(
        (name, _WIDTHS[name], "date" if name in DATE_COLUMNS else "percent" if name == "progress" else "text")
        for name in (
            *("id", "category", "problem", "measure", "goal", "phase", "leader", "department", "owner"),
            *("start", "due", "status", "progress", "completed_on", "evidence", "notes"),
        )
    ),
)


def version_records(ctx: Context) -> list[dict]:
    """Every shown measure with its light, overdue first (most days late first), then yellow, green, ongoing and
    done, each by deadline."""
    tasks = ctx.tasks.assign(_light=ctx.lights, _status=status_words(ctx.tasks, ctx.lang))
    found = extras(ctx.tasks)
    days = metrics.days_past_due(tasks["due"], ctx.as_of)
    tasks = tasks.assign(_rank=tasks["_light"].map(LIGHT_ORDER), _days=days.where(tasks["_light"] == light_rules.RED))
    ordered = tasks.sort_values(
        ["_rank", "_days", "due", "row"], ascending=[True, False, True, True], na_position="last", kind="stable"
    )
    records = []
    for row in ordered.to_dict("records"):
        record = {name: row.get(name) for name, _, _ in VERSION_COLUMNS} | (
            {"unit": row["unit"]} if "unit" in row else {}
        )
        record["light"] = ctx.t(f"light.{row['_light']}")
        record["days_overdue"] = int(row["_days"]) if not pd.isna(row["_days"]) else None
        record["status"] = row["_status"]  # done and not closed as such, as on the pages
        for name in ("start", "due", "completed_on"):
            record[name] = row[name].date() if not pd.isna(row[name]) else None
        record["progress"] = None if pd.isna(row["progress"]) else float(row["progress"])
        for extra in found:  # the extra fields the office wrote, as read
            value = row[extra.column]
            record[extra.column] = None if pd.isna(value) else value.date() if extra.kind == "date" else value
        records.append(record)
    return records


def version_workbook(ctx: Context) -> bytes:
    """The whole version (after the filters) as .xlsx: lights as cell colours and words, overdue first."""
    from ledger.writing import Column, lights_workbook

    data = brief_data(ctx)
    shown = ((("unit", 16, "text"),) if "unit" in ctx.tasks else ()) + VERSION_COLUMNS  # all units together
    columns = [Column(name, ctx.t(f"field.{name}"), width, kind) for name, width, kind in shown]
    columns += [  # then every extra field the office wrote, under its own header
        Column(e.column, e.name, 12 if e.kind != "text" else 18, e.kind) for e in extras(ctx.tasks)
    ]
    fills = {ctx.t(f"light.{name}"): color for name, color in light_rules.TINTS.items()}
    summary = [
        (ctx.t("brief.as_of", day=""), ctx.as_of),
        *[(f["label"], f["value"]) for f in data["figures"]],
        *[(item["word"], item["count"]) for item in data["lights"]],
        (data["lights_rule"], ""),
    ]
    if data["filters"]:
        summary.append((data["filters"], ""))
    return lights_workbook(
        f"{data['title']} {data['subtitle']}",
        columns,
        version_records(ctx),
        fills,
        summary,
        ctx.t("brief.sheet_version"),
        ctx.t("brief.sheet_figures"),
    )
