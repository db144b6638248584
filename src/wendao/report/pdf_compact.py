"""A Typst PDF made smaller without changing what it shows (issue 19: a plan PDF <= 200 KB).

What the Zibo example plan's 18-page PDF (253 KB) was made of: the one CJK face, subset to the 892 glyphs the plan
uses (790 of them Han characters, about 160 bytes each), 150 KB; the page content 66 KB (already compressed at
zlib's best); 20 KB of small dictionaries (pages, outline, links, fonts) and the cross-reference table, written as
plain text. The rewrites, each keeping every page as it was drawn (the same text out of pdftotext; the pages as
PNG compared at 100 and 300 dpi):

- the font's hints are dropped (``pdf_fonts.dehint_cff``): a viewer draws the outlines, unchanged; hints only
  steer rasterising at small pixel sizes. 150 -> 126 KB, with the next point;
- every stream it rewrites is compressed by libdeflate (level 10) when Debian's libdeflate0 is there, zlib's best
  otherwise: 3 KB fewer on that plan;
- the small dictionaries go into one compressed object stream and the cross-reference table becomes a compressed
  cross-reference stream (PDF 1.5, ISO 32000-1 §7.5.7 and §7.5.8, read by every current viewer): 20 -> 5 KB;
- the page content's numbers are cut to two decimals (``shorten_content``), its glyph codes written as literal
  strings rather than hex and the zero bytes in them raw rather than as ``\\000``: 66 -> 56 KB. Poppler's raw text
  is unchanged; its layout mode (``pdftotext`` without ``-raw``), which guesses spaces from gaps, puts a space or
  a blank line differently in a few places, as it does for any small shift of a run.

Zibo: 253 -> 199 KB; Weifang (15 pages) 229 -> 182 KB; Linyi (10 pages) 172 -> 136 KB. 0.1-0.3 s of CPU.
Anything the rewrite does not recognise (a generation number other than 0, an object it cannot parse, a stream
length it cannot read, an inline image) leaves the PDF, or that stream, as Typst wrote it.
"""

from __future__ import annotations

import io
import logging
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from wendao.report.pdf_fonts import dehint_cff

log = logging.getLogger(__name__)

_WHITE = b" \t\r\n\f\x00"
_DELIMITERS = b"()<>[]{}/%"
_OBJECT = re.compile(rb"(\d+) (\d+) obj[ \t\r\n\f\x00]*")
_LENGTH = re.compile(rb"/Length (\d+)")
_REFERENCE_TAIL = re.compile(rb"[ \t\r\n]+\d+[ \t\r\n]+R\b")
_CIDS = re.compile(rb"/CIDFontType0C\b")
# a content stream's tokens the rewrite shortens, outside its literal strings (which it keeps as they are)
_STRING = re.compile(rb"\((?:\\.|[^\\()])*\)|\(", re.S)  # a string without inner parentheses, or the start of one
_IN_STRING = re.compile(rb"\\.|[()]", re.S)  # what changes a string's depth (Typst leaves balanced parentheses bare)
_MATRIX = re.compile(rb"(\s(?:cm|Tm))(?=[\s/\[(]|$)")  # after its six operands: a b c d e f cm
_COLOUR = re.compile(rb"(\s(?:scn|SCN|rg|RG))(?=[\s/\[(]|$)")  # after r g b (Typst writes RGB colours)
# digits past the third (colours) or second (other numbers) decimal: removed with a plain replacement, which re
# does without calling back into Python for each of the 50 000 numbers of a plan
_THREE = re.compile(rb"(?<=\.\d{3})\d+")
_TWO = re.compile(rb"(?<=\.\d\d)\d+")
_NUMERAL = b"-.0123456789"
_DOTTED_NAME = re.compile(rb"/[^\s/\[\]()<>{}%]*\.")  # a resource name with a dot: the cut would rename it
_ONE = re.compile(rb"(\d\d\.\d)\d+")  # from 10 up, one decimal
_HEX = re.compile(rb"<([0-9A-Fa-f]*)>")
_INLINE_IMAGE = re.compile(rb"(^|\s)BI\s")
_GAP = b"\x01"  # stands for a literal string while the rest is rewritten (never outside a string in content)
# an octal escape of 0 or 2-7 right after a character other than a backslash (so never the second half of an
# escaped backslash; an escape after an escaped backslash is left as written)
_OCTAL_ESCAPES = [
    (re.compile(rb"(?<!\\)\\00" + str(value).encode()), bytes([value])) for value in (0, 2, 3, 4, 5, 6, 7)
]
_KEEP = b","  # stands for the decimal point of a number kept as written (no comma outside a string in content)
PER_OBJECT_STREAM = 200  # objects per object stream: a viewer decompresses a whole stream to read one object


