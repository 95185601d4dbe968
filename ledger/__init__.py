"""整改台账 core: reading ledgers, checking them, and every figure the dashboard shows. Never imports streamlit."""

from ledger.intake import load_ledger
from ledger.model import Issue, Ledger, Phase

__all__ = ["Issue", "Ledger", "Phase", "load_ledger"]
