"""The DOCX package: parts kept as bytes, and the zip written in one pass.

Every document starts as a copy of one styled template (docx.py). Its styles part,
9,000 elements, is the same for every document: held as bytes (`freeze_part`) it is
neither parsed, copied nor serialised again, and like the template's other byte parts
(the theme, stylesWithEffects.xml, ~800 kB together) it is deflated once a process.
The zip is written here rather than by zipfile only so those deflated bytes can be
reused; it holds what zipfile writes for the same entries (the tests compare the two):
deflate at zlib's default level, a fixed date, no extra fields, so the same document
gives the same bytes.
"""

from __future__ import annotations

import functools
import struct
import zlib

from docx.opc.part import Part

# Zip entries get this timestamp (the zip epoch), so two builds are byte-identical.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)

_LOCAL = struct.Struct("<4s2B4HL2L2H")       # local file header
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")   # central directory entry
_END = struct.Struct("<4s4H2LH")             # end of central directory
_VERSION = 20       # 2.0: deflate
_DEFLATED = 8
_UTF8_NAME = 0x800
_PERMISSIONS = 0o600 << 16  # rw-------, what zipfile records for an entry given none
_LIMIT = (1 << 31) - 1  # past this zipfile writes ZIP64 records, which this does not


def freeze_part(source, reltype: str) -> None:
    """Put a plain part holding its bytes in place of the part `source` relates to by
    `reltype` (same name, same relationship id): nothing can change it any more, and
    python-docx's API for it (document.styles) fails loudly instead of editing a copy."""
    for rid, rel in list(source.rels.items()):
        if rel.reltype != reltype or rel.is_external:
            continue
        part = rel.target_part
        if part.rels:
            raise ValueError(f"{part.partname} has relationships: it cannot be frozen")
        frozen = Part(part.partname, part.content_type, part.blob, part.package)
        source.rels.add_relationship(reltype, frozen, rid)  # replaces it where it stands


def byte_parts(package) -> frozenset[str]:
    """The zip names of the parts of `package` held as bytes, not as XML trees."""
    return frozenset(p.partname.membername for p in package.iter_parts() if type(p) is Part)


def zip_bytes(members: list[tuple[str, bytes]], repeated: frozenset[str] = frozenset()
              ) -> bytes:
    """A zip of `members` (name, bytes) in this order; the members named in `repeated`
    are deflated once a process for the same bytes."""
    dosdate = (ZIP_DATE[0] - 1980) << 9 | ZIP_DATE[1] << 5 | ZIP_DATE[2]
    dostime = ZIP_DATE[3] << 11 | ZIP_DATE[4] << 5 | ZIP_DATE[5] // 2
    out = bytearray()
    central = bytearray()
    for name, data in members:
        if len(data) * 1.05 > _LIMIT:
            raise ValueError(f"{name} is too large for a zip without ZIP64 records")
        crc, packed = _deflated(data) if name in repeated else _deflate(data)
        try:
            raw, flags = name.encode("ascii"), 0
        except UnicodeEncodeError:
            raw, flags = name.encode("utf-8"), _UTF8_NAME
        offset = len(out)
        out += _LOCAL.pack(b"PK\x03\x04", _VERSION, 0, flags, _DEFLATED, dostime, dosdate,
                           crc, len(packed), len(data), len(raw), 0)
        out += raw
        out += packed
        central += _CENTRAL.pack(b"PK\x01\x02", _VERSION, 0, _VERSION, 0, flags, _DEFLATED,
                                 dostime, dosdate, crc, len(packed), len(data), len(raw),
                                 0, 0, 0, 0, _PERMISSIONS, offset)
        central += raw
    if len(out) + len(central) > _LIMIT:
        raise ValueError("the package is too large for a zip without ZIP64 records")
    end = _END.pack(b"PK\x05\x06", 0, 0, len(members), len(members), len(central),
                    len(out), 0)
    return bytes(out + central + end)


def _deflate(data: bytes) -> tuple[int, bytes]:
    """CRC-32 and raw deflate at zlib's default level, as zipfile.ZIP_DEFLATED."""
    compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    return zlib.crc32(data), compressor.compress(data) + compressor.flush()


@functools.lru_cache(maxsize=32)
def _deflated(data: bytes) -> tuple[int, bytes]:
    return _deflate(data)
