"""`python -m ledger`: summary and check of a ledger file, read exactly as the upload page reads it."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from ledger.i18n import translate
from ledger.model import Ledger
from ledger.reading import load_ledger
from ledger.report import check_text, summary

EXIT_OK, EXIT_USAGE, EXIT_INVALID = 0, 1, 2


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse would exit 2, which here means "the ledger has errors"
        self.print_usage(sys.stderr)
        raise UsageError(message)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text}") from None


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m ledger", description="整改台账 / rectification ledger tools")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh", help="message language (default zh)")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for name, text in (("summary", "print the figures"), ("check", "print the error and warning report")):
        sub = commands.add_parser(name, help=text)
        sub.add_argument("ledger", type=Path, help="workbook (.xlsx/.xls/.ods) or tasks file (.csv)")
        sub.add_argument("phases", type=Path, nargs="?", help="phases file, when not a sheet of the workbook")
        sub.add_argument("--lang", choices=("zh", "en"), default=argparse.SUPPRESS)
        if name == "summary":
            sub.add_argument("--as-of", type=_day, help="YYYY-MM-DD (default: the ledger's report date)")
            sub.add_argument("--json", action="store_true", help="print one JSON object")
    return parser


def read_paths(paths: list[Path], received_on: date) -> Ledger:
    """Load ledger files from disk the way an upload is loaded."""
    files = []
    for path in paths:
        if not path.is_file():
            raise UsageError(f"no such file: {path}")
        files.append((path.name, path.read_bytes()))
    return load_ledger(files, received_on)


def _summary_text(data: dict, lang: str) -> str:
    t = lambda key, **kw: translate(key, lang, **kw)  # noqa: E731
    pct = lambda v: "—" if v is None else f"{v:.1f}%"  # noqa: E731
    lines = [t("cli.as_of", as_of=data["as_of"]), t("cli.tasks", tasks=data["tasks"], pct=pct(data["completion_pct"])),
             "  " + "  ".join(f"{t('status.' + k)} {v}" for k, v in data["by_status"].items()), "", t("cli.categories")]
    lines += [f"  {c['name']}: {c['done']}/{c['tasks']} {pct(c['completion_pct'])}  "
              f"{t('cli.overdue_count', n=c['overdue'])}" for c in data["categories"]]
    lines += ["", t("cli.phases")]
    lines += [f"  {p['name']} {p['start']}–{p['end']} {t('phase_state.' + p['state'])} {pct(p['completion_pct'])}"
              for p in data["phases"]]
    for key, title in (("overdue", "cli.overdue"), ("due_soon", "cli.due_soon")):
        lines += ["", t(title, n=len(data[key]))]
        lines += [f"  [{r['id']}] {r['measure'][:40]}  {r['due']}  "
                  + (t("cli.days_late", n=r["days_overdue"]) if key == "overdue" else "")
                  + f"  {' / '.join(x for x in (r['leader'], r['department'], r['owner']) if x)}"
                  for r in data[key]]
    return "\n".join(lines)


def run(argv: list[str] | None = None, today: date | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        paths = [args.ledger] + ([args.phases] if args.phases else [])
        ledger = read_paths(paths, today or date.today())
    except UsageError as problem:
        print(f"error: {problem}", file=sys.stderr)
        return EXIT_USAGE
    code = EXIT_INVALID if ledger.errors else EXIT_OK
    if args.command == "check":
        print(check_text(ledger, args.lang))
        return code
    data = summary(ledger, args.as_of, args.lang)
    if args.json:
        print(json.dumps(data, ensure_ascii=False))
    else:
        print(_summary_text(data, args.lang))
        if ledger.issues:
            print("\n" + check_text(ledger, args.lang))
    return code


def main() -> None:
    sys.exit(run())
