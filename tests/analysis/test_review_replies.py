"""Once talking again, a short kind or practical text is worth sending; the same shapes
carrying a jab, his love life or the relationship are not.

Every sentence here was written for this test (none comes from the labelled sets).
"""

from __future__ import annotations

import pytest

from secondchance.analysis import review


@pytest.mark.parametrize(
    "text",
    [
        # Light replies: a laugh that answers him.
        "Haha no, I never got around to it",
        "lol that's so you",
        # Short agreeing replies and reactions.
        "Nope, not yet",
        "That makes sense",
        "That's fair. Let me know what works for you",
        "I had no idea! That's wild",
        "Thanks! It was a long day but worth it",
        # Sympathy and condolence.
        "I'm so sorry about your dog. She was the sweetest.",
        "I'm sorry you're going through that, that sounds really hard",
        "Oh that's annoying, hope they fix it soon",
        # Wishes and asking after his news.
        "Hope the move went smoothly!",
        "Safe travels!",
        "Good morning! Hope you have a great first day at the new job",
        "Congrats on the new job!",
        "How was the trip?",
        "Happy Thanksgiving! Hope you're well, would love to catch up sometime.",
        # Practical texts.
        "Just a heads up, Sam needs his inhaler in his bag.",
        "I can't do Saturday, but Sunday works",
        "Emma is sick so she'll stay home today, I'll keep you posted",
        "Can I come by to grab my bike sometime this week?",
        "Hey, is it still ok if I borrow the drill? My sister's been complaining her shelf is"
        " crooked and broken.",
        # Thanks for what he does for the kids.
        "Thank you for always being there for the kids",
        "Thanks for always supporting Mia at her games",
        "Thank you for raising the kids with me regardless of our separation.",
        # Two short sentences, a little over 30 words.
        "Hey! I was just reading the paper and saw the food festival is back this year. I know"
        " how much you like those dumpling stalls so I thought I'd tell you!",
        "Hopefully sleeping in all weekend.",
        # A reply after a hello, a laugh at the end, a question about his dogs, a reminder.
        "Hey! Yes I'm doing well, thanks for asking. Hope you're good too",
        "Omg I saw that too 😂",
        "hey how are the dogs doing?",
        "Please remember to pack her swimsuit for Saturday",
        # Practical texts that use the relationship rules' words plainly.
        "There's a road closure on Main St so take the highway to drop off the kids",
        "Both of us need to sign the permission slip by Friday",
        "Can you and I split the cost of the school trip? It's $120",
        "We need to talk about the schedule for Thanksgiving",
        "The divorce papers came, I'll drop your copy off Tuesday",
        "Our house sold! Closing is on the 15th, I'll send you the paperwork",
        "Can we talk about Jake's grades sometime this week?",
        "Did you hear the band is getting back together?! 😂",
        # Appreciation, praise, greetings passed along, a pleasantry after meeting.
        "I appreciate you letting me know",
        "Thinking of you and your family during this time",
        "Fingers crossed for you!",
        "Tell your sister I said hi",
        "It was nice seeing you at the wedding, hope the drive home was ok",
        "np!",
        "kk see u then",
        "Thank you! Not a big fan of the holiday myself... call me a grump!",
        # Callbacks to what the two of you know, and a teaser that invites a reply.
        "I just tried to make your famous chili and almost burned the kitchen down",
        "OMG I just watched the new Star Wars and thought you'd love the ending",
        "Just saw the Cubs won, bet you were going crazy",
        "Guess what song just came on the radio 😂",
        "I just saw a guy wearing the exact same ugly Christmas sweater you had",
        "I changed my number, this is the new one",
        "Let me check my schedule and get back to you tomorrow",
        # Co-parenting news and business.
        "I received the check, thank you.",
        "I've attached the receipt for the dentist. Your half is $40.",
        "I understand you're frustrated. Let's focus on what works for Emma.",
        "Jake scored his first goal today, thought you'd want to know",
        "Lily lost her first tooth! She was so excited",
        "see you at 5!",
        "Hope you're doing well! The kids say hi",
        "Mom says hi btw",
        "I'm okay, a little tired but good",
    ],
)
def test_it_sends_a_kind_or_practical_text_once_talking(text: str) -> None:
    result = review(text, stage="ongoing")
    assert result.verdict == "send", [(f.rule, f.quote) for f in result.findings]


