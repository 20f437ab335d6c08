"""The rulebook's file discipline (守则 三.1–三.2): folders, naming check, clean-up list.

Layout under a files root (``ROOT``)::

    ROOT/<客户>/常规文件夹/客户传真 …            full-service client (整体代理)
    ROOT/<客户>/财务类文件夹/报价与合同 …
    ROOT/<客户>/已完成工作文件夹
    ROOT/<客户>/<品牌>/创意表现/过程稿 …         every brand/project
    ROOT/存档与记录/                            aexl's own output (rename logs, archives)

A client folder without any of the three category folders is a one-off
(单项合作) client: its one folder may hold files directly. Everything here
is a plain function over paths; ``today`` is always passed in.
"""

from __future__ import annotations

import fnmatch
import logging
import os
import re
import unicodedata
from calendar import monthrange
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import Path

from aexl.errors import AexlError
from aexl.filenames import is_aexl_temp, safe_filename
from aexl.files import naming
from aexl.values import printable

log = logging.getLogger(__name__)

CLIENT_TREE = (
    "常规文件夹/客户传真",
    "常规文件夹/给客户传真",
    "常规文件夹/会议记录",
    "常规文件夹/工作进度表/对内",
    "常规文件夹/工作进度表/对外",
    "常规文件夹/全年沟通策略",
    "常规文件夹/媒介策略与资料",
    "常规文件夹/创意工作单与制作工作单",
    "常规文件夹/客户提供的资料",
    "常规文件夹/其它",
    "财务类文件夹/报价与合同",
    "财务类文件夹/付款通知",
    "财务类文件夹/付款底单与签收",
    "已完成工作文件夹",
)
BRAND_TREE = (
    "创意表现/过程稿",
    "创意表现/完稿",
    "创意表现/文案",
    "进度表/周进度表",
    "进度表/月进度表",
    "市场资料/市场分析",
    "市场资料/资料收集",
)
CLIENT_CATEGORIES = ("常规文件夹", "财务类文件夹", "已完成工作文件夹")
BRAND_CATEGORIES = ("创意表现", "进度表", "市场资料")
RECORDS_DIR = "存档与记录"  # aexl writes here; check and archive skip it

# Folders that have sub-folders of their own: a file lying directly in one is not filed.
CONTAINERS = frozenset(p.split("/")[-2] for p in CLIENT_TREE + BRAND_TREE if "/" in p)
KNOWN_FOLDERS = frozenset(part for p in CLIENT_TREE + BRAND_TREE for part in p.split("/"))

# The type word a suggested name gets from the folder the file sits in.
FOLDER_TYPES = {
    "客户传真": "客户传真", "给客户传真": "传真", "会议记录": "会议记录",
    "对内": "内部进度表", "对外": "工作进度表", "全年沟通策略": "沟通策略",
    "媒介策略与资料": "媒介策略", "创意工作单与制作工作单": "工作单",
    "客户提供的资料": "客户资料", "其它": "资料", "报价与合同": "报价",
    "付款通知": "付款通知", "付款底单与签收": "付款底单", "已完成工作文件夹": "完成稿",
    "过程稿": "过程稿", "完稿": "完稿", "文案": "文案", "周进度表": "周进度表",
    "月进度表": "月进度表", "市场分析": "市场分析", "资料收集": "资料",
}  # fmt: skip

# Work-in-progress folders the monthly clean-up (三.2.1) reviews. Records —
# minutes, faxes, finance, strategies, final artwork, completed work — are kept.
WORKING_FOLDERS = frozenset({"过程稿", "文案", "周进度表", "对内", "资料收集", "其它"})

_WINDOWS_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$", re.I)
_SYSTEM_JUNK = frozenset({"thumbs.db", "desktop.ini", ".ds_store"})
_TEMP_SUFFIXES = (".tmp", ".temp", ".crdownload", ".part")
MAX_NAME_LENGTH = 60


class FileTreeError(AexlError):
    """The files root or a client/brand name is unusable."""


@dataclass(frozen=True)
class FileEntry:
    """One file under the root, placed in the rulebook's layout."""

    path: Path
    rel: str  # relative to the root, with "/"
    client: str | None
    brand: str | None
    folder: str | None  # nearest folder of the rulebook's tree
    unfiled: bool  # lies outside any proper folder (三.1.1)
    working: bool  # in a folder the monthly clean-up reviews
    projects: tuple[str, ...]  # names that count as the project: own brand/client first
    modified: datetime
    junk: str | None = None  # "lock" or "temp"


