"""A separate process that publishes ledgers, for the concurrency and SIGKILL tests of the store.

python -m tests.publish_worker URL BY FILE [FILE ...]   publishes each file in turn (waits for GO on stdin first
                                                       when the env var WAIT_FOR_GO is set; with
                                                       WAIT_FOR_GO=open, before even opening the store)
"""

import os
import sys
from datetime import date, datetime
from pathlib import Path

from ledger.publishing import check_upload, publish
from ledger.store import Store


def main() -> None:
    url, by, *paths = sys.argv[1:]
    if os.environ.get("WAIT_FOR_GO") == "open":
        print("READY", flush=True)
        sys.stdin.readline()
    store = Store(url)
    prepared = []
    for path in map(Path, paths):
        files = [(path.name, path.read_bytes())]
        prepared.append((files, check_upload(store, files, date(2019, 6, 1))))
    plan = store.plan_for(
        os.environ.get("LEDGER_PLAN", "意识形态工作责任制专项整治方案"), created_at=datetime(2019, 6, 1)
    )
    if os.environ.get("WAIT_FOR_GO") == "1":
        print("READY", flush=True)
        sys.stdin.readline()
    for files, ledger in prepared:
        result = publish(store, files, ledger, plan=plan.id, uploaded_by=by, uploaded_at=datetime(2019, 6, 1, 9, 0))
        print(f"PUBLISHED {result.version.id}", flush=True)


if __name__ == "__main__":
    main()
