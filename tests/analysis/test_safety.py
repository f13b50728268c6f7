"""Crisis and abuse detection: each rule, its negations and figures of speech, and the
labelled development set of real sentences in tests/data/safety/.

The short sentences here are written for the tests (figures of speech, negations, who did
what); the real text lives in the development set, with its sources.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from secondchance.analysis import safety
from secondchance.analysis.evidence import Evidence

DEVSET = Path(__file__).resolve().parents[1] / "data" / "safety" / "dev.jsonl"


def abouts(text: str) -> set[str]:
    return {e.about for e in safety.check(text).evidence}


def crisis(text: str) -> bool:
    return safety.check(text).crisis


def abuse(text: str) -> bool:
    return safety.check(text).abuse


# --- the result itself --------------------------------------------------------------------


def test_it_returns_flags_and_evidence_whose_spans_quote_the_text():
    text = "Honestly I want to die. He hit me again last night."
    result = safety.check(text)
    assert result.crisis and result.abuse
    assert all(isinstance(e, Evidence) for e in result.evidence)
    for e in result.evidence:
        assert text[e.start : e.end] == e.quote
        assert e.about.startswith(("crisis.", "abuse."))
    assert [e.start for e in result.evidence] == sorted(e.start for e in result.evidence)


def test_to_dict_is_plain_json():
    data = safety.check("I want to kill myself").to_dict()
    assert json.loads(json.dumps(data)) == data
    assert set(data) == {"crisis", "concern", "abuse", "evidence"}
    assert set(data["evidence"][0]) == {"about", "quote", "start", "end"}


def test_it_is_all_clear_for_empty_and_everyday_text():
    for text in ("", "   ", "We had pizza and watched a film.", "\n\n"):
        result = safety.check(text)
        assert (result.crisis, result.abuse, result.evidence) == (False, False, ())


def test_it_refuses_what_is_not_text():
    with pytest.raises(TypeError):
        safety.check(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        safety.check(b"I want to die")  # type: ignore[arg-type]


def test_evidence_only_supports_the_flags_that_are_set():
    # One weak sign is not enough for a crisis, so it is not shown as evidence either.
    result = safety.check("He hit me. I feel so worthless.")
    assert result.abuse and not result.crisis
    assert all(e.about.startswith("abuse.") for e in result.evidence)


def test_it_reads_curly_apostrophes_and_capitals():
    assert crisis("I DON’T WANT TO LIVE ANYMORE")
    assert abouts("I don’t want to live anymore") == {"crisis.suicidal_thoughts"}


# --- crisis ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "about"),
    [
        ("I want to die", "crisis.suicidal_thoughts"),
        ("i just wanna die", "crisis.suicidal_thoughts"),
        ("I've been thinking about killing myself", "crisis.suicidal_thoughts"),
        ("I have suicidal thoughts most nights", "crisis.suicidal_thoughts"),
        ("I feel like ending my life", "crisis.suicidal_thoughts"),
        ("I don't want to be here anymore", "crisis.suicidal_thoughts"),
        ("I have nothing left to live for", "crisis.suicidal_thoughts"),
        ("Sometimes I wish I was never born", "crisis.suicidal_thoughts"),
        ("I just want it all to end.", "crisis.suicidal_thoughts"),
        ("I was suicidal for most of last year", "crisis.suicidal_thoughts"),
        ("I started self-harming again", "crisis.self_harm"),
        ("I have urges to hurt myself", "crisis.self_harm"),
        ("Life is a burden", "crisis.burden"),
        ("Everyone would be better off without me", "crisis.burden"),
        ("I feel like such a burden to my family", "crisis.burden"),
        ("I tried to kill myself two years ago", "crisis.attempt"),
        ("After my last attempt I stopped telling people", "crisis.attempt"),
        ("I already wrote a suicide note", "crisis.plan"),
    ],
)
def test_crisis_rules_fire_on_the_writers_own_words(text, about):
    assert crisis(text)
    assert about in abouts(text)


def test_two_different_weak_signs_together_are_a_crisis():
    text = "I feel hopeless. What's the point of anything. I hate myself."
    assert crisis(text)
    assert abouts(text) == {"crisis.hopelessness"}


@pytest.mark.parametrize(
    "text",
    [
        "I feel so worthless today",  # one weak sign
        "I hate myself. I really hate myself.",  # the same sign twice
    ],
)
def test_one_weak_sign_alone_is_not_a_crisis(text):
    assert not crisis(text)


@pytest.mark.parametrize(
    "text",
    [
        "this traffic is killing me",
        "I'd die for a coffee right now",
        "I could die of embarrassment",
        "she's killing it on stage",
        "we were dying laughing",
        "lol kill me",
        "I want to die lol this exam",
        "I'm dying to know what happens next",
        "this cake is to die for",
        "My parents are going to kill me when they see my grades",
        "My ex made the pasta. It was a dead giveaway",
        "I want to die of embarrassment 😂",
    ],
)
def test_figures_of_speech_are_not_a_crisis(text):
    assert not crisis(text)


@pytest.mark.parametrize(
    "text",
    [
        "His brother committed suicide last year",
        "My friend told me she wants to die",
        "He said he feels suicidal",
        "People who want to die need better care",
    ],
)
def test_someone_elses_crisis_is_not_the_writers(text):
    assert not crisis(text)


@pytest.mark.parametrize(
    "text",
    [
        "I was never suicidal, just very sad",
        "I have never self-harmed",
        "I didn't want to die, I wanted the pain to stop",
    ],
)
def test_a_denial_about_the_past_cancels_the_phrase(text):
    assert not any(a.startswith("crisis.suicidal") or a == "crisis.self_harm" for a in abouts(text))


def test_a_present_denial_alone_is_not_a_crisis():
    assert not crisis("I'm not suicidal, just tired of this job")
    assert not crisis("I'm not suicidal and I don't self harm")  # two denials are still denials


def test_a_present_denial_next_to_a_real_sign_is_a_crisis():
    text = "I'm not suicidal or anything, but I feel so hopeless."
    assert crisis(text)
    assert abouts(text) == {"crisis.mentioned", "crisis.hopelessness"}


@pytest.mark.parametrize(
    "text",
    [
        "I can't stop thinking about killing myself",
        "The only reason I haven't killed myself yet is my dog",
        "I'm trying not to hurt myself tonight",
        "I've never been closer to ending my life",
        "The only reason I haven't ended my life yet is my sister",
    ],
)
def test_negative_words_that_do_not_negate_keep_the_crisis(text):
    assert crisis(text)


@pytest.mark.parametrize(
    "text",
    [
        "I want to end it with him but I'm scared",
        "I decided to end things after two years",
        "She wanted to end it, I didn't",
        "I can't live without him",
        "We ended our relationship last week",
    ],
)
def test_ending_a_relationship_is_not_ending_a_life(text):
    assert not crisis(text)


@pytest.mark.parametrize(
    "text",
    [
        # A plan or a date, said without the word "suicide".
        "Friday is the day I set.",
        "I've got my date set and I feel calm about it",
        "I finally have the courage to carry out my plan",
        "I left my note to my family on the table",
        "I'm going to end it tonight",
        # A means at hand, or how it would feel (detection only: never shown but as their words).
        "I keep wanting to set myself on fire",
        "I tied a noose last week",
        "I held a knife to my own throat once",
        "how painful is hanging",
        "someone will find my body eventually",
        # Doubt about surviving, and passive wishes.
        "Not sure if I'm still going to live by summer",
        "I would hate to live to see another birthday",
        "I wish a truck would hit me",
        "how easy is it to die",
        # A pointless life, said through "see" or "no point".
        "Since he left I don't see the point in living anymore",
        "There's no point in living without her.",
        "I can't see the point of life any more",
    ],
)
def test_plans_means_and_doubts_about_surviving_are_a_crisis(text):
    assert crisis(text)


@pytest.mark.parametrize(
    "text",
    [
        "Hopeless\nhelp",
        "No point anymore. I have no one.",
        "I'm a ticking bomb. Nice knowing you all.",
    ],
)
def test_short_pleas_with_a_second_sign_are_a_crisis(text):
    assert crisis(text)


@pytest.mark.parametrize(
    "text",
    [
        "The day I set the table for his parents was the day it ended",
        "I'll carry out my plan to move to Lisbon in spring",
        "I'm going to end it with him tonight",
        "I left a note to my sister about the cat",
        "The gym was nice, I'll help",
        "I think it's time.",
        "how easy is it to die in this game",
        "I wish I had the courage to tell him",
        "There's no point in living in London if you can't afford it",
        "I don't see the point of life hacks",
        "There's no point in going to the gym today",
    ],
)
def test_the_new_plan_words_leave_everyday_sentences_alone(text):
    assert not crisis(text)


# --- abuse ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "about"),
    [
        ("He hit me when I tried to leave", "abuse.violence"),
        ("My ex choked me during an argument", "abuse.violence"),
        ("she shoved me against the wall", "abuse.violence"),
        ("He threatened to kill me if I told anyone", "abuse.threats"),
        ("he said he would hurt me", "abuse.threats"),
        ("He makes me feel crazy", "abuse.gaslighting"),
        ("he always says I'm imagining things", "abuse.gaslighting"),
        ("He won't let me see my friends", "abuse.isolation"),
        ("she cut me off from my family", "abuse.isolation"),
        ("He keeps showing up at my work uninvited", "abuse.stalking"),
        ("my ex is stalking me", "abuse.stalking"),
        ("He controls all my money", "abuse.coercive_control"),
        ("he checks my phone every night", "abuse.coercive_control"),
        ("I was in an abusive relationship for three years", "abuse.named"),
        ("he pointed a gun at me when I said I was leaving", "abuse.violence"),
        ("She held a knife to my throat", "abuse.violence"),
        ("He came at me with a bat", "abuse.violence"),
        ("the emotional abuse I endured for four years", "abuse.named"),
        ("all the verbal and emotional abuse you put me through", "abuse.named"),
    ],
)
def test_abuse_rules_fire_on_harm_by_the_partner(text, about):
    assert abuse(text)
    assert about in abouts(text)


@pytest.mark.parametrize(
    "text",
    [
        "He never hit me",
        "he has never been abusive",
        "If he ever hit me I would leave",
        "It hit me like a truck that we were over",
        "He hit me up after three weeks of no contact",
        "I admit I was controlling in that relationship",
        "I keep stalking his instagram",
        "I was the one who yelled",
        "I held a knife to my own throat once",
        "He never pointed a gun at me",
        "my nephew chased me around the garden",
    ],
)
def test_negations_figures_and_the_writers_own_acts_are_not_abuse(text):
    assert not abuse(text)


@pytest.mark.parametrize(
    "text",
    [
        "My dad hit me when I was a kid",
        "My mother has always been controlling",
    ],
)
def test_harm_by_a_parent_is_not_the_partner_abuse_flag(text):
    # Documented choice: the abuse flag changes the breakup advice, so it is for the partner.
    assert not abuse(text)


def test_two_weak_signs_of_intimidation_together_are_abuse():
    assert not abuse("He yelled at me.")
    assert abuse("He yelled at me and called me names.")


# --- real text ------------------------------------------------------------------------------


def _devset() -> list[dict]:
    return [json.loads(line) for line in DEVSET.read_text(encoding="utf-8").splitlines()]


def test_the_development_set_names_its_sources_and_is_never_from_the_test_split():
    items = _devset()
    assert len(items) >= 100
    assert all(len(i["text"]) <= 300 for i in items)
    assert {i["source"] for i in items} <= {
        "sdcnl-train.csv",
        "goemotions-train.tsv",
        "dreaddit-train.csv",
        "reddit-breakups.csv",
    }


@pytest.mark.parametrize(
    ("flag", "min_recall", "max_false_alarm"), [("crisis", 0.85, 0.05), ("abuse", 0.8, 0.05)]
)
def test_it_finds_most_real_cases_with_few_false_alarms(flag, min_recall, max_false_alarm):
    items = _devset()
    positives = [i for i in items if flag in i["labels"]]
    negatives = [i for i in items if flag not in i["labels"]]
    found = sum(getattr(safety.check(i["text"]), flag) for i in positives)
    false = sum(getattr(safety.check(i["text"]), flag) for i in negatives)
    assert found / len(positives) >= min_recall
    assert false / len(negatives) <= max_false_alarm


# --- evaluation -----------------------------------------------------------------------------


def test_evaluation_skips_missing_files_with_a_note(tmp_path):
    from secondchance.evaluation.safety import evaluate

    tables = evaluate(tmp_path, dev_set=tmp_path / "absent.jsonl")
    titles = [t.title for t in tables]
    assert len(tables) == 8 and len(set(titles)) == 8
    notes = " ".join(n for t in tables for n in t.notes)
    assert "sdcnl-test.csv not found" in notes and "goemotions-train.tsv not found" in notes


def test_evaluation_measures_what_it_finds(tmp_path):
    from secondchance.evaluation.safety import evaluate

    (tmp_path / "sdcnl-test.csv").write_text(
        ",title,selftext,is_suicide\n0,help,I want to die,1\n1,sad,I feel low today,0\n",
        encoding="utf-8",
    )
    (tmp_path / "tweeteval-sentiment-test-text.txt").write_text(
        "this traffic is killing me\nlovely day\n", encoding="utf-8"
    )
    crisis, false_alarms, *_ = evaluate(tmp_path, dev_set=DEVSET)
    # n, crisis, rate, crisis or concern, rules alone, others add
    assert crisis.rows[0][1:] == [1, 1, 1.0, 1.0, 1.0, 0.0]
    assert false_alarms.rows == [["TweetEval tweets (all)", 2, 0.0, 0.0, 0.0]]


def test_the_hand_read_misses_are_suicidewatch_training_posts_with_a_known_label():
    from secondchance.evaluation.safety import TRAIN_MISSES, _find, _read_misses

    labels = _read_misses(_find(TRAIN_MISSES))
    assert len(labels) > 50
    assert set(labels.values()) <= {"sign", "other", "low"}
    source = Path(__file__).resolve().parents[3] / "shared" / "data" / "sdcnl-train.csv"
    if source.exists():
        import csv

        with source.open(encoding="utf-8", newline="") as handle:
            suicide = {r[""] for r in csv.DictReader(handle) if r["is_suicide"] == "1"}
        assert set(labels) <= suicide


# --- whose words, two levels, the learned layer ------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        'He said "I can\'t do this anymore" and walked out.',
        "my friend told me she wanted to die and I didn't know what to say",
        "My sister tried to kill herself last year.",
        "Years ago I self-harmed, but therapy helped and I'm doing well now.",
    ],
)
def test_other_peoples_words_and_a_past_that_is_over_are_not_the_writers_crisis(text):
    result = safety.check(text)
    assert not (result.crisis or result.concern), result


def test_the_writers_own_quoted_words_still_count():
    assert safety.check('I texted my sister "I want to kill myself" last night').crisis


def test_a_line_quoted_at_the_writer_with_no_one_named_is_the_partners():
    # A story that quotes what he used to say, line after line, without "he said".
    story = (
        "Once I tried to leave, things only got worse.\n\n"
        "\u201cYou aren\u2019t that pretty. You are lucky to have me.\u201d\n"
        "\u201cI will kill myself if you leave me.\u201d\n\nSo I stayed another year."
    )
    result = safety.check(story)
    assert not (result.crisis or result.concern), result
    # The writer's own words, quoted with no verb, are still read as theirs.
    assert safety.check('Some nights all I can think is "I want to kill myself".').crisis


def test_a_plain_wish_not_to_be_here_is_found_with_the_sentence_as_evidence():
    text = "We broke up in May. Everyone would be better off if I wasn't here."
    result = safety.check(text)
    assert result.crisis or result.concern
    assert any("better off" in e.quote for e in result.evidence)


def test_crisis_and_concern_are_never_both_set():
    for text in ("I want to kill myself", "I hate myself. I really hate myself."):
        result = safety.check(text)
        assert not (result.crisis and result.concern)


def test_a_threat_put_as_a_condition_on_leaving_is_abuse_but_a_worry_is_not():
    assert abuse("he said if i leave he'll make sure i never see the kids again")
    assert abuse("he keeps saying he'll burn all my stuff if i dont drop the case")
    assert not abuse("if he ever hit me i would leave him")
    assert not abuse("what if he shows up at my work?")


def test_someone_elses_ex_and_nobody_as_the_subject_are_not_the_writers_abuse():
    assert not abuse("my flatmate's ex keeps turning up at our door, she's terrified")
    assert not abuse("apparently his ex told everyone he was controlling")
    assert not abuse("nobody is threatening me, i just feel weird going home alone")
    assert abuse("my ex keeps turning up at my door and i'm terrified")
