"""Story reading: facts, flags, safety overrides and the plan, one behaviour per test.

Short sentences here are our own test phrasings; real examples (quoted from public Reddit
posts, with their sources) are in tests/data/story and checked in test_story_devset.py.
"""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from secondchance.analysis.story import FLAGS, read_story
from secondchance.analysis.story_plan import (
    FRESH_DAYS,
    HOT_AND_COLD_DAYS,
    INTIMATE_DAYS,
    INTIMATE_FRESH_DAYS,
    NO_CONTACT_DEFAULT_DAYS,
    NO_CONTACT_MIN_DAYS,
    Situation,
    build_plan,
    no_contact_days,
)


def facts(text: str, **kwargs: object) -> dict[str, object]:
    return read_story(text, **kwargs).to_dict()["facts"]


def flags(text: str) -> list[str]:
    return read_story(text).to_dict()["flags"]


def advice_ids(text: str, **kwargs: object) -> list[str]:
    return [a["id"] for a in read_story(text, **kwargs).to_dict()["plan"]["advice"]]


# --- is it a story? ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Great post!",
        "Sending hugs",
        "You deserve better",
        "This is so true. Thank you for sharing, it helped me today.",
        "Stay strong, you will get through this!",
        "My girlfriend loves this show.",
        "",
        "   ",
        "🙂💔",
    ],
)
def test_supportive_comments_and_remarks_are_not_stories(text: str) -> None:
    reading = read_story(text).to_dict()
    assert reading["is_story"] is False
    assert reading["plan"] == {
        "start_step": None,
        "no_contact_days": None,
        "reconcile_encouraged": False,
        "route": "",
        "reason": "",
        "question": None,
        "no_contact_left": None,
        "advice": [],
    }


@pytest.mark.parametrize(
    "text",
    [
        "He dumped me last night.",
        "My girlfriend broke up with me two weeks ago and I can't stop crying.",
        "I still miss you. It's been a year since you left me.",
        # The writer's "I" or "we" left out at the start of the sentence.
        "Broke up nearly 6 months ago and I have good days now.",
    ],
)
def test_first_person_breakups_are_stories_at_any_length(text: str) -> None:
    assert read_story(text).is_story


def test_a_crisis_comment_is_not_a_story_but_still_gets_help_first() -> None:
    reading = read_story("honestly i want to kill myself", country="US").to_dict()
    assert reading["is_story"] is False
    assert reading["safety"]["crisis"] is True
    assert reading["plan"]["advice"][0]["id"] == "help_first"


# --- facts ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "since", "length"),
    [
        ("It's been two months since we broke up.", 61, None),
        ("We were together for 3 years and she left me two weeks ago.", 14, 1095),
        ("My boyfriend of almost six months dumped me last night.", 1, 183),
        ("We dated for a year and a half. I broke up with him 3 days ago.", 3, 548),
        ("My ex broke up with me. We met at a party.", None, None),
    ],
)
def test_it_reads_durations_as_facts(text: str, since: int | None, length: int | None) -> None:
    f = facts(text)
    assert (f["days_since_breakup"], f["relationship_days"]) == (since, length)


def test_month_names_need_today() -> None:
    text = "We broke up in February and I still think about her."
    assert facts(text)["days_since_breakup"] is None
    assert facts(text, today=date(2025, 6, 30))["days_since_breakup"] == 135


