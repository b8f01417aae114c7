"""How posting lists are written: Whoosh's W3 codec with two changes for this index.

* ``content`` blocks are not zlib-compressed (every query loads many of them);
  ``phrases`` blocks, read far less often and much larger, are, and hold 32 postings
  instead of 128 (positions are looked up for a few dozen articles at a time).
* Whoosh looks up every posting's field length while writing, to keep per-block
  length statistics that only its own BM25 uses. Our ranker keeps lengths in the
  ``dl`` column, so the writer is spared that lookup (about a sixth of a rebuild).

The codec is recorded in each segment (a pickle) and must stay importable under this
name; renaming it makes older indexes unreadable, which ``state()`` turns into a rebuild.
"""

from __future__ import annotations

from typing import Any

from whoosh.codec.whoosh3 import W3Codec, W3FieldWriter

UNCOMPRESSED_FIELDS = frozenset({"content"})
SMALL_BLOCK_FIELDS = {"phrases": 32}
"""Positions are looked up for a few dozen articles at a time: small blocks decode less."""


class TactfulCodec(W3Codec):  # type: ignore[misc]
    def __init__(self, blocklimit: int = 128, compression: int = 1) -> None:
        super().__init__(blocklimit=blocklimit, compression=compression)

    def field_writer(self, storage: Any, segment: Any) -> "TactfulFieldWriter":
        return TactfulFieldWriter(self, storage, segment)


class TactfulFieldWriter(W3FieldWriter):  # type: ignore[misc]
    def start_field(self, fieldname: str, fieldobj: Any) -> None:
        super().start_field(fieldname, fieldobj)
        if fieldname in UNCOMPRESSED_FIELDS:
            self._postwriter._compression = 0
        if fieldname in SMALL_BLOCK_FIELDS:
            self._postwriter._blocklimit = SMALL_BLOCK_FIELDS[fieldname]

    def add_postings(self, schema: Any, lengths: Any, items: Any) -> Any:
        return super().add_postings(schema, None, items)
