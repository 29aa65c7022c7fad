from hypothesis import given
from hypothesis import strategies as st

from bot.answers import MAX_PART_CHARS, Problem, check_answer


def test_a_real_answer_is_taken():
    assert check_answer("In 2019 I was convicted of theft and got a fine").ok


def test_a_long_answer_up_to_the_limit_is_taken_word_for_word():
    text = ("I was convicted of theft and I regret it. " * 200)[: MAX_PART_CHARS - 1]
    assert len(text) > 1500
    assert check_answer(text).ok


def test_typos_and_lower_case_are_fine():
    assert check_answer("i got cawt shopliftin an got a fine").ok


def test_empty_and_blank_answers():
    assert check_answer("").problem is Problem.EMPTY
    assert check_answer("   \n ").problem is Problem.EMPTY
    assert check_answer(None).problem is Problem.EMPTY


def test_not_answers():
    for text in ["idk", "I don't know", "dunno", "no idea!", "OK", "😬😬", "???", "..."]:
        assert check_answer(text).problem is Problem.NOT_AN_ANSWER, text


def test_one_word_is_too_short():
    assert check_answer("theft").problem is Problem.TOO_SHORT
    assert check_answer("got prison").problem is Problem.TOO_SHORT


def test_a_short_question_is_not_an_answer():
    assert check_answer("do I have to say the sentence?").problem is Problem.QUESTION


def test_a_huge_answer_is_refused_not_cut():
    assert check_answer("word " * MAX_PART_CHARS).problem is Problem.TOO_LONG


@given(st.text())
def test_any_text_gets_a_verdict(text):
    check = check_answer(text)
    assert check.ok is (check.problem is None)