@pytest.mark.parametrize(
    ("text", "who"),
    [
        ("My girlfriend broke up with me last week.", "ex"),
        ("He dumped me out of nowhere.", "ex"),
        ("I got dumped two days ago.", "ex"),
        ("I broke up with him because I was unhappy.", "user"),
        ("I ended things with my boyfriend last month.", "user"),
        ("Our breakup was mutual. We both agreed to go our separate ways.", "mutual"),
        ("We broke up a month ago.", "unclear"),
        ("He didn't break up with me, I left him.", "user"),
        ("My girlfriend of four years left me three weeks ago.", "ex"),
        ("My husband of 12 years left me in March.", "ex"),
        ("I left my boyfriend of two years in May.", "user"),
        # Returning to the writer presupposes the ex left.
        ("After we broke up I kept the hope that he might ever return to me.", "ex"),
        # The writer did not want it to end: the ex ended it.
        ("It's 3 months post breakup. It wasn't a relationship that I wanted to end.", "ex"),
        # "left me" with a state or a thing after it is not an ending.
        ("My ex and I met at a banquet. Last night left me feeling confused about us.", "unclear"),
        ("We split years ago. The mental scars he left me are too powerful.", "unclear"),
        ("My ex called me. We said nothing of importance and I was left thinking.", "unclear"),
        ("I texted my ex. We both agreed that it has been tough not talking.", "unclear"),
        # Ending it with someone new since is another breakup, not the one with the ex.
        (
            "We broke up while he was abroad. This summer I began to date a new boy, but I "
            "still thought about my ex all the time, so I broke up with the new guy.",
            "unclear",
        ),
        # The writer's own "I" left out: the ex is the object, so the writer ended it.
        ("Broke up with my boyfriend last month because of how he treated me.", "user"),
        ("She told me what she had done. Immediately, I broke off the relationship.", "user"),
        # A subject after the verb is not its agent.
        (
            "Six weeks since breakup told her to leave she was doing drugs and out of "
            "control. I loved her so much but I can't get her out of my head.",
            "user",
        ),
        # His threat is a condition, not an ending; quoted "you" does not make a letter.
        (
            "After a year I decided to end things with my boyfriend. He said "
            '"If you leave, you will be alone forever." He cried and begged me to stay.',
            "user",
        ),
        # "My girlfriend and I" is the couple: decided together it is mutual.
        ("My girlfriend and I have decided to break up after two years.", "mutual"),
        ("My husband and I decided to separate in March after ten years of marriage.", "mutual"),
        ("I'm still amazed at how amicable our breakup was.", "mutual"),
        # The decision was the ex's, or the ex was leaving when the writer begged.
        ("We were together three years. I told him I respect his decision.", "ex"),
        ("We talked last week and she said she had made the right decision.", "ex"),
        ("We were together three years. I begged her to stay but she packed.", "ex"),
        # The ex's reasons, told as the ex said them.
        ("My boyfriend told me his feelings for me are not as strong as before.", "ex"),
        ("We dated a year. He said he needed to focus on himself and blocked me.", "ex"),
        ("She said she wasn't happy in the relationship and we haven't spoken since.", "ex"),
        ("After years of drama I cut her loose and went about my life.", "user"),
        ("We broke up. He told me he's not ready for a relationship.", "ex"),
        ("We broke up. She told me she doesn't have feelings for me anymore.", "ex"),
        ("We broke up in May. I told her it was over and blocked her.", "user"),
        ("We broke up in May. It was his decision, not mine.", "ex"),
        ("We broke up in May. It was her choice to move abroad.", "unclear"),
        ("We broke up in May. We agreed it was for the best.", "mutual"),
        ("We were together two years until she broke my heart in March.", "ex"),
        ("We were together two years. I was completely blindsided in March.", "ex"),
        ("We were together a year when he said he wanted to see other people.", "ex"),
        ("We were together a year. Breaking up was my idea.", "user"),
        ("We broke up in May. It was my idea not to have any contact.", "unclear"),
        ("We were together two years. He texted me saying he wanted to end things.", "ex"),
        ("We were together two years. She told me it wasn't working anymore.", "ex"),
        ("We were together two years. He sat me down and said he wasn't happy.", "ex"),
        ("We were together two years. I told her I needed space.", "user"),
        ("We were together two years. I ended up breaking up with him in May.", "user"),
        ("We were married ten years when he announced he was leaving.", "ex"),
        # The question the writer asks takes the ending as known.
        ("We were together two years. Should I text him though he's the one who ended it?", "ex"),
        ("We were together two years. Why did he leave me?", "ex"),
        ("We were together two years. How could she just walk away after all that?", "ex"),
        ("We were together two years. I told him we should see other people.", "user"),
        ("Eventually we called it quits, both of us agreed.", "mutual"),
        # Someone's own decision later in the sentence is not a decision of both.
        ("We broke up in May, and he decided he'd move in with her.", "unclear"),
    ],
)
def test_who_ended_it(text: str, who: str) -> None:
    assert facts(text)["who_ended"] == who


def test_in_a_letter_to_the_ex_you_before_a_verb_is_the_ex_as_subject() -> None:
    from secondchance.analysis.story_facts import as_told_of_ex

    told = as_told_of_ex("i am so angry by the way you ended things. i begged you.")
    assert "the way he  ended things" in told
    assert "i begged him" in told