_LIBDEFLATE_CDEF = """
struct libdeflate_compressor *libdeflate_alloc_compressor(int compression_level);
size_t libdeflate_zlib_compress(struct libdeflate_compressor *c, const void *in, size_t in_nbytes, void *out,
                                size_t out_nbytes_avail);
size_t libdeflate_zlib_compress_bound(struct libdeflate_compressor *c, size_t in_nbytes);
void libdeflate_free_compressor(struct libdeflate_compressor *c);
"""
# libdeflate's level 10 against zlib's best (9), on the Zibo plan's font and pages: 3 KB fewer, about 40 ms more.
# Level 12 tried on the six profiles' PDFs in both languages (session 7, same Typst output compacted at each level,
# best of 3, load 6-9): 0.3-1.6 KiB (0.2-1.2 %) smaller than level 10 for 40-50 % more compaction CPU (+0.03 to
# +0.12 s; Zibo zh 199.2 -> 198.4 KiB, 0.119 -> 0.170 s; steel zh 206.5 -> 205.6 KiB). Kept at 10.
DEFLATE_LEVEL = 10


@lru_cache(maxsize=1)
def _libdeflate() -> tuple[Any, Any] | None:
    try:
        import cffi

        ffi = cffi.FFI()
        ffi.cdef(_LIBDEFLATE_CDEF)
        return ffi, ffi.dlopen("libdeflate.so.0")
    except (ImportError, OSError, AttributeError):  # Debian libdeflate0 not installed: zlib's best instead
        return None


def deflate(data: bytes) -> bytes:
    """The data in the zlib format a PDF's FlateDecode reads, as small as libdeflate makes it (zlib's best without
    libdeflate)."""
    found = _libdeflate()
    if found is None:
        return zlib.compress(data, 9)
    ffi, lib = found
    compressor = lib.libdeflate_alloc_compressor(DEFLATE_LEVEL)
    if compressor == ffi.NULL:
        return zlib.compress(data, 9)
    try:
        bound = lib.libdeflate_zlib_compress_bound(compressor, len(data))
        out = ffi.new("char[]", bound)
        size = lib.libdeflate_zlib_compress(compressor, ffi.from_buffer(data), len(data), out, bound)
        return bytes(ffi.buffer(out, size)) if size else zlib.compress(data, 9)
    finally:
        lib.libdeflate_free_compressor(compressor)


class _UnsupportedError(ValueError):
    """A PDF this rewrite does not handle: it is returned as it came."""


@dataclass
class _Object:
    number: int
    value: bytes  # the dictionary (of a stream) or the whole value
    stream: bytes | None = None  # the stream's bytes as stored (compressed), None for a plain object


def _skip_white(data: bytes, pos: int) -> int:
    while pos < len(data):
        if data[pos] in _WHITE:
            pos += 1
        elif data[pos] == ord("%"):  # a comment runs to the end of the line
            while pos < len(data) and data[pos] not in b"\r\n":
                pos += 1
        else:
            return pos
    return pos


def _skip_value(data: bytes, pos: int) -> int:
    """The position just after the PDF value (or token) starting at ``pos``."""
    pos = _skip_white(data, pos)
    if pos >= len(data):
        raise _UnsupportedError("value expected at the end of the file")
    head = data[pos : pos + 2]
    if head == b"<<":
        pos += 2
        while True:
            pos = _skip_white(data, pos)
            if data[pos : pos + 2] == b">>":
                return pos + 2
            pos = _skip_value(data, pos)
    if head[:1] == b"[":
        pos += 1
        while True:
            pos = _skip_white(data, pos)
            if data[pos : pos + 1] == b"]":
                return pos + 1
            pos = _skip_value(data, pos)
    if head[:1] == b"(":
        depth, pos = 0, pos
        while pos < len(data):
            char = data[pos]
            if char == ord("\\"):
                pos += 2
                continue
            depth += (char == ord("(")) - (char == ord(")"))
            pos += 1
            if depth == 0:
                return pos
        raise _UnsupportedError("unterminated string")
    if head[:1] == b"<":
        end = data.find(b">", pos)
        if end < 0:
            raise _UnsupportedError("unterminated hex string")
        return end + 1
    start = pos
    pos += 1  # a name's slash, or the first character of a number or keyword
    while pos < len(data) and data[pos] not in _WHITE and data[pos] not in _DELIMITERS:
        pos += 1
    if pos == start + 1 and data[start] in b")>]}":
        raise _UnsupportedError(f"unexpected {data[start:pos]!r}")
    return pos


