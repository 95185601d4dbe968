"""Every message code the core produces has its Chinese and English text in the one table (ledger/i18n.py)."""

from __future__ import annotations

import re
from pathlib import Path

from ledger.i18n import STRINGS

ROOT = Path(__file__).resolve().parent.parent
CODE = re.compile(r"""["']((?:file|ledger|task|sheet|phase|plan|store|access|upload|cli)\.[a-z_]+)["']""")


def test_every_message_code_written_in_the_code_has_a_translation():
    used = set()
    for path in [*(ROOT / "ledger").glob("*.py"), *(ROOT / "ui").glob("*.py"), *(ROOT / "pages").glob("*.py")]:
        text = path.read_text(encoding="utf-8")
        used |= {code for code in CODE.findall(text) if not code.endswith("_")}
    modules = {"ledger.db", "ledger.intake.reading"}  # a file name and a module name, not messages
    missing = sorted(code for code in used - modules if code not in STRINGS)
    assert missing == []