def test_the_ex_quoted_saying_you_does_not_make_a_letter_to_the_ex() -> None:
    from secondchance.analysis.story_facts import is_letter, normalise

    told = (
        'I ended it. He said "You will never find anyone better. If you leave, you will be '
        'alone. You are not that pretty. You are lucky you have me." So I blocked him.'
    )
    assert not is_letter(normalise(told))
    assert is_letter(
        normalise("You left me. You said you loved me. You lied. You never cared. You.")
    )


@pytest.mark.parametrize(
    ("text", "contact"),
    [
        ("She dumped me. We've been no contact for three weeks.", "none"),
        ("He broke up with me and blocked me everywhere.", "none"),
        ("He left me but we still text every day.", "some"),
        ("She broke up with me but we are still sleeping together.", "intimate"),
        ("He dumped me but we still hook up on weekends.", "intimate"),
        ("She ended it, but we work together so I see her every day.", "unavoidable"),
        ("He left me. We share custody of our son.", "unavoidable"),
        ("We broke up last month.", "unclear"),
        ("He dumped me. Should I go no contact?", "unclear"),
        ("He broke up with me. I told him we can just be friends for now.", "some"),
        (
            "She broke up with me a month ago. We ran into each other a lot because of our job.",
            "unavoidable",
        ),
        ("We divorced last year. We don't talk unless it's about our daughter.", "unavoidable"),
        (
            "Luke texted me a couple of weeks ago. We'd had six weeks of no contact before "
            "that, and since then we have texted a handful of times.",
            "some",
        ),
        # A contact told as one episode that is over is not where they are now.
        (
            "My fiance dumped me four months ago. I am proud of my strict NC. After he "
            "initially broke it off, I did send him a couple of texts.",
            "none",
        ),
        ("He dumped me a month ago. We haven't had any contact since that night.", "none"),
        # A supposition is not an account of contact.
        (
            "He dumped me and I blocked him everywhere. If he asked me how many times he "
            "texted me since, I could not say.",
            "none",
        ),
        ("We broke up 5 months ago. I've never seen or heard from him again.", "none"),
        ("It's been 4 weeks since I was dumped (2 weeks NC) and I feel better.", "none"),
        # A time since they last spoke is a silence, not contact.
        (
            "My boyfriend dumped me. He said he was sorry and I checked in every day, then after "
            "a month I gave up. It's been over a month since I've talked to him.",
            "none",
        ),
        # Only thinking of writing: not in touch now.
        (
            "I parted ways with my ex almost a year ago. I miss him. I'm considering reaching "
            "out and amending things.",
            "none",
        ),
        # The latest state in the story's timeline: a silence told after the last contact.
        (
            "He dumped me a month ago. I texted him a few times the first week asking to meet, "
            "but he just replied that it was over. I haven't tried getting in touch with him "
            "since.",
            "none",
        ),
    ],
)
def test_contact_now(text: str, contact: str) -> None:
    assert facts(text)["contact"] == contact


@pytest.mark.parametrize(
    ("text", "new_partner"),
    [
        ("He broke up with me and he's already dating someone else.", True),
        ("She left me and now she has a new boyfriend.", True),
        ("My ex dumped me for his coworker.", True),
        ("She broke up with me. She isn't seeing anyone, her friend told me.", False),
        ("He dumped me. I think he's seeing someone.", None),
        ("She dumped me. Is she dating someone already?", None),
        ("My ex left me in May. My new boyfriend is lovely.", None),
        ("He broke up with me last week.", None),
        # "going through" is a fact, not a plan ("going to").
        (
            "He left me two months ago. Now he's going through a rocky patch with his new "
            "relationship and wants to try again with me.",
            True,
        ),
        # The latest state: the ex's new relationship has since ended.
        (
            "He dumped me two years ago. He found a new girlfriend quickly, but they broke up "
            "a couple months ago.",
            False,
        ),
        # The partner the ex left for the writer is the one before, not a new one.
        ("He left his wife and started dating me. Last month he left me too.", None),
    ],
)
def test_the_ex_new_partner(text: str, new_partner: bool | None) -> None:
    assert facts(text)["ex_new_partner"] is new_partner


