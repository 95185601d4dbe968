"""Meeting mode and meeting requirements in the dashboard (AppTest): slides in order with the number in the address,
a requirement recorded in this week's meeting shown with its state on next week's version."""

from datetime import date, datetime

import pytest
from streamlit.testing.v1 import AppTest

from ledger.publishing import check_upload, publish
from ledger.sample import DEMO_PLAN_NAME
from ledger.store import Store
from tests.cards import figures
from tests.sheets import week_five
from ui.meeting import PACK_OPEN_KEY

SLIDES = [
    "整体情况",
    "整改阶段",
    "超期未完成（按责任领导）",
    "与上周相比（1/2）",
    "与上周相比（2/2）",
    "上次会议要求落实情况",
    "本次会议要求",
]


@pytest.fixture
def own_store(tmp_path, monkeypatch):
    """A database of this test's own: requirements recorded here stay out of the other tests."""
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    monkeypatch.setenv("LEDGER_DB_URL", url)
    return url


def meeting_app(**query) -> AppTest:
    at = AppTest.from_file("../dashboard.py", default_timeout=60)
    at.query_params.update(query)
    at.run()
    at.switch_page("pages/meeting.py").run()
    assert not at.exception, at.exception
    return at


PASSWORD = "会议-2019"


def editor_meeting_app(**query) -> AppTest:
    """Signed in as an editor on the upload page, then in meeting mode."""
    at = AppTest.from_file("../dashboard.py", default_timeout=60)
    at.secrets["editor_password"] = PASSWORD
    at.query_params.update(query)
    at.run()
    at.switch_page("pages/upload.py").run()
    at.text_input(key="editor_password_input").input(PASSWORD)
    at.button[0].click().run()
    at.switch_page("pages/meeting.py").run()
    assert not at.exception, at.exception
    return at


def slide_title(at: AppTest) -> str:
    return at.title[0].value


def test_meeting_mode_steps_through_its_slides_and_keeps_the_number_in_the_address():
    at = meeting_app()
    seen = [slide_title(at)]
    assert at.markdown[0].value == "1 / 7" and at.button(key="slide_previous").disabled
    assert figures(at)["上报完成率"] == "26.7%"
    while not at.button(key="slide_next").disabled:
        at.button(key="slide_next").click().run()
        assert not at.exception
        seen.append(slide_title(at))
        assert at.query_params["slide"] == [str(len(seen))] or at.query_params["slide"] == str(len(seen))
    assert seen == SLIDES
    at.button(key="slide_previous").click().run()
    assert slide_title(at) == SLIDES[-2]


@pytest.mark.parametrize(("asked", "title"), [("3", SLIDES[2]), ("99", SLIDES[-1]), ("abc", SLIDES[0])])
def test_a_link_with_a_slide_number_opens_that_slide(asked, title):
    assert slide_title(meeting_app(slide=asked)) == title


def test_the_overdue_slide_lists_the_late_measures_with_their_leaders():
    at = meeting_app(slide="3")
    table = at.table[0].value
    assert table["超期天数"].tolist() == [10, 7, 3, 2]
    assert table["责任领导"].tolist() == ["校长", "党总支书记", "党总支副书记", "分管德育副校长"]


def record(at: AppTest, target: str, text: str, by: str, due: date | None) -> AppTest:
    at.selectbox(key="meeting_record_target").set_value(target)
    at.text_area(key="meeting_record_text").input(text)
    at.text_input(key="meeting_record_by").input(by)
    at.date_input(key="meeting_record_date").set_value(date(2019, 5, 28))
    if due:
        at.date_input(key="meeting_record_due").set_value(due)
    next(b for b in at.button if b.label == "记录会议要求").click().run()
    assert not at.exception, at.exception
    return at


