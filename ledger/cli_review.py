"""The command line of evidence and closure review (README "Command line"): `evidence add|list|get|import`,
`closure request|approve|return` and `inspection`. Exit codes as everywhere: 0 done, 1 a usage error (or a decision
the measure's state does not allow), 2 a file or archive refused (nothing stored from that call)."""

from __future__ import annotations

import json
import os
from datetime import date, datetime
from pathlib import Path

from ledger.i18n import translate

UNIT_HELP = "the unit (needed when the plan has units)"
MEASURE_HELP = "the measure's 序号 in the newest version"


def add_parsers(commands) -> None:
    """The `evidence`, `closure` and `inspection` commands, in the store group of the main parser's table
    (ledger.cli.Commands)."""
    from ledger.cli import _Parser, option_db, option_json, option_lang, option_plan

    evidence = commands.add(
        "store", "evidence", "evidence files of measures: add, list, get, import", _in_store(_evidence), lang=False
    )
    actions = evidence.add_subparsers(dest="action", required=True, parser_class=_Parser)
    add = actions.add_parser("add", help="attach files to a measure (nothing is stored when one is refused)")
    add.add_argument("files", type=Path, nargs="+", metavar="FILE")
    add.add_argument("--measure", required=True, help=MEASURE_HELP)
    add.add_argument("--by", help="who adds them, as the trail records it: cli:LOGIN as BY (default: cli:LOGIN)")
    listed = actions.add_parser("list", help="list evidence files: {id, measure, file, bytes, sha256, by, at}")
    listed.add_argument("--measure", help=MEASURE_HELP)
    option_json(listed)
    got = actions.add_parser("get", help="write a stored file's bytes, as stored")
    got.add_argument("--id", type=int, required=True, help="the file's id (`evidence list` gives it)")
    got.add_argument("--out", type=Path, required=True, help="the file to write")
    imported = actions.add_parser("import", help="a zip with one folder, or file-name prefix, per 序号")
    imported.add_argument("zip", type=Path, metavar="ZIP")
    imported.add_argument("--by", help="who imports it (default: cli:LOGIN)")
    option_json(imported, "print one JSON object")
    for sub in (add, listed, got, imported):
        option_db(sub)
        option_lang(sub)
        if sub is not got:
            option_plan(sub)
            sub.add_argument("--unit", help=UNIT_HELP)
    closure = commands.add(
        "store", "closure", "closure review (销号审核): request, approve, return", _in_store(_closure)
    )
    closure.add_argument("action", choices=("request", "approve", "return"))
    closure.add_argument("--measure", required=True, help=MEASURE_HELP)
    closure.add_argument("--reason", default="", help="why (required for return)")
    closure.add_argument("--by", help="who decides, as the trail records it: cli:LOGIN as BY (default: cli:LOGIN)")
    inspection = commands.add(
        "store",
        "inspection",
        "claims, verifications, returns and the week's spot check",
        _in_store(_inspection),
    )
    option_json(inspection, "print one JSON object")
    inspection.add_argument(
        "--as-of", type=date.fromisoformat, help="YYYY-MM-DD: the spot check's week (default: today)"
    )
    for sub in (closure, inspection):
        option_db(sub)
        option_plan(sub)
        sub.add_argument("--unit", help=UNIT_HELP if sub is closure else "one unit (default: all of the plan's)")


def _in_store(work):
    """A command's run (ledger.cli.Commands) that opens the store and turns its failures into one clear line."""

    def run(args, today: date) -> int:
        from ledger import cli

        store = cli.open_store(args.db, args.lang)
        with cli.store_problems(store.url, args.lang):
            return work(args, store, today)

    return run


def _units(store, plan, args, needed: bool) -> list[tuple[int | None, str]]:
    """The (id, name) of the unit --unit names; all the plan's units without it (a usage error when `needed`);
    [(None, "")] for a plan without units."""
    from ledger import accounts
    from ledger.cli import UsageError

    units = accounts.units(store, plan.id)
    if args.unit:
        unit = accounts.unit_named(store, args.unit)
        if unit is None or unit.id not in {u.id for u in units}:
            raise UsageError(translate("cli.no_such_unit", args.lang, name=args.unit))
        return [(unit.id, unit.name)]
    if not units:
        return [(None, "")]
    if needed:
        raise UsageError(translate("cli.unit_needed", args.lang, units="、".join(u.name for u in units)))
    return [(u.id, u.name) for u in units]


def _measure(store, plan, unit_id: int | None, measure_id: str, lang: str):
    from ledger.cli import UsageError
    from ledger.closure import measure_named

    found = measure_named(store, plan.id, unit_id, measure_id)
    if found is None:
        raise UsageError(translate("cli.no_such_measure", lang, measure=measure_id))
    return found