@pytest.mark.parametrize(
    ("text", "goal"),
    [
        ("She broke up with me last week. I want her back so badly.", "reconcile"),
        ("He dumped me. Is there any chance we get back together?", "reconcile"),
        ("My ex left me two months ago. How do I move on?", "move_on"),
        (
            "He broke up with me. I don't want him back, I just want to stop thinking about him.",
            "move_on",
        ),
        ("She dumped me. I don't want to move on, I want to fix things.", "reconcile"),
        ("He dumped me. I can't move on and I can't stop crying.", "move_on"),
        ("We broke up a week ago.", "unclear"),
        # Stuck on the person is not a wish to be over it.
        ("She left me in March. I just can't get her out of my head.", "unclear"),
        # Effort toward letting go shows the wish.
        ("He ended it. My anxiety makes it harder to let go.", "move_on"),
        # The writer's own wish, even where the clause has no subject of its own.
        ("He left me last year. I miss him again and want to tell him how I feel.", "reconcile"),
        # The writer's own verdict that it is over, or a life ahead without the ex.
        ("He left me in May. I'm forcing myself to accept a future without him.", "move_on"),
        ("She broke up with me. It hurts, but we can never be together now.", "move_on"),
        ("Our relationship ended five years ago. He controlled my mind. Now I am free.", "move_on"),
        ("He hit me and I left him. I'm a lot happier now.", "move_on"),
        # Closure missing is not a wish either way.
        ("He dumped me in March and I didn't have any closure.", "unclear"),
        # The ex's wish, a question weighing it, an impulse held back: not the writer's goal.
        (
            "He dumped me two years ago. We had dinner twice and now he wants to get back "
            "together.",
            "unclear",
        ),
        ("He dumped me two years ago. Would it be stupid to get back together?", "unclear"),
        (
            "She left me in June. I kept away from the temptation of texting her and trying "
            "to get her back.",
            "unclear",
        ),
        # Holding on, told in other words.
        ("He left me last week. I told him I would wait for him.", "reconcile"),
        ("He dumped me a month ago. I know he is the person I want to be with.", "reconcile"),
        ("She broke up with me. I love her. I can't imagine my life without her.", "reconcile"),
        ("He asked for a break. I told him I didn't want to end it.", "reconcile"),
        # Wanting out, before any breakup.
        ("He hits me when he is angry. I want to walk out now.", "move_on"),
        # Both wishes told: the question decides.
        (
            "He dumped me in May. I really want to get back together with him, but he is "
            "seeing someone. What can I do to get over this?",
            "move_on",
        ),
        # Stuck for now, and a threat on a condition: neither is the wish.
        ("He left me. I can't let go yet. I will move on soon if he doesn't stop.", "unclear"),
        # A time told by moving on is not the wish; the ex in another clause is not the
        # subject of the writer's hope.
        (
            "He broke up with me. I know he loves me and there is a possibility that we'll get "
            "back together. How long should I keep my heart open for him before I move on?",
            "reconcile",
        ),
        # The writer's state back then, told in the past.
        ("He broke up with me. I was so ready to work to make it work.", "unclear"),
        # The odds judged are not a wish.
        (
            "She ended it six weeks ago. I know that there isn't much hope of a reconciliation.",
            "unclear",
        ),
        # What the writer says they need is a wish too.
        ("We broke up a month ago and it is so hard. I need to heal.", "move_on"),
        # Leaving an abusive partner is the wish, told by the act; loving them still is not.
        ("He hit me and called me names for years. Last spring I finally left him.", "move_on"),
        (
            "He hit me and called me names for years. Last spring I left him. I still love him.",
            "unclear",
        ),
        # A second chance, the ex reconsidering or taking the writer back, hoped for.
        ("She left me a month ago. I love her and want a second chance.", "reconcile"),
        ("He dumped me. I want to see if he would reconsider being together.", "reconcile"),
        ("She ended it in May. Is there a chance she'll take me back?", "reconcile"),
        ("We broke up in May. Do you think she'll come back?", "reconcile"),
        ("She dumped me in May. Do I still have a chance?", "reconcile"),
        ("He left me. I still love him and hope we can fix this.", "reconcile"),
        ("He left me. I wish we could start over.", "reconcile"),
        ("He left me. I'm going to fight for us.", "reconcile"),
        ("He left me. I hope one day we find our way back to each other.", "reconcile"),
        ("She left me. How do I get my girlfriend back?", "reconcile"),
        ("He left me. I just want him to love me again.", "reconcile"),
        ("She left me. How can I stop obsessing over her?", "move_on"),
        ("He left me. I want nothing to do with him anymore.", "move_on"),
        ("He left me. I'm not going back this time.", "move_on"),
        ("We broke up and got back together twice. I want out of this for good.", "move_on"),
        ("He left me. She didn't even fight for me.", "unclear"),
        ("He left me. I used to want him back, but now I just want peace.", "move_on"),
        ("He left me. My mom thinks I should move on.", "unclear"),
        ("He left me. I'm not sure if I want him back.", "unclear"),
        # Both asked: the last question decides; torn both ways, nothing is decided.
        ("We broke up. How do I get over him? Or how can I win him back?", "reconcile"),
        ("We broke up. Part of me wants him back, part of me wants to move on.", "unclear"),
        # The ex's words and other people's advice are not the writer's wish.
        ("We broke up. He said he didn't want to get back together.", "unclear"),
        ("We broke up. My friends keep telling me to move on.", "unclear"),
        ("We broke up in May. How do I make her miss me and come back?", "reconcile"),
        ("We broke up in May. Is it possible to get back together after a year?", "reconcile"),
        ("We broke up in May. I don't want to go back to him.", "move_on"),
        ("We broke up in May. I wish he would just leave me alone.", "move_on"),
        ("We broke up. He wants to get back together but I'm not interested.", "move_on"),
        (
            "He left me a month ago after he said he needed space. Will he ever come back?",
            "reconcile",
        ),
        (
            "He called the wedding off. Should I ask him if he wants to try and work things out?",
            "reconcile",
        ),
        ("He left in June. I would want nothing more than to have him back home.", "reconcile"),
        # Friendship hoped for is not getting back together; no longer in love is moving on.
        (
            "We split years ago. I am not in love with him anymore. Is there any hope of being "
            "real friends?",
            "move_on",
        ),
        ("He cheated and left. I'm living my life happily without him.", "move_on"),
        # Not wishes to move on: who ended it, a thing not done, a supposition, someone
        # else's moving on, a condition on the ex, a choice put to someone else.
        ("He stopped trying, so I left. I was the one who let go.", "unclear"),
        ("It ended in spring. I loved him too much to let go back then.", "unclear"),
        ("She dumped me. It'd be easier to forget about her, right?", "unclear"),
        ("He blocked me. I believe people need whatever helps them move on.", "unclear"),
        ("She dumped me. If she gets married, I don't want her back.", "unclear"),
        ("She broke up with me. Do you think I should let it go?", "unclear"),
        # The ex's wish, carried over "and": "he is the one who wanted to ... and start over".
        ("We got back in touch. He is the one who wanted to talk and start over.", "unclear"),
        # Plain wishes either way, in our own words.
        ("He left in May. I just want things to go back to how they were.", "reconcile"),
        ("She left in May. I'd do anything to have her in my life again.", "reconcile"),
        ("He left in May. Is it possible to make him fall in love with me again?", "reconcile"),
        ("He left in May. I'm not ready to give up on us.", "reconcile"),
        ("He left in May. I still believe we're meant to be together.", "reconcile"),
        ("She left in May. I want to rebuild what we had.", "reconcile"),
        ("He left in May. I want us to be together again.", "reconcile"),
        ("He left in May. How do I find peace with this?", "move_on"),
        ("He left in May. I need to learn to live without him.", "move_on"),
        ("He left in May. I want to be happy again on my own.", "move_on"),
        # A fact told, not a wish: "I felt alone even when I didn't have him in my life".
        ("He left in May. I feel lonelier than when I didn't have him in my life.", "unclear"),
    ],
)
def test_the_goal(text: str, goal: str) -> None:
    assert facts(text)["goal"] == goal


