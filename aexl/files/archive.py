"""Quarterly and yearly archive (守则 二.11 资料存档).

Per client, one zip of the period's strategies/proposals (策略、方案), summaries
(总结) and final artwork (完稿, 已完成工作文件夹, 全年沟通策略), named by the
naming rule after the day the period ends: ``20261001_<客户>_2026Q3资料存档.zip``.
A file belongs to the period by the date in its name, else its modified date.

The zip holds ``存档清单.csv`` (path, size, SHA-256, modified time; cells
formula-escaped). It is written to a temp name, re-read and every hash
verified, then renamed into place; an existing archive is never overwritten.

``verify`` accepts a zip only when every member is in the manifest exactly
once under a safe relative name (two members whose names extract to the same
file are refused: ``unzip`` would keep the second). The manifest is not
signed: see ``UNSIGNED_NOTE`` in ``aexl.commands.files``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import logging
import re
import unicodedata
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from aexl.errors import AexlError
from aexl.filenames import safe_filename, temp_path
from aexl.files import naming
from aexl.files.tree import RECORDS_DIR, FileEntry, move_no_overwrite, require_root, scan_tree
from aexl.values import csv_cell, csv_uncell, printable

log = logging.getLogger(__name__)

MANIFEST_NAME = "存档清单.csv"
MANIFEST_HEADER = ["路径", "大小（字节）", "SHA-256", "修改时间"]
ARCHIVE_FOLDERS = frozenset({"完稿", "已完成工作文件夹", "全年沟通策略"})
ARCHIVE_WORDS = ("策略", "方案", "总结")
_QUARTER_RE = re.compile(r"^\s*(\d{4})\s*-?\s*[qQ]([1-4])\s*$")
_CHUNK = 1 << 20


class ArchiveError(AexlError):
    """The archive cannot be made, or does not match its manifest."""


@dataclass(frozen=True)
class Period:
    label: str  # 2026Q3 / 2026年度
    start: date
    end: date

    @property
    def archive_date(self) -> date:
        """The day after the period: the date in the archive's name."""
        return self.end + timedelta(days=1)


@dataclass(frozen=True)
class ManifestRow:
    path: str
    size: int
    sha256: str
    modified: str


@dataclass(frozen=True)
class Verification:
    files: int  # members checked against the manifest
    problems: tuple[str, ...]  # Chinese, one per bad member

    @property
    def ok(self) -> bool:
        return not self.problems


def parse_period(quarter: str | None = None, year: str | int | None = None) -> Period:
    """``2026Q3`` → July–September 2026; ``2026`` → the whole year.

    >>> parse_period(quarter="2026Q3")
    Period(label='2026Q3', start=datetime.date(2026, 7, 1), end=datetime.date(2026, 9, 30))
    """
    if quarter is not None:
        match = _QUARTER_RE.match(quarter)
        if not match:
            raise ArchiveError(f"季度「{quarter}」无法识别，请写成 2026Q3 这样的格式")
        number, q = int(match.group(1)), int(match.group(2))
        start = date(number, 3 * q - 2, 1)
        end = date(number + q // 4, 3 * q % 12 + 1, 1) - timedelta(days=1)
        return Period(f"{number}Q{q}", start, end)
    text = str(year).strip() if year is not None else ""
    if not re.fullmatch(r"\d{4}", text):
        raise ArchiveError(f"年份「{text}」无法识别，请写成 2026 这样的四位年份")
    return Period(f"{text}年度", date(int(text), 1, 1), date(int(text), 12, 31))


def archive_name(client: str, period: Period) -> str:
    """``20261001_<客户>_2026Q3资料存档.zip``, shortened with a hash when the client's name is long."""
    return safe_filename(f"{period.archive_date:%Y%m%d}_{client}_{period.label}资料存档.zip")


def _file_date(entry: FileEntry) -> date:
    found = naming.find_date(entry.path.stem)
    return found.day if found else entry.modified.date()


def _belongs(entry: FileEntry, period: Period) -> bool:
    if entry.junk or entry.client is None:
        return False
    in_folder = any(part in ARCHIVE_FOLDERS for part in entry.rel.split("/")[1:-1])
    by_name = any(word in entry.path.stem for word in ARCHIVE_WORDS)
    return (in_folder or by_name) and period.start <= _file_date(entry) <= period.end


def select_files(
    root: Path, period: Period, client: str | None = None
) -> dict[str, list[FileEntry]]:
    """The files each client's archive for ``period`` takes, by client name."""
    if client is not None and not (root / client).is_dir():
        raise ArchiveError(f"文件夹中没有客户「{client}」", file=root)
    chosen: dict[str, list[FileEntry]] = {}
    for entry in scan_tree(root):
        if (client is None or entry.client == client) and _belongs(entry, period):
            chosen.setdefault(entry.client, []).append(entry)
    return chosen


def _add_file(zf: zipfile.ZipFile, entry: FileEntry) -> ManifestRow:
    """Stream one file into the zip, hashing exactly the bytes written."""
    info = zipfile.ZipInfo.from_file(entry.path, entry.rel, strict_timestamps=False)
    info.compress_type = zipfile.ZIP_DEFLATED
    digest, size = hashlib.sha256(), 0
    with (
        entry.path.open("rb") as src,
        zf.open(info, "w", force_zip64=info.file_size >= zipfile.ZIP64_LIMIT) as dst,
    ):
        while chunk := src.read(_CHUNK):
            digest.update(chunk)
            dst.write(chunk)
            size += len(chunk)
    modified = entry.modified.replace(microsecond=0).isoformat(sep=" ")
    return ManifestRow(entry.rel, size, digest.hexdigest(), modified)


def _manifest_text(rows: list[ManifestRow]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(MANIFEST_HEADER)
    writer.writerows([csv_cell(r.path), r.size, r.sha256, csv_cell(r.modified)] for r in rows)
    return "\ufeff" + buffer.getvalue()  # BOM so Excel opens it as UTF-8


def read_manifest(zf: zipfile.ZipFile) -> list[ManifestRow]:
    text = zf.read(MANIFEST_NAME).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))[1:]
    return [ManifestRow(csv_uncell(p), int(s), h.lower(), m) for p, s, h, m in rows]


