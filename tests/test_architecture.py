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


CORE_FILES = sorted((ROOT / "ledger").rglob("*.py"))


@pytest.mark.parametrize("path", CORE_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_core_never_imports_streamlit(path):
    assert "streamlit" not in imported_modules(path)


# The core's layers, lowest first: a module imports its own layer and those below, never one above. Intake is one
# package whose modules import only the words and the model, and which everything else reaches through its face.
LAYERS: tuple[tuple[str, frozenset[str]], ...] = (
    (
        "words and model",
        frozenset({"codes", "text", "escape", "i18n", "typeset", "vocab", "dates", "model"}),
    ),
    ("intake", frozenset({"intake"})),
    (
        "figures and documents",
        frozenset(
            {
                "metrics",
                "lights",
                "trends",
                "diff",
                "figures",
                "chart_words",
                "report",
                "requirements",
                "writing",
                "word",
                "brief",
                "slides",
            }
        ),
    ),
    (
        "store",
        frozenset(
            {
                "store",
                "throttle",
                "audit",
                "accounts",
                "config",
                "evidence",
                "closure",
                "inspection",
                "publishing",
                "rollup",
                "meeting",
                "sample",
                "backup",
                "archive",
            }
        ),
    ),
    ("commands", frozenset({"cli", "cli_review", "cli_backup", "__main__", "__init__"})),
)


def module_of(path: Path) -> str:
    """ledger/intake/tasks.py → "intake.tasks"; ledger/cli.py → "cli"."""
    return ".".join(path.relative_to(ROOT / "ledger").with_suffix("").parts)


def layer_of(module: str) -> int:
    top = module.split(".")[0]
    return next(i for i, (_, members) in enumerate(LAYERS) if top in members)


def runtime_imports(path: Path) -> set[str]:
    """The ledger modules a file imports when it runs (imports under `if TYPE_CHECKING:` left out), as
    module_of names them; `from ledger import x` and `from ledger.intake import x` name the package's face."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {
        id(child)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING"
        for child in ast.walk(node)
    }
    found = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "ledger":
            parts = node.module.split(".")[1:]
            found.add(".".join(parts) if parts else "__init__")
        elif isinstance(node, ast.Import):
            found |= {alias.name.removeprefix("ledger.") for alias in node.names if alias.name.startswith("ledger.")}
    return found


def test_every_core_module_has_a_layer():
    assert [module_of(p) for p in CORE_FILES if layer_of_or_none(module_of(p)) is None] == []


def layer_of_or_none(module: str) -> int | None:
    try:
        return layer_of(module)
    except StopIteration:
        return None


@pytest.mark.parametrize("path", CORE_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_a_core_module_imports_only_its_own_layer_and_those_below(path):
    mine = layer_of(module_of(path))
    above = {name for name in runtime_imports(path) if name != "__init__" and layer_of(name) > mine}
    assert above == set(), f"{module_of(path)} ({LAYERS[mine][0]}) imports from a higher layer"


@pytest.mark.parametrize(
    "path",
    [*CORE_FILES, *UI_FILES],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_intake_is_reached_only_through_its_face(path):
    if module_of(path).startswith("intake") if path.is_relative_to(ROOT / "ledger") else False:
        return
    inside = {name for name in runtime_imports(path) if name.startswith("intake.")}
    assert inside == set(), "import these from ledger.intake (its __init__), not its modules"


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