@dataclass(frozen=True)
class FileFinding:
    path: str  # relative to the root, with "/"
    code: str  # files.outside_folder / files.naming / files.stale / files.lock / files.temp
    message: str  # Chinese: what is wrong and what to do
    suggestion: str | None = None  # suggested file name (files.naming)
    modified: date | None = None

    def as_dict(self) -> dict:
        data = asdict(self)
        data["modified"] = self.modified.isoformat() if self.modified else None
        return data


# ---- names and the tree --------------------------------------------------------------------


def validate_name(name: str, what: str) -> str:
    """A client/brand name usable as a folder on Windows, macOS and Linux (NFC, trimmed)."""
    text = unicodedata.normalize("NFC", name or "").strip()
    if not text:
        raise FileTreeError(f"{what}名称不能为空")
    bad = sorted(set(_WINDOWS_FORBIDDEN.findall(text)))
    if bad:
        shown = " ".join(repr(c)[1:-1] for c in bad)
        raise FileTreeError(
            f"{what}名称「{text}」含有 Windows 不允许的字符 {shown}，请去掉或换成全角字符"
        )
    if text.endswith(".") or text.startswith((".", "~")):
        raise FileTreeError(f"{what}名称「{text}」不能以“.”开头或结尾、也不能以“~”开头，请修改")
    if _WINDOWS_RESERVED.match(text):
        raise FileTreeError(f"{what}名称「{text}」是 Windows 保留的设备名，请换一个名称")
    if len(text) > MAX_NAME_LENGTH:
        raise FileTreeError(
            f"{what}名称「{text[:20]}…」超过 {MAX_NAME_LENGTH} 个字，路径会过长，请缩短"
        )
    if text in KNOWN_FOLDERS or text == RECORDS_DIR:
        raise FileTreeError(f"{what}名称「{text}」与规范文件夹同名，会被混淆，请换一个名称")
    return text


def tree_paths(client: str, brands: list[str], *, single: bool = False) -> list[Path]:
    """Every folder of a client's tree, parents first, relative to the root."""
    rels = [] if single else list(CLIENT_TREE)
    rels += [f"{brand}/{sub}" for brand in brands for sub in BRAND_TREE]
    out: list[Path] = [Path(client)]
    for rel in rels:
        parts = rel.split("/")
        for depth in range(1, len(parts) + 1):
            path = Path(client, *parts[:depth])
            if path not in out:
                out.append(path)
    return out


def init_tree(root: Path, client: str, brands: list[str], *, single: bool = False) -> list[Path]:
    """Create the client's folder tree under ``root``; return the folders created (idempotent)."""
    client = validate_name(client, "客户")
    brands = [validate_name(b, "品牌") for b in brands]
    if not brands:
        raise FileTreeError("至少需要一个品牌（--brand）")
    if root.exists() and not root.is_dir():
        raise FileTreeError("不是文件夹，请给出存放客户文件夹的目录", file=root)
    created = []
    for rel in tree_paths(client, brands, single=single):
        path = root / rel
        if path.is_dir():
            continue
        if path.exists():
            raise FileTreeError(f"「{rel.as_posix()}」已存在但不是文件夹，请改名或移走后重试")
        path.mkdir(parents=True)
        created.append(path)
    return created


def require_root(root: Path) -> None:
    """The files root must be an existing folder (a user error otherwise, before any work)."""
    if root.is_dir():
        return
    if root.exists():
        raise FileTreeError("这是一个文件，不是文件夹；请给出存放各客户文件夹的目录", file=root)
    raise FileTreeError("文件夹不存在，请检查路径（应为存放各客户文件夹的目录）", file=root)


# aexl's own lock beside a workbook while it adds a job number (``bookedit``):
# ``~$aexl-<name>.lock``, or the hidden ``.~aexl-<name>.lock`` form.
AEXL_LOCK_PATTERNS = ("~$aexl-*.lock", ".~aexl-*.lock")