def test_every_known_fact_and_every_flag_carries_exact_evidence() -> None:
    text = (
        "My husband left me two weeks ago after 8 years together. We still live together "
        "and share custody of our daughter. He cheated on me with a coworker and now he's "
        "dating her. I want him back. I've been drinking every night and started therapy."
    )
    reading = read_story(text).to_dict()
    abouts = {e["about"] for e in reading["evidence"]}
    for e in reading["evidence"]:
        assert text[e["start"] : e["end"]] == e["quote"]
    for name, value in reading["facts"].items():
        if value not in (None, "unclear"):
            assert name in abouts, name
    for name in reading["flags"]:
        assert name in abouts, name


# --- flags, with negations and figures of speech -----------------------------------------------


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("He broke up with me. He cheated on me with his ex.", "infidelity"),
        ("She dumped me. I cheated on her once and I regret it.", "infidelity"),
        ("He broke up with me again. He's so hot and cold with me.", "hot_and_cold"),
        ("We broke up. She keeps giving me breadcrumbs and mixed signals.", "hot_and_cold"),
        ("He dumped me. His drinking got worse every month.", "ex_substance"),
        ("She left me. She has a coke addiction.", "ex_substance"),
        ("He left me and I've been drinking every night.", "user_substance"),
        ("She dumped me. I was diagnosed with depression last year.", "user_mental_health"),
        ("He broke up with me. I started therapy this week.", "user_mental_health"),
        ("She broke up with me and we work together.", "shared_workplace"),
        ("He left me. Our son is 4.", "children"),
        ("She broke up with me. We lived together for two years.", "lived_together"),
        ("My fiancé broke up with me last night.", "engaged_or_married"),
        ("My wife asked for a divorce.", "engaged_or_married"),
    ],
)
def test_each_flag_is_found(text: str, flag: str) -> None:
    assert flag in flags(text)


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("He broke up with me. He never cheated, he just fell out of love.", "infidelity"),
        ("She dumped me. I was scared she was cheating but she wasn't.", "infidelity"),
        ("He left me. I dreamt he cheated on me.", "infidelity"),
        ("She broke up with me. I don't think I'm depressed, just sad.", "user_mental_health"),
        ("He broke up with me. We never lived together.", "lived_together"),
        ("She left me. We talked about moving in together.", "lived_together"),
        ("He dumped me. I thought we would get married.", "engaged_or_married"),
        ("She broke up with me. I was married for 9 years before her.", "engaged_or_married"),
        ("He left me. I don't drink.", "user_substance"),
        ("She dumped me. We talked about how many kids we wanted.", "children"),
        ("He broke up with me. Her coworker sent me the post.", "shared_workplace"),
    ],
)
def test_negations_hypotheticals_and_other_people_do_not_flag(text: str, flag: str) -> None:
    assert flag not in flags(text)


