"""A version's task table in the database: its rows, and the compressed snapshot pages read instead."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import pandas as pd
import sqlalchemy as sa

from ledger.model import (
    DATE_COLUMNS,
    FLOAT,
    TASK_COLUMNS,
    TASK_DTYPES,
    TASK_FIELDS,
    Issue,
    task_table,
)
from ledger.store.tables import tasks_table


def task_rows(version_id: int, tasks: pd.DataFrame) -> list[dict]:
    columns = {name: tasks[name].tolist() for name in TASK_COLUMNS}  # Python ints, floats, bools and str
    for name in DATE_COLUMNS:  # datetime64[D] lists as datetime.date, NaT as None
        columns[name] = tasks[name].to_numpy().astype("datetime64[D]").tolist()
    for name in (f.name for f in TASK_FIELDS if f.dtype == FLOAT):  # NaN as NULL
        columns[name] = [None if v != v else v for v in columns[name]]
    names = list(columns)
    return [
        {"version_id": version_id, "position": i, **dict(zip(names, values, strict=True))}
        for i, values in enumerate(zip(*columns.values(), strict=True))
    ]


def rows_frame(conn: sa.Connection, version_id: int) -> pd.DataFrame:
    """A version's task table from its rows."""
    rows = conn.execute(
        sa.select(*[tasks_table.c[name] for name in TASK_COLUMNS])
        .where(tasks_table.c.version_id == version_id)
        .order_by(tasks_table.c.position)
    ).fetchall()
    return tasks_frame(rows)


def tasks_frame(rows: Sequence[Sequence[object]]) -> pd.DataFrame:
    """Stored task rows (in TASK_COLUMNS order) back into the task table the figures work on."""
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(TASK_COLUMNS)
    return task_table(dict(zip(TASK_COLUMNS, columns, strict=True)))


def snapshot_bytes(tasks: pd.DataFrame) -> bytes:
    """A task table as a zstd-compressed Arrow IPC stream: smaller than its rows and read in a fraction of their
    time (bench/bench.py --reading-only measures it)."""
    import pyarrow as pa  # pandas' own dependency here; imported when a version is first published or read

    table = pa.Table.from_pandas(tasks, preserve_index=False)
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema, options=pa.ipc.IpcWriteOptions(compression="zstd")) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def snapshot_frame(data: bytes) -> pd.DataFrame:
    """The task table of snapshot_bytes, with the types task_table gives (text as Python strings)."""
    return snapshot_frames([data])[0]


def snapshot_frames(blobs: Sequence[bytes]) -> list[pd.DataFrame]:
    """Several snapshots' task tables, converted to pandas together (the roll-up reads hundreds of small ones: one
    conversion instead of one each)."""
    import pyarrow as pa

    if not blobs:
        return []
    tables = [pa.ipc.open_stream(data).read_all() for data in blobs]
    # The task fields of every version converted together; each version's extra fields on their own, as it has them
    # (one version's amounts may be numbers where another's are text).
    fields = [[name for name in table.column_names if name in TASK_DTYPES] for table in tables]
    whole = pa.concat_tables(
        [table.select(names) for table, names in zip(tables, fields, strict=True)], promote_options="default"
    ).to_pandas()
    for name in whole.columns:  # the task table's types: Arrow's strings come back as pandas' string type, and an
        if whole[name].dtype != TASK_DTYPES[name]:  # empty status column without its categories
            whole[name] = whole[name].astype(TASK_DTYPES[name])
    ends = list(itertools.accumulate(table.num_rows for table in tables))
    found = []
    for end, table, names in zip(ends, tables, fields, strict=True):
        frame = whole if len(tables) == 1 else whole.iloc[end - table.num_rows : end][names].reset_index(drop=True)
        extra = [name for name in table.column_names if name not in TASK_DTYPES]
        if extra:
            found.append(pd.concat([frame, _extras_frame(table.select(extra))], axis=1))
        else:
            found.append(frame)
    return found


def _extras_frame(table) -> pd.DataFrame:
    """A version's extra fields from its snapshot: text as text (Python strings), numbers and dates as they are."""
    frame = table.to_pandas()
    for name in frame.columns:
        if frame[name].dtype.kind not in "fM":
            frame[name] = frame[name].astype(object).where(frame[name].notna(), "")
    return frame


def issue_to_dict(issue: Issue) -> dict:
    return {
        "severity": issue.severity,
        "code": issue.code,
        "sheet": issue.sheet,
        "row": issue.row,
        "column": issue.column,
        "value": issue.value,
        "params": [[k, v] for k, v in issue.params],
    }


def issue_from_dict(item: dict) -> Issue:
    return Issue(
        item["severity"],
        item["code"],
        item["sheet"],
        item["row"],
        item["column"],
        item["value"],
        tuple((k, v) for k, v in item["params"]),
    )