def is_aexl_lock(name: str) -> bool:
    return any(fnmatch.fnmatchcase(name.casefold(), p) for p in AEXL_LOCK_PATTERNS)


def junk_kind(name: str) -> str | None:
    """ "lock" for Office/LibreOffice lock files, "temp" for temp and system files, else None."""
    if name.startswith("~$") or (name.startswith(".~lock.") and name.endswith("#")):
        return "lock"
    low = name.casefold()
    if low in _SYSTEM_JUNK or low.startswith("._") or low.endswith(_TEMP_SUFFIXES):
        return "temp"
    return None


def _files_in(folder: Path) -> Iterator[Path]:
    """Files below ``folder``, sorted, not following links, skipping hidden folders."""
    try:
        children = sorted(folder.iterdir(), key=lambda p: p.name)
    except PermissionError:
        log.warning("无法读取文件夹 %s（没有权限），已跳过", folder)
        return
    for child in children:
        if child.is_symlink():
            continue
        if child.is_dir():
            if not child.name.startswith("."):
                yield from _files_in(child)
        elif child.is_file():
            yield child
        elif child.exists():  # a named pipe, socket or device: opening it could hang
            log.warning("已跳过 %s：不是普通文件（如命名管道或设备文件）", printable(child))


def _brands_of(client_dir: Path) -> tuple[str, ...]:
    return tuple(
        d.name
        for d in sorted(client_dir.iterdir(), key=lambda p: p.name)
        if d.is_dir() and d.name not in CLIENT_CATEGORIES
        and any((d / c).is_dir() for c in BRAND_CATEGORIES)
    )  # fmt: skip


def scan_tree(root: Path) -> Iterator[FileEntry]:
    """Every file under ``root`` placed in the layout.

    Left out: hidden files, ``存档与记录``, aexl's own lock and temp files, and
    anything not a regular file (a FIFO named ``*.xlsx`` is skipped with a note).
    """
    require_root(root)
    clients: dict[str, tuple[bool, tuple[str, ...]]] = {}
    for path in _files_in(root):
        rel = path.relative_to(root)
        if rel.parts[0] == RECORDS_DIR:
            continue
        if is_aexl_lock(path.name) or is_aexl_temp(path.name):
            continue  # aexl's own lock and temp files: in use or cleaned up by aexl
        junk = junk_kind(path.name)
        if path.name.startswith(".") and junk is None:
            continue
        dirs = rel.parts[:-1]
        if dirs and dirs[0] not in clients:
            client_dir = root / dirs[0]
            full = any((client_dir / c).is_dir() for c in CLIENT_CATEGORIES)
            clients[dirs[0]] = (full, _brands_of(client_dir))
        yield _place(path, rel.as_posix(), dirs, clients, junk)


def _place(path, rel, dirs, clients, junk) -> FileEntry:
    modified = datetime.fromtimestamp(path.stat().st_mtime)
    if not dirs:
        return FileEntry(path, rel, None, None, None, True, False, (), modified, junk)
    client = dirs[0]
    full, brands = clients[client]
    brand = dirs[1] if len(dirs) > 1 and dirs[1] in brands else None
    known = [d for d in dirs[2 if brand else 1 :] if d in KNOWN_FOLDERS]
    folder = known[-1] if known else None
    unfiled = (
        (len(dirs) == 1 and full)
        or (brand is not None and len(dirs) == 2)
        or (len(dirs) > 1 and dirs[-1] in CONTAINERS)
    )
    working = folder in WORKING_FOLDERS or (not full and len(dirs) == 1)
    others = tuple(b for b in brands if b != brand)
    projects = ((brand,) if brand else ()) + (client,) + others
    return FileEntry(path, rel, client, brand, folder, unfiled, working, projects, modified, junk)


# ---- check -----------------------------------------------------------------------------------


def month_before(today: date) -> date:
    """The same day one calendar month earlier (clamped to the month's end)."""
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    return date(year, month, min(today.day, monthrange(year, month)[1]))


def suggestion_for(entry: FileEntry) -> str | None:
    """The rule-conforming name for a file, inferred from its folder and date; None if unknown."""
    if entry.client is None:
        return None
    folder_type = FOLDER_TYPES.get(entry.folder or "")
    name = naming.suggest_name(entry.path.name, entry.projects, folder_type, entry.modified.date())
    return safe_filename(name) if name else None  # valid on Windows, at most 200 bytes