@pytest.mark.parametrize(
    "text",
    [
        "My boyfriend broke up with me. I could die of embarrassment lol.",
        "She dumped me. Today it hit me like a truck.",
        "He left me. I admit I was controlling at times.",
        "She broke up with me. I was abused by my dad as a kid and it still affects me.",
        "He dumped me because he came out of an abusive relationship and needs time.",
    ],
)
def test_figures_of_speech_and_other_actors_are_not_self_harm_or_abuse(text: str) -> None:
    found = flags(text)
    assert "self_harm" not in found
    assert "abuse" not in found


@pytest.mark.parametrize(
    "text",
    [
        "We broke up a month ago and I feel like ending my life.",
        "He left me. Last year I was suicidal for weeks.",
        "She broke up with me and life is a burden now.",
    ],
)
def test_self_harm_now_or_in_the_past_is_flagged(text: str) -> None:
    assert "self_harm" in flags(text)


@pytest.mark.parametrize(
    "text",
    [
        "My ex hit me and I finally left him.",
        "She broke up with me. She used to threaten me and check my phone.",
        "He dumped me and now he keeps showing up at my house uninvited.",
        "My boyfriend kept me away from my friends and made me feel crazy.",
    ],
)
def test_abuse_by_the_ex_is_flagged(text: str) -> None:
    assert "abuse" in flags(text)


@pytest.mark.parametrize(
    ("text", "pronoun", "words"),
    [
        ("My boyfriend dumped me and I keep checking his instagram.", "he", "his profiles"),
        ("My girlfriend dumped me and I keep checking her instagram.", "she", "her profiles"),
        ("My ex dumped me and I keep checking my ex's instagram.", "they", "their profiles"),
        ("He dumped me and I keep checking his instagram. He said he needed space.", "he", "his"),
    ],
)
def test_advice_uses_the_pronoun_the_story_implies(text: str, pronoun: str, words: str) -> None:
    reading = read_story(text)
    assert reading.pronoun == pronoun
    checking = next(a.text for a in reading.plan.advice if a.id == "checking_socials")
    assert words in checking


def test_my_new_boyfriend_is_not_the_ex() -> None:
    reading = read_story("My ex-girlfriend dumped me. My new boyfriend is kind.")
    assert reading.pronoun == "she"
    assert reading.facts.ex_new_partner is None


# --- safety overrides the program -------------------------------------------------------------


