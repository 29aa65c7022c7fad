"""Benchmark: the coaching engine on this machine.

Prints the engine's load time (a fresh process, so nothing is cached), then p50 and
p95 time to analyse one part and a 300-word statement, and the safety check's time
per message. Targets (issue: coaching engine): load under 2 s, p95 for a 300-word
statement under 10 ms.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

from bot.coaching import shared_coach
from bot.coaching.safety import is_concern
from bot.parts import PARTS
from bot.statement import word_count

ROUNDS = 300

PART = (
    "In 2019 I was convicted of theft. It wasn't my fault, my mates got me into it, "
    "and I got a community order with unpaid work."
)
STATEMENT = {
    "what_happened": "In 2019 I was convicted of theft from my employer. I took money "
    "from the till over six months, about £2,000 in all, and I got a community order "
    "with 150 hours of unpaid work and a curfew.",
    "circumstances": "At the time I was in a lot of debt. My dad had just died and I was "
    "drinking most days. I was living with my mum and I did not ask anyone for help, "
    "because I was ashamed and I thought I could sort it out myself before anyone found "
    "out. My mates were all drinking too, so nobody told me to stop. I was working long "
    "shifts at a shop and I was tired all the time. I had stopped seeing my friends from "
    "school, and I did not tell my partner how bad things were. I kept telling myself "
    "that I would pay it back before anyone noticed.",
    "feelings_now": "I regret it and I understand the harm I did to people who trusted "
    "me. I have paid the money back. Since then I have been sober for three years, I "
    "finished a bookkeeping course at college and I volunteer at a food bank every "
    "week, where I help with the stock and the accounts. I am proud of how far I have "
    "come, and my family trust me again. I also go to a support group every Tuesday, "
    "where I help new members settle in.",
    "aspirations": "I want to work in a warehouse or in logistics. I have a forklift "
    "licence, I am reliable and I like working in a team. In five years I would like "
    "to be a team leader. I know I have to earn trust, and I am ready to do that. I am "
    "happy to answer any questions about my conviction and what I have done since.",
}

LOAD = """
import time
t = time.perf_counter()
from bot.coaching import Coach
Coach()
print(time.perf_counter() - t)
"""


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def timed(call, rounds: int = ROUNDS) -> list[float]:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return times


def report(name: str, times: list[float]) -> None:
    print(
        f"  {name:<34} p50 {statistics.median(times):6.2f} ms   "
        f"p95 {percentile(times, 0.95):6.2f} ms   max {max(times):6.2f} ms"
    )


def main() -> int:
    loads = [
        float(subprocess.run([sys.executable, "-c", LOAD], capture_output=True, text=True,
                             check=True).stdout)
        for _ in range(3)
    ]  # fmt: skip
    words = sum(word_count(STATEMENT[p]) for p in PARTS)
    print("Coaching engine")
    print(f"  load (new process, import + build)  {max(loads):.2f} s worst of 3 (target < 2 s)")
    coach = shared_coach()
    coach.statement(STATEMENT)  # warm caches, as a running server would be
    is_concern(PART)
    report(f"one part ({word_count(PART)} words)", timed(lambda: coach.part("what_happened", PART)))
    statement_times = timed(lambda: coach.statement(STATEMENT))
    report(f"whole statement ({words} words)", statement_times)
    report("safety check, one message", timed(lambda: is_concern(PART)))
    p95 = percentile(statement_times, 0.95)
    print(f"  statement p95 {p95:.2f} ms (target < 10 ms): {'ok' if p95 < 10 else 'OVER'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
