"""Where the dashboard's ledger comes from, loaded once per process and shared by every session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import streamlit as st

from ledger import Ledger, load_ledger
from ledger.sample import SAMPLE_FILE

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


@dataclass(frozen=True)
class Current:
    """The ledger on screen and a key that changes whenever another version is shown."""

    ledger: Ledger
    key: str
    label: str


@st.cache_resource(show_spinner=False)
def _sample(path: str) -> Ledger:
    file = Path(path)
    return load_ledger([(file.name, file.read_bytes())], received_on=date.today())


def current() -> Current:
    ledger = _sample(str(DATA_DIR / SAMPLE_FILE))
    return Current(ledger, "sample", SAMPLE_FILE)