def _offsets(pdf: bytes) -> tuple[dict[int, int], bytes]:
    """Object number -> offset from the classic cross-reference table Typst writes, and the trailer dictionary."""
    start = pdf.rfind(b"startxref")
    if start < 0:
        raise _UnsupportedError("no startxref")
    xref = int(pdf[start + 9 :].split()[0])
    if pdf[xref : xref + 4] != b"xref":
        raise _UnsupportedError("not a cross-reference table (already compacted?)")
    pos, offsets = xref + 4, {}
    while True:
        pos = _skip_white(pdf, pos)
        if pdf.startswith(b"trailer", pos):
            break
        first, count = (int(x) for x in pdf[pos : pdf.index(b"\n", pos)].split()[:2])
        pos = pdf.index(b"\n", pos) + 1
        for k in range(count):
            entry = pdf[pos + 20 * k : pos + 20 * k + 20].split()
            if entry[2] == b"n":
                if int(entry[1]) != 0:
                    raise _UnsupportedError("an object of generation > 0")
                offsets[first + k] = int(entry[0])
        pos += 20 * count
    trailer_start = _skip_white(pdf, pos + len(b"trailer"))
    return offsets, pdf[trailer_start : _skip_value(pdf, trailer_start)]


def _read(pdf: bytes) -> tuple[list[_Object], bytes]:
    offsets, trailer = _offsets(pdf)
    objects = []
    for number, offset in sorted(offsets.items()):
        match = _OBJECT.match(pdf, offset)
        if match is None or int(match.group(1)) != number or match.group(2) != b"0":
            raise _UnsupportedError(f"object {number} is not where the table says")
        end = _skip_value(pdf, match.end())
        value = pdf[match.end() : end]
        after = _skip_white(pdf, end)
        if pdf.startswith(b"stream", after):
            lengths = _LENGTH.findall(value)
            if len(lengths) != 1:
                raise _UnsupportedError(f"object {number}: a stream length that is not one direct number")
            data_start = after + len(b"stream")
            data_start += 2 if pdf.startswith(b"\r\n", data_start) else 1
            data_end = data_start + int(lengths[0])
            if not pdf[data_end : data_end + 12].lstrip().startswith(b"endstream"):
                raise _UnsupportedError(f"object {number}: the stream does not end where its length says")
            objects.append(_Object(number, value, pdf[data_start:data_end]))
        else:
            # a plain object: its value, then endobj (a value of several tokens, ``12 0 R``, is kept whole)
            close = pdf.find(b"endobj", end)
            if close < 0:
                raise _UnsupportedError(f"object {number}: no endobj")
            objects.append(_Object(number, pdf[match.end() : close].strip()))
    return objects, trailer


def _font_without_hints(obj: _Object) -> None:
    """The embedded CFF font (Typst: FontFile3 /CIDFontType0C, Flate-compressed) without its hints."""
    assert obj.stream is not None
    if not _CIDS.search(obj.value) or b"/FlateDecode" not in obj.value or b"/DecodeParms" in obj.value:
        return
    cff = zlib.decompress(obj.stream)
    glyphs = _glyph_count(cff)
    smaller = dehint_cff(cff, glyphs) if glyphs else None
    if smaller is None or len(smaller) >= len(cff):
        return
    obj.stream = deflate(smaller)


def _glyph_count(cff: bytes) -> int:
    """The number of glyphs of a bare CFF font (the count of its CharStrings INDEX), 0 if it cannot be read."""
    from fontTools.cffLib import CFFFontSet

    try:
        fonts = CFFFontSet()
        fonts.decompile(io.BytesIO(cff), None)
        return len(fonts.topDictIndex[0].charset)
    except Exception:  # a font fontTools cannot read is left as it is
        return 0


def _literal(match: re.Match[bytes]) -> bytes:
    """A hex string as a literal string: half the characters for the same bytes (a glyph code is two bytes either
    way). A carriage return is escaped: a bare one inside a literal string is read as a line feed; so is the byte
    standing for a string while the content is rewritten."""
    digits = match.group(1)
    if len(digits) % 2:
        return match.group(0)
    code = bytes.fromhex(digits.decode())
    escaped = code.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)").replace(b"\r", b"\\r")
    return b"(" + escaped.replace(_GAP, b"\\001") + b")"


def _mark_operands(text: bytes, operator: re.Pattern[bytes], count: int, mark: Callable[[list[bytes]], bytes]) -> bytes:
    """The text with the ``count`` operands before each ``operator`` written by ``mark`` (when they are all
    numbers; anything else, a name or a string, is left to the general cut)."""
    parts = operator.split(text)  # the pattern captures the operator: text, operator, text, operator, ..., text
    for index in range(0, len(parts) - 1, 2):
        head, *operands = parts[index].rsplit(None, count)
        if len(operands) == count and not any(o.strip(_NUMERAL) for o in operands):
            parts[index] = head + b" " + mark(operands)
    return b"".join(parts)


