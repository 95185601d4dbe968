"""Plotly figures of the plan: the phase Gantt, completion by category, the trend across versions."""

from __future__ import annotations

import html
import math
import re
import unicodedata
from datetime import date, timedelta

import pandas as pd
import plotly.graph_objects as go

from ledger import chart_words, metrics
from ledger.escape import plotly as literal
from ledger.i18n import translate
from ledger.lights import SYMBOLS, lights
from ledger.model import Phase
from ledger.text import percent, shortened
from ledger.vocab import DONE, IN_PROGRESS, NOT_STARTED, ONGOING, STATUSES

STATUS_COLORS = {DONE: "#2E7D32", IN_PROGRESS: "#1565C0", NOT_STARTED: "#9E9E9E", ONGOING: "#7B1FA2"}
STATE_COLORS = {"done": "#90A4AE", "current": "#1565C0", "upcoming": "#CFD8DC"}
OVERDUE_COLOR = "#C62828"
FONT = "Source Sans Pro, Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif"
FONT_SIZE = 14
TICK_SIZE = 12  # the y axes' tick labels, as Streamlit's chart theme draws them
MAX_TASK_BARS = 200


def task_pages(tasks: pd.DataFrame) -> int:
    """How many pages of at most MAX_TASK_BARS measures the timeline shows them on (0: none)."""
    return math.ceil(len(tasks) / MAX_TASK_BARS)


def task_page(tasks: pd.DataFrame, phases: tuple[Phase, ...], page: int) -> pd.DataFrame:
    """The timeline's page `page` (from 1) of the measures, in the order the Gantt draws them: by phase, as the plan
    orders its phases, then category, then ledger row."""
    order = pd.Categorical(tasks["phase"], [p.name for p in phases])
    ordered = tasks.assign(_order=order).sort_values(["_order", "category", "row"], kind="stable")
    return ordered.iloc[(page - 1) * MAX_TASK_BARS : page * MAX_TASK_BARS].drop(columns="_order")


_DAY_MS = 86_400_000
_INSPECTION_WORDS = ("督导", "检查", "inspection", "inspect", "review")


def _layout(fig: go.Figure, height: int) -> go.Figure:
    fig.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        font={"family": FONT, "size": FONT_SIZE},
        plot_bgcolor="white",
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
        bargap=0.25,
    )
    return fig


_LINE_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
_SIZE = re.compile(r"font-size:\s*(\d+)px")
_NARROW = frozenset(" |il'.,:;jIf!()[]{}-t/r")
_BROAD = frozenset("mwMW%@")
_TICK_GAP = 16  # between the longest tick label and the chart's left edge, and before the plot area


def _ems(char: str) -> float:
    """A character's width in em, rounded up from Chromium's Source Sans Pro and Noto Sans CJK."""
    if char == "\u200b":
        return 0.0
    if unicodedata.east_asian_width(char) in "WFA":  # CJK, and the lights' symbols, the dots and dashes
        return 1.0
    if char in _BROAD:
        return 0.95
    if char in _NARROW:
        return 0.4
    return 0.75 if char.isupper() else 0.62


def text_width(label: str, size: int = TICK_SIZE) -> float:
    """A generous width in pixels of a label as plotly draws it: the widest of its <br> lines, a line in the size
    its <span style='font-size:…px'> gives, bold a tenth wider."""
    widest = 0.0
    for line in _LINE_BREAK.split(label):
        sizes = _SIZE.findall(line)
        em = int(sizes[-1]) if sizes else size
        ems = sum(_ems(char) for char in html.unescape(_TAG.sub("", line)))
        widest = max(widest, ems * em * (1.1 if "<b>" in line else 1.0))
    return widest


ROW = 56  # pixels per row of a horizontal bar chart: its label, then its bar
BAR = 0.42  # a bar's share of its row; the label sits in the rest, above it


