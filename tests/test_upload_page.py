"""The upload page with AppTest: editors publish, bad ledgers are reported and change nothing, viewers can't upload."""

import pytest
from streamlit.testing.v1 import AppTest

from ledger.sample import TITLE
from ledger.store import DEMO_PLAN_NAME, Store
from tests.cards import figures
from tests.hostile import CORPUS
from tests.sheets import week_five
from tests.test_limits import encrypted

PASSWORD = "correct horse"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def db_url(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    monkeypatch.setenv("LEDGER_DB_URL", url)
    return url


def editor_app(password: str | None = PASSWORD) -> AppTest:
    at = AppTest.from_file("../dashboard.py", default_timeout=60)
    if password:
        at.secrets["editor_password"] = password
    at.run()
    at.switch_page("pages/upload.py").run()
    if password:
        at.text_input(key="editor_password_input").input(password)
        at.button[0].click().run()
    assert not at.exception
    return at


def test_editor_publishes_a_valid_ledger_and_every_page_shows_it(db_url):
    at = editor_app()
    at.file_uploader[0].set_value(("第五周.xlsx", week_five(), XLSX)).run()
    assert at.success[0].value.startswith("检查通过")
    at.text_input(key="upload_by").input("办公室主任")
    at.button(key="publish").click().run()
    # the plan on screen is the demo plan, which never takes a real ledger: a new plan, named after the title
    assert at.success[0].value == f"已发布为“{TITLE}”的第 1 版（填报日期 2019-06-03），所有页面已更新。"
    at.switch_page("pages/overview.py").run()
    shown = figures(at)
    assert shown["上报完成率"] == "40.0%" and shown["超期未完成"] == "5"
    assert at.query_params["plan"] == str(Store(db_url).plan_named(TITLE).id)
    store = Store(db_url)
    [version] = store.versions(store.plan_named(TITLE).id)
    assert (version.number, version.uploaded_by, version.file_names) == (1, "办公室主任", ("第五周.xlsx",))


def test_a_ledger_with_errors_is_reported_row_by_row_and_cannot_be_published(db_url):
    at = editor_app()
    before = Store(db_url).counts()
    bad = week_five({3: {"status": "差不多了"}, 7: {"due": "下个月"}})
    at.file_uploader[0].set_value(("第五周.xlsx", bad, XLSX)).run()
    report = at.dataframe[0].value
    errors = report[report["类型"] == "错误"]
    assert errors[["行号", "列", "填写内容"]].values.tolist() == [
        [6, "完成情况", "差不多了"],
        [10, "完成时限", "下个月"],
    ]
    assert not [b for b in at.button if b.key == "publish"]
    assert Store(db_url).counts() == before


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("宏.xlsm", week_five(), "含宏的工作簿"),
        ("加密.xlsx", encrypted(week_five(), "123456"), "设置了打开密码"),
        ("台账.pdf", b"%PDF-1.4 not a spreadsheet", "不支持的文件类型"),
        ("整改台账" * 80 + ".xlsx", week_five(), "文件名有 325 个字符，超过上限 255 个"),
        ("远处的单元格.xlsx", CORPUS["far cell XFD150000"][1](), "单元格 XFD150000"),
        ("压缩炸弹.xlsx", CORPUS["zip bomb"][1](), "解压后有 300 MB"),
        ("重复行.ods", CORPUS["ODS repeat bomb"][1](), "超过上限 200 列"),
    ],
)
def test_a_password_protected_macro_or_wrong_type_file_gets_a_clear_message_and_nothing_is_stored(
    db_url, name, data, words
):
    at = editor_app()
    before = Store(db_url).counts()
    at.file_uploader[0].set_value((name, data, "application/octet-stream")).run()
    assert words in at.dataframe[0].value["说明"].iloc[0]
    assert not [b for b in at.button if b.key == "publish"]
    assert Store(db_url).counts() == before


def test_the_same_file_published_twice_is_stored_once(db_url):
    at = editor_app()
    data = week_five()
    for _ in range(2):
        at.file_uploader[0].set_value(("第五周.xlsx", data, XLSX)).run()
        at.button(key="publish").click().run()
    assert f"已经发布过（“{TITLE}”第 1 版" in at.info[0].value
    assert [(s.plan.name, s.versions) for s in Store(db_url).plans()] == [(TITLE, 1), (DEMO_PLAN_NAME, 4)]


def test_a_viewer_never_sees_the_uploader(db_url):
    at = AppTest.from_file("../dashboard.py", default_timeout=60)
    at.secrets["editor_password"] = PASSWORD
    at.run()
    at.switch_page("pages/upload.py").run()
    assert not at.file_uploader
    at.text_input(key="editor_password_input").input("wrong")
    at.button[0].click().run()
    assert at.error[0].value == "密码不正确。"
    assert not at.file_uploader


def test_without_a_password_a_remote_browser_is_told_how_to_configure_one(db_url):
    at = editor_app(password=None)  # AppTest's client is not on loopback
    assert not at.file_uploader
    assert "LEDGER_EDITOR_PASSWORD" in at.warning[0].value


def test_with_nothing_published_the_upload_page_opens_and_the_first_publish_opens_the_rest(
    db_url, tmp_path, monkeypatch
):
    import ui.source

    monkeypatch.setattr(ui.source, "DATA_DIR", tmp_path / "no sample here")
    at = AppTest.from_file("../dashboard.py", default_timeout=60)
    at.secrets["editor_password"] = PASSWORD
    at.run()
    assert at.title[0].value == "上传本周台账" and "还没有发布任何台账" in at.info[0].value
    at.text_input(key="editor_password_input").input(PASSWORD)
    at.button[0].click().run()
    at.file_uploader[0].set_value(("第一周.xlsx", week_five(), XLSX)).run()
    at.button(key="publish").click().run()  # the address was / (the upload page): now the overview's
    assert at.title[0].value == "整改进度总览"
    assert at.success[0].value.startswith(f"已发布为“{TITLE}”的第 1 版")
    assert figures(at)["上报完成率"] == "40.0%"