def _matrix(operands: list[bytes]) -> bytes:
    """a b c d e f of ``cm``/``Tm``: the scale and rotation (a-d) kept as written; e and f, where a run of text
    starts, rounded (not cut) to two decimals."""
    return b" ".join(operands[:4]).replace(b".", _KEEP) + b" " + _rounded(operands[4]) + b" " + _rounded(operands[5])


def _rounded(number: bytes) -> bytes:
    text = f"{float(number):.2f}".rstrip("0").rstrip(".")
    return (b"0" if text in ("-0", "") else text.encode()).replace(b".", _KEEP)


def _colour(operands: list[bytes]) -> bytes:
    """An RGB colour's three components cut to three decimals (the same 8-bit colour), kept from the two-decimal
    cut."""
    return _THREE.sub(b"", b" ".join(operands)).replace(b".", _KEEP)


def _split_strings(content: bytes) -> tuple[list[bytes], list[bytes]]:
    """The content between its literal strings, and the strings."""
    gaps, strings, pos = [], [], 0
    while (match := _STRING.search(content, pos)) is not None:
        end = match.end() if len(match.group(0)) > 1 else _string_end(content, match.start())
        gaps.append(content[pos : match.start()])
        strings.append(content[match.start() : end])
        pos = end
    gaps.append(content[pos:])
    return gaps, strings


def _string_end(content: bytes, start: int) -> int:
    """The position after the literal string that opens at ``start`` (one holding balanced parentheses)."""
    depth = 0
    for match in _IN_STRING.finditer(content, start):
        token = match.group(0)
        depth += (token == b"(") - (token == b")")
        if depth == 0:
            return match.end()
    raise _UnsupportedError("a content stream with an unterminated string")


def shorten_content(content: bytes) -> bytes:
    """A page's drawing with the same marks in fewer bytes: positions and sizes to two decimals (Typst writes eight
    significant digits; 0.01 pt is 3.5 µm), colours to three (the same 8-bit colour), a transformation's scale and
    rotation as written (two decimals of 0.96486425 would move a chart's edge by 2 pt), glyph codes as literal
    strings instead of hex, and in literal strings the bytes 0 and 2-7 (the high byte of most glyph codes) raw
    instead of as octal escapes."""
    gaps, strings = _split_strings(content)
    text = _GAP.join(gaps)
    if _GAP in content or _KEEP in text or b"%" in text or _INLINE_IMAGE.search(text) or _DOTTED_NAME.search(text):
        raise _UnsupportedError("content this rewrite does not read (a comment, an inline image)")
    text = _mark_operands(text, _MATRIX, 6, _matrix)
    text = _mark_operands(text, _COLOUR, 3, _colour)
    text = _TWO.sub(b"", text).replace(_KEEP, b".")
    text = _HEX.sub(_literal, text)
    parts = text.split(_GAP)
    strings = _unescaped(_GAP.join(strings)).split(_GAP) if strings else []
    out = bytearray(parts[0])
    for string, part in zip(strings, parts[1:], strict=True):
        out += string + part
    return bytes(out)


def _unescaped(strings: bytes) -> bytes:
    """Literal strings with ``\\000`` and ``\\002``-``\\007`` written as the bytes they stand for (a literal string
    may hold any byte but an unbalanced parenthesis, a backslash and a carriage return): 3.6 KB fewer on the Zibo
    plan. Only an escape right after another character is rewritten (``\\\\000`` is a backslash and three
    zeros). ``\\001`` stays: that byte stands for a string while the content is rewritten."""
    for escape, byte in _OCTAL_ESCAPES:
        strings = escape.sub(byte, strings)
    return strings


def _content_rounded(obj: _Object) -> None:
    assert obj.stream is not None
    if b"/FlateDecode" not in obj.value or b"/DecodeParms" in obj.value:
        return
    try:
        packed = deflate(shorten_content(zlib.decompress(obj.stream)))
    except _UnsupportedError:
        return
    if len(packed) < len(obj.stream):
        obj.stream = packed


def _contents(objects: list[_Object]) -> set[int]:
    """The numbers of the content streams: every page's /Contents and every form XObject."""
    out = set()
    for obj in objects:
        if obj.stream is None and re.search(rb"/Type\s*/Page\b", obj.value):
            for ref in re.findall(rb"/Contents\s*(\d+) 0 R", obj.value):
                out.add(int(ref))
        elif obj.stream is not None and re.search(rb"/Subtype\s*/Form\b", obj.value):
            out.add(obj.number)
    return out


