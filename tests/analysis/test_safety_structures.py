"""Plain-word signs read as structures: who acts, what is over, what is only "if".

The sentences here are our own, written for these tests; none comes from the test half of
``tests/data/safety/sentences_test.jsonl``.
"""

from __future__ import annotations

import pytest

from secondchance.analysis import safety


def assert_found(text: str, flag: str) -> None:
    """The flag ("crisis" or "abuse") is raised, with evidence of its own kind."""
    result = safety.check(text)
    assert getattr(result, flag)
    assert any(e.about.startswith(flag + ".") for e in result.evidence)


@pytest.mark.parametrize(
    "text",
    [
        "honestly I don't think I'll be around long enough to see the spring",
        "not sure I'll make it through the weekend on my own",
        "I can't keep myself safe tonight",
        "I don't trust myself to be alone right now",
        "it would be kinder to my family if I wasn't around",
        "I've been giving my books and clothes away to friends",
        "please look after my dog when I'm gone",
        "I keep thinking about suicide since she left",
        "relapsed on self harm last night",
        "watched a film about a breakup and now I want to die",
        "I tried to end my life in 2015 and lately I think about it again",
        "there was a time I wanted to die. it's back and it's worse",
        "this is the last time you'll hear from me, tell everyone I'm sorry",
        "I'm tired of breathing honestly",
        "I can't be trusted on my own tonight",
        "I've got enough tablets put aside now",
        "finished the goodbye letters last night",
        "I'm so tired of living. I don't see the point",
        "I can't do this anymore.",
        "I don't have another week in me",
        "I'd rather disappear and never come back",
        "sh again last night, third time this week",
        "tying up loose ends before I go",
        "last night I searched how far down the drop from the overpass is",
        "honestly nobody would even notice if I wasn't around",
    ],
)
def test_plain_word_crisis_is_found(text: str) -> None:
    result = safety.check(text)
    assert result.crisis or result.concern
    assert result.evidence


@pytest.mark.parametrize(
    "text",
    [
        "he takes my whole paycheck and I have to ask him for bus money",
        "she makes me share my location all day",
        "I have to keep my location on for her 24/7",
        "he would always swear that didn't happen, even when I had the texts",
        "I argued with her until I was convinced I was losing my mind",
        "he has to approve everything I buy",
        "he put a tracker on my car",
        "my ex keeps calling from blocked numbers",
        "I'm walking on eggshells around him every evening",
        "I'm afraid of what he'll do when he finds out I'm leaving",
        "he pressures me into sex when I say no",
        "I said stop and he kept going",
        "he said he'll post the photos if I don't come back",
        "he blocks the door so I can't leave the room",
        "he was controlling back in 2019 and he still turns up outside my work",
        "he hit me two years ago and last week he did it again",
        "she took out two loans in my name and I only found out from the bank",
        "he goes through every message I get and makes me block any guy who texts",
        "my ex made a fake account to watch my stories",
        "he said he'd get me deported if I ever told anyone",
        "every time I say no he keeps asking until I give in, so now I just go along with it",
        "she smashed my phone when I was texting my sister",
        "he still has my passport and says I get it back if I apologise",
        "my heart drops when the car pulls up in case it's him in a mood",
        "my ex slapped me at the school gate this morning",
        "she said she'd ruin my career if I told anyone",
        "he told me it would be a shame if anything happened to my car",
        "he threatened to out me to my parents",
        "I said no twice and he kept going",
        "I told him I was too tired and he didn't stop",
        "she keeps pushing for sex even when I'm sick",
        "he still won't give me my passport back",
        "he put cameras in the flat and comments on what I did all day",
        "I'm walking on eggshells every evening",
        "he sat there holding a knife while he told me what I'd done wrong",
        # The forms of coercive control that advocates list, in our own everyday sentences.
        "he keeps his hunting rifle on the table when we argue",
        "he gives me this look and I know I'm in trouble later",
        "I don't know how much money we have, he handles all of it",
        "she makes me feel guilty for seeing my sister",
        "he uses the kids to pass messages and check up on me",
        "he uses the handovers to have a go at me",
        "he treats me like a maid",
        "I'm only allowed to leave the house with him",
        "he turns up wherever I am",
        "he sends me dozens of messages a day if I don't answer",
        "he forced me to watch porn",
        "I'm afraid to say no to him in bed",
        "he wakes me up at night to argue",
        "he stops me from going to the doctor",
        # Control told by its effects on a day.
        "he has the only set of keys to the flat",
        "if I'm five minutes late home there's hell to pay",
        "I'm not to speak at dinner unless he asks me something",
        "he times how long I'm at the shops",
        "I've learned to keep quiet so he doesn't explode",
        "I lie to my friends about the bruises",
        "he cancelled my phone contract and put it in his name",
    ],
)
def test_coercive_control_is_found(text: str) -> None:
    assert_found(text, "abuse")