@pytest.mark.parametrize(
    "text",
    [
        # The same shapes with a jab, a hurt or his love life in them.
        "Nope, not after what you did to me",
        "That sucks, I guess I meant nothing to you",
        "Makes sense why you left me",
        "Thanks for always being late",
        "thanks for always making me wait",
        "How was the date last night?",
        "How's the new girlfriend?",
        "How was the trip? Saw the pics on insta",
        "Did you get the new job? Your sister told me",
        "haha Everyone knows what you did.",
        "haha So that's why you were always on your phone.",
        "Hmm yeah there's probably a reason for that.",
        # The relationship in its quieter shapes.
        "You are the reason I believe in love",
        "Found a photo of us at the lake, so cute",
        "I know you don't want to hear from me, but happy birthday",
        "You were a terrible husband but you're a good dad",
        "It still smells like you.",
        "I'll always treasure the memories we made together. Happy birthday.",
        "Of course, if you think it's best for the kids to miss their game, I'll keep them home",
        "You always change the plan at the last minute and never think about us.",
        "How can we co-parent when you're always overreacting?",
        "Would love to catch up sometime over drinks, just us",
        "I saw you with her at the mall 😂",
        "Hey! Yes I'm doing well, no thanks to you",
        "hey how are the two of you doing?",
        # Guilt, jealousy and the relationship dressed politely.
        "I hope she knows how lucky she is",
        "Glad you're happy now. Some of us are still picking up the pieces.",
        "You taught me what real love feels like and I'll always be grateful",
        "Just so you know, the door is always open",
        "I'm not mad, just disappointed",
        "Is she the reason you ended things?",
        "Who are you spending Christmas with?",
        "Can we at least be civil for the kids' sake? You're making this so hard",
        "Why are you being so cold?",
        "You were my first love and nothing will change that",
        "Remember how happy we were?",
        "Sorry for texting, I just really needed to hear your voice",
        # ...and the same words about the two of you.
        "Can we talk about the other night?",
        "I miss our house",
        "Both of us know this is not over",
        "Are we getting back together?",
        "I found the letters you wrote me. I read them all again.",
        "Proud of you, I just wish you had been this way with me",
        # Wishes and thanks that carry the relationship or a guilt trip.
        "Merry Christmas. This time last year we were at your parents'",
        "Congrats! I'm proud of the man you've become",
        "Happy Valentine's Day",
        "Happy birthday to the one who got away",
        "I wish you all the best, you'll always be my person",
        "Thank you for the best 3 years of my life",
        "You're going to be a great dad, she's lucky",
        "Hope you're sleeping well at night",
        "Nice to know I was so easy to replace",
        "Not that you care, but I got the job",
        "I guess I'll just raise the kids by myself then",
        "Glad one of us is having fun",
        "Hey you, long time. You still owe me a dinner 😉",
        # Checking up, pressure, insults and guilt in short shapes.
        "Who's the girl in your new pic?",
        "Call me back right now",
        "Come on, just one drink",
        "You'll regret this",
        "She can have you",
        "Honestly you were never that great anyway",
        "Still waiting on that apology btw",
        "Must have been easy for you",
        "I knew you'd never change",
        "I can see you from here lol",
        "nice, real nice",
    ],
)
def test_it_holds_back_the_same_shapes_when_they_hurt(text: str) -> None:
    result = review(text, stage="ongoing")
    assert result.verdict != "send", [(f.rule, f.quote) for f in result.findings]
