"""Large values in the persistent cache (`ResultCache.put_texts`, issue #15): texts
kept compressed and read back byte for byte; an entry whose sizes or compressed
bytes do not hold together is rejected, never decompressed into something else."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import zstandard
from hypothesis import given
from hypothesis import strategies as st

from reasoner.solving.cache import ResultCache, Tally, _texts_checksum

KEY = "ab" + "0" * 62


def _entry(folder: Path) -> Path:
    return folder / KEY[:2] / (KEY + ".texts")


def _rewrite(folder: Path, sizes: list[int], packed: list[bytes]) -> None:
    """The entry with other sizes or compressed bytes, under a sound checksum (bytes
    a writer other than this version's put there)."""
    header = json.loads(_entry(folder).read_bytes().partition(b"\n")[0])
    header.update(sizes=sizes, lengths=[len(part) for part in packed],
                  checksum=_texts_checksum(KEY, header["fields"], sizes, packed))
    _entry(folder).write_bytes(json.dumps(header).encode() + b"\n" + b"".join(packed))


@given(st.lists(st.binary(max_size=2000), max_size=4))
def test_texts_read_back_byte_for_byte(tmp_path_factory: pytest.TempPathFactory, texts: list[bytes]) -> None:
    folder = tmp_path_factory.mktemp("kept")
    ResultCache(folder).put_texts(KEY, {"result": "FAIL"}, texts)
    tally = Tally()
    assert ResultCache(folder).get_texts(KEY, tally) == ({"result": "FAIL"}, texts)
    assert tally.counts() == (1, 0, 0)


def test_an_answer_is_kept_compressed(tmp_path: Path) -> None:
    text = b"\n".join(b'    "arn:aws:iam::100000000000:role/role-%d",' % index for index in range(20_000))
    ResultCache(tmp_path).put_texts(KEY, {}, [text, text])
    assert _entry(tmp_path).stat().st_size < len(text) // 10


def test_sizes_that_are_not_the_compressed_texts_are_rejected(tmp_path: Path) -> None:
    ResultCache(tmp_path).put_texts(KEY, {}, [b"who can", b"read the bucket"])
    packed = [zstandard.ZstdCompressor(level=1).compress(text) for text in (b"who can", b"read the bucket")]
    _rewrite(tmp_path, [7, 10 ** 12], packed)  # a terabyte claimed: nothing that size is made
    tally = Tally()
    assert ResultCache(tmp_path).get_texts(KEY, tally) is None
    assert tally.counts() == (0, 1, 1)


def test_compressed_bytes_that_do_not_decompress_are_rejected(tmp_path: Path) -> None:
    ResultCache(tmp_path).put_texts(KEY, {}, [b"who can read the bucket"])
    packed = zstandard.ZstdCompressor(level=1).compress(b"who can read the bucket")
    _rewrite(tmp_path, [23], [b"\x00" * 4 + packed[4:]])  # no zstd frame's magic number
    tally = Tally()
    assert ResultCache(tmp_path).get_texts(KEY, tally) is None
    assert tally.counts() == (0, 1, 1)
