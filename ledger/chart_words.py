"""Each chart in words, for those who cannot see it: the figures it draws, one text per
chart kind, in the UI language. ledger.figures keeps the words on the figure (its layout's meta, WORDS), and
ui.widgets.plotly_chart writes them beside the chart for screen readers."""

from __future__ import annotations

import html
from datetime import date

import pandas as pd

from ledger import metrics
from ledger.i18n import translate
from ledger.model import Phase
from ledger.text import percent
from ledger.vocab import DONE, IN_PROGRESS, NOT_STARTED, ONGOING

WORDS = "words"  # the key of a figure's words in its layout's meta


def meta(text: str) -> dict:
    """A figure's layout meta holding its words as HTML, escaped here: they name what users wrote (a category, a
    phase), and the figure, meta included, is sent to the browser as it is."""
    return {WORDS: html.escape(text)}


def _chart(title_key: str, parts: list[str], lang: str) -> str:
    items = translate("words.separator", lang).join(parts) if parts else translate("words.empty", lang)
    return translate("words.chart", lang, title=translate(title_key, lang), items=items)


def _day(day: object) -> str:
    return pd.Timestamp(day).date().isoformat()  # type: ignore[arg-type]


def gantt(
    phases: tuple[Phase, ...],
    tasks: pd.DataFrame,
    as_of: date,
    lang: str,
    thresholds: metrics.Thresholds = metrics.DEFAULT_THRESHOLDS,
) -> str:
    """The timeline: the as-of day, then each phase with its dates, state, measures, completion and time gone."""
    parts = [translate("words.as_of", lang, day=as_of.isoformat())]
    for state in metrics.phase_states(phases, tasks, as_of, thresholds.behind_points):
        parts.append(
            translate(
                "words.phase",
                lang,
                name=state.name,
                start=state.phase.start.isoformat(),
                end=state.phase.end.isoformat(),
                state=translate(f"phase_state.{state.state}", lang),
                n=state.tasks,
                pct=percent(state.completion_pct, 0),
                elapsed=percent(state.elapsed_pct, 0),
                behind=translate("words.behind", lang) if state.behind else "",
            )
        )
    return _chart("gantt.title", parts, lang)


def category_bars(table: pd.DataFrame, lang: str) -> str:
    """Completion by category (`table` from metrics.by_category): each category's measures by status, its
    completion as reported and as verified, and its overdue measures."""
    parts = [
        translate(
            "words.category",
            lang,
            name=row["name"],
            n=int(row["tasks"]),
            done=int(row[DONE]),
            in_progress=int(row[IN_PROGRESS]),
            not_started=int(row[NOT_STARTED]),
            ongoing=int(row[ONGOING]),
            pct=percent(row["completion_pct"], 0),
            verified=percent(row["verified_pct"], 0),
            late=int(row["overdue"]),
        )
        for _, row in table.iterrows()
    ]
    return _chart("chart.by_category", parts, lang)


def trend(points: pd.DataFrame, lang: str, by_category: bool = True) -> str:
    """Completion over the versions (`points` as ledger.figures.trend takes them): each line's value per report
    date, the overall line first, then the planned pace."""
    overall = translate("chart.overall", lang)
    shown = points if by_category else points[points["series"] == overall]
    listing = translate("words.list_separator", lang)

    def line(name: str, days: pd.Series, values: pd.Series) -> str:
        values_on = [
            translate("words.point", lang, day=_day(day), pct=percent(value, 1))
            for day, value in zip(days, values, strict=True)
        ]
        return translate("words.series", lang, name=name, points=listing.join(values_on))

    parts = [
        line(str(name), group["report_date"], group["completion_pct"])
        for name, group in shown.groupby("series", sort=False)
    ]
    plan = points[(points["series"] == overall) & points["planned_pct"].notna()]
    if not plan.empty:
        parts.append(line(translate("chart.plan", lang), plan["report_date"], plan["planned_pct"]))
    return _chart("chart.trend", parts, lang)