def _labels_above(fig: go.Figure, rows: list[tuple[str, str]]) -> go.Figure:
    """Each row's label (row value, label) drawn above its bar inside the plot area, not in a left margin: the plot
    keeps the chart's whole width, on a phone as well (390 px). Annotations rather than inside tick labels, beside
    which plotly hides the dates along the bottom. The margin is fixed rather than plotly's automargin, which draws
    the whole chart a second time once it has measured the labels."""
    fig.update_yaxes(automargin=False, showticklabels=False, ticks="")
    for row, label in rows:
        fig.add_annotation(
            x=0,
            xref="paper",
            y=row,
            yref="y",
            text=label,
            showarrow=False,
            xanchor="left",
            yanchor="bottom",
            yshift=math.ceil(BAR * ROW / 2),
            align="left",
            font={"size": TICK_SIZE},
        )
    return fig.update_layout(margin_l=_TICK_GAP, bargap=1 - BAR)


def _dates(fig: go.Figure) -> None:
    """Dates along the bottom written horizontally, few enough to stay apart on a phone."""
    fig.update_xaxes(tickangle=0, nticks=6)


def is_inspection(phase: Phase) -> bool:
    """The phase in which superiors inspect (迎接督导检查): drawn as a milestone."""
    return any(word in phase.name.lower() for word in _INSPECTION_WORDS)


def _span(start: date, end: date) -> tuple[str, int]:
    """Bar base and length on a date axis; `end` is inclusive (the whole last day is drawn)."""
    return start.isoformat(), ((end - start).days + 1) * _DAY_MS


def phase_tick(state: metrics.PhaseState, lang: str) -> str:
    """The phase's row label: its name, and under it its state, completion and whether it is behind."""
    t = lambda key, **kw: translate(key, lang, **kw)  # noqa: E731
    line = f"{t('phase_state.' + state.state)} · {t('gantt.completion', pct=percent(state.completion_pct, 0))}"
    if state.behind:
        line += f" · <span style='color:{OVERDUE_COLOR}'>{t('gantt.behind')}</span>"
    return f"<b>{literal(state.name)}</b> <span style='font-size:{TICK_SIZE}px'>{line}</span>"


def _phase_bars(fig: go.Figure, states: list[metrics.PhaseState], ticks: dict[str, str], lang: str) -> None:
    for state in states:
        base, length = _span(state.phase.start, state.phase.end)
        hover = (
            f"<b>{literal(state.name)}</b><br>{state.phase.start} – {state.phase.end}<br>"
            f"{translate('gantt.elapsed', lang, pct=percent(state.elapsed_pct, 0))}"
        )
        fig.add_bar(
            y=[ticks[state.name]],
            x=[length],
            base=[base],
            orientation="h",
            showlegend=False,
            marker={
                "color": STATE_COLORS[state.state],
                "line": {"color": OVERDUE_COLOR if state.behind else "white", "width": 3},
            },
            text=[percent(state.completion_pct, 0)],
            textposition="inside",
            insidetextanchor="end",
            hovertext=[hover],
            hovertemplate="%{hovertext}<extra></extra>",
            width=BAR,
            opacity=0.45 if is_inspection(state.phase) else 1.0,
        )
        if state.completion_pct:
            done_length = int(length * state.completion_pct / 100)
            fig.add_bar(
                y=[ticks[state.name]],
                x=[done_length],
                base=[base],
                orientation="h",
                showlegend=False,
                marker={"color": STATUS_COLORS[DONE], "opacity": 0.6},
                width=BAR / 3,
                hoverinfo="skip",
            )


def _milestones(fig: go.Figure, phases: tuple[Phase, ...], ticks: dict[str, str], lang: str) -> None:
    for phase in phases:
        if is_inspection(phase):
            fig.add_scatter(
                x=[phase.start.isoformat()],
                y=[ticks[phase.name]],
                mode="markers+text",
                marker={"symbol": "diamond", "size": 22, "color": "#F9A825", "line": {"color": "#5D4037", "width": 1}},
                text=[translate("gantt.inspection", lang)],
                textposition="middle right",
                showlegend=False,
                hovertemplate=f"{translate('gantt.inspection', lang)} {phase.start}<extra></extra>",
            )


