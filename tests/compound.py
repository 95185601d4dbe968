"""A minimal compound file (CFB v3, the container of .doc/.xls/.ppt and of WPS's .wps/.et/.dps) written in code, so
that tests can hand the evidence checks legacy documents with and without a VBA storage. Every stream is padded to
4 KiB so that it lives in regular sectors (no mini stream)."""

from __future__ import annotations

import struct

SECTOR = 512
FREE, END, FAT_SECTOR, NONE = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _entry(name: str, kind: int, child: int, right: int, start: int, size: int) -> bytes:
    encoded = (name + "\x00").encode("utf-16-le")
    return (
        encoded.ljust(64, b"\x00")
        + struct.pack("<HBB", len(encoded), kind, 1)
        + struct.pack("<III", NONE, right, child)
        + b"\x00" * 16
        + struct.pack("<I", 0)
        + b"\x00" * 16
        + struct.pack("<IQ", start, size)
    )


def compound(streams: dict[str, bytes]) -> bytes:
    """A compound file holding `streams` ("WordDocument", "Macros/VBA/dir" …): storages made from the paths."""
    tree: dict = {}
    for path, data in streams.items():
        node = tree
        *folders, leaf = path.split("/")
        for folder in folders:
            node = node.setdefault(folder, {})
        node[leaf] = data.ljust(max(len(data), 4096), b"\x00")
    entries: list[list] = [["Root Entry", 5, NONE, NONE, END, 0, None]]

    def add(node: dict) -> int:
        first = NONE
        previous = None
        for name, value in node.items():
            number = len(entries)
            entries.append([name, 1 if isinstance(value, dict) else 2, NONE, NONE, END, 0, value])
            if previous is None:
                first = number
            else:
                entries[previous][3] = number  # right sibling: the next entry of this storage
            previous = number
            if isinstance(value, dict):
                entries[number][2] = add(value)
        return first

    entries[0][2] = add(tree)
    directory_sectors = (len(entries) * 128 + SECTOR - 1) // SECTOR
    data_sectors = []
    next_sector = 1 + directory_sectors
    for entry in entries:
        if entry[1] == 2:
            data = entry[6]
            count = (len(data) + SECTOR - 1) // SECTOR
            entry[4], entry[5] = next_sector, len(data)
            data_sectors.append((next_sector, count, data))
            next_sector += count
    total = next_sector
    if total > SECTOR // 4:
        raise ValueError("more than one FAT sector: keep test files small")
    fat = [FREE] * (SECTOR // 4)
    fat[0] = FAT_SECTOR
    for i in range(directory_sectors):
        fat[1 + i] = 1 + i + 1 if i + 1 < directory_sectors else END
    for start, count, _ in data_sectors:
        for i in range(count):
            fat[start + i] = start + i + 1 if i + 1 < count else END
    header = (
        MAGIC
        + b"\x00" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\x00" * 6
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, END, 0, END, 0)
        + struct.pack("<I", 0)
        + struct.pack("<I", FREE) * 108
    )
    body = struct.pack(f"<{len(fat)}I", *fat)
    directory = b"".join(_entry(e[0], e[1], e[2], e[3], e[4], e[5]) for e in entries)
    body += directory.ljust(directory_sectors * SECTOR, b"\x00")
    for _, count, data in data_sectors:
        body += data.ljust(count * SECTOR, b"\x00")
    return header + body