def _evidence(args, store, today: date) -> int:
    from ledger import config, evidence
    from ledger.cli import EXIT_INVALID, EXIT_OK, UsageError, cli_person, existing_plan

    limits = config.evidence_limits(os.environ, config.read_secrets())
    if args.action == "get":
        return _get(args, store)
    plan = existing_plan(store, args)
    if args.action == "list":
        units = _units(store, plan, args, needed=False)
        found = []
        for unit_id, _ in units:
            key = _measure(store, plan, unit_id, args.measure, args.lang).key if args.measure else None
            found += evidence.files(store, plan.id, unit_id, key)
        records = [f.record() for f in found]
        if args.json:
            print(json.dumps(records, ensure_ascii=False))
        else:
            for r in records:
                print(
                    f"[{r['id']}] {r['measure']}  {r['file']}  {r['bytes']:,} B  {r['sha256'][:12]}  {r['by']}  {r['at']}"
                )
            if not records:
                print(translate("cli.no_evidence", args.lang))
        return EXIT_OK
    [(unit_id, _)] = _units(store, plan, args, needed=True)
    by = cli_person(args.by)
    if args.action == "add":
        measure = _measure(store, plan, unit_id, args.measure, args.lang)
        for path in args.files:
            if not path.is_file():
                raise UsageError(f"no such file: {path}")
        try:
            outcome = evidence.add_files(
                store,
                measure,
                [(p.name, str(p)) for p in args.files],
                by=by,
                at=datetime.now(),
                address="cli",
                limits=limits,
            )
        except evidence.EvidenceError as problem:
            print(translate(problem.code, args.lang, **problem.params))
            return EXIT_INVALID
        for name, refusal in outcome.refused:
            print(refusal.text(args.lang, name))
        if outcome.refused:
            print(translate("cli.evidence_nothing_stored", args.lang))
            return EXIT_INVALID
        for stored in outcome.added.files:
            print(translate("cli.evidence_added", args.lang, id=stored.id, name=stored.name, measure=measure.id))
        for name in outcome.added.duplicates:
            print(translate("cli.evidence_duplicate", args.lang, name=name))
        return EXIT_OK
    if not args.zip.is_file():
        raise UsageError(f"no such file: {args.zip}")
    from ledger.closure import measures

    try:
        result = evidence.import_zip(
            store,
            measures(store, plan.id, unit_id),
            str(args.zip),
            by=by,
            at=datetime.now(),
            address="cli",
            limits=limits,
        )
    except evidence.EvidenceError as problem:
        print(translate(problem.code, args.lang, **problem.params))
        return EXIT_INVALID
    if result.refusal is not None:
        print(result.refusal.text(args.lang, args.zip.name))
        return EXIT_INVALID
    if args.json:
        print(
            json.dumps(
                {"added": [f.record() for f in result.added.files], "duplicates": list(result.added.duplicates)}
                | {"skipped": result.skipped_records()},
                ensure_ascii=False,
            )
        )
        return EXIT_OK
    print(translate("cli.evidence_imported", args.lang, n=len(result.added.files), skipped=len(result.skipped)))
    for entry in result.skipped:
        print(f"  {entry.path}: {translate(entry.reason, args.lang)}")
    return EXIT_OK


def _get(args, store) -> int:
    from ledger import audit, evidence
    from ledger.cli import EXIT_OK, UsageError, cli_person

    found = evidence.one(store, args.id)
    if found is None:
        raise UsageError(translate("cli.no_such_evidence", args.lang, id=args.id))
    size = evidence.write_to(store, found.id, str(args.out))
    audit.record(
        store,
        at=datetime.now(),
        who=cli_person(),
        action="download",
        target=f"evidence {found.id}: {found.name}",
        address="cli",
        detail={"sha256": found.sha256},
    )
    print(translate("cli.brief_written", args.lang, path=str(args.out), size=size))
    return EXIT_OK


def _closure(args, store, today: date) -> int:
    from ledger.cli import EXIT_OK, UsageError, cli_person, existing_plan
    from ledger.closure import ClosureError, decide

    plan = existing_plan(store, args)
    [(unit_id, _)] = _units(store, plan, args, needed=True)
    measure = _measure(store, plan, unit_id, args.measure, args.lang)
    try:
        review = decide(store, measure, args.action, by=cli_person(args.by), at=datetime.now(), reason=args.reason)
    except ClosureError as problem:
        raise UsageError(translate(problem.code, args.lang, **{"measure": measure.id, **problem.params})) from None
    print(
        translate(
            f"cli.closure_{args.action}",
            args.lang,
            measure=measure.id,
            state=translate(f"review.{review.state or 'open'}", args.lang),
        )
    )
    return EXIT_OK


def _inspection(args, store, today: date) -> int:
    from ledger import config
    from ledger.cli import EXIT_OK, existing_plan
    from ledger.inspection import inspection

    plan = existing_plan(store, args)
    units = _units(store, plan, args, needed=False)
    share = config.spot_check_share(os.environ, config.read_secrets())
    scope = units[0][0] or 0 if args.unit else 0
    found = inspection(store, plan.id, units, week=args.as_of or today, at=datetime.now(), share=share, scope=scope)
    record = found.record()
    if args.json:
        print(json.dumps(record, ensure_ascii=False))
        return EXIT_OK
    t = lambda key, **kw: translate(key, args.lang, **kw)  # noqa: E731
    print(
        t("cli.inspection_counts", claimed=record["claimed"], verified=record["verified"], returned=record["returned"])
    )
    for label, key in (
        ("inspection.claims", "claimed"),
        ("inspection.returned", "returned"),
    ):
        items = getattr(found, key)
        if items:
            print(t(label) + ":")
            for item in items:
                reason = f"  {item.review.reason}" if item.review.reason else ""
                print(f"  {item.label}  {item.measure[:40]}{reason}")
    for label, ids in (
        ("inspection.without_evidence", record["without_evidence"]),
        ("inspection.regressed", record["regressed"]),
        ("inspection.sample", record["sample"]),
    ):
        print(f"{t(label)}: {'、'.join(ids) or '—'}")
    return EXIT_OK