def _as_of_line(fig: go.Figure, as_of: date, lang: str) -> None:
    fig.add_shape(
        type="line",
        x0=as_of.isoformat(),
        x1=as_of.isoformat(),
        y0=0,
        y1=1,
        yref="paper",
        line={"color": OVERDUE_COLOR, "width": 2, "dash": "dash"},
    )
    fig.add_annotation(
        x=as_of.isoformat(),
        y=1,
        yref="paper",
        yanchor="bottom",
        showarrow=False,
        text=translate("gantt.as_of", lang, day=f"{as_of.month}/{as_of.day}"),
        font={"color": OVERDUE_COLOR},
    )


def _unique(label: str, n: int) -> str:
    """Tick labels must be unique; zero-width spaces keep equal-looking labels of different phases apart."""
    return label + "\u200b" * n


def _phase_groups(tasks: pd.DataFrame, phases: tuple[Phase, ...]):
    """(phase name, category, its tasks) in phase order, then categories in ledger order, then tasks by row."""
    categories = list(dict.fromkeys(tasks["category"].tolist()))
    names = [p.name for p in phases]
    names += [n for n in dict.fromkeys(tasks["phase"].tolist()) if n not in names]
    for name in names:
        mine = tasks[tasks["phase"] == name]
        for category in sorted(set(mine["category"]), key=categories.index):
            yield name, category, mine[mine["category"] == category].sort_values("row", kind="stable")


def _task_bars(
    fig: go.Figure,
    tasks: pd.DataFrame,
    phases: tuple[Phase, ...],
    as_of: date,
    lang: str,
    thresholds: metrics.Thresholds,
) -> list:
    """One bar per measure (start → due) under a header per phase and category, coloured by status, labelled
    with its light's symbol (ledger.lights); overdue ones outlined in red. Returns the y order."""
    by_name = {p.name: p for p in phases}
    shown = lights(tasks, phases, as_of, thresholds)
    late_days = metrics.overdue(tasks, as_of)["days_overdue"].to_dict()
    bars: dict[str, dict[str, list[object]]] = {
        status: {"y": [], "x": [], "base": [], "text": [], "hover": []} for status in [*STATUSES, "late"]
    }
    order: list[str] = []
    for position, (name, category, group) in enumerate(_phase_groups(tasks, phases)):
        if name not in order:
            order.append(name)
        order.append(_unique(f"<i>{literal(shortened(category, 18))}</i>", position))
        phase = by_name.get(name)
        for index, row in zip(group.index, group.itertuples(index=False), strict=True):
            start = row.start.date() if pd.notna(row.start) else (phase.start if phase else as_of)
            end = row.due.date() if pd.notna(row.due) else (phase.end if phase else start)
            base, length = _span(start, max(end, start))
            days = late_days.get(index)
            light = shown[index]
            label = _unique(literal(f"{SYMBOLS[light]} {row.id or row.row} {shortened(row.measure, 16)}"), position)
            order.append(label)
            due_text = end.isoformat() if pd.notna(row.due) else translate("status.ongoing", lang)
            hover = (
                f"<b>{literal(row.measure)}</b><br>{literal(row.category)}<br>"
                f"{literal(row.leader)} / {literal(row.department)} / {literal(row.owner)}<br>{start} – {due_text}<br>"
                f"{translate('light.' + light, lang)}"
            )
            for kind in (row.status, "late") if days else (row.status,):
                bar = bars[kind]
                bar["y"].append(label)
                bar["x"].append(length)
                bar["base"].append(base)
                bar["text"].append(translate("gantt.days_late", lang, n=days) if kind == "late" else "")
                bar["hover"].append(hover)
    for status, bar in bars.items():
        if not bar["y"]:
            continue
        late = status == "late"
        fig.add_bar(
            y=bar["y"],
            x=bar["x"],
            base=bar["base"],
            orientation="h",
            width=BAR,
            name=translate("gantt.overdue" if late else f"status.{status}", lang),
            marker={
                "color": "rgba(0,0,0,0)" if late else STATUS_COLORS[status],
                "line": {"color": OVERDUE_COLOR if late else "white", "width": 3 if late else 0},
            },
            text=bar["text"],
            textposition="outside",
            cliponaxis=False,
            textfont={"color": OVERDUE_COLOR},
            hovertext=bar["hover"],
            hovertemplate="%{hovertext}<extra></extra>",
        )
    names = [p.name for p in phases]
    for n, name in enumerate(names):  # a phase without measures keeps its place (plotly would put it last)
        if name not in order:
            later = [order.index(other) for other in names[n + 1 :] if other in order]
            order.insert(min(later, default=len(order)), name)
    return order


