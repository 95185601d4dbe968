"""Widgets several pages share: percentages, task tables, the problem report, Excel downloads."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable, Sequence

import pandas as pd
import plotly.graph_objects as go
import plotly.io
import streamlit as st

from ledger.chart_words import WORDS
from ledger.escape import markdown
from ledger.lights import COLORS as LIGHT_COLORS
from ledger.lights import LIGHTS
from ledger.model import Issue, day_texts, extras
from ledger.report import issue_message, status_words
from ledger.text import percent as pct  # noqa: F401  (re-exported: the pages' percentages)
from ui.cards import Card, cards
from ui.i18n import lang, severity, t
from ui.memo import memo

SEVERITY_COLORS = {"mild": "#FFF8E1", "serious": "#FFE0B2", "severe": "#FFCDD2"}
PAGE_ROWS = 100  # longer tables are shown a page at a time: sent, converted and drawn 100 rows per run
# Charts without plotly's tool bar, whose buttons the browser builds each time a chart page is entered; dragging still zooms, a double click resets, and the brief carries the charts as images.
CHART_CONFIG = {"displaylogo": False, "displayModeBar": False}


# A chart's words (ledger.chart_words) for screen readers: in the page, after the chart, but not drawn (the usual
# "visually hidden" rules); its element takes no room in the column either.
CHART_WORDS_CSS = (
    ".chart-words {position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; border: 0;"
    " overflow: hidden; clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap;}"
    " [data-testid='stElementContainer']:has(.chart-words) {position: absolute; width: 1px; height: 1px;"
    " overflow: hidden;}"
)


def plotly_chart(figure, **options):
    """st.plotly_chart of a figure the page keeps (memoised per version, as every chart here is), without the tool
    bar, followed by the figure in words for screen readers (its layout's meta, from ledger.chart_words). Streamlit
    deep-copies a figure into a dict and encodes it on every run: over a quarter of the history page's script time
    with 52 versions (cProfile in AppTest). The dict, its arrays already encoded, is made once per figure object
    (ui.memo); what is sent is the same."""
    shown = st.plotly_chart(memo(figure, ("plotly_sent",), lambda: _Sent(figure)), config=CHART_CONFIG, **options)
    meta = figure.layout.meta
    words = meta.get(WORDS) if isinstance(meta, dict) else None
    if words:
        st.html(f'<style>{CHART_WORDS_CSS}</style><p class="chart-words">{words}</p>')  # escaped: chart_words.meta
    return shown


class _Sent(go.Figure):
    """A figure whose dict (what st.plotly_chart takes from it) is worked out once, as plotly encodes it."""

    def __init__(self, figure: go.Figure) -> None:
        super().__init__(layout=figure.layout)  # a figure to Streamlit's checks; its content is _kept
        self._kept = json.loads(plotly.io.to_json(figure, validate=False))

    def to_dict(self) -> dict:
        return self._kept


XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _css_text(text: str) -> str:
    """`text` as a CSS string's content."""
    return "".join(ch if ch.isalnum() or ch in " ，,.:：•（）()-" else f"\\{ord(ch):x} " for ch in text)


def file_uploader(label: str, key: str, max_mib: int, types: Sequence[str] | None = None, **options):
    """st.file_uploader whose own words follow the UI language and whose size line states our limit.

    Streamlit writes "Upload" and "21MB per file" in English and has no setting for them, so a rule scoped to this
    uploader (its key's class) draws our words in their place. Streamlit is told a MiB more than our limit: a file
    just over it still reaches the guarded reader, whose message names the limit, instead of the browser's refusal."""
    limit = t("upload.box_limit", mib=max_mib) + (" • " + ", ".join(x.upper() for x in types) if types else "")
    scope = f".st-key-{key} [data-testid='stFileUploaderDropzone']"
    st.html(
        f"<style>{scope} button [data-testid='stMarkdownContainer'] p{{font-size:0}}"
        f"{scope} button [data-testid='stMarkdownContainer'] p::after{{content:'{_css_text(t('upload.box_button'))}';"
        "font-size:1rem}"
        f"{scope} [data-testid='stFileUploaderDropzoneInstructions'] span{{font-size:0}}"
        f"{scope} [data-testid='stFileUploaderDropzoneInstructions'] span::after{{content:'{_css_text(limit)}';"
        "font-size:0.875rem}</style>"
    )
    return st.file_uploader(label, key=key, type=list(types) if types else None, max_upload_size=max_mib + 1, **options)


def _words(values: pd.Series, word) -> pd.Series:
    """`word(value)` for each value, computed once per distinct value (a column holds few of them)."""
    return values.map({value: word(value) for value in pd.unique(values.to_numpy())}).astype(object)


OPTIONAL = ("problem", "goal")  # shown only when the ledger fills them


def task_frame(tasks: pd.DataFrame, columns: Sequence[str], with_extras: bool = False) -> pd.DataFrame:
    """Tasks as shown in tables: the given fields, dates as YYYY-MM-DD, words translated, headers in the UI language;
    立行立改 with its date, done but not yet closed (销号) as such, problem and goal only when given; with
    `with_extras`, then every extra field the office wrote, under its own header."""
    shown = pd.DataFrame(index=tasks.index)
    for name in columns:
        if name in OPTIONAL and (name not in tasks or not (tasks[name] != "").any()):
            continue
        values = tasks[name]
        if name in ("start", "due", "completed_on", "old_due", "new_due"):
            values = day_texts(values)
            if name in ("due", "new_due") and "long_term" in tasks:
                values = values.where(~tasks["long_term"].astype(bool), t("status.ongoing"))
            if name == "due" and "immediate" in tasks and tasks["immediate"].any():
                values = values.where(
                    ~tasks["immediate"].astype(bool), _words(values, lambda day: t("due.immediate", day=day))
                )
        elif name == "status":
            values = status_words(tasks, lang())
        elif name == "severity":
            values = _words(values, severity)
        elif name == "light":
            values = _words(values, lambda light: t(f"light.{light}"))
        shown[t(f"field.{name}")] = values
    for extra in extras(tasks) if with_extras else ():
        values = tasks[extra.column]
        header = extra.name if extra.name not in shown.columns else f"{extra.name} ({t('column.extra')})"
        shown[header] = day_texts(values) if extra.kind == "date" else values
    return shown.reset_index(drop=True)


def literal_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame whose text shows as written where Streamlit renders Markdown in cells (st.table): every text cell and
    header escaped (ledger.escape.markdown); numbers and dates as they are."""

    def literal(value: object) -> object:
        return markdown(value) if isinstance(value, str) and not _PLAIN.fullmatch(value) else value

    shown = frame.rename(columns=literal)
    for column in shown.columns:
        if shown[column].dtype == object or pd.api.types.is_string_dtype(shown[column]):
            shown[column] = pd.Series([literal(value) for value in shown[column]], index=shown.index, dtype=object)
    return shown


_PLAIN = re.compile(r"\d[\d\-./:%]*")  # a date, a number, a percentage: nothing Markdown acts on


def table(frame: pd.DataFrame) -> None:
    """st.table of a frame, its text shown as written (literal_frame): st.table renders Markdown in every cell."""
    st.table(literal_frame(frame), hide_index=True)


def opened(label: str, key: str, icon: str | None = None, expanded: bool = False):
    """An expander whose contents are drawn only while it is open: the container to draw into, or None while it is
    closed (opening or closing it reruns the page). What only some visits need is then neither computed nor sent
    nor drawn on every click. `label`, `icon` and `expanded` (its state until
    the user opens or closes it) are part of its identity: a new label starts from `expanded` again."""
    section = st.expander(label, expanded=expanded, icon=icon, key=key, on_change="rerun")
    return section if section.open else None


def colored_words(values: Iterable[object], color_of: Callable[[str], str | None]) -> object:
    """The column config that draws each word of a column as a chip coloured `color_of(word)` (uncoloured when
    None). A read-only st.dataframe draws a text column configured as a MultiselectColumn this way; unlike a pandas
    Styler, which formats and sends every cell a second time, it costs nothing per row, and the values stay the
    words themselves."""
    words = [str(w) for w in dict.fromkeys(values) if isinstance(w, str)]
    return st.column_config.MultiselectColumn(options=words, color=[color_of(w) or "transparent" for w in words])


def task_table(
    tasks: pd.DataFrame,
    columns: Sequence[str],
    key: str | None = None,
    height: int | str = "auto",
    with_extras: bool = False,
):
    """A task table, a page at a time when long (paged_dataframe); progress drawn as a bar, the light and overdue
    severity as coloured words; with `with_extras`, each measure's extra fields after its own."""
    frame = memo(
        tasks, ("task_frame", tuple(columns), lang(), with_extras), lambda: task_frame(tasks, columns, with_extras)
    )
    config = memo(frame, ("task_config", lang()), lambda: _task_config(frame, columns))
    paged_dataframe(frame, key, hide_index=True, width="stretch", column_config=config, height=height)


def _task_config(frame: pd.DataFrame, columns: Sequence[str]) -> dict:
    config: dict[str, object] = {
        t("field.progress"): st.column_config.ProgressColumn(min_value=0, max_value=100, format="%.0f%%"),
        t("field.old_progress"): st.column_config.NumberColumn(format="%.0f%%"),
        t("field.new_progress"): st.column_config.NumberColumn(format="%.0f%%"),
        t("field.measure"): st.column_config.TextColumn(width="large"),
    }
    for name, colors in (
        ("severity", {severity(name): color for name, color in SEVERITY_COLORS.items()}),
        ("light", {t(f"light.{name}"): color + "55" for name, color in LIGHT_COLORS.items()}),
    ):
        if name in columns:
            config[t(f"field.{name}")] = colored_words(frame[t(f"field.{name}")], colors.get)
    return config


def arrow_table(frame: pd.DataFrame, page: int | None = None) -> object:
    """`frame` (or its `page`, PAGE_ROWS rows) as the Arrow table st.dataframe sends, converted once per frame
    object and page (ui.memo) instead of on every run: pass frames that are themselves kept, such as the pages'
    memoised ones. A frame Arrow cannot take as it is goes to st.dataframe unconverted (it fixes the types)."""

    def convert() -> object:
        import pyarrow as pa

        shown = frame if page is None else frame.iloc[(page - 1) * PAGE_ROWS : page * PAGE_ROWS]
        try:
            return pa.Table.from_pandas(shown)  # as Streamlit converts it: a default index as metadata only
        except (pa.ArrowTypeError, pa.ArrowInvalid, pa.ArrowNotImplementedError, OverflowError):
            return shown

    return memo(frame, ("arrow", page), convert)


def paged_dataframe(frame: pd.DataFrame, key: str | None, **options) -> None:
    """st.dataframe of `frame`; longer than PAGE_ROWS, a page at a time with a page number under it, whose changes
    rerun only the table (st.fragment)."""
    if len(frame) <= PAGE_ROWS or key is None:
        st.dataframe(arrow_table(frame), key=key, **options)
    else:
        _page_of(frame, key, options)


@st.fragment
def _page_of(frame: pd.DataFrame, key: str, options: dict) -> None:
    pages = math.ceil(len(frame) / PAGE_ROWS)
    picker = f"{key}_page"
    if not 1 <= st.session_state.get(picker, 1) <= pages:  # a shorter list than before (another version, filter)
        st.session_state[picker] = 1
    table = st.container()
    page = st.number_input(t("timeline.page", pages=pages), min_value=1, max_value=pages, key=picker)
    table.dataframe(arrow_table(frame, page), key=key, **options)


def issue_frame(issues: Sequence[Issue]) -> pd.DataFrame:
    """The report of what is wrong with a ledger, one row per problem, in the UI language."""
    return pd.DataFrame(
        {
            t("report.severity"): [t("report.error") if i.is_error else t("report.warning") for i in issues],
            t("report.sheet"): [i.sheet for i in issues],
            t("report.row"): [i.row for i in issues],
            t("report.column"): [i.column for i in issues],
            t("report.value"): [i.value for i in issues],
            t("report.message"): [issue_message(i, lang()) for i in issues],
        }
    )


def download_tables(
    label: str, sheets: dict[str, list[dict] | Callable[[], list[dict]]], file_name: str, key: str
) -> None:
    """A button that downloads the tables as one Excel workbook, one sheet each; a sheet given as a function is made
    only when the button is clicked (the function must not need the script run: no t(), no session state)."""
    from ledger.writing import table_workbook  # openpyxl: imported on the first download, not on the first page
    from ui import access

    language = lang()
    st.download_button(
        label,
        data=access.audited_data(
            lambda: table_workbook(
                {name: rows() if callable(rows) else rows for name, rows in sheets.items()}, language
            ),
            file_name,
        ),
        file_name=file_name,
        mime=XLSX_MIME,
        key=key,
        icon=":material/download:",
        on_click="ignore",
    )


def light_row(counts: dict[str, int], help_text: str) -> None:
    """The count of measures under each light: a word, a symbol and a colour each (never the colour alone)."""
    cards(
        [Card(t(f"light.{name}"), counts[name], help=help_text, color=LIGHT_COLORS[name]) for name in LIGHTS],
        key="light_row",
    )