def _stream(number: int, value: bytes, data: bytes) -> bytes:
    value = _LENGTH.sub(b"/Length %d" % len(data), value, count=1)
    return b"%d 0 obj\n%s\nstream\n%s\nendstream\nendobj\n" % (number, value, data)


def _trailer_entry(trailer: bytes, key: bytes) -> bytes:
    """The value of one top-level trailer entry, written ``/Key value``; empty if the trailer has none."""
    pos = 2
    while True:
        pos = _skip_white(trailer, pos)
        if trailer.startswith(b">>", pos):
            return b""
        name_end = _skip_value(trailer, pos)
        value_end = _skip_value(trailer, name_end)
        reference = _REFERENCE_TAIL.match(trailer, value_end)  # ``238 0 R`` is one value of three tokens
        if reference:
            value_end = reference.end()
        if trailer[pos:name_end] == key:
            return key + b" " + trailer[name_end:value_end].strip()
        pos = value_end


def _write(header: bytes, objects: list[_Object], trailer: bytes) -> bytes:
    out = bytearray(header)
    where: dict[int, tuple[int, int, int]] = {}  # number -> (type, field 2, field 3) of its xref stream entry
    plain = [o for o in objects if o.stream is None]
    next_number = max(o.number for o in objects) + 1
    for obj in objects:
        if obj.stream is not None:
            where[obj.number] = (1, len(out), 0)
            out += _stream(obj.number, obj.value, obj.stream)
    for start in range(0, len(plain), PER_OBJECT_STREAM):
        chunk = plain[start : start + PER_OBJECT_STREAM]
        number, next_number = next_number, next_number + 1
        offsets, body = [], bytearray()
        for index, obj in enumerate(chunk):
            offsets.append(b"%d %d" % (obj.number, len(body)))
            body += obj.value + b"\n"
            where[obj.number] = (2, number, index)
        head = b" ".join(offsets) + b"\n"
        data = deflate(head + bytes(body))
        value = b"<</Type/ObjStm/N %d/First %d/Filter/FlateDecode/Length 0>>" % (len(chunk), len(head))
        where[number] = (1, len(out), 0)
        out += _stream(number, value, data)
    xref_number = next_number
    where[xref_number] = (1, len(out), 0)
    size = xref_number + 1
    rows = bytearray()
    for number in range(size):
        kind, second, third = where.get(number, (0, 0, 65535 if number == 0 else 0))
        rows += bytes([kind]) + second.to_bytes(4, "big") + third.to_bytes(2, "big")
    entries = b"".join(_trailer_entry(trailer, key) for key in (b"/Root", b"/Info", b"/ID"))
    xref = b"<</Type/XRef/Size %d/W[1 4 2]%s/Filter/FlateDecode/Length 0>>" % (size, entries)
    start = len(out)
    out += _stream(xref_number, xref, deflate(bytes(rows)))
    out += b"startxref\n%d\n%%%%EOF\n" % start
    return bytes(out)


def compact_pdf(pdf: bytes) -> bytes:
    """The same PDF, smaller: the font without hints, small objects compressed together, content numbers rounded.
    A PDF this cannot read is returned unchanged."""
    try:
        objects, trailer = _read(pdf)
        if b"/Encrypt" in trailer or not _trailer_entry(trailer, b"/Root"):
            return pdf
        contents = _contents(objects)
        for obj in objects:
            if obj.stream is None:
                continue
            if obj.number in contents:
                _content_rounded(obj)
            elif _CIDS.search(obj.value):
                _font_without_hints(obj)
            elif b"/Filter" not in obj.value:  # Typst's XMP metadata: 1.2 KB of plain XML
                packed = deflate(obj.stream)
                if len(packed) < len(obj.stream):
                    obj.value = obj.value[:-2] + b"/Filter/FlateDecode>>"
                    obj.stream = packed
        first = pdf.index(b"\n") + 1
        second = pdf.index(b"\n", first) + 1
        # the version line, and the binary-marker comment line if Typst wrote one (it tells transfer tools the
        # file is binary)
        header = pdf[:second] if pdf.startswith(b"%", first) else pdf[:first] + b"%\xe2\xe3\xcf\xd3\n"
        smaller = _write(header, objects, trailer)
    except (_UnsupportedError, ValueError, IndexError, zlib.error) as exc:
        log.warning("PDF left as written: %s", exc)
        return pdf
    return smaller if len(smaller) < len(pdf) else pdf