def _group_bars(
    fig: go.Figure,
    tasks: pd.DataFrame,
    phases: tuple[Phase, ...],
    as_of: date,
    lang: str,
    thresholds: metrics.Thresholds,
) -> list:
    """For large ledgers: one bar per phase × category, spanning its measures, labelled with counts."""
    late = metrics.overdue(tasks, as_of)
    order = []
    for phase in phases:
        order.append(phase.name)
        mine = tasks[tasks["phase"] == phase.name]
        for category, group in mine.groupby("category", sort=False):
            start = group["start"].min()
            end = group["due"].max()
            start = start.date() if pd.notna(start) else phase.start
            end = end.date() if pd.notna(end) else phase.end
            base, length = _span(start, max(start, end))
            n_late = int((late["phase"].eq(phase.name) & late["category"].eq(category)).sum())
            completion = metrics.completion_pct(group)
            label = _unique(f"<i>{literal(shortened(str(category), 18))}</i>", len(order))
            order.append(label)
            text = translate("gantt.group", lang, n=len(group), pct=percent(completion, 0), late=n_late)
            color = OVERDUE_COLOR if n_late else STATUS_COLORS[IN_PROGRESS]
            fig.add_bar(
                y=[label],
                x=[length],
                base=[base],
                orientation="h",
                showlegend=False,
                text=[text],
                textposition="inside",
                insidetextanchor="start",
                marker={"color": color, "opacity": 0.7},
                hovertext=[f"<b>{literal(category)}</b><br>{text}"],
                hovertemplate="%{hovertext}<extra></extra>",
                width=BAR,
            )
    return order


def gantt(
    phases: tuple[Phase, ...],
    tasks: pd.DataFrame,
    as_of: date,
    lang: str,
    show_tasks: bool = False,
    grouped: bool = False,
    thresholds: metrics.Thresholds = metrics.DEFAULT_THRESHOLDS,
) -> go.Figure:
    """The four phases on a time axis with the as-of line and the inspection milestone; optionally the measures
    under each phase (one bar each, or one per category when `grouped`)."""
    fig = go.Figure(layout_meta=chart_words.meta(chart_words.gantt(phases, tasks, as_of, lang, thresholds)))
    states = metrics.phase_states(phases, tasks, as_of, thresholds.behind_points)
    ticks = {s.name: phase_tick(s, lang) for s in states}
    _phase_bars(fig, states, ticks, lang)
    order = [p.name for p in phases]
    if show_tasks and not tasks.empty:
        order = (_group_bars if grouped else _task_bars)(fig, tasks, phases, as_of, lang, thresholds)
    order = [ticks.get(label, label) for label in order]
    _milestones(fig, phases, ticks, lang)
    _as_of_line(fig, as_of, lang)
    days = [p.start for p in phases] + [p.end for p in phases] + [as_of]
    fig.update_xaxes(
        type="date",
        range=[(min(days) - timedelta(days=2)).isoformat(), (max(days) + timedelta(days=4)).isoformat()],
        gridcolor="#ECEFF1",
        tickformat="%m/%d",
    )
    fig.update_yaxes(categoryorder="array", categoryarray=order, autorange="reversed")
    fig.update_layout(barmode="overlay", title=translate("gantt.title", lang))
    _dates(fig)
    return _labels_above(_layout(fig, max(320, ROW * len(order) + 120)), [(label, label) for label in order])


