"""整改台账 core: reading ledgers, checking them, and every figure the dashboard shows. Never imports streamlit."""

from ledger.model import Issue, Ledger, Phase
from ledger.reading import load_ledger

__all__ = ["Issue", "Ledger", "Phase", "load_ledger"]
