"""Reading: bytes in, decoded ``Document``s out.

``Reader(limits).read(inputs)`` takes files, folder trees, ``.gz`` files, JSONL exports and
WARC archives and yields one Document per page; a page that cannot be read is a Document
whose ``error`` says why and what to do, so one bad input never stops the others. Pages
skipped on purpose (hidden files, WARC request records, images in a crawl) are counted in
``Reader.skipped`` by reason.

Modules, one job each: ``limits`` (size cap), ``sniffing`` (HTML, text or binary),
``charsets`` (choosing an encoding), ``page`` (one page's bytes to a Document),
``sources`` (files, folders, gzip), ``jsonl``, ``warc``, ``messages`` (every error text).
"""

from marsad.read.charsets import decode
from marsad.read.document import Document
from marsad.read.limits import ReadLimits
from marsad.read.page import read_bytes
from marsad.read.sniffing import sniff
from marsad.read.sources import Reader, read_inputs

__all__ = ["Document", "ReadLimits", "Reader", "decode", "read_bytes", "read_inputs", "sniff"]
