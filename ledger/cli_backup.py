"""The command line of backups: `backup --out FILE`, `backup --status` and
`restore-backup FILE --db URL`. Exit codes as everywhere: 0 done, 1 a usage or database error, 2 a backup file
refused (nothing restored) or, for --status, no backup or one older than the setting."""

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