@pytest.mark.parametrize(
    "text",
    [
        # The past that is over: a time long gone and a present that is plainly different.
        "when I was 17 I wanted to die every day. I'm 40 now and in a good place",
        "I tried to end it once, at 19. That was twenty years ago, and this is nothing like that",
        "I used to hurt myself in my teens, but I've been fine for years",
        "my first husband used to hit me, but that was in the 90s and my husband now is kind",
        # "If I ever": a question about help, not a sign.
        "if I ever felt suicidal, who would I call here?",
        "if I ever started self-harming again I'd tell my GP straight away",
        # Breakup sadness and ordinary words.
        "I cried all night and I miss him so much it hurts",
        "I'm scared of him leaving me for someone else",
        "I gave all his things away to the charity shop",
        "doing a presentation on youth suicide prevention for my placement next week",
        "we watched a film where the main character self harms, it was done carefully",
        "my uncle died by suicide when I was a baby and nobody mentions him",
        "raising money for a self harm charity with a sponsored swim",
        "I used to want to die every day at school. I'm a teacher now and I love my life",
        "I overdosed in 2012. I'm alive, and these days I run a support group",
        "back in my late teens I hurt myself a lot. I have healthier ways now",
        "there was a time I wanted to die every day. this breakup isn't that",
        "wrote a goodbye letter to the relationship and burned it, felt great",
        "hit myself on the forehead when I saw I'd texted the wrong person",
        "I used to hurt myself but I haven't in over a year now",
        "I'm so tired of living out of a suitcase since the split",
        "i can't do this anymore with him, the on and off is killing my sleep, I'm ending it",
        "I'll scream if I hear our song one more time in this café",
        'the song goes "I don\'t want to live without you" and I used to love it',
        "my second husband was controlling with everything, we divorced in 2009 and I'm remarried",
        "an old boyfriend used to follow me home, that was over a decade ago and I'm safe now",
        "did a course on domestic abuse for work, really useful",
        "reading a thriller where the husband tracks her phone, can't put it down",
        "the ending of that film punched me in the gut",
        "that song kicked me right in the feels",
        "he never forced me into anything, we just wanted different things",
        "I made new accounts to message him after he blocked me, not proud of it",
    ],
)
def test_what_is_over_or_only_if_raises_nothing(text: str) -> None:
    result = safety.check(text)
    assert not (result.crisis or result.concern or result.abuse), result.evidence


def test_the_answer_to_an_if_is_still_read() -> None:
    """Only the condition is set aside: what the writer says they would do still counts."""
    assert safety.check("if I ever see him with her I'll kill myself").crisis


def test_a_recent_past_of_abuse_is_still_abuse() -> None:
    """Leaving and feeling better is not a past that is over for the abuse flag."""
    assert safety.check("he used to hit me. I left last month and I'm doing better now").abuse


@pytest.mark.parametrize(
    "text",
    [
        # The writer rules out the harmless reading of their own words.
        "counting the days till I'm gone. not moving-away gone",
        "I want to send her a goodbye. like an actual goodbye. not see you later",
        "I'm stepping away from everything, not just him",
        # Arrangements for after, and love sent "whatever happens".
        "sorted it so the cat has somewhere to live if anything happens to me",
        "please tell my sister I love her, whatever happens",
        "I'm sorry for what I'm about to do",
        "the letters are in the drawer for after",
        "I've picked a day.",
        "I know where and when now. where, when",
        # Care after an attempt, and what is said about it.
        "they pumped my stomach last weekend and I'm home now",
        "I tried last Saturday. nobody knows",
        "discharged this morning and the nurses think I'm fine now. I'm not",
        # Self-harm told by what is done to the skin.
        "scratched my arms raw again tonight",
        "been cutting. every night this week",
    ],
)
def test_goodbyes_arrangements_and_hidden_harm_are_found(text: str) -> None:
    result = safety.check(text)
    assert result.crisis or result.concern, text
    assert result.evidence


