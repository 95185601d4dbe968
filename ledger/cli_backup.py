"""The command line of backups and archives: `backup --out FILE`,
`backup --status`, `restore-backup FILE --db URL`, `archive --plan P [--unit U] --out FILE.zip` and
`close-plan --plan P`. Exit codes as everywhere: 0 done, 1 a usage or database error, 2 a backup file refused
(nothing restored), for --status no backup or one older than the setting, for close-plan a plan closed already."""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path

from ledger.i18n import translate


def add_parsers(commands) -> None:
    """The `backup` and `restore-backup` commands, in the admin group of the main parser's table."""
    from ledger.cli import option_db

    made = commands.add(
        "admin", "backup", "write the whole store to one file, or show when that was last done", _backup
    )
    option_db(made)
    made.add_argument("--out", type=Path, help="the backup file to write (a zip; written whole or not at all)")
    made.add_argument("--status", action="store_true", help="when the last backup was made; exit 2 when too old")
    restored = commands.add("admin", "restore-backup", "load a backup into an empty store", _restore)
    restored.add_argument("file", type=Path, metavar="FILE", help="a file `backup` wrote")
    restored.add_argument("--db", required=True, help="the empty store to restore into (SQLAlchemy URL)")
    archived = commands.add("admin", "archive", "write a plan's archive (整改资料归档): a zip of folders", _archive)
    option_db(archived)
    archived.add_argument("--plan", help="the plan's name (default: the only plan)")
    archived.add_argument("--unit", help="one unit's part of the plan (default: all of it)")
    archived.add_argument("--out", type=Path, required=True, help="the zip file to write (whole or not at all)")
    closing = commands.add("admin", "close-plan", "mark a plan closed (结束): read-only from then on", _close)
    option_db(closing)
    closing.add_argument("--plan", help="the plan's name (default: the only plan)")


def _backup(args, today: date) -> int:
    from ledger import backup, cli, config

    store = cli.open_store(args.db, args.lang)
    with cli.store_problems(store.url, args.lang):
        if args.status:
            state = backup.status(store, datetime.now(), config.backup_max_days(os.environ, config.read_secrets()))
            if state.last is None:
                print(translate("backup.never", args.lang))
                return cli.EXIT_INVALID
            days = int(state.age_days or 0)
            print(translate("backup.last", args.lang, at=state.last.isoformat(timespec="minutes"), days=days))
            if state.overdue:
                print(translate("backup.old", args.lang, max=state.max_age_days))
                return cli.EXIT_INVALID
            return cli.EXIT_OK
        if args.out is None:
            raise cli.UsageError(translate("backup.out_needed", args.lang))
        try:
            manifest = backup.make(store, args.out, datetime.now(), by=cli.cli_person())
        except backup.BackupError as problem:
            raise cli.UsageError(translate(problem.code, args.lang, **problem.params)) from None
    files = sum(1 for name in manifest.entries if name.startswith("blobs/ledger_files/"))
    mib = f"{args.out.stat().st_size / (1 << 20):.1f}"
    print(
        translate(
            "backup.made", args.lang, path=args.out, mib=mib, versions=manifest.rows["ledger_versions"], files=files
        )
    )
    return cli.EXIT_OK


def _restore(args, today: date) -> int:
    from ledger import backup, cli

    store = cli.open_store(args.db, args.lang)
    with cli.store_problems(store.url, args.lang):
        try:
            manifest = backup.restore(args.file, store, by=cli.cli_person(), at=datetime.now())
        except backup.BackupError as problem:
            print(translate(problem.code, args.lang, **problem.params))
            return cli.EXIT_INVALID
    rows = manifest["rows"]
    print(
        translate(
            "backup.restored",
            args.lang,
            path=args.file,
            versions=rows["ledger_versions"],
            users=rows["ledger_users"],
            audit=rows["ledger_audit"],
            made_at=manifest["made_at"],
        )
    )
    return cli.EXIT_OK


def _archive(args, today: date) -> int:
    from ledger import accounts, archive, audit, cli, config

    if not args.out.parent.is_dir():
        raise cli.UsageError(f"no such folder: {args.out.parent}")
    store = cli.open_store(args.db, args.lang)
    with cli.store_problems(store.url, args.lang):
        plan = cli.existing_plan(store, args)
        unit_id = None
        if args.unit is not None:
            unit = accounts.unit_named(store, args.unit)
            if unit is None:
                raise cli.UsageError(translate("cli.no_such_unit", args.lang, name=args.unit))
            unit_id = unit.id
        thresholds = config.thresholds(os.environ, config.read_secrets())
        index = archive.write(store, plan.id, unit_id, args.out, lang=args.lang, thresholds=thresholds)
        audit.record(
            store,
            at=datetime.now(),
            who=cli.cli_person(),
            action="download",
            target=f"archive: {args.out.name}",
            detail={"plan_id": plan.id, "unit_id": unit_id, "files": len(index.entries)},
        )
    mib = f"{args.out.stat().st_size / (1 << 20):.1f}"
    print(translate("archive.made", args.lang, path=args.out, n=len(index.entries) + 1, mib=mib))
    return cli.EXIT_OK


def _close(args, today: date) -> int:
    from ledger import cli

    store = cli.open_store(args.db, args.lang)
    with cli.store_problems(store.url, args.lang):
        plan = cli.existing_plan(store, args)
        if store.closed(plan.id) is not None:
            print(translate("store.plan_closed", args.lang, name=plan.name))
            return cli.EXIT_INVALID
        store.close_plan(plan.id, at=datetime.now(), by=cli.cli_person())
    print(translate("archive.closed", args.lang, plan=plan.name))
    return cli.EXIT_OK
