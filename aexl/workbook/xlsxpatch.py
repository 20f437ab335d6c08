"""Surgical edits of an .xlsx/.xlsm package: change a few parts, copy the rest byte for byte.

``Package`` holds every zip member's raw (still compressed) bytes. Parts
that are changed are recompressed; every other member is written back with
its original compressed bytes, in the original order, so charts, pivot
tables, pictures, VBA projects and Excel-2010 extensions survive untouched.
Only what the edit needs is parsed (lxml), and a changed part keeps every
element and attribute it had (formula cached values included).

The zip writer is small on purpose: Python's ``zipfile`` cannot copy a
member without recompressing it. Packages that need ZIP64 (over 4 GiB or
65,535 members) are refused.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from aexl.errors import InputFileError, UnsafeSaveError

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRICT_NS = "http://purl.oclc.org/ooxml/spreadsheetml/main"
DOC_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
REL_TYPE = DOC_REL_NS + "/"  # + worksheet, sharedStrings, styles, table, officeDocument
WORKSHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
ZIP64_LIMIT = 0xFFFFFFFF
BAD_ZIP = "不是有效的 .xlsx/.xlsm 工作簿（文件已损坏或是旧版 .xls），请在 Excel 中另存为 .xlsx"


def q(tag: str, ns: str = MAIN_NS) -> str:
    """Clark name ``{ns}tag``."""
    return f"{{{ns}}}{tag}"


@dataclass
class Member:
    info: zipfile.ZipInfo
    local_extra: bytes
    raw: bytes  # compressed bytes as stored
    data: bytes | None = None  # new content when changed


def _xml_parser():
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, huge_tree=True, no_network=True)


class Package:
    """The members of one workbook zip; ``save`` writes them to another file."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.members: dict[str, Member] = {}
        self._trees: dict = {}
        self._dirty: set[str] = set()
        try:
            self._load()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, struct.error, ValueError):
            raise InputFileError(BAD_ZIP, file=self.path) from None

    def _load(self) -> None:
        with zipfile.ZipFile(self.path) as archive, open(self.path, "rb") as fh:
            infos = archive.infolist()
            if len(infos) > 0xFFFF:
                raise UnsafeSaveError(
                    "工作簿的成员太多（ZIP64），aexl 不修改这样的文件", file=self.path
                )
            for info in infos:
                if info.filename in self.members:
                    raise InputFileError(
                        f"工作簿里有两个同名的部件 {info.filename}，文件可能被篡改；请在 Excel 中另存后再试",
                        file=self.path,
                    )
                if max(info.compress_size, info.file_size, info.header_offset) >= ZIP64_LIMIT:
                    raise UnsafeSaveError(
                        "工作簿超过 4 GB（ZIP64），aexl 不修改这样的文件", file=self.path
                    )
                fh.seek(info.header_offset)
                head = fh.read(30)
                if head[:4] != b"PK\x03\x04":
                    raise ValueError("bad local header")
                name_len, extra_len = struct.unpack("<HH", head[26:30])
                fh.seek(info.header_offset + 30 + name_len)
                extra = fh.read(extra_len)
                raw = fh.read(info.compress_size)
                if len(raw) != info.compress_size:
                    raise ValueError("truncated member")
                self.members[info.filename] = Member(info, extra, raw)

    # reading ------------------------------------------------------------------
    def has(self, name: str) -> bool:
        return name in self.members

    def read(self, name: str) -> bytes:
        member = self.members[name]
        if member.data is not None:
            return member.data
        if member.info.compress_type == zipfile.ZIP_STORED:
            return member.raw
        if member.info.compress_type != zipfile.ZIP_DEFLATED:
            raise UnsafeSaveError(
                f"部件 {name} 的压缩方式不常见，aexl 不修改这样的文件", file=self.path
            )
        try:
            return zlib.decompress(member.raw, -15)
        except zlib.error:
            raise InputFileError(BAD_ZIP, file=self.path) from None

    def xml(self, name: str):
        """The parsed part (cached; edit it in place and call ``touch``)."""
        if name not in self._trees:
            from lxml import etree

            try:
                self._trees[name] = etree.fromstring(self.read(name), _xml_parser())
            except etree.XMLSyntaxError:
                raise InputFileError(
                    f"部件 {name} 已损坏（XML 无法读取）", file=self.path
                ) from None
        return self._trees[name]

    # changing -----------------------------------------------------------------
    def touch(self, name: str) -> None:
        """Mark a parsed part as changed: it is serialised on save."""
        self._dirty.add(name)

    def add(self, name: str, data: bytes, like: str) -> None:
        """A new member (placed last), with the date and attributes of member ``like``."""
        template = self.members[like].info
        info = zipfile.ZipInfo(name, date_time=template.date_time)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.create_system, info.external_attr = template.create_system, template.external_attr
        self.members[name] = Member(info, b"", b"", data)

    def changed(self) -> list[str]:
        return [n for n, m in self.members.items() if m.data is not None or n in self._dirty]

    # writing ------------------------------------------------------------------
    def save(self, fh) -> None:
        """Write the package to the binary file object ``fh``."""
        from lxml import etree

        for name in self._dirty:
            self.members[name].data = etree.tostring(
                self._trees[name], xml_declaration=True, encoding="UTF-8", standalone=True
            )
        self._dirty.clear()
        central = []
        offset = 0
        for name, member in self.members.items():
            entry = _entry(name, member)
            local = _local_header(entry) + entry.name_bytes + entry.local_extra
            fh.write(local)
            fh.write(entry.raw)
            central.append(_central_header(entry, offset))
            offset += len(local) + len(entry.raw)
            if offset >= ZIP64_LIMIT:
                raise UnsafeSaveError("修改后的工作簿超过 4 GB，aexl 不保存", file=self.path)
        directory = b"".join(central)
        fh.write(directory)
        comment = b""  # the archive comment of a workbook is empty
        fh.write(
            struct.pack(
                "<4s4H2LH",
                b"PK\x05\x06",
                0,
                0,
                len(central),
                len(central),
                len(directory),
                offset,
                len(comment),
            )  # fmt: skip
        )


