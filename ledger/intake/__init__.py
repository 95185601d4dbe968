"""Intake: every file a user hands us — ledgers, plan documents — read through one guarded path (README "Limits")
and turned into a Ledger or a PlanDocument, with every problem reported.

The package's rule: outside it, code uses only this face; inside, its modules import the core's model (ledger.model,
codes, dates, vocab, text) and one another, never the figures, the store or anything above them."""

from ledger.intake.columns import CHOICES, choice_keys, key_of, keys_of
from ledger.intake.evidence import DEFAULT_EVIDENCE_LIMITS, EvidenceLimits, Prepared, Preview, Refused
from ledger.intake.evidence import KINDS as EVIDENCE_KINDS
from ledger.intake.evidence import Entry as EvidenceEntry
from ledger.intake.evidence import prepare as prepare_evidence
from ledger.intake.evidence import preview as evidence_preview
from ledger.intake.evidence import strip as strip_metadata
from ledger.intake.evidence import unpack_zip as unpack_evidence_zip
from ledger.intake.guard import DEFAULT_LIMITS, MIB, Failure, Limits, warm_up
from ledger.intake.phases import short_phase_name
from ledger.intake.plan_document import LEDGER_FIELDS, PlanDocument, ledger_rows, read_plan
from ledger.intake.plan_reading import PLAN_TYPES, load_plan, load_plan_text
from ledger.intake.precheck import refusal
from ledger.intake.reading import load_ledger, read_ledger

__all__ = [
    "CHOICES",
    "DEFAULT_EVIDENCE_LIMITS",
    "DEFAULT_LIMITS",
    "EVIDENCE_KINDS",
    "LEDGER_FIELDS",
    "MIB",
    "PLAN_TYPES",
    "EvidenceEntry",
    "EvidenceLimits",
    "Failure",
    "Limits",
    "PlanDocument",
    "Prepared",
    "Preview",
    "Refused",
    "choice_keys",
    "evidence_preview",
    "key_of",
    "keys_of",
    "ledger_rows",
    "load_ledger",
    "load_plan",
    "load_plan_text",
    "prepare_evidence",
    "read_ledger",
    "read_plan",
    "refusal",
    "short_phase_name",
    "strip_metadata",
    "unpack_evidence_zip",
    "warm_up",
]
