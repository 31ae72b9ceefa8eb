"""The one round-trip timer: every way gets its samples, in blocks that take turns."""

import asyncio

from maimbot_acceptance.judging.stats import Latencies, percentile
from maimbot_acceptance.wire.round_trip import round_trips


class Recorded:
    def __init__(self, name: str, log: list[str], seconds: float) -> None:
        self.name, self.log, self.seconds = name, log, seconds

    async def ask(self, text: str) -> float:
        self.log.append(f"{self.name}: {text}")
        return self.seconds


def test_each_way_gets_its_samples_after_an_uncounted_warm_up_in_blocks_that_take_turns():
    log: list[str] = []
    askers = {name: Recorded(name, log, n / 1000) for n, name in enumerate("abc", start=1)}
    seconds = asyncio.run(round_trips(askers, samples=6, block=2, warm_up=1))
    assert {name: len(each) for name, each in seconds.items()} == {"a": 6, "b": 6, "c": 6}
    assert seconds["b"] == [0.002] * 6
    assert log[:3] == ["a: warm-up 0", "b: warm-up 0", "c: warm-up 0"]
    firsts = [log[3 + 6 * n].partition(":")[0] for n in range(3)]
    assert firsts == ["a", "b", "c"]  # each round starts with the next way


def test_fewer_samples_than_a_block_still_measure_one_block():
    seconds = asyncio.run(round_trips({"a": Recorded("a", [], 0.001)}, samples=3, block=5))
    assert len(seconds["a"]) == 5


def test_the_benchmarks_read_percentiles_by_nearest_rank():
    # The median of an even count is the lower middle value, not an average of two.
    assert percentile([4.0, 1.0, 3.0, 2.0], 0.5) == 2.0
    assert Latencies((1.0, 2.0, 3.0, 4.0)).p50 == 2.0
    assert percentile([float(n) for n in range(1, 21)], 0.95) == 19.0