def test_a_requirement_recorded_on_one_version_shows_its_state_on_the_next(own_store):
    at = editor_meeting_app(slide="7")
    assert "本次会议还没有记录要求。" in [c.value for c in at.caption]
    at = record(at, "15", "5月31日前建立舆情研判制度", "党总支书记", date(2019, 5, 31))
    at = record(at, "2", "一周内纳入年度工作要点", "校长", None)
    assert [s.value for s in at.success] == ["已记录。下周的台账将显示它是否落实；台账本身没有改动。"] * 1
    current = at.table[0].value
    assert current["会议要求"].tolist() == ["5月31日前建立舆情研判制度", "一周内纳入年度工作要点"]
    assert current["要求完成"].tolist() == ["2019-05-31", "2019-06-04"]

    store = Store(own_store)  # next week's ledger is published: 2 done on 6-1, 15 still open
    plan = store.plan_named(DEMO_PLAN_NAME)
    files = [("台账_0603.xlsx", week_five())]
    publish(
        store,
        files,
        check_upload(store, files, date(2019, 6, 3), plan_id=plan.id),
        plan=plan.id,
        uploaded_by="办公室主任",
        uploaded_at=datetime(2019, 6, 3, 17, 0),
    )
    store.dispose()

    overview = AppTest.from_file("../dashboard.py", default_timeout=60).run()
    assert not overview.exception
    shown = figures(overview)
    assert (shown["× 未落实"], shown["○ 未到期"], shown["✓ 已落实"]) == ("1", "0", "1")
    table = next(d.value for d in overview.dataframe if "落实情况" in d.value.columns)
    assert dict(zip(table["会议要求"], table["落实情况"], strict=True)) == {
        "5月31日前建立舆情研判制度": "× 未落实",
        "一周内纳入年度工作要点": "✓ 已落实",
    }

    history = overview.switch_page("pages/history.py").run()
    matrix = next(d.value for d in history.dataframe if "记录于" in d.value.columns)
    assert matrix["会议要求"].tolist() == ["5月31日前建立舆情研判制度", "一周内纳入年度工作要点"]
    assert matrix["第5版 · 2019-06-03"].tolist() == ["× 未落实", "✓ 已落实"]

    slides = meeting_app(slide="99").button(key="slide_previous").click().run()  # the last but one
    assert slide_title(slides) == "上次会议要求落实情况"
    assert slides.table[0].value["落实情况"].tolist() == ["× 未落实", "✓ 已落实"]


def test_a_requirement_that_cannot_be_recorded_says_why_and_stores_nothing(own_store):
    at = editor_meeting_app(slide="7")
    at.selectbox(key="meeting_record_target").set_value("15")
    next(b for b in at.button if b.label == "记录会议要求").click().run()
    assert [e.value for e in at.error] == ["请填写会议要求的内容。"]
    store = Store(own_store)
    assert store.requirements(store.plan_named(DEMO_PLAN_NAME).id) == []
    store.dispose()


def test_only_editors_record_requirements(own_store):
    at = AppTest.from_file("../dashboard.py", default_timeout=60)
    at.secrets["editor_password"] = PASSWORD
    at.query_params["slide"] = "7"
    at.run()
    at.switch_page("pages/meeting.py").run()
    assert "只有编辑人员可以记录会议要求：请先在“上传台账”页登录。" in [c.value for c in at.caption]
    with pytest.raises(KeyError):
        at.selectbox(key="meeting_record_target")


def test_the_overview_offers_the_meeting_pack():
    at = AppTest.from_file("../dashboard.py", default_timeout=60).run()
    assert not at.get("download_button"), "drawn once the panel is open"
    at.session_state[PACK_OPEN_KEY] = True
    at.run()
    labels = [b.proto.label for b in at.get("download_button")]
    for label in (
        "周报 PDF",
        "周报 Word",
        "图片（发工作群）",
        "督办单 PDF",
        "督办单 Word（zip）",
        "完整台账 Excel（含灯号）",
    ):
        assert label in labels