@pytest.mark.parametrize(
    "text",
    [
        # Rules the writer lives by, and what happens if they are broken.
        "I have to answer within ten minutes or she rings my office twenty times",
        "if I'm late home he locks me out",
        "I'm only allowed to visit my parents if he drives me there",
        "he decides what I wear and who I text",
        "I need his permission to buy groceries",
        # Acts done so the writer can't leave or get help.
        "she took the battery out of my car so I can't get to work",
        "he hid my inhaler when I said I wanted to go",
        # Accounts and whereabouts followed; people sent.
        "my ex logged into my instagram and changed my password again",
        "he is using my son's tablet to track me",
        "she sends her brother to watch me at the gym",
        "my ex is parked outside my flat right now",
        # Stories told about the writer; a threat tied to an open choice.
        "he tells the kids mummy is crazy",
        "if I so much as talk to a lawyer he'll make sure I never see the kids",
        "he said I'd be sorry if I went to my sister's for christmas",
        # What the writer does to stay safe, and fear told by the body.
        "my hands shake every time his name lights up my phone. I listen for his car all night",
        "I keep a bag packed by the door just in case",
    ],
)
def test_abuse_told_by_rules_acts_and_safety_steps_is_found(text: str) -> None:
    result = safety.check(text)
    assert result.abuse, text
    assert result.evidence


@pytest.mark.parametrize(
    "text",
    [
        # The writer's own acts and admissions.
        "I gaslit him for months about the money and I'm ashamed of it",
        "I sold my guitar because I needed rent money",
        "I made new numbers to text her after she blocked me, I've stopped now",
        # Quotes, reading and other people.
        "the song goes 'I don't want to live forever' and it's stuck in my head",
        "my friend said her ex keeps turning up at her work",
        "he told me I was crazy for wanting to try again, fair enough",
        # Ordinary plans and goodbyes.
        "picked a date to move out. end of the month",
        "I wrote him a goodbye letter for closure and tore it up",
        "I told him to stop texting me and blocked him",
        # Words a breakup story uses for no contact and heartbreak, two at a time.
        "I did it again. I texted him at 2am after two glasses of wine. I'm done.",
        "No more. I've decided. I'm blocking him tonight for good.",
        "30 days no contact, then I relapsed. 30 days clean, gone. Back to day one.",
        "my heart races every time his name pops up and I still listen for his car",
        "he still has my Netflix password lol, I should change it",
        # The same structures in their everyday sense.
        "Not moving away, just moving on. That's the plan.",
        "Made sure the cat has somewhere to go when I move in with my sister.",
        "Whatever happens, remember I tried my best in this relationship.",
        "The letters are in the drawer, the ones he wrote me when we met.",
        "I don't know how much longer I can hold on to this relationship.",
        "Everything I own goes to storage next week when I move.",
        # A past that is over.
        "an ex threatened me years ago but that's long gone now",
    ],
)
def test_admissions_quotes_and_ordinary_plans_stay_clear(text: str) -> None:
    result = safety.check(text)
    assert not (result.crisis or result.concern or result.abuse), result.evidence