def _hash_member(zf: zipfile.ZipFile, name) -> tuple[int, str]:
    digest, size = hashlib.sha256(), 0
    with zf.open(name) as member:
        while chunk := member.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


_READ_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, KeyError)


def member_key(name: str) -> str:
    """What a member name extracts to on Windows or macOS: ``A\\b`` and ``./a/B`` collide."""
    text = unicodedata.normalize("NFC", name.replace("\\", "/"))
    parts = [p for p in text.split("/") if p not in ("", ".")]
    return "/".join(parts).casefold()


def _unsafe(name: str) -> bool:
    """A member that would extract outside the folder (absolute, drive letter or ``..``)."""
    text = name.replace("\\", "/")
    return (
        text.startswith("/")
        or re.match(r"^[A-Za-z]:", text) is not None
        or (".." in text.split("/"))
    )


def _member_problems(names: list[str], rows: list[ManifestRow]) -> list[str]:
    """Duplicate, unsafe and unlisted members; duplicate manifest rows."""
    problems = []
    seen: dict[str, str] = {}
    for name in names:
        key = member_key(name)
        if key in seen:
            problems.append(
                f"{printable(name)}：存档中有两个同名成员（与「{printable(seen[key])}」重名），解压时其中一个会被覆盖"
            )
        seen.setdefault(key, name)
        if _unsafe(name):
            problems.append(f"{printable(name)}：成员路径会解压到存档文件夹之外")
    listed = Counter(member_key(row.path) for row in rows)
    problems += [
        f"{printable(path)}：清单中重复出现" for path, n in sorted(listed.items()) if n > 1
    ]
    allowed = set(listed) | {member_key(MANIFEST_NAME)}
    problems += [
        f"{printable(name)}：不在清单中"
        for name in sorted(names)
        if member_key(name) not in allowed
    ]
    return problems


def verify_archive(path: Path) -> Verification:
    """Re-read every member and compare its size and SHA-256 with the manifest.

    Refused as well: two members with the same name, members not in the
    manifest, members that would extract outside the folder.
    """
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ArchiveError(f"存档已损坏或不是 zip 文件，无法打开（{exc}）", file=path) from None
    with zf:
        names = zf.namelist()
        if names.count(MANIFEST_NAME) > 1:
            return Verification(0, (f"{MANIFEST_NAME}：存档中有两份清单，无法确定哪一份是真的",))
        try:
            rows = read_manifest(zf)
        except _READ_ERRORS:
            return Verification(0, (f"{MANIFEST_NAME} 缺失或已损坏，无法校验",))
        problems = _member_problems(names, rows)
        infos = {info.filename: info for info in zf.infolist()}
        for row in rows:
            try:
                size, digest = _hash_member(zf, infos[row.path])
            except KeyError:
                problems.append(f"{printable(row.path)}：清单中有，存档中缺失")
                continue
            except _READ_ERRORS:
                problems.append(f"{printable(row.path)}：数据已损坏，无法读出")
                continue
            if (size, digest) != (row.size, row.sha256):
                problems.append(f"{printable(row.path)}：大小或 SHA-256 与清单不符")
    return Verification(len(rows), tuple(problems))


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _write_archive(target: Path, entries: list[FileEntry]) -> Verification:
    temp = temp_path(target)
    try:
        with zipfile.ZipFile(temp, "w", zipfile.ZIP_DEFLATED, strict_timestamps=False) as zf:
            rows = [_add_file(zf, entry) for entry in entries]
            zf.writestr(MANIFEST_NAME, _manifest_text(rows))
        result = verify_archive(temp)
        if not result.ok:
            raise ArchiveError(f"写入后校验失败，未生成存档：{result.problems[0]}", file=target)
        try:
            move_no_overwrite(temp, target)
        except FileExistsError:
            raise ArchiveError(
                "存档已存在，不会覆盖；如需重做请先移走旧文件", file=target
            ) from None
        return result
    finally:
        temp.unlink(missing_ok=True)


def make_archives(
    root: Path,
    period: Period,
    today: date,
    out_dir: Path | None = None,
    client: str | None = None,
) -> list[Path]:
    """Write one verified archive per client that has files in ``period``; return their paths."""
    require_root(root)  # a wrong path is the first thing to say
    if period.end >= today:
        raise ArchiveError(
            f"{period.label} 还没有结束（到 {period.end.isoformat()}），请在期满后再存档"
        )
    chosen = select_files(root, period, client)
    if not chosen:
        raise ArchiveError(
            f"没有找到 {period.label} 的策略/方案、总结或完稿文件，未生成存档", file=root
        )
    out_dir = out_dir if out_dir is not None else root / RECORDS_DIR
    targets = {name: out_dir / archive_name(name, period) for name in sorted(chosen)}
    for target in targets.values():
        if target.exists():
            raise ArchiveError("存档已存在，不会覆盖；如需重做请先移走旧文件", file=target)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, target in targets.items():
        result = _write_archive(target, chosen[name])
        log.info(
            "%s：%d 个文件，已逐一校验 SHA-256；整个存档的 SHA-256 为 %s（请另行保存，用于日后核对）",
            printable(target.name),
            result.files,
            file_sha256(target),
        )
        written.append(target)
    return written
