"""What users write never renders as Markdown or HTML: a ledger whose every name, category, phase, file name, uploader
and note is Markdown, HTML and link syntax goes through every page, and each label, caption, alert, help text and
chart shows it literally."""

from __future__ import annotations

import html
import json
import re
from datetime import date, datetime

import pytest
from google.protobuf.json_format import MessageToDict
from streamlit.testing.v1 import AppTest

from ledger.escape import markdown, plotly
from ledger.intake.reading import load_ledger
from ledger.publishing import publish
from ledger.store import Store
from tests.cards import figures
from tests.sheets import PHASE_HEADER, TASK_HEADER, task_row, xlsx
from ui import a11y, navigation
from ui.versions import COMPARE_OPEN_KEY, DOWNLOADS_OPEN_KEY, POSTPONEMENTS_OPEN_KEY, WITHDRAW_OPEN_KEY

PAYLOAD = (
    "![u](http://evil.example/x.png)[重新登录](http://evil.example/p)<img src=http://evil.example/y.png>"
    "<a href='http://evil.example/z'>点我</a> :material/warning: :red[红字] $x^2$ **粗** # 标题"
)
FILE_NAME = "![u](javascript:alert(1))[登录](x)<b>台账</b>.xlsx"
# every page open to all once a plan is published (the meeting slides: tests/e2e/test_meeting_browser.py)
PAGES = tuple(
    spec.script
    for spec in navigation.listed(published=True, units=False)
    if spec.needs is None and spec.key != "meeting"
)
RENDERED = ("body", "label", "help", "text", "placeholder")  # proto fields Streamlit renders as Markdown
UNESCAPED = re.compile(r"(?<!\\)(\]\(|!\[|<img|<a |\*\*|\$x|:material/|:red\[)")


def hostile_ledger(week: int) -> bytes:
    """Two categories, a leader, department, owner, phase and evidence that are all Markdown/HTML."""
    rows = [
        task_row(
            id=1,
            category=PAYLOAD,
            measure=PAYLOAD + "措施一",
            phase=PAYLOAD,
            leader=PAYLOAD,
            department=PAYLOAD,
            owner=PAYLOAD,
            due=date(2019, 5, 20),
            evidence=PAYLOAD,
        ),
        task_row(
            id=2,
            category="二、" + PAYLOAD,
            measure="措施二" + PAYLOAD,
            phase=PAYLOAD,
            leader=PAYLOAD,
            status="已完成" if week == 2 else "进行中",
            progress=100 if week == 2 else 10,
            completed_on=date(2019, 5, 25) if week == 2 else None,
        ),
    ]
    above = [["整改台账"], [f"填报日期：2019年5月{20 + week}日"]]
    phases = [PHASE_HEADER, [1, PAYLOAD, date(2019, 5, 1), date(2019, 6, 10), PAYLOAD]]
    return xlsx({"整改台账": [*above, TASK_HEADER, *rows], "整改步骤": phases})


