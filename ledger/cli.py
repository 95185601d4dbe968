"""`python -m ledger`: the dashboard's work from a terminal (README "Command line"), as a table of commands in four
groups: file (summary, check, columns, plan: read a ledger or plan document exactly as the upload page reads it),
store (publish, history, plans, rollup, evidence, closure, inspection), meeting (brief, notices, decisions) and admin
(users, audit, withdraw, restore). Each command is registered once (`Commands.add`) with the function that runs it.
Exit codes: 0 done, 1 a usage or database error, 2 the ledger has errors (or a file was refused)."""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ledger.dates import YEARS
from ledger.i18n import DEFAULT_LANG, LANGS, translate
from ledger.intake import CHOICES, Limits, choice_keys, key_of, keys_of, load_ledger
from ledger.model import EXTRA, IGNORE, Issue, Ledger, empty_tasks
from ledger.report import check_text, column_records, field_label, issue_message, issue_records, summary
from ledger.text import percent, second_text
from ledger.vocab import BY_CHOICES, ROLES

if TYPE_CHECKING:
    from ledger.metrics import Thresholds
    from ledger.store import Plan, Store

# The store (and SQLAlchemy) is imported only by the commands that use it: `summary` and `check` start faster.

EXIT_OK, EXIT_USAGE, EXIT_INVALID = 0, 1, 2
log = logging.getLogger(__name__)


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse would exit 2, which here means "the ledger has errors"
        self.print_usage(sys.stderr)
        raise UsageError(message)


def _day(text: str) -> date:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text}") from None
    if day.year not in YEARS:
        raise argparse.ArgumentTypeError(f"not a plausible date (years {YEARS.start}–{YEARS.stop - 1}): {text}")
    return day


COLUMNS_HELP = (
    '"HEADER=field,HEADER=field": read these columns so (field: a task field, extra or ignore); '
    "`publish` keeps the choice with the plan"
)


def parse_columns(text: str | None, lang: str) -> dict[str, str] | None:
    """--columns as a person's choice of columns (folded header → field; a header written twice named with its
    column letter, 备注#N); a usage error for an unknown field, or one field given twice."""
    if not text:
        return None
    chosen: dict[str, str] = {}
    fields: dict[str, str] = {}
    for part in (p for p in text.replace("，", ",").split(",") if p.strip()):
        header, sep, field = part.rpartition("=")
        header, field = header.strip(), field.strip().lower()
        field = IGNORE if field == "ignored" else field  # as `columns --json` writes it
        if not sep or not header:
            raise UsageError(translate("cli.columns_form", lang, part=part.strip()))
        if field not in CHOICES:
            raise UsageError(translate("cli.columns_field", lang, field=field, fields=", ".join(CHOICES)))
        if field not in (EXTRA, IGNORE) and field in fields:
            raise UsageError(translate("cli.columns_twice", lang, field=field, first=fields[field], second=header))
        fields[field] = header
        chosen[key_of(header)] = field
    return chosen


def missing_headers(ledger: Ledger, chosen: dict[str, str] | None) -> list[str]:
    """The headers --columns names (their keys) that the tasks sheet does not have."""
    if not chosen or not ledger.columns:
        return []
    present = {key for c in ledger.columns for key in keys_of(c.header)} | set(choice_keys(ledger.columns))
    present |= {f"{key_of(c.header)}#{c.letter.lower()}" for c in ledger.columns}
    return [key for key in chosen if key not in present]


def _no_header_text(ledger: Ledger, missing: list[str], typed: str | None, lang: str) -> str:
    """The usage error for --columns headers the tasks sheet lacks: each as the person typed it, and the headers."""
    written = {
        key_of(part.rpartition("=")[0].strip()): part.rpartition("=")[0].strip() for part in (typed or "").split(",")
    }
    headers = "、".join(c.header for c in ledger.columns if c.header) or "—"
    return translate(
        "cli.columns_no_header", lang, missing="、".join(written.get(key, key) for key in missing), headers=headers
    )


DB_HELP = "SQLAlchemy URL (default: LEDGER_DB_URL, secrets, data/ledger.db)"
PLAN_HELP = "the plan (default: the only one that is not the demo)"
AS_OF_HELP = "YYYY-MM-DD (default: the ledger's report date)"
GROUPS = (  # the command groups, in the order `--help` lists them
    ("file", "read a file (nothing is stored)"),
    ("store", "publish to the store and read it back"),
    ("meeting", "the weekly meeting: brief, notices, requirements"),
    ("admin", "accounts, the audit trail, withdrawn versions, backups"),
)


def option_lang(parser: argparse.ArgumentParser, main: bool = False) -> None:
    """--lang, on the main parser (default zh) and again after a command (it then overrides the main one)."""
    if main:
        parser.add_argument("--lang", choices=LANGS, default=DEFAULT_LANG, help="message language (default zh)")
    else:
        parser.add_argument("--lang", choices=LANGS, default=argparse.SUPPRESS)


def option_db(parser: argparse.ArgumentParser, text: str = DB_HELP) -> None:
    parser.add_argument("--db", help=text)


def option_plan(parser: argparse.ArgumentParser, text: str = PLAN_HELP) -> None:
    parser.add_argument("--plan", help=text)


def option_json(parser: argparse.ArgumentParser, text: str = "print one JSON list") -> None:
    parser.add_argument("--json", action="store_true", help=text)


