"""The one string table (ledger/i18n.py) is complete and strict: every key the code uses exists with the parameters
its texts need, Chinese and English take the same parameters, English counts agree in number ("1 error", never
"1 errors"), and numbers a rule depends on come from its constants. tests/conftest.py turns strictness on for the
whole suite, so a key or parameter missed here still fails the test that shows the string."""

from __future__ import annotations

import ast
import logging
import re
from pathlib import Path

import numpy as np
import pytest

from ledger import i18n
from ledger.i18n import STRINGS, TranslationError, fields, render, translate

ROOT = Path(__file__).resolve().parent.parent
CODE = [
    ROOT / "dashboard.py",
    *sorted((ROOT / "pages").glob("*.py")),
    *sorted((ROOT / "ui").glob("*.py")),
    *sorted((ROOT / "ledger").glob("*.py")),
]
TRANSLATING = {"t", "tl", "translate"}  # ui.i18n.t/tl, ledger.i18n.translate, brief.Context.t, local `t = lambda`


def keys_of(node: ast.expr) -> list[tuple[str, str]]:
    """("key", k) for a literal key, ("prefix", p) for a key built at run time (f"status.{s}", "audit." + a)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [("key", node.value)]
    if isinstance(node, ast.JoinedStr):
        first = node.values[0]
        return [("prefix", first.value if isinstance(first, ast.Constant) else "")]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add) and isinstance(node.left, ast.Constant):
        return [("prefix", node.left.value)]
    if isinstance(node, ast.IfExp):
        return keys_of(node.body) + keys_of(node.orelse)
    return []  # a key held in a variable: a message code, checked by test_messages and by strictness


def translations() -> list[tuple[str, ast.Call]]:
    """Every call of a translating function in the code, with where it is."""
    found = []
    for path in CODE:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            if name in TRANSLATING:
                found.append((f"{path.relative_to(ROOT)}:{node.lineno}", node))
    return found


def test_the_scan_finds_the_translations():
    assert len(translations()) > 300


def test_every_literal_key_the_code_translates_is_in_the_table_with_every_parameter_it_needs():
    problems = []
    for where, call in translations():
        given = {k.arg for k in call.keywords}
        for kind, key in keys_of(call.args[0]):
            if kind != "key":
                continue
            if key not in STRINGS:
                problems.append((where, key, "no such key"))
            elif None not in given:  # no **params: every parameter must be named here
                missing = (fields(STRINGS[key][0]) | fields(STRINGS[key][1])) - given
                if missing:
                    problems.append((where, key, sorted(missing)))
    assert problems == []


def test_every_key_prefix_the_code_builds_keys_from_names_keys_of_the_table():
    prefixes = {
        (where, key) for where, call in translations() for kind, key in keys_of(call.args[0]) if kind == "prefix"
    }
    assert prefixes, "the scan found no f-string key"
    assert sorted((w, p) for w, p in prefixes if not p or not any(k.startswith(p) for k in STRINGS)) == []


def test_every_key_named_in_the_code_is_in_the_table():
    """Keys kept in tables and passed on (SECTIONS, labels, titles) as well as those translated where written."""
    namespaces = {key.split(".")[0] for key in STRINGS}
    shaped = re.compile(r"[a-z_]+(?:\.[a-z_]+)+")
    stray = []
    for path in CODE:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            text = node.value if isinstance(node, ast.Constant) else None
            if not isinstance(text, str) or not shaped.fullmatch(text) or text.split(".")[0] not in namespaces:
                continue
            if text.rsplit(".", 1)[1] in ("typ", "db") or (ROOT / (text.replace(".", "/") + ".py")).exists():
                continue  # a file or a module, not a key
            if not any(key.startswith(text) for key in STRINGS):
                stray.append((path.name, node.lineno, text))
    assert stray == []


def test_every_key_a_family_of_values_is_translated_through_exists():
    from ledger import accounts, brief, figures, lights, metrics, requirements, vocab
    from ledger.audit import ACTIONS
    from ui.changes import SECTIONS

    families = {
        "status.": vocab.STATUSES,
        "light.": lights.LIGHTS,
        "severity.": [name for _, _, name in metrics.SEVERITIES],
        "phase_state.": list(figures.STATE_COLORS),
        "role.": accounts.ROLES,
        "audit.": ACTIONS,
        "requirement.state.": requirements.STATES,
        "meeting.scope_": requirements.SCOPES,
        "field.": requirements.SCOPES,
        "changes.": [*brief.CHANGE_COUNTS, *(name for name, _, _ in SECTIONS)],
    }
    missing = [prefix + str(value) for prefix, values in families.items() for value in values]
    assert [key for key in missing if key not in STRINGS] == []


def test_chinese_and_english_take_the_same_parameters():
    different = {key: (fields(zh), fields(en)) for key, (zh, en) in STRINGS.items() if fields(zh) != fields(en)}
    assert different == {}


def test_every_text_formats_and_shows_each_of_its_parameters():
    for key, pair in STRINGS.items():
        for text in pair:
            values = {name: 101 + n for n, name in enumerate(sorted(fields(text)))}  # numbers: counts choose words
            formatted = render(text, values)  # raises on a malformed text
            assert all(str(value) in formatted for value in values.values()), key
            assert "{" not in formatted and "}" not in formatted and "|" not in formatted, key


# --- English plurals ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (0, "0 errors"),
        (1, "1 error"),
        (2, "2 errors"),
        (np.int64(1), "1 error"),
        ("1", "1 error"),
        ("1,000", "1,000 errors"),
    ],
)
def test_a_count_chooses_the_english_word(count, expected):
    assert render("{n} {n:error|errors}", {"n": count}) == expected


def test_a_plural_choice_may_hold_the_number():
    assert translate("overview.all_overdue", "en", n=1) == "The overdue measure and who is responsible"
    assert translate("overview.all_overdue", "en", n=4) == "All 4 overdue measures and who is responsible"
    assert translate("overview.all_overdue", "zh", n=1) == "查看全部 1 项超期措施及责任人"


def test_the_report_summary_counts_in_english():
    assert translate("report.summary", "en", errors=1, warnings=0) == "1 error, 0 warnings."
    assert translate("report.summary", "en", errors=2, warnings=1) == "2 errors, 1 warning."
    assert translate("report.summary", "zh", errors=1, warnings=0) == "1 个错误，0 个提示。"


NOT_PLURALS = {"is", "was", "has", "lies", "as", "this"}  # "The date {value} is before…": a value, not a count
ONE = r"(?<![\d–-])1 (?:[a-z]+ )?"  # a count of 1 (not the end of a range "1–7"), perhaps with an adjective


def test_no_english_text_says_1_errors():
    wrong = {}
    for key, (_, en) in STRINGS.items():
        text = render(en, dict.fromkeys(fields(en), 1))
        nouns = [word for word in re.findall(ONE + r"([a-z]+s)\b", text) if word not in NOT_PLURALS]
        if nouns or re.search(ONE + r"(?:are|were|have)\b", text):
            wrong[key] = text
    assert wrong == {}


# --- numbers come from the constants ------------------------------------------------------------------------------

# Texts whose digits are examples of what people write (dates, numbering, progress 0–100, UTF-8), not rules.
EXAMPLES = {
    "plan.no_measures",
    "plan.year_missing",
    "plan.year",
    "plan.year_help",
    "plan.grid_help",
    "file.encoding",
    "upload.help",
    "phase.bad_date",
    "task.bad_date",
    "task.bad_progress",
    "task.progress_range",
    "task.full_progress_not_done",
    "task.ambiguous_date",
    "evidence.import_help",
    "field.sha256",  # the name of the digest
}


def test_no_text_writes_a_number_a_constant_holds():
    written = {
        key: pair
        for key, pair in STRINGS.items()
        if key not in EXAMPLES and any(re.search(r"\d", re.sub(r"\{[^{}]*\}", "", text)) for text in pair)
    }
    assert written == {}


def test_the_overdue_bands_read_from_their_table(monkeypatch):
    from ledger import metrics
    from ui import i18n as ui_i18n

    monkeypatch.setattr(ui_i18n, "lang", lambda: "zh")
    assert [ui_i18n.severity(name) for _, _, name in metrics.SEVERITIES] == ["1–7天", "8–30天", "30天以上"]
    monkeypatch.setattr(ui_i18n, "lang", lambda: "en")
    assert [ui_i18n.severity(name) for _, _, name in metrics.SEVERITIES] == ["1–7 days", "8–30 days", "over 30 days"]
    assert ui_i18n.severity("") == ""
    monkeypatch.setattr(metrics, "SEVERITIES", ((1, 3, "mild"), (4, 14, "serious"), (15, None, "severe")))
    monkeypatch.setattr(ui_i18n, "SEVERITIES", metrics.SEVERITIES)
    assert [ui_i18n.severity(name) for _, _, name in metrics.SEVERITIES] == ["1–3 days", "4–14 days", "over 14 days"]


# --- strict under tests, forgiving for users ----------------------------------------------------------------------


def test_the_suite_runs_strict():
    assert i18n.strict()


def test_strict_mode_refuses_an_unknown_key_and_a_missing_parameter():
    with pytest.raises(TranslationError, match=r"'overview\.nothing'.*no such key"):
        translate("overview.nothing", "en")
    with pytest.raises(TranslationError, match=r"'gantt\.days_late' \(zh\): missing parameter\(s\) n"):
        translate("gantt.days_late", "zh")
    with pytest.raises(TranslationError, match=r"'cli\.tasks' \(en\): missing parameter\(s\) pct"):
        translate("cli.tasks", "en", tasks=3)
    with pytest.raises(TranslationError, match="plural choice needs a count"):
        translate("gantt.days_late", "en", n=[1])


def test_outside_strict_mode_a_user_never_sees_a_raw_parameter_nor_a_traceback(monkeypatch, caplog):
    monkeypatch.setenv(i18n.STRICT_ENV, "0")
    monkeypatch.setattr(i18n, "_reported", set())
    with caplog.at_level(logging.ERROR, logger="ledger.i18n"):
        assert translate("cli.tasks", "en", tasks=1) == "1 measure, … complete as reported, … verified"
        assert translate("gantt.days_late", "en") == "… days late"
        assert translate("gantt.days_late", "zh") == "超期…天"
        assert translate("gantt.days_late", "en", n=[1]) == "[1] days late"
        assert translate("overview.nothing", "en") == "overview.nothing"
        assert translate("cli.tasks", "en", tasks=1) == "1 measure, … complete as reported, … verified"  # reported once
    logged = [record.getMessage() for record in caplog.records]
    assert len(logged) == 4 and "missing parameter(s) pct" in logged[0] and "no such key" in logged[-1]


def test_a_plan_name_too_long_is_refused_with_the_limit_the_store_enforces(tmp_path):
    from datetime import datetime

    from ledger.store import MAX_PLAN_NAME, Store, StoreError, problem_code, problem_params

    store = Store(f"sqlite:///{tmp_path / 'ledger.db'}")
    with pytest.raises(StoreError) as refused:
        store.create_plan("整" * (MAX_PLAN_NAME + 1), created_at=datetime(2019, 6, 3))
    problem = refused.value
    assert (
        translate(problem_code(problem), "zh", **problem_params(problem))
        == f"整改方案的名称太长（最多 {MAX_PLAN_NAME} 个字）。"
    )
    assert translate(problem_code(problem), "en", **problem_params(problem)) == (
        f"The plan's name is too long ({MAX_PLAN_NAME} characters at most)."
    )