def test_crisis_puts_help_first_and_pauses_the_program() -> None:
    reading = read_story(
        "He broke up with me two weeks ago. I keep thinking about killing myself.", country="US"
    ).to_dict()
    plan = reading["plan"]
    assert reading["safety"]["crisis"] is True
    assert "self_harm" in reading["flags"]
    assert plan["advice"][0]["id"] == "help_first"
    assert plan["start_step"] is None
    assert plan["no_contact_days"] is None
    assert plan["reconcile_encouraged"] is False
    contacts = " ".join(r["contact"] for r in reading["safety"]["resources"])
    assert "988" in contacts


def test_crisis_lines_follow_the_country() -> None:
    text = "She dumped me and I don't want to be alive anymore."
    uk = read_story(text, country="GB").to_dict()["safety"]["resources"]
    assert any("116 123" in r["contact"] for r in uk)


def test_crisis_advice_never_mentions_a_method() -> None:
    reading = read_story("We broke up and I want to die.", country="US").to_dict()
    words = " ".join(a["text"] for a in reading["plan"]["advice"]).lower()
    for method in ("pill", "overdose", "rope", "bridge", "cut", "gun", "jump"):
        assert method not in words


def test_abuse_makes_no_contact_protection_and_does_not_encourage_reconciling() -> None:
    reading = read_story(
        "My husband hit me again last night. I left him and I want him back.", country="GB"
    ).to_dict()
    plan = reading["plan"]
    assert reading["safety"]["abuse"] is True
    assert plan["reconcile_encouraged"] is False
    assert [a["id"] for a in plan["advice"]][:2] == ["safety_first", "no_contact_protection"]
    assert plan["no_contact_days"] is None
    kinds = {r["kind"] for r in reading["safety"]["resources"]}
    assert "abuse" in kinds


def test_abuse_with_children_keeps_handovers_safe() -> None:
    text = "My ex-husband threatened me and hit me. We have two kids together."
    assert "co_parenting_safely" in advice_ids(text)


def test_resource_overrides_come_first() -> None:
    overrides = {"countries": {"US": {"crisis": [{"name": "Local line", "contact": "555-0100"}]}}}
    reading = read_story(
        "We broke up and I want to die.", country="US", resource_overrides=overrides
    )
    assert reading.safety.resources[0]["name"] == "Local line"


# --- the plan ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("situation", "days"),
    [
        (Situation(), NO_CONTACT_DEFAULT_DAYS),
        (Situation(flags=frozenset({"hot_and_cold"})), HOT_AND_COLD_DAYS),
        (Situation(contact="intimate", days_since_breakup=60), INTIMATE_DAYS),
        (Situation(contact="intimate", days_since_breakup=3), INTIMATE_FRESH_DAYS),
        (Situation(days_since_breakup=2), FRESH_DAYS),
        (Situation(days_since_breakup=200), NO_CONTACT_DEFAULT_DAYS),
    ],
)
def test_no_contact_length_fits_the_story(situation: Situation, days: int) -> None:
    assert no_contact_days(situation) == days
    assert days >= NO_CONTACT_MIN_DAYS


def test_the_numbers_are_ordered_as_documented() -> None:
    assert NO_CONTACT_MIN_DAYS == 14
    assert NO_CONTACT_MIN_DAYS <= NO_CONTACT_DEFAULT_DAYS < HOT_AND_COLD_DAYS <= INTIMATE_FRESH_DAYS


def test_a_story_with_a_full_no_contact_period_starts_at_step_two() -> None:
    reading = read_story("She dumped me. We've been no contact for 5 weeks now.")
    assert reading.plan.start_step == 2
    assert read_story("She dumped me. We've been no contact for 5 days.").plan.start_step == 1


def test_still_sleeping_together_and_fresh_gets_the_longest_no_contact() -> None:
    reading = read_story("He broke up with me 3 days ago but we are still sleeping together.")
    assert reading.plan.no_contact_days == INTIMATE_FRESH_DAYS
    assert "stop_sleeping_together" in [a.id for a in reading.plan.advice]


@pytest.mark.parametrize(
    ("text", "advice"),
    [
        ("She dumped me. I drunk texted her last night.", "drunk_texting"),
        ("He broke up with me and I begged him to stay.", "begging"),
        ("She left me and I messaged her new boyfriend.", "contacting_new_partner"),
        ("He dumped me and I keep checking his instagram.", "checking_socials"),
        ("She broke up with me but we work together.", "work_contact"),
        ("He left me. We have a daughter together.", "co_parenting"),
        ("She dumped me and she's already dating someone new.", "new_partner"),
        ("He broke up with me. How do I move on?", "closure"),
    ],
)
def test_advice_answers_what_the_story_shows(text: str, advice: str) -> None:
    assert advice in advice_ids(text)


