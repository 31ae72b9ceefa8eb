"""The reference server counts a package's size as aiohttp does: bytes on the wire."""

import pytest

from maimbot_acceptance.server.size_limit import MIB, is_over, read_bound


@pytest.mark.parametrize(
    ("data", "over"),
    [
        (b"x" * 99, False),
        (b"x" * 100, True),  # at the limit is refused, as aiohttp refuses it
        ("x" * 99, False),
        ("x" * 100, True),
        ("é" * 49, False),  # 98 bytes in UTF-8
        ("é" * 50, True),  # 100 bytes, though only 50 characters
        ("👋" * 25, True),  # 4 bytes each
        ("👋" * 24, False),
    ],
)
def test_a_package_is_measured_in_utf8_bytes(data, over):
    assert is_over(data, 100) is over


def test_the_read_bound_is_four_times_the_limit_but_at_most_8_mib_above_it():
    assert read_bound(2 * MIB) == 8 * MIB
    assert read_bound(100 * MIB) == 108 * MIB