def _naming_finding(entry: FileEntry) -> FileFinding | None:
    missing = naming.missing_parts(entry.path.name, entry.projects)
    if not missing:
        return None
    suggestion = suggestion_for(entry)
    bad = naming.find_bad_date(entry.path.stem)
    if bad is not None:
        advice = f"，如「{suggestion}」（日期按文件修改日期推断，请核对）" if suggestion else ""
        message = (
            f"日期不存在：文件名中的「{bad[0]}」不是真实的日期（月份或日超出范围），"
            f"请核对后手动改名{advice}"
        )
        return FileFinding(entry.rel, "files.naming", message, suggestion)
    advice = f"建议改名为「{suggestion}」" if suggestion else "请按“日期_项目_类型”手动改名"
    message = f"文件名缺少{'、'.join(missing)}（应为 日期_项目_类型，如 20261110_美的空调_提案.pptx）；{advice}"
    return FileFinding(entry.rel, "files.naming", message, suggestion)


def _stale_finding(entry: FileEntry, cutoff: date) -> FileFinding | None:
    day = entry.modified.date()
    if not entry.working or day >= cutoff:
        return None
    message = f"超过一个月未修改（最后修改 {day.isoformat()}），月度清理时请确认是否删除或归档"
    return FileFinding(entry.rel, "files.stale", message, modified=day)


def _entry_findings(entry: FileEntry, cutoff: date) -> list[FileFinding]:
    if entry.junk is None and naming.is_workbench_name(entry.path.name):
        return []  # a workbench is the client's live register: kept where and as it is
    if entry.junk == "lock":
        return [FileFinding(entry.rel, "files.lock", "Office 锁文件：确认原文件已关闭后可删除")]
    if entry.junk == "temp":
        return [FileFinding(entry.rel, "files.temp", "临时文件或系统文件：可删除")]
    found = []
    if entry.unfiled:
        where = "客户文件夹内" if entry.client is None else "对应的分类子文件夹"
        message = f"文件不在规定的文件夹里（守则：不允许有文件夹外的文件），请移入{where}"
        found.append(FileFinding(entry.rel, "files.outside_folder", message))
    found += [f for f in (_naming_finding(entry), _stale_finding(entry, cutoff)) if f]
    return found


CODE_ORDER = ("files.outside_folder", "files.naming", "files.stale", "files.lock", "files.temp")


def check_tree(root: Path, today: date) -> list[FileFinding]:
    """All findings under ``root``, grouped by kind then path. Reads only."""
    cutoff = month_before(today)
    findings = [f for entry in scan_tree(root) for f in _entry_findings(entry, cutoff)]
    return sorted(findings, key=lambda f: (CODE_ORDER.index(f.code), f.path))


def cleanup_list(root: Path, today: date) -> list[FileFinding]:
    """The monthly clean-up list: files in working folders untouched for over a month.

    Each item has ``path`` (relative to ``root``), ``modified`` (date) and a Chinese ``message``.
    """
    cutoff = month_before(today)
    items = (
        _stale_finding(e, cutoff)
        for e in scan_tree(root)
        if e.junk is None and not naming.is_workbench_name(e.path.name)
    )
    return sorted((f for f in items if f), key=lambda f: f.path)


# ---- writing without overwriting ------------------------------------------------------


def move_no_overwrite(source: Path, target: Path) -> None:
    """Rename ``source`` to ``target``; FileExistsError if ``target`` exists (never replaced)."""
    if os.name == "nt":
        source.rename(target)  # Windows never replaces an existing file
        return
    try:
        os.link(source, target)  # fails atomically when target exists
    except FileExistsError:
        raise
    except OSError:  # no hard links on this file system (FAT, some shares)
        if target.exists():
            raise FileExistsError(target) from None
        source.rename(target)
        return
    try:
        source.unlink()
    except OSError:
        target.unlink()
        raise


def free_path(path: Path) -> Path:
    """``path``, or ``name_2.ext``, ``name_3.ext``… whichever does not exist yet."""
    candidate, number = path, 1
    while candidate.exists():
        number += 1
        candidate = path.with_name(f"{path.stem}_{number}{path.suffix}")
    return candidate
