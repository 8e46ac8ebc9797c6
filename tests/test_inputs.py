"""Input files and numbers are refused at the edge with one line."""

from __future__ import annotations

import os

import pytest

from infra.errors import InvalidInput
from infra.inputs import check_file, read_bytes, whole_number


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/null"])
def test_devices_are_refused_before_reading(device):
    with pytest.raises(InvalidInput, match="not a regular file"):
        read_bytes(device)
    with pytest.raises(InvalidInput, match="not a regular file"):
        check_file(device)


def test_directory_missing_and_fifo(tmp_path):
    with pytest.raises(InvalidInput, match="is a directory"):
        read_bytes(tmp_path)
    with pytest.raises(InvalidInput, match="no such file"):
        read_bytes(tmp_path / "absent.csv")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(InvalidInput, match="not a regular file"):
        read_bytes(fifo)  # must not block waiting for a writer


def test_size_limit(tmp_path):
    f = tmp_path / "big.csv"
    f.write_bytes(b"x" * 5000)
    assert read_bytes(f, limit=5000) == b"x" * 5000
    with pytest.raises(InvalidInput, match="at most 4 KiB"):
        read_bytes(f, limit=4096)
    with pytest.raises(InvalidInput, match="at most"):
        check_file(f, limit=4096)


@pytest.mark.parametrize(
    ("text", "value"), [("0", 0), ("7", 7), (" 3650 ", 3650), ("+5", 5), (12, 12)]
)
def test_whole_numbers(text, value):
    assert whole_number(text, "days", 0, 3650) == value


@pytest.mark.parametrize(
    "text", ["²", "٢٤", "1_000", "", "1.5", "-", "0x10", "1e3", "3651", "-1", True, "9" * 40]
)
def test_bad_whole_numbers(text):
    with pytest.raises(InvalidInput, match="days"):
        whole_number(text, "days", 0, 3650)


def test_a_name_with_a_nul_byte_is_one_line(tmp_path):
    for read in (read_bytes, check_file):
        with pytest.raises(InvalidInput, match="holds a NUL byte"):
            read(str(tmp_path / "a\x00b.csv"))