@pytest.mark.parametrize(
    "text",
    [
        # (a) The partner holds or watches the writer's things and channels.
        "my husband takes my phone every evening and hands it back in the morning",
        "she pulled the sim out of my phone and kept it in her pocket",
        "he's taken the charger to his mate's so I can't ring anyone",
        "my girlfriend checks the call log every night before bed",
        "he opens my post and reads my bank letters first",
        "don't message me, she reads them all",
        "he put a tracker on my bike last month",
        "my partner gives me exactly the bus fare and nothing else",
        # (b) An ordinary wish given up for what comes after.
        "would love to go to the quiz but I'll get the silent treatment for days",
        "skipping the wedding, not worth the grief when I get home",
        "no point going to the party if I'll pay for it all week",
        "I'd like to see my mate but he'll find out and then it'll be worse",
        # (c) Injuries covered with a story.
        "I'll tell work I tripped over the dog again",
        # (d) Legal and safety scaffolding told in passing.
        "we've been staying at a women's refuge since Tuesday",
        "there's a non-molestation order but he still drives past",
        "my ex is not permitted to collect my daughter from nursery",
        "he has breached his bail conditions again",
    ],
)
def test_abuse_told_by_its_effects_on_a_life_is_found(text: str) -> None:
    result = safety.check(text)
    assert result.abuse, text
    assert not result.crisis, result.evidence


@pytest.mark.parametrize(
    "text",
    [
        # The writer's own jealous checking, or their own things.
        "I check his instagram every night, I know I shouldn't",
        "I took my phone to bed and reread our old messages",
        "I want to post a new pic but he'll see it and think I'm not over him",
        "I want to text him but he'll know I still care",
        # A friend's or a stranger's story, and the word in its other senses.
        "my friend's sister is at a refuge now and doing well",
        "music has been my refuge since the breakup",
        "I went to a refuge years ago and we're all safe now",
        # Ordinary falls, money and keys.
        "I fell off my bike on the way to work, my knee is a mess",
        "my dad gives me exactly enough for rent while I study",
        "I keep my spare key at my sister's in case I lock myself out",
        "he ghosted me and I'll never see him again",
        # The forms of control's words in an ordinary life.
        "I keep a knife in the kitchen drawer",
        "my dad treats me like a child",
        "I make every decision myself now",
        "he handles all of it, the wedding planning I mean",
        "I'm afraid to say no to my boss",
        "I treat my dog like a baby",
        "I handle all the money in our house",
        "she makes every decision about the holiday and I love it",
        "I know I am in trouble later with my boss lol",
        "my mum keeps my passport safe for me",
        "if I don't finish this essay there's hell to pay at school",
        "I keep quiet in meetings so my boss doesn't notice me",
        "I put the house in my name after the divorce",
        "she times how long I'm on the treadmill, she's my coach",
        "I know something bad is coming, I can feel it in my gut",
    ],
)
def test_breakup_sentences_with_the_same_words_stay_clear(text: str) -> None:
    result = safety.check(text)
    assert not (result.crisis or result.abuse), result.evidence


@pytest.mark.parametrize(
    "text",
    [
        "most days I wake up and am disappointed. it's been months",
        "would anybody even notice if I wasn't here",
        "I'd genuinely rather be dead than keep feeling this",
        "I've got a rough plan. Not a date yet.",
        "I survived an attempt in the spring and the thoughts are back",
        "I keep picturing my own funeral and who would turn up",
        "I just feel like I don't belong in this world",
        "I'm tired of waking up. every morning is the same",
        "I'm a weight round my family's necks and they'd cope better without it",
        # Warning signs crisis lines teach people to listen for.
        "the pain is unbearable and I can't see it ending",
        "tonight feels like the night",
        "I burned myself with a lighter after he left",
        "I've been standing on the edge of the roof at night",
    ],
)
def test_crisis_told_by_waking_funerals_and_plans_is_found(text: str) -> None:
    assert_found(text, "crisis")


@pytest.mark.parametrize(
    "text",
    [
        "I woke up and was disappointed the bakery was shut",
        "would anyone notice if I dyed my hair pink",
        "I'd honestly rather die than text him first lol",
        "tidying up loose ends at work before my holiday",
        "so tired of waking up alone since he moved out",
        "I want to properly disappear from his feed",
        "I've got a plan. not telling anyone till it's done, new haircut incoming",
        # The warning signs' words on an ordinary day.
        "tonight is the night! first date in 3 years",
        "today is the day.",
        "I burned myself cooking pasta",
        "I made a will when my daughter was born",
        "this breakup is unbearable",
        "we sat on the edge of the pier and watched the sunset",
    ],
)
def test_everyday_senses_of_the_crisis_structures_stay_clear(text: str) -> None:
    result = safety.check(text)
    assert not (result.crisis or result.concern), result.evidence
