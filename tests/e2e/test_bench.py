"""The benchmark runs end to end (small sizes: this is about it not rotting)."""

from maimbot_acceptance.tools import bench


def test_the_benchmark_prints_its_table(capsys):
    assert bench.main(["--sizes", "2,3", "--exchanges", "2", "--samples", "25", "--no-behave"]) == 0
    table = capsys.readouterr().out
    for measure in (
        "round trip, harness (p50 / p95)",
        "round trip, bare maim_message (p50 / p95)",
        "harness / bare (p50 / p95)",
        "connect 3 at once",
        "3 x 2 exchanges at once",
        "3 connected and conversed",
        "peak RSS, 3 connections",
    ):
        assert measure in table, table
    assert "0 lost" in table
