"""The shape the product brief requires: a UI-free core, thin pages, every on-screen word in the one i18n table."""

import ast
import re
from pathlib import Path

import pytest

from ledger.i18n import STRINGS

ROOT = Path(__file__).resolve().parent.parent
UI_FILES = [ROOT / "dashboard.py", *sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "ui").glob("*.py"))]
CJK = re.compile(r"[\u4e00-\u9fff]")
LANGUAGE_NAMES = {"语言 / Language", "中文"}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("path", sorted((ROOT / "ledger").glob("*.py")), ids=lambda p: p.name)
def test_the_core_never_imports_streamlit(path):
    assert "streamlit" not in imported_modules(path)


def string_constants(path: Path) -> list[str]:
    """String literals of a module, docstrings left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


@pytest.mark.parametrize("path", UI_FILES, ids=lambda p: p.name)
def test_screens_hold_no_chinese_text_outside_the_i18n_table(path):
    stray = [text for text in string_constants(path) if CJK.search(text) and text not in LANGUAGE_NAMES]
    assert stray == []


def used_keys() -> set[str]:
    keys = set()
    for path in [*UI_FILES, *sorted((ROOT / "ledger").glob("*.py"))]:
        for call in re.finditer(r"\b(?:t|translate)\(\s*\"([a-z_]+\.[a-z_.]+)\"", path.read_text(encoding="utf-8")):
            keys.add(call[1])
    return keys


def test_every_string_key_used_by_the_code_is_in_the_table():
    assert used_keys() - set(STRINGS) == set()


def test_every_entry_of_the_table_has_chinese_and_english():
    for key, (zh, en) in STRINGS.items():
        assert zh.strip() and en.strip(), key
        assert not CJK.search(en) or "“" in en or "/" in en or "长期" in en or "月" in en, key


def test_pages_stay_thin():
    for path in sorted((ROOT / "pages").glob("*.py")):
        assert len(path.read_text(encoding="utf-8").splitlines()) <= 150, path.name
