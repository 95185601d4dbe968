"""Intake: every file a user hands us — ledgers, plan documents — read through one guarded path (README "Limits")
and turned into a Ledger or a PlanDocument, with every problem reported.

The package's rule: outside it, code uses only this face; inside, its modules import the core's model (ledger.model,
codes, dates, vocab, text) and one another, never the figures, the store or anything above them."""

from ledger.intake.columns import CHOICES, choice_keys, key_of, keys_of
from ledger.intake.guard import DEFAULT_LIMITS, MIB, Failure, Limits, warm_up
from ledger.intake.phases import short_phase_name
from ledger.intake.plan_document import LEDGER_FIELDS, PlanDocument, ledger_rows, read_plan
from ledger.intake.plan_reading import PLAN_TYPES, load_plan, load_plan_text
from ledger.intake.precheck import refusal
from ledger.intake.reading import load_ledger, read_ledger

__all__ = [
    "CHOICES",
    "DEFAULT_LIMITS",
    "LEDGER_FIELDS",
    "MIB",
    "PLAN_TYPES",
    "Failure",
    "Limits",
    "PlanDocument",
    "choice_keys",
    "key_of",
    "keys_of",
    "ledger_rows",
    "load_ledger",
    "load_plan",
    "load_plan_text",
    "read_ledger",
    "read_plan",
    "refusal",
    "short_phase_name",
    "warm_up",
]