def option_ledger_files(parser: argparse.ArgumentParser, optional: bool = False) -> None:
    """LEDGER [PHASES]: a workbook or tasks file, and a phases file when not a sheet of the workbook."""
    if optional:
        parser.add_argument("ledger", type=Path, nargs="?", help="ledger workbook or tasks file (or --db)")
    else:
        parser.add_argument("ledger", type=Path, help="workbook (.xlsx/.xls/.ods) or tasks file (.csv)")
    parser.add_argument("phases", type=Path, nargs="?", help="phases file, when not a sheet of the workbook")


class Commands:
    """The command table: each command registered once, in its group, with the function that runs it
    (`set_defaults(run=...)`: `run(args, today) -> exit code`)."""

    def __init__(self, parser: argparse.ArgumentParser) -> None:
        self.subparsers = parser.add_subparsers(
            dest="command", required=True, parser_class=_Parser, metavar="COMMAND", help="one of those below, by group"
        )
        self.listed: dict[str, list[tuple[str, str]]] = {group: [] for group, _ in GROUPS}

    def add(self, group: str, name: str, text: str, run: Callable[[Any, date], int], lang: bool = True):
        sub = self.subparsers.add_parser(name, description=text)  # listed by group in the epilog, not here
        sub.set_defaults(run=run)
        if lang:
            option_lang(sub)
        self.listed[group].append((name, text))
        return sub

    def epilog(self) -> str:
        width = max(len(name) for names in self.listed.values() for name, _ in names) + 2
        lines = []
        for group, title in GROUPS:
            lines += ["", f"{group} — {title}:"]
            lines += [f"  {name:<{width}}{text}" for name, text in self.listed[group]]
        return "\n".join(lines).strip("\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m ledger",
        description="整改台账 / rectification ledger tools",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    option_lang(parser, main=True)
    commands = Commands(parser)
    _file_commands(commands)
    _store_commands(commands)
    _meeting_commands(commands)
    _admin_commands(commands)
    parser.epilog = commands.epilog()
    return parser


def _file_commands(commands: Commands) -> None:
    summary_ = commands.add("file", "summary", "print the figures", _read)
    check = commands.add("file", "check", "print the error and warning report", _read)
    columns = commands.add("file", "columns", "how each column of the tasks sheet is read, and why", _read)
    for sub in (summary_, check, columns):
        option_ledger_files(sub)
        sub.add_argument("--columns", help=COLUMNS_HELP)
    summary_.add_argument("--as-of", type=_day, help=AS_OF_HELP)
    option_json(summary_, "print one JSON object")
    summary_.add_argument("--group-by", help="an extra field (a column the ledger adds) to group the figures by")
    option_json(columns, "print one JSON list of {column, header, field, ...}")
    document = commands.add(
        "file", "plan", "read a plan document (整改方案): categories, measures, phases", _plan_document
    )
    document.add_argument("document", type=Path, help=".docx, .txt (UTF-8 or GBK), or .doc/.wps with LibreOffice")
    document.add_argument("--year", type=int, help="the plan's year, when the document leaves it out (201x年)")
    option_json(document, "print one JSON object")
    document.add_argument("--ledger", type=Path, help="also write the prefilled ledger workbook here (.xlsx)")


def _store_commands(commands: Commands) -> None:
    from ledger.cli_review import add_parsers

    publish = commands.add(
        "store", "publish", "store the ledger as a new version (nothing is stored when it has errors)", _publish
    )
    option_ledger_files(publish)
    publish.add_argument("--columns", help=COLUMNS_HELP)
    option_db(publish)
    option_plan(publish, "the plan to publish into (created when missing; default: the only one)")
    publish.add_argument("--report-date", type=_day, help="YYYY-MM-DD, overrides the date the ledger states")
    publish.add_argument("--by", help="who publishes, as the trail records it: cli:LOGIN as BY (default: cli:LOGIN)")
    publish.add_argument("--note", default="", help="a note kept with the version")
    publish.add_argument(
        "--unit",
        help="the unit (school, branch) this ledger is for; created when missing. Without it, a ledger with "
        "a unit column (所属单位) is published as one version per unit",
    )
    history = commands.add("store", "history", "list the published versions with their figures", _history)
    plans = commands.add("store", "plans", "list the plans in the store", _plans)
    roll = commands.add("store", "rollup", "each unit's figures for the plan, those needing attention first", _rollup)
    for sub in (history, plans, roll):
        option_db(sub)
    for sub in (history, roll):
        option_plan(sub)
    roll.add_argument("--as-of", type=_day, help="YYYY-MM-DD (default: each unit's own report date)")
    option_json(history)
    option_json(plans)
    option_json(roll, "print one JSON list of {unit, report_date, tasks, completion_pct, overdue, lights, phases}")
    add_parsers(commands)


def _meeting_commands(commands: Commands) -> None:
    for name, text, formats in (
        ("brief", "write the weekly brief (周报)", ("pdf", "docx", "png", "xlsx")),
        ("notices", "write the supervision notices (督办单)", ("pdf", "docx")),
    ):
        sub = commands.add("meeting", name, text, _pack)
        option_ledger_files(sub, optional=True)
        option_db(sub, "read a published version from this store (SQLAlchemy URL) instead of a file")
        option_plan(sub, "with --db: the plan (default: the only one that is not the demo)")
        sub.add_argument("--version", type=int, help="with --db: the version number (default: the newest report)")
        sub.add_argument("--unit", help="with --db: the unit's newest version, or ALL: every unit's newest together")
        sub.add_argument("--as-of", type=_day, help=AS_OF_HELP)
        sub.add_argument("--format", choices=formats, required=True)
        if name == "brief":
            sub.add_argument("--group-by", help="an extra field of text the category chart groups by instead")
        else:
            sub.add_argument(
                "--by",
                choices=BY_CHOICES,
                default="leader",
                help="one notice per responsible leader (default) or department; docx: a zip",
            )
        sub.add_argument("--out", type=Path, required=True, help="the file to write")
    decisions = commands.add(
        "meeting", "decisions", "list the meeting requirements (会议要求) and their states", _decisions
    )
    decided = decisions.add_subparsers(dest="action", parser_class=_Parser)
    add = decided.add_parser("add", help="record a meeting requirement against a measure, leader or department")
    option_lang(add)
    for sub in (decisions, add):
        option_db(sub)
        option_plan(sub)
    option_json(decisions)
    target = add.add_mutually_exclusive_group(required=True)
    target.add_argument("--measure", help="the measure's id (序号) in the plan's newest version")
    target.add_argument("--leader", help="a responsible leader: their open measures due by the required date")
    target.add_argument("--department", help="a responsible department: its open measures due by the required date")
    add.add_argument("--text", required=True, help="what the meeting required")
    add.add_argument("--by", required=True, help="who gave it (the leader's title, e.g. 党总支书记)")
    add.add_argument("--due", type=_day, help="a new deadline (default: the meeting date + 7 days)")
    add.add_argument("--date", type=_day, help="the meeting date (default: today)")
    add.add_argument(
        "--recorded-by", help="who records it, as the trail records it: cli:LOGIN as NAME (default: cli:LOGIN)"
    )
    option_json(add, "print the recorded requirement as JSON")


def _admin_commands(commands: Commands) -> None:
    users = commands.add("admin", "users", "personal accounts: list (default), add, disable, enable, passwd", _users)
    users.add_argument("action", nargs="?", default="list", choices=("list", "add", "disable", "enable", "passwd"))
    users.add_argument("name", nargs="?", help="the account's name (add, disable, enable, passwd)")
    users.add_argument("--role", choices=ROLES, default="viewer", help="add: the role (default viewer)")
    users.add_argument("--units", default="", help="add: the units an editor publishes for, comma-separated")
    option_db(users)
    option_json(users, "list: print one JSON list")
    trail = commands.add("admin", "audit", "print the audit trail, newest first", _audit)
    option_db(trail)
    trail.add_argument("--since", type=_day, help="YYYY-MM-DD: only records from that day on")
    option_json(trail, "print one JSON list of {at, who, action, target, address}")
    for name, text in (
        ("withdraw", "take a version out of the figures (its files stay; an admin can restore it)"),
        ("restore", "bring a withdrawn version back"),
    ):
        sub = commands.add("admin", name, text, _withdraw)
        sub.add_argument("version", type=int, help="the version's id (`history --json` lists them as `version`)")
        if name == "withdraw":
            sub.add_argument("--reason", required=True, help="why it is withdrawn")
        option_db(sub)
    from ledger.cli_backup import add_parsers

    add_parsers(commands)


def read_files(paths: list[Path]) -> list[tuple[str, bytes]]:
    files = []
    for path in paths:
        if not path.is_file():
            raise UsageError(f"no such file: {path}")
        files.append((path.name, path.read_bytes()))
    return files


def limits() -> Limits:
    """The same limits as the Upload page (README "Limits")."""
    from ledger import config

    return config.limits(os.environ, config.read_secrets())


def read_paths(paths: list[Path], received_on: date) -> Ledger:
    """Load ledger files from disk the way an upload is loaded: through the guarded path, with the page's limits."""
    return load_ledger(read_files(paths), received_on, limits=limits())


class StoreProblem(Exception):
    """The database failed; the message is already in the user's language (exit code 1, like a usage error)."""


@contextmanager
def store_problems(url: str, lang: str) -> Iterator[None]:
    """Database failures inside the block become one clear line (README "Command line": exit 1), never a
    traceback; the URL is shown without its password."""
    from ledger.store import STORE_ERRORS, problem_code, problem_params, shown_url

    try:
        yield
    except STORE_ERRORS as problem:
        log.warning("database %s failed: %r", shown_url(url), problem)
        reason = translate(problem_code(problem), lang, **problem_params(problem))
        raise StoreProblem(translate("cli.store_problem", lang, url=shown_url(url), reason=reason)) from None


def open_store(explicit: str | None, lang: str = "zh") -> Store:
    from ledger import config
    from ledger.store import Store

    url = config.db_url(os.environ, config.read_secrets(), explicit)
    with store_problems(url, lang):
        return Store(url)


def _summary_text(data: dict, lang: str) -> str:
    t = lambda key, **kw: translate(key, lang, **kw)  # noqa: E731
    lines = [
        t("cli.as_of", as_of=data["as_of"]),
        t(
            "cli.tasks",
            tasks=data["tasks"],
            pct=percent(data["completion_pct"]),
            verified=percent(data["verified_pct"]),
        ),
        "  " + "  ".join(f"{t('status.' + k)} {v}" for k, v in data["by_status"].items()),
        "",
        t("cli.categories"),
    ]
    lines += [
        f"  {c['name']}: {c['done']}/{c['tasks']} {percent(c['completion_pct'])}  {t('cli.overdue_count', n=c['overdue'])}"
        for c in data["categories"]
    ]
    if "groups" in data:
        lines += ["", t("cli.groups", name=data["group_by"])]
        lines += [
            f"  {g['name'] or '—'}: {g['done']}/{g['tasks']} {percent(g['completion_pct'])}  {t('cli.overdue_count', n=g['overdue'])}"
            for g in data["groups"]
        ]
    if data["amounts"]:
        lines.append("")
        lines += [
            t(
                "cli.amounts",
                name=a["name"],
                total=f"{a['total']:g}",
                done=f"{a['done']:g}",
                not_done=f"{a['not_done']:g}",
            )
            for a in data["amounts"]
        ]
    lines += ["", t("cli.lights") + "  ".join(f"{t('light.' + k)} {n}" for k, n in data["lights"].items())]
    lines += ["", t("cli.phases")]
    lines += [
        f"  {p['name']} {p['start']}–{p['end']} {t('phase_state.' + p['state'])} {percent(p['completion_pct'])}"
        for p in data["phases"]
    ]
    for key, title in (("overdue", "cli.overdue"), ("due_soon", "cli.due_soon")):
        lines += ["", t(title, n=len(data[key]), days=data["thresholds"]["due_soon_days"])]
        lines += [
            f"  [{r['id']}] {r['measure'][:40]}  {r['due']}  "
            + (t("cli.days_late", n=r["days_overdue"]) if key == "overdue" else "")
            + f"  {' / '.join(x for x in (r['leader'], r['department'], r['owner']) if x)}"
            for r in data[key]
        ]
    return "\n".join(lines)


def chosen_plan(store: Store, name: str | None, lang: str, create: bool = False) -> Plan | None:
    """The plan --plan names (None: it does not exist yet), else the only plan that is not the demo; with none
    (unless `create`: then None, a new plan named after the ledger's title, as the Upload page does) or several, a
    usage error that lists them."""
    if name:
        return store.plan_named(name)
    real = [summary.plan for summary in store.plans() if not summary.plan.demo]
    if len(real) == 1:
        return real[0]
    if not real and create:
        return None
    names = "、".join(summary.plan.name for summary in store.plans()) or "—"
    raise UsageError(translate("cli.which_plan", lang, plans=names))


def existing_plan(store: Store, args) -> Plan:
    """The plan --plan names (or the only real one), which must exist: else a usage error naming it."""
    plan = chosen_plan(store, args.plan, args.lang)
    if plan is None:
        raise UsageError(translate("cli.no_such_plan", args.lang, plan=args.plan))
    return plan


def _publish(args, today: date) -> int:
    from ledger.publishing import (
        MAX_NOTE,
        MAX_UPLOADER,
        check_upload,
        columns_chosen,
        publish,
        publish_units,
        split_units,
    )
    from ledger.store import NewPlan

    if len(args.by or "") > MAX_UPLOADER or len(args.note) > MAX_NOTE:
        raise UsageError(f"--by may have at most {MAX_UPLOADER} characters, --note at most {MAX_NOTE}")
    chosen_columns = parse_columns(args.columns, args.lang)
    files = read_files([args.ledger] + ([args.phases] if args.phases else []))
    store = open_store(args.db, args.lang)
    with store_problems(store.url, args.lang):
        plan = chosen_plan(store, args.plan, args.lang, create=True)
        ledger = check_upload(store, files, today, limits(), plan.id if plan else None, chosen_columns)
        if missing := missing_headers(ledger, chosen_columns):
            raise UsageError(_no_header_text(ledger, missing, args.columns, args.lang))
        parts = split_units(ledger, args.unit.strip() if args.unit else None)
        shown = replace(ledger, issues=(*ledger.issues, *parts.issues)) if parts else ledger
        print(check_text(shown, args.lang))
        if shown.errors:
            print(translate("cli.not_published", args.lang), file=sys.stderr)
            return EXIT_INVALID
        name = args.plan or ledger.title
        target = plan.id if plan else NewPlan(name, datetime.now(), ledger.unit)
        columns = columns_chosen(ledger) if chosen_columns else None
        if parts is not None and not args.unit:
            results = publish_units(
                store,
                files,
                parts,
                plan=target,
                uploaded_by=cli_person(args.by),
                uploaded_at=datetime.now(),
                note=args.note,
                report_date=args.report_date,
                address="cli",
                columns=columns,
            )
            if results is None:  # never: a ledger with errors was refused above
                return EXIT_INVALID
            if plan is None:
                print(translate("cli.plan_created", args.lang, plan=name.strip()))
            for (unit, _), each in zip(parts.parts, results, strict=True):
                _print_published(store, each, args.lang, unit)
            return EXIT_OK
        unit_id = None
        if args.unit:
            from ledger import accounts

            try:
                unit_id = accounts.add_unit(
                    store,
                    args.unit,
                    at=datetime.now(),
                    by=cli_person(),
                    address="cli",
                    plan_id=plan.id if plan else None,
                ).id
            except accounts.AccountError as problem:
                raise UsageError(translate(problem.code, args.lang, **problem.params)) from None
        if plan is not None:
            from ledger.closure import regressions

            if lost := regressions(store, plan.id, unit_id, ledger.tasks):
                print(translate("upload.loses_verification", args.lang, ids="、".join(lost)), file=sys.stderr)
        result = publish(
            store,
            files,
            ledger,
            plan=target,
            uploaded_by=cli_person(args.by),
            uploaded_at=datetime.now(),
            note=args.note,
            report_date=args.report_date,
            unit_id=unit_id,
            address="cli",
            columns=columns,
        )
        if result is None:  # never: a ledger with errors was refused above
            return EXIT_INVALID
        if plan is None and result.created:
            print(translate("cli.plan_created", args.lang, plan=name.strip()))
    _print_published(store, result, args.lang)
    return EXIT_OK


def _print_published(store: Store, result, lang: str, unit: str = "") -> None:
    key = "cli.published" if result.created else "cli.already_published"
    text = translate(
        key,
        lang,
        version=result.version.number,
        day=result.version.report_date.isoformat(),
        plan=store.plan(result.version.plan_id).name,
    )
    print(f"{unit}: {text}" if unit else text)


def plan_json(plan) -> dict:
    """The `plan --json` object: title, unit, date, categories with their measures, phases, warnings."""
    day = lambda value: value.isoformat() if isinstance(value, date) else None  # noqa: E731
    return {
        "title": plan.title,
        "unit": plan.unit,
        "date": day(plan.date),
        "categories": [
            {
                "name": c.name,
                "problem": c.problem,
                "measures": [
                    {
                        "id": m.id,
                        "measure": m.measure,
                        "leader": m.leader or None,
                        "department": m.department or None,
                        "owner": m.owner or None,
                        "start": day(m.start),
                        "due": day(m.due),
                    }
                    for m in c.measures
                ],
            }
            for c in plan.categories
        ],
        "phases": [{"name": p.name, "start": day(p.start), "end": day(p.end)} for p in plan.phases],
        "warnings": issue_records(list(plan.warnings), "zh"),
    }


def _plan_document(args, today: date) -> int:
    from ledger.intake import ledger_rows, load_plan
    from ledger.writing import prefilled_workbook

    if args.year is not None and args.year not in YEARS:
        raise UsageError(f"--year {args.year} is not a plausible year")
    [(name, data)] = read_files([args.document])
    plan = load_plan(data, name, year=args.year, limits=limits())
    if isinstance(plan, Issue):
        print(check_text(Ledger(empty_tasks(), (), date.today(), False, (plan,)), args.lang), file=sys.stderr)
        return EXIT_INVALID
    if plan.year_missing:
        raise UsageError(translate("plan.year_missing", args.lang) + " (--year YYYY)")
    if args.json:
        record = plan_json(plan)
        record["warnings"] = issue_records(list(plan.warnings), args.lang)
        print(json.dumps(record, ensure_ascii=False))
    else:
        print(_plan_text(plan, args.lang))
    if args.ledger and plan.usable:
        args.ledger.write_bytes(prefilled_workbook(ledger_rows(plan), plan.dated_phases(), plan.title, plan.unit))
    return EXIT_OK if plan.usable else EXIT_INVALID


def _plan_text(plan, lang: str) -> str:
    t = lambda key, **kw: translate(key, lang, **kw)  # noqa: E731
    lines = [
        t("cli.plan_head", title=plan.title, unit=plan.unit or "—", day=plan.date.isoformat() if plan.date else "—")
    ]
    for category in plan.categories:
        lines.append(t("cli.plan_category", name=category.name, n=len(category.measures)))
        lines += [
            f"    {m.id}. {m.measure[:40]}"
            + (
                f"  [{m.leader or ''} {m.department or ''} {m.owner or ''} {m.due or m.due_text or ''}]".replace(
                    "  ", " "
                )
                if m.leader or m.department or m.owner or m.due_text
                else ""
            )
            for m in category.measures
        ]
    lines.append(t("cli.phases"))
    lines += [f"  {p.name}  {p.start or '?'} – {p.end or '?'}" for p in plan.phases]
    lines += [f"{t('report.warning')}: {issue_message(w, lang)}" for w in plan.warnings]
    return "\n".join(lines)


def plan_records(store: Store) -> list[dict]:
    """The plans as {name, unit, demo, versions, latest_report_date} (the `plans --json` list)."""
    return [
        {
            "name": s.plan.name,
            "unit": s.plan.unit,
            "demo": s.plan.demo,
            "versions": s.versions,
            "latest_report_date": s.latest_report_date.isoformat() if s.latest_report_date else None,
        }
        for s in store.plans()
    ]


def _plans(args, today: date) -> int:
    store = open_store(args.db, args.lang)
    with store_problems(store.url, args.lang):
        records = plan_records(store)
    if args.json:
        print(json.dumps(records, ensure_ascii=False))
        return EXIT_OK
    for r in records:
        print(
            translate(
                "cli.plan_line",
                args.lang,
                **r,
                mark=translate("plan.demo_mark", args.lang) if r["demo"] else "",
                latest=r["latest_report_date"] or "—",
            )
        )
    if not records:
        print(translate("cli.no_plans", args.lang))
    return EXIT_OK


def history_records(store: Store, plan_id: int) -> list[dict]:
    """Each version of the plan with its figures on its own report date, newest first (the `history --json`
    list: ledger.trends.version_rows, and each version's status counts, due soon and content hash)."""
    import pandas as pd

    from ledger.trends import version_rows

    versions = store.versions(plan_id)
    figures = {version.id: summary(store.ledger(version.id)) for version in versions}
    table = pd.DataFrame(
        {
            "version_id": list(figures),
            "completion_pct": [f["completion_pct"] for f in figures.values()],
            "overdue": [len(f["overdue"]) for f in figures.values()],
        }
    )
    return [
        {
            **{name: value for name, value in row.items() if name != "unit_id"},
            "report_date": row["report_date"].isoformat(),
            "uploaded_at": second_text(row["uploaded_at"]),
            "by_status": figures[row["version"]]["by_status"],
            "due_soon": len(figures[row["version"]]["due_soon"]),
            "sha256": version.content_sha256,
        }
        for row, version in zip(version_rows(versions, table), versions, strict=True)
    ]


def _history(args, today: date) -> int:
    store = open_store(args.db, args.lang)
    with store_problems(store.url, args.lang):
        plan = existing_plan(store, args)
        records = history_records(store, plan.id)
    if args.json:
        print(json.dumps(records, ensure_ascii=False))
        return EXIT_OK
    for r in records:
        print(
            translate(
                "cli.history_line",
                args.lang,
                **r,
                names="、".join(r["files"]),
                pct=percent(r["completion_pct"]),
            )
        )
    if not records:
        print(translate("cli.no_versions", args.lang))
    return EXIT_OK


def _decisions(args, today: date) -> int:
    from ledger import meeting
    from ledger.requirements import RequirementError, records, state_of

    store = open_store(args.db, args.lang)
    with store_problems(store.url, args.lang):
        plan = existing_plan(store, args)
        if args.action == "add":
            newest = store.newest_report_id(plan.id)
            if newest is None:
                raise UsageError(translate("cli.no_versions", args.lang))
            version = store.version(newest)
            scope, target = next((s, getattr(args, s)) for s in ("measure", "leader", "department") if getattr(args, s))
            try:
                added = meeting.record(
                    store,
                    version,
                    scope=scope,
                    target=target,
                    text=args.text,
                    given_by=args.by,
                    meeting_date=args.date or today,
                    due=args.due,
                    recorded_by=cli_person(args.recorded_by),
                    recorded_at=datetime.now(),
                )
            except RequirementError as problem:
                raise UsageError(translate(problem.code, args.lang, **problem.params)) from None
            found = [s for s in meeting.latest_states(store, plan.id) if s.requirement.id == added.id]
            shown = records(found or [state_of(added, {}, version.report_date)])
        else:
            shown = records(meeting.latest_states(store, plan.id))
    if args.json:
        print(json.dumps(shown[0] if args.action == "add" else shown, ensure_ascii=False))
        return EXIT_OK
    for r in shown:
        print(
            translate(
                "cli.decision_line", args.lang, **r, state_word=translate(f"requirement.state.{r['state']}", args.lang)
            )
        )
    if not shown:
        print(translate("cli.no_decisions", args.lang))
    return EXIT_OK


def _all_units_context(store, plan, args, thresholds):
    """The meeting pack of every unit's newest ledger together."""
    from ledger import meeting

    context = meeting.all_units_context(store, plan, as_of=args.as_of, lang=args.lang, thresholds=thresholds)
    if context is None:
        raise UsageError(translate("cli.no_versions", args.lang))
    return context


def _pack_context(args, today: date):
    """The meeting pack's Context from a ledger file, or from a stored version (--db); and the exit code."""
    from ledger import config, meeting
    from ledger.brief import Context

    thresholds = config.thresholds(os.environ, config.read_secrets())
    if args.db is None and args.ledger is None:
        raise UsageError("give a LEDGER file or --db URL")
    if args.db is not None:
        if args.ledger is not None:
            raise UsageError("give either a LEDGER file or --db, not both")
        store = open_store(args.db, args.lang)
        with store_problems(store.url, args.lang):
            plan = existing_plan(store, args)
            unit = None
            if args.unit is not None and args.unit.strip().upper() == "ALL":
                return _all_units_context(store, plan, args, thresholds), EXIT_OK
            if args.unit is not None:
                from ledger import accounts

                unit = accounts.unit_named(store, args.unit)
                if unit is None:
                    raise UsageError(translate("cli.no_such_unit", args.lang, name=args.unit))
            versions = store.versions(plan.id, unit.id if unit else None)
            if not versions:
                raise UsageError(translate("cli.no_versions", args.lang))
            chosen = (
                versions[0] if args.version is None else next((v for v in versions if v.number == args.version), None)
            )
            if chosen is None:
                raise UsageError(
                    translate(
                        "cli.no_such_version",
                        args.lang,
                        n=args.version,
                        numbers="、".join(str(v.number) for v in reversed(versions)),
                    )
                )
            return meeting.context(store, chosen, as_of=args.as_of, lang=args.lang, thresholds=thresholds), EXIT_OK
    if args.plan or args.version or args.unit:
        raise UsageError("--plan, --version and --unit go with --db")
    ledger = read_paths([args.ledger] + ([args.phases] if args.phases else []), today)
    if ledger.errors:
        print(check_text(ledger, args.lang), file=sys.stderr)
    context = Context(
        ledger,
        ledger.tasks,
        args.as_of or ledger.report_date,
        args.lang,
        thresholds,
        plan=ledger.title,
        unit=ledger.unit,
    )
    return context, EXIT_INVALID if ledger.errors else EXIT_OK


def _pack(args, today: date) -> int:
    from ledger import brief, typeset, word

    if not args.out.parent.is_dir():
        raise UsageError(f"no such folder: {args.out.parent}")
    context, code = _pack_context(args, today)
    if getattr(args, "group_by", None):
        from ledger.metrics import groupings

        found = groupings(context.tasks)
        if args.group_by.strip() not in found:
            names = "、".join(found) or "—"
            raise UsageError(translate("cli.group_by_unknown", args.lang, name=args.group_by, names=names))
        context = replace(context, group_by=args.group_by.strip())
    if args.command == "brief":
        made = {
            "pdf": lambda: typeset.pdf("brief.typ", brief.brief_data(context)),
            "png": lambda: typeset.png("headline.typ", brief.brief_data(context)),
            "docx": lambda: word.brief_docx(brief.brief_data(context)),
            "xlsx": lambda: brief.version_workbook(context),
        }[args.format]()
    else:
        data = brief.notices_data(context, args.by)
        made = typeset.pdf("notices.typ", data) if args.format == "pdf" else word.notices_zip(data)
        print(translate("cli.notices_written", args.lang, n=len(data["notices"]), path=str(args.out)))
    args.out.write_bytes(made)
    if args.command == "brief":
        print(translate("cli.brief_written", args.lang, path=str(args.out), size=len(made)))
    return code


def cli_person(named: str | None = None) -> str:
    """Who acts from the command line, in the audit trail: the operating system's login name, marked as the
    command line's — and the name given on the command line only as what that login said (`cli:root as 管理员`):
    anyone can type a name, so it is never recorded as the person."""
    login = f"cli:{getpass.getuser()}"
    return f"{login} as {' '.join(named.split())}" if named and named.strip() else login


def read_password(lang: str) -> str:
    """A password from the prompt (asked twice), or the first line of standard input when it is not a terminal."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(translate("cli.password", lang))
    if getpass.getpass(translate("cli.password_again", lang)) != first:
        raise UsageError(translate("cli.password_mismatch", lang))
    return first


def _users(args, today: date) -> int:
    from ledger import accounts

    now = datetime.now()

    store = open_store(args.db, args.lang)
    with store_problems(store.url, args.lang):
        if args.action == "list":
            found = accounts.users(store)
            names = {u.id: u.name for u in accounts.units(store)}
            records: list[dict[str, Any]] = [
                {
                    "name": u.name,
                    "role": u.role,
                    "disabled": u.disabled,
                    "units": [names.get(i, str(i)) for i in u.units],
                }
                for u in found
            ]
            if args.json:
                print(json.dumps(records, ensure_ascii=False))
            for r in records if not args.json else []:
                print(
                    translate(
                        "cli.user_line",
                        args.lang,
                        **r,
                        role_word=translate(f"role.{r['role']}", args.lang),
                        state=translate("cli.user_disabled" if r["disabled"] else "cli.user_active", args.lang),
                        unit_names="、".join(r["units"]) or "—",
                    )
                )
            if not found and not args.json:
                print(translate("cli.no_users", args.lang))
            return EXIT_OK
        if not args.name:
            raise UsageError(translate("cli.user_name_needed", args.lang))
        try:
            if args.action == "add":
                units = [
                    accounts.add_unit(store, name, at=now, by=cli_person()).id
                    for name in (n.strip() for n in args.units.split(","))
                    if name
                ]
                user = accounts.add_user(
                    store,
                    args.name,
                    args.role,
                    read_password(args.lang),
                    at=now,
                    by=cli_person(),
                    address="cli",
                    units=units,
                )
                print(
                    translate(
                        "cli.user_added", args.lang, name=user.name, role=translate(f"role.{user.role}", args.lang)
                    )
                )
            elif args.action in ("disable", "enable"):
                user = accounts.set_disabled(
                    store, args.name, args.action == "disable", at=now, by=cli_person(), address="cli"
                )
                print(translate(f"cli.user_{args.action}d_msg", args.lang, name=user.name))
            else:
                accounts.set_password(
                    store, args.name, read_password(args.lang), at=now, by=cli_person(), address="cli"
                )
                print(translate("cli.password_set", args.lang, name=args.name))
        except accounts.AccountError as problem:
            raise UsageError(translate(problem.code, args.lang, **problem.params)) from None
    return EXIT_OK


def _rollup(args, today: date) -> int:
    from ledger import config
    from ledger.rollup import rollup

    store = open_store(args.db, args.lang)
    with store_problems(store.url, args.lang):
        plan = existing_plan(store, args)
        rows = [
            r.record() for r in rollup(store, plan.id, args.as_of, config.thresholds(os.environ, config.read_secrets()))
        ]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
        return EXIT_OK
    for r in rows:
        print(
            translate(
                "cli.rollup_line",
                args.lang,
                **r,
                day=r["report_date"] or "—",
                pct=percent(r["completion_pct"]),
                flag=translate("rollup.missing", args.lang) if r["missing"] else "",
            )
        )
    if not rows:
        print(translate("cli.no_units", args.lang))
    return EXIT_OK


def _audit(args, today: date) -> int:
    from ledger import audit

    store = open_store(args.db, args.lang)
    with store_problems(store.url, args.lang):
        since = datetime.combine(args.since, datetime.min.time()) if args.since else None
        found = audit.records(store, since=since)
    if args.json:
        print(json.dumps([r.as_json() for r in found], ensure_ascii=False))
        return EXIT_OK
    for r in found:
        shown = r.as_json()  # a visitor's name with its control characters written out, never acted on
        count = f" ×{shown['count']}" if "count" in shown else ""  # attempts refused while waiting, this minute
        print(
            f"{shown['at']}  {shown['who']}  {translate('audit.' + r.action, args.lang)}{count}  {shown['target']}  "
            f"{shown['address']}"
        )
    return EXIT_OK


def _withdraw(args, today: date) -> int:
    from ledger.store import StoreError, problem_params

    now = datetime.now()

    store = open_store(args.db, args.lang)
    with store_problems(store.url, args.lang):
        try:
            if args.command == "withdraw":
                version = store.withdraw(args.version, by=cli_person(), reason=args.reason, at=now, address="cli")
            else:
                version = store.restore(args.version, by=cli_person(), at=now, address="cli")
        except StoreError as problem:
            if problem.code in (
                "store.no_version",
                "store.already_withdrawn",
                "store.not_withdrawn",
                "store.restore_duplicate",
                "store.withdraw_reason",
            ):
                raise UsageError(translate(problem.code, args.lang, **problem_params(problem))) from None
            raise
    print(
        translate(
            "cli.withdrawn" if args.command == "withdraw" else "cli.restoren",
            args.lang,
            version=version.id,
            number=version.number,
            day=version.report_date.isoformat(),
        )
    )
    return EXIT_OK


def run(argv: list[str] | None = None, today: date | None = None) -> int:
    today = today or date.today()
    # One clear line per problem on the terminal; LEDGER_LOG_LEVEL=WARNING also shows what the server log would.
    logging.basicConfig(level=os.environ.get("LEDGER_LOG_LEVEL", "ERROR").upper(), format="%(name)s: %(message)s")
    try:
        args = build_parser().parse_args(argv)
        return args.run(args, today)
    except (UsageError, StoreProblem) as problem:
        print(f"error: {problem}", file=sys.stderr)
        return EXIT_USAGE


def _read(args, today: date) -> int:
    """summary, check and columns: the file read in the reading worker, which also works out the output."""
    chosen_columns = parse_columns(args.columns, args.lang)
    files = read_files([args.ledger] + ([args.phases] if args.phases else []))
    if args.command == "check":
        output = partial(_check_output, lang=args.lang)
    elif args.command == "columns":
        output = partial(_columns_output, lang=args.lang, as_json=args.json)
    else:
        from ledger import config

        thresholds = config.thresholds(os.environ, config.read_secrets())
        output = partial(
            _summary_output,
            as_of=args.as_of,
            lang=args.lang,
            thresholds=thresholds,
            as_json=args.json,
            group_by=args.group_by,
        )
    checked = partial(_mapping_checked, chosen=chosen_columns, typed=args.columns, lang=args.lang, output=output)
    text, outcome = load_ledger(files, today, limits=limits(), columns=chosen_columns, then=checked)
    if outcome == USAGE:
        raise UsageError(text)
    print(text)
    return EXIT_INVALID if outcome else EXIT_OK


USAGE = "usage"  # what a worked-out output gives for "the command line was wrong", in place of "has errors"


def _mapping_checked(
    ledger: Ledger, chosen: dict[str, str] | None, typed: str | None, lang: str, output
) -> tuple[str, bool | str]:
    """In the reading worker: a usage error when --columns names a header the tasks sheet lacks, else `output`."""
    if missing := missing_headers(ledger, chosen):
        return _no_header_text(ledger, missing, typed, lang), USAGE
    return output(ledger)


def _check_output(ledger: Ledger, lang: str) -> tuple[str, bool | str]:
    """`check`'s report, and whether the ledger has errors: worked out in the reading worker (load_ledger's then)."""
    return check_text(ledger, lang), bool(ledger.errors)


def _columns_output(ledger: Ledger, lang: str, as_json: bool) -> tuple[str, bool | str]:
    """`columns`: how each column of the tasks sheet is read, with the confidence and the reason."""
    records = column_records(ledger, lang)
    if as_json:
        return json.dumps(records, ensure_ascii=False), False
    if not records:
        return check_text(ledger, lang), bool(ledger.errors)
    lines = [translate("cli.columns_head", lang, shape=len(records))]
    for r in records:
        field = r["field"]
        label = field_label(IGNORE if field == "ignored" else field, lang)
        sample = " | ".join(value[:20] for value in r["sample"])
        lines.append(
            f"{r['column']:>3}  {r['header'] or '—'} → {label} [{field}] ({r['confidence']:.2f}): {r['reason']}"
        )
        if sample:
            lines.append(f"       {sample}")
    unsure = [i for i in ledger.issues if i.code.startswith("column.")]
    if unsure:
        lines += ["", check_text(replace(ledger, issues=tuple(unsure)), lang)]
    return "\n".join(lines), False


def _summary_output(
    ledger: Ledger, as_of: date | None, lang: str, thresholds: Thresholds, as_json: bool, group_by: str | None = None
) -> tuple[str, bool | str]:
    """`summary`'s output, and whether the ledger has errors: worked out in the reading worker (load_ledger's
    then), so that this text comes back from it rather than every task."""
    from ledger.model import extras

    if group_by is not None and group_by.strip() not in {e.name for e in extras(ledger.tasks) if e.kind == "text"}:
        names = "、".join(e.name for e in extras(ledger.tasks) if e.kind == "text") or "—"
        return translate("cli.group_by_unknown", lang, name=group_by, names=names), USAGE
    data = summary(ledger, as_of, lang, thresholds=thresholds, group_by=group_by.strip() if group_by else None)
    if as_json:
        return json.dumps(data, ensure_ascii=False), bool(ledger.errors)
    text = _summary_text(data, lang)
    if ledger.issues:
        text += "\n\n" + check_text(ledger, lang)
    return text, bool(ledger.errors)


def main() -> None:
    sys.exit(run())