@dataclass
class _Entry:
    info: zipfile.ZipInfo
    name_bytes: bytes
    local_extra: bytes
    raw: bytes
    flags: int
    method: int
    crc: int
    usize: int


def _entry(name: str, member: Member) -> _Entry:
    info = member.info
    utf8 = bool(info.flag_bits & 0x800) or not name.isascii()
    name_bytes = name.encode("utf-8" if utf8 else "cp437")
    flags = (info.flag_bits & ~0x08) | (0x800 if utf8 else 0)  # sizes in the local header
    if member.data is None:
        return _Entry(info, name_bytes, _without_zip64(member.local_extra), member.raw, flags,
                      info.compress_type, info.CRC, info.file_size)  # fmt: skip
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    raw = packer.compress(member.data) + packer.flush()
    return _Entry(info, name_bytes, b"", raw, flags & ~0x06, zipfile.ZIP_DEFLATED,
                  zlib.crc32(member.data), len(member.data))  # fmt: skip


def _without_zip64(extra: bytes) -> bytes:
    """Extra fields minus ZIP64 ones (sizes are written in the headers themselves)."""
    out, pos = b"", 0
    while pos + 4 <= len(extra):
        kind, size = struct.unpack("<HH", extra[pos : pos + 4])
        if kind != 0x0001:
            out += extra[pos : pos + 4 + size]
        pos += 4 + size
    return out


def _dos_time(info: zipfile.ZipInfo) -> tuple[int, int]:
    y, mo, d, h, mi, s = info.date_time
    return (h << 11) | (mi << 5) | (s // 2), ((max(y, 1980) - 1980) << 9) | (mo << 5) | d


def _local_header(e: _Entry) -> bytes:
    dostime, dosdate = _dos_time(e.info)
    return struct.pack(
        "<4s5H3L2H", b"PK\x03\x04", max(e.info.extract_version, 20), e.flags, e.method,
        dostime, dosdate, e.crc, len(e.raw), e.usize, len(e.name_bytes), len(e.local_extra),
    )  # fmt: skip


def _central_header(e: _Entry, offset: int) -> bytes:
    dostime, dosdate = _dos_time(e.info)
    extra = _without_zip64(e.info.extra)
    head = struct.pack(
        "<4s4B4H3L5H2L", b"PK\x01\x02", e.info.create_version, e.info.create_system,
        max(e.info.extract_version, 20), 0, e.flags, e.method, dostime, dosdate, e.crc,
        len(e.raw), e.usize, len(e.name_bytes), len(extra), len(e.info.comment), 0,
        e.info.internal_attr, e.info.external_attr, offset,
    )  # fmt: skip
    return head + e.name_bytes + extra + e.info.comment


# ---------------------------------------------------------------------------
# Package relationships


def part_rels(part: str) -> str:
    """``xl/worksheets/sheet1.xml`` → ``xl/worksheets/_rels/sheet1.xml.rels``."""
    path = PurePosixPath(part)
    return str(path.parent / "_rels" / f"{path.name}.rels")


def rel_target(part: str, target: str) -> str:
    """A relationship target resolved against the part that holds it."""
    if target.startswith("/"):
        return target.lstrip("/")
    parts: list[str] = []
    for piece in (*PurePosixPath(part).parent.parts, *target.split("/")):
        if piece == "..":
            if parts:
                parts.pop()
        elif piece not in ("", "."):
            parts.append(piece)
    return "/".join(parts)


def relationships(pkg: Package, part: str) -> list[tuple[str, str, str]]:
    """(Id, type suffix, resolved target) of a part's internal relationships."""
    rels = part_rels(part) if part else "_rels/.rels"
    if not pkg.has(rels):
        return []
    out = []
    for rel in pkg.xml(rels).iter(q("Relationship", PKG_REL_NS)):
        if rel.get("TargetMode") == "External":
            continue
        kind = (rel.get("Type") or "").rsplit("/", 1)[-1]
        out.append((rel.get("Id") or "", kind, rel_target(part, rel.get("Target") or "")))
    return out


def workbook_part(pkg: Package) -> str:
    for _rid, kind, target in relationships(pkg, ""):
        if kind == "officeDocument" and pkg.has(target):
            return target
    raise InputFileError(BAD_ZIP, file=pkg.path)


def add_relationship(pkg: Package, part: str, kind: str, target: str) -> str:
    """Add an internal relationship of ``part``; returns its new Id."""
    from lxml import etree

    rels_name = part_rels(part)
    root = pkg.xml(rels_name)
    taken = {rel.get("Id") for rel in root}
    rid = next(f"rId{n}" for n in range(1, len(taken) + 2) if f"rId{n}" not in taken)
    etree.SubElement(root, q("Relationship", PKG_REL_NS), Id=rid, Type=REL_TYPE + kind,
                     Target=target)  # fmt: skip
    pkg.touch(rels_name)
    return rid


def add_override(pkg: Package, part: str, content_type: str) -> None:
    from lxml import etree

    root = pkg.xml("[Content_Types].xml")
    etree.SubElement(root, q("Override", CT_NS), PartName="/" + part, ContentType=content_type)
    pkg.touch("[Content_Types].xml")
