"""`bot coach`: the contract other tools and evaluations use (the real command)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


def coach_cli(*args: str, stdin: str | bytes) -> subprocess.CompletedProcess[bytes]:
    data = stdin.encode() if isinstance(stdin, str) else stdin
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "coach", *args],
        input=data,
        capture_output=True,
        timeout=60,
    )


def test_one_part_as_json() -> None:
    text = "It wasn't my fault. I got GBH."
    done = coach_cli("--section", "what_happened", "--json", stdin=text)
    assert done.returncode == 0, done.stderr
    findings = json.loads(done.stdout)["findings"]
    assert all(
        set(f) == {"rule", "kind", "section", "start", "end", "excerpt", "message"}
        for f in findings
    )
    by_rule = {f["rule"]: f for f in findings}
    assert text[by_rule["blame"]["start"] : by_rule["blame"]["end"]] == "wasn't my fault"
    assert by_rule["jargon"]["excerpt"] == "GBH"
    assert all(f["section"] == "what_happened" for f in findings)


def test_a_statement_as_json() -> None:
    statement = {
        "what_happened": "I stole a car in 2019 and got a fine.",
        "circumstances": "",
        "feelings_now": "I'm a thief.",
        "aspirations": "I want to work as a driver because I have a clean licence.",
    }
    done = coach_cli("--statement", "--json", stdin=json.dumps(statement))
    assert done.returncode == 0, done.stderr
    findings = json.loads(done.stdout)["findings"]
    pairs = {(f["rule"], f["section"]) for f in findings}
    assert {
        ("ownership", "what_happened"),
        ("negative_label", "feelings_now"),
        ("clear_goal", "aspirations"),
        ("missing_part", "statement"),
        ("too_short", "statement"),
    } <= pairs


def test_readable_output_for_a_trainer() -> None:
    done = coach_cli("--section", "feelings_now", stdin="I'm scum.")
    assert done.returncode == 0
    out = done.stdout.decode()
    assert "[negative_label] Even better if (How I feel about it now)" in out
    assert '"I\'m scum"' in out


def test_empty_part_has_no_findings() -> None:
    done = coach_cli("--section", "aspirations", "--json", stdin="")
    assert done.returncode == 0 and json.loads(done.stdout) == {"findings": []}


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["--statement", "--json"], "not json", "not valid JSON"),
        (["--statement", "--json"], "[1, 2]", "expected a JSON object"),
        (["--statement", "--json"], '{"what_happend": "x"}', "unknown part 'what_happend'"),
        (["--statement", "--json"], '{"feelings_now": 5}', "feelings_now: expected text"),
        (["--statement", "--json"], "[" * 100_001, "larger than"),
        (["--statement", "--json"], "[" * 50_000, "nested too deeply"),
        (["--section", "what_happened", "--json"], b"\xff\xfe bad", "not UTF-8"),
        (["--section", "what_happened"], "x" * 100_001, "larger than"),
    ],
)
def test_bad_input_exits_2_with_one_line(args: list[str], stdin: str | bytes, message: str) -> None:
    done = coach_cli(*args, stdin=stdin)
    assert done.returncode == 2
    err = done.stderr.decode()
    assert message in err and err.count("\n") == 1 and "Traceback" not in err
    assert done.stdout == b""


@pytest.mark.parametrize(
    "args", [[], ["--section", "statement"], ["--section", "x", "--statement"]]
)
def test_bad_arguments_exit_2(args: list[str]) -> None:
    done = coach_cli(*args, stdin="text")
    assert done.returncode == 2 and "Traceback" not in done.stderr.decode()