@pytest.fixture
def hostile_store(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    monkeypatch.setenv("LEDGER_DB_URL", url)
    store = Store(url)
    plan = store.create_plan(PAYLOAD, unit=PAYLOAD, created_at=datetime(2019, 5, 20))
    for week in (1, 2):
        files = [(FILE_NAME, hostile_ledger(week))]
        ledger = load_ledger(files, date(2019, 6, 1))
        assert ledger.ok, ledger.errors
        publish(
            store,
            files,
            ledger,
            plan=plan.id,
            uploaded_by=PAYLOAD,
            uploaded_at=datetime(2019, 5, 20 + week),
            note=PAYLOAD,
        )
    store.dispose()
    return url


def _elements(node):
    proto = getattr(node, "proto", None)
    if proto is not None:
        yield node.type, proto
    children = getattr(node, "children", {}) or {}
    for child in children.values():
        yield from _elements(child)


def rendered_texts(at: AppTest) -> list[str]:
    """Every string of the page that Streamlit renders as Markdown."""
    texts = []
    for kind, proto in _elements(at._tree):
        if kind in ("arrow_data_frame", "plotly_chart", "dataframe", "html"):  # st.html is not Markdown: html_bodies
            continue
        fields = MessageToDict(proto, preserving_proto_field_name=True)
        texts += [value for key, value in fields.items() if key in RENDERED and isinstance(value, str)]
    return texts


def html_bodies(at: AppTest) -> list[str]:
    """The markup of the page's st.html elements (ui.cards): written here, with every user's word escaped; the
    page's language script (ui.a11y), a constant, left out."""
    ours = {a11y.lang_markup(lang) for lang in a11y.PAGE_LANGS}
    return [element.value for element in at.html if element.value not in ours]


def chart_strings(at: AppTest) -> list[str]:
    strings: list[str] = []

    def walk(value) -> None:
        if isinstance(value, str):
            strings.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for chart in at.get("plotly_chart"):
        walk(json.loads(chart.proto.spec))
    return strings


@pytest.mark.parametrize("page", PAGES)
def test_markdown_html_and_links_written_in_a_ledger_show_literally_on_every_page(page, hostile_store):
    at = AppTest.from_file("../dashboard.py", default_timeout=60).run()
    at.switch_page(page).run()
    if page == "pages/categories.py":
        at.selectbox(key="category_pick").set_value(PAYLOAD).run()
    if page == "pages/timeline.py":
        at.toggle[0].set_value(True).run()
    if page == "pages/history.py":  # its panels opened, as a user opens them
        for key in (COMPARE_OPEN_KEY, DOWNLOADS_OPEN_KEY, POSTPONEMENTS_OPEN_KEY):
            at.session_state[key] = True
        at.run()
    assert not at.exception, at.exception
    texts = rendered_texts(at)
    assert [text for text in texts if UNESCAPED.search(text)] == []
    assert [body for body in html_bodies(at) if "<img" in body or "<a " in body or "<script" in body] == []
    assert any(markdown(PAYLOAD) in text for text in texts)  # shown, escaped: the sidebar names the uploader
    charts = chart_strings(at)
    assert [text for text in charts if "<img" in text or "<a " in text] == []
    if page in ("pages/timeline.py", "pages/categories.py"):
        assert any(plotly(PAYLOAD)[:60] in text for text in charts)


def test_the_overview_names_a_hostile_phase_literally_in_its_figure_and_progress(hostile_store):
    at = AppTest.from_file("../dashboard.py", default_timeout=60).run()
    store = Store(hostile_store)
    newest = store.newest_report_id(store.plans()[0].plan.id)
    phase = store.ledger(newest).phases[0].name  # written periods in brackets are not part of a name
    assert phase.startswith("![u][重新登录]<img src=http://evil.example/y.png>")
    assert f"当前阶段：{phase}" in list(figures(at))  # the card's label: shown as written, its markup escaped
    progress = [body for body in html_bodies(at) if 'class="bars' in body]
    assert len(progress) == 1 and f'<div class="bar-text">{html.escape(phase)}' in progress[0]
    assert "<img" not in "".join(html_bodies(at))


def test_markdown_escaping_keeps_the_text_and_breaks_every_construct():
    assert markdown("[登录](http://x)") == r"\[登录\]\(http\:" + "\u2060" + r"\/\/x\)"
    assert markdown("第一行\n\n# 第二行") == r"第一行 \# 第二行"
    assert markdown(":smile:") == "\\:\u2060smile\\:\u2060"
    assert plotly("<a href='x'>点</a> & 1") == "&lt;a href='x'&gt;点&lt;/a&gt; &amp; 1"


# --- the meeting slides, requirements, withdrawals and account names (security review) ---------------------------
HOSTILE_NAME = "![u](http://evil.example/n.png)[请重新登录](http://evil.example/p) **粗体** :red[红字]"


def table_texts(at: AppTest) -> list[str]:
    """Every text cell and header of the page's st.table elements, which Streamlit renders as Markdown."""
    texts = []
    for element in at.get("table"):
        frame = element.value
        texts += [str(name) for name in frame.columns]
        texts += [value for column in frame.columns for value in frame[column] if isinstance(value, str)]
    return texts


@pytest.fixture
def hostile_meeting(hostile_store):
    """The hostile store with a meeting requirement (text and who gave it written as Markdown) on each measure, a
    third version withdrawn for a Markdown reason, and an account named in Markdown logged in."""
    from ledger import accounts, meeting

    store = Store(hostile_store)
    plan = store.plans()[0].plan
    newest = store.version(store.newest_report_id(plan.id))
    for target in ("1", "2"):
        meeting.record(
            store,
            newest,
            scope="measure",
            target=target,
            text=PAYLOAD,
            given_by=PAYLOAD,
            meeting_date=date(2019, 5, 22),
            due=date(2019, 6, 30),
            recorded_by=HOSTILE_NAME,
            recorded_at=datetime(2019, 5, 22, 10),
        )
    extra = [(FILE_NAME.replace(".xlsx", "（三）.xlsx"), hostile_ledger(3))]
    third = publish(
        store,
        extra,
        load_ledger(extra, date(2019, 6, 1)),
        plan=plan.id,
        uploaded_by=PAYLOAD,
        uploaded_at=datetime(2019, 5, 24),
    )
    store.withdraw(third.version.id, by=HOSTILE_NAME, reason=PAYLOAD, at=datetime(2019, 5, 24, 12))
    accounts.add_user(store, HOSTILE_NAME, "admin", "整改-督办-2019", at=datetime(2019, 5, 20), by="cli")
    accounts.add_unit(store, HOSTILE_NAME.replace("粗体", "单位"), at=datetime(2019, 5, 20), by="cli")  # a unit's name
    token = accounts.log_in(store, HOSTILE_NAME, "整改-督办-2019", address="192.0.2.1", now=datetime.now()).token
    store.dispose()
    return token


@pytest.mark.parametrize("slide", range(1, 7))
def test_every_meeting_slide_shows_what_users_wrote_literally(hostile_meeting, slide):
    from ui import access

    at = AppTest.from_file("../dashboard.py", default_timeout=60)
    at.session_state[access.TOKEN_KEY] = hostile_meeting
    at.query_params["slide"] = str(slide)
    at.run()
    at.switch_page("pages/meeting.py").run()
    assert not at.exception, at.exception
    shown = [text for text in rendered_texts(at) + table_texts(at) if "evil" in text or "粗" in text]  # users' words
    assert [text for text in shown if UNESCAPED.search(text)] == []
    assert [body for body in html_bodies(at) if "<img" in body or "<a " in body or "<script" in body] == []
    if slide in (3, 6):  # the overdue measures; this meeting's requirements and who gave them
        assert any(markdown(PAYLOAD)[:40] in text for text in table_texts(at))


@pytest.mark.parametrize(
    "page", ["pages/overview.py", "pages/history.py", "pages/users.py", "pages/audit.py", "pages/plan.py"]
)
def test_an_account_name_a_requirement_and_a_withdrawal_reason_show_literally(hostile_meeting, page):
    from ui import access

    at = AppTest.from_file("../dashboard.py", default_timeout=60)
    at.session_state[access.TOKEN_KEY] = hostile_meeting
    for key in (COMPARE_OPEN_KEY, DOWNLOADS_OPEN_KEY, POSTPONEMENTS_OPEN_KEY, WITHDRAW_OPEN_KEY):
        at.session_state[key] = True
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    shown = [text for text in rendered_texts(at) + table_texts(at) if "evil" in text or "粗" in text]  # users' words
    assert [text for text in shown if UNESCAPED.search(text)] == []
    assert any(markdown(HOSTILE_NAME) in text for text in rendered_texts(at))  # the sidebar names who is logged in


@pytest.mark.parametrize("page", ["pages/rollup.py", "pages/overview.py", "pages/responsibilities.py"])
def test_a_units_name_shows_literally_on_the_units_page_and_for_all_units_together(tmp_path, monkeypatch, page):
    from ledger import accounts

    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    monkeypatch.setenv("LEDGER_DB_URL", url)
    store = Store(url)
    plan = store.create_plan("整改方案", created_at=datetime(2019, 5, 20))
    unit = accounts.add_unit(store, HOSTILE_NAME, at=datetime(2019, 5, 20), by="cli", plan_id=plan.id)
    files = [(FILE_NAME, hostile_ledger(1))]
    publish(
        store,
        files,
        load_ledger(files, date(2019, 6, 1)),
        plan=plan.id,
        uploaded_by="办公室",
        uploaded_at=datetime(2019, 5, 21),
        unit_id=unit.id,
    )
    store.dispose()
    at = AppTest.from_file("../dashboard.py", default_timeout=60)
    at.query_params["plan"] = str(plan.id)
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    shown = [text for text in rendered_texts(at) + table_texts(at) if "evil" in text or "粗" in text]
    assert [text for text in shown if UNESCAPED.search(text)] == []
    if page == "pages/overview.py":  # all units together: its caption names the unit, escaped
        assert shown