def category_bars(table: pd.DataFrame, lang: str) -> go.Figure:
    """Status mix per category (stacked), completion % as reported and verified at the end of each bar; `table`
    from metrics.by_category."""
    fig = go.Figure(layout_meta=chart_words.meta(chart_words.category_bars(table, lang)))
    names = [literal(name) for name in table["name"]]  # the page maps a clicked name back with category_names
    for status in STATUSES:
        fig.add_bar(
            y=names,
            x=table[status],
            orientation="h",
            name=translate(f"status.{status}", lang),
            marker={"color": STATUS_COLORS[status]},
            text=table[status].where(table[status] > 0, None),
            textposition="inside",
            customdata=names,
            hovertemplate="%{y}: %{x}<extra></extra>",
        )
    labels = [
        translate("chart.completion", lang, pct=percent(v, 0), verified=percent(w, 0), late=int(n))
        for v, w, n in zip(table["completion_pct"], table["verified_pct"], table["overdue"], strict=True)
    ]
    fig.add_scatter(
        y=names,
        x=table["tasks"],
        mode="text",
        text=labels,
        textposition="middle right",
        showlegend=False,
        hoverinfo="skip",
        cliponaxis=False,
    )
    ticks = [literal(shortened(name, 18)) for name in table["name"]]  # the bars keep the whole name (hover, click)
    fig.update_yaxes(autorange="reversed", tickmode="array", tickvals=names, ticktext=ticks)
    fig.update_xaxes(
        title=translate("chart.measures", lang), range=[0, max(table["tasks"].max() * 1.35, 1)], gridcolor="#ECEFF1"
    )
    fig.update_layout(barmode="stack", title=translate("chart.by_category", lang), legend_traceorder="normal")
    return _labels_above(_layout(fig, max(300, ROW * len(names) + 120)), list(zip(names, ticks, strict=True)))


def trend(points: pd.DataFrame, lang: str, by_category: bool = True) -> go.Figure:
    """Completion % per version (overall, and per category when `by_category`) against the planned pace.

    `points` has columns report_date, series, completion_pct, planned_pct (planned only on the overall series)."""
    fig = go.Figure(layout_meta=chart_words.meta(chart_words.trend(points, lang, by_category)))
    overall = translate("chart.overall", lang)
    shown = points if by_category else points[points["series"] == overall]
    for name, group in shown.groupby("series", sort=False):
        is_overall = name == overall
        fig.add_scatter(
            x=group["report_date"],
            y=group["completion_pct"],
            mode="lines+markers",
            name=literal(name),
            line={"width": 4 if is_overall else 1.5, "color": "#B71C1C" if is_overall else None},
            opacity=1 if is_overall else 0.7,
        )
    plan = points[points["series"] == overall]
    if plan["planned_pct"].notna().any():
        fig.add_scatter(
            x=plan["report_date"],
            y=plan["planned_pct"],
            mode="lines",
            name=translate("chart.plan", lang),
            line={"dash": "dot", "color": "#455A64", "width": 2},
        )
    # the percentages inside the plot area, not in a left margin: the plot keeps the width of a phone
    fig.update_yaxes(range=[0, 105], ticksuffix="%", ticklabelposition="inside", gridcolor="#ECEFF1")
    fig.update_xaxes(type="date", tickformat="%m/%d", gridcolor="#ECEFF1")
    _dates(fig)
    _layout(fig, 460)
    fig.update_layout(
        title=translate("chart.trend", lang),
        margin={"b": 110},
        legend={"orientation": "h", "y": -0.12, "yanchor": "top", "x": 0},
    )
    return fig