def test_moving_on_turns_the_program_into_closure() -> None:
    plan = read_story("He broke up with me. I just want to get over him.").plan
    assert plan.reconcile_encouraged is False
    assert plan.advice[0].id == "closure"


def test_unavoidable_contact_is_brief_and_about_logistics() -> None:
    plan = read_story("She ended it, but we work together so I see her every day.").plan
    text = next(a.text for a in plan.advice if a.id == "minimal_contact")
    assert "brief" in text and "polite" in text


def test_advice_never_has_an_unfilled_placeholder() -> None:
    for situation in (
        Situation(crisis=True, abuse=True, flags=frozenset({"user_mental_health"})),
        Situation(abuse=True, flags=frozenset({"children", "user_substance", "ex_substance"})),
        Situation(
            flags=frozenset(FLAGS) - {"self_harm", "abuse"},
            mistakes=frozenset({"drunk_texting", "begging", "showing_up"}),
            contact="unavoidable",
            ex_new_partner=True,
            pronoun="she",
        ),
        Situation(goal="move_on", pronoun="he"),
    ):
        for advice in build_plan(situation).advice:
            assert "{" not in advice.text and "}" not in advice.text
            assert advice.text.strip()


def test_it_refuses_non_text() -> None:
    with pytest.raises(TypeError):
        read_story(None)  # type: ignore[arg-type]


def test_to_dict_has_the_documented_shape() -> None:
    reading = read_story("My boyfriend dumped me two weeks ago. We were together 2 years.")
    d = reading.to_dict()
    assert set(d) == {"is_story", "facts", "flags", "safety", "plan", "evidence"}
    assert set(d["facts"]) == {
        "days_since_breakup",
        "relationship_days",
        "who_ended",
        "contact",
        "ex_new_partner",
        "goal",
    }
    assert set(d["safety"]) == {"crisis", "abuse", "resources"}
    assert set(d["plan"]) == {
        "start_step",
        "no_contact_days",
        "reconcile_encouraged",
        "route",
        "reason",
        "question",
        "no_contact_left",
        "advice",
    }
    assert json.loads(json.dumps(d)) == d


def test_an_optional_space_is_optional() -> None:
    # " ?" in a phrase means the space may be left out: "breakup" and "break up" alike.
    from secondchance.analysis.text import expand

    pattern = re.compile(expand("break ?up", {}))
    assert pattern.fullmatch("breakup") and pattern.fullmatch("break up")


@pytest.mark.parametrize(
    ("text", "who"),
    [
        ("Since getting dumped in March I have been going to the gym every day.", "ex"),
        ("We dated for a year. In her breakup text she said she needed to find herself.", "ex"),
        ("We were together two years until he called it quits on me in the spring.", "ex"),
        ("Then everything changed because I left her to be with a coworker.", "user"),
        ("When I finally escaped, he kept trying to contact me.", "user"),
    ],
)
def test_who_ended_it_told_by_its_aftermath(text: str, who: str) -> None:
    assert read_story(text).facts.who_ended == who


def test_an_abuser_still_reaching_for_the_writer_keeps_safety_first() -> None:
    # Out of it, but he still tries to contact her: the abuse is not over.
    letter = (
        "You screamed at me every night and threatened my life. When I finally managed to "
        "escape (living with you was hell) you try and contact me still."
    )
    assert read_story(letter).plan.route == "safety"


@pytest.mark.parametrize(
    "text",
    [
        "We broke up in spring. I went cold turkey and it is hard but I am doing it.",
        "She left me last month. He won't return my calls and won't even mail my things back.",
        "He ended it in January. Today marks 45 days since we last had contact.",
        "We split up two months ago. I am not ready to be in contact with her yet.",
    ],
)
def test_no_contact_said_other_ways(text: str) -> None:
    assert read_story(text).facts.contact == "none"


@pytest.mark.parametrize(
    ("text", "route"),
    [
        (
            "We broke up a year ago. I am living the life I always wanted, with a man who "
            "truly makes me happy. Please stop texting me.",
            "move_on",
        ),
        (
            "He dumped me in May. I just want to be with a man who loves me, and I want him back.",
            "program",
        ),
    ],
)
def test_someone_new_now_is_not_someone_wished_for(text: str, route: str) -> None:
    assert read_story(text).plan.route == route
