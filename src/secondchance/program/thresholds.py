"""Every number the program's rules turn on, in one place, each with the reason for it."""

# Step 1. The coach's floor is "at least a couple of weeks": less than 14 days is not enough
# time for someone to notice an absence, so a shorter target is refused.
NO_CONTACT_MIN_DAYS = 14
# Three weeks is the default: above the floor, and long enough for steps 2 and 3 to take hold.
NO_CONTACT_DEFAULT_DAYS = 21
# Nobody needs a target longer than a year; a larger number is almost always a typo.
NO_CONTACT_MAX_DAYS = 365
# A slip this recent (in days) gets a kind word in today's plan instead of silence.
RECENT_SLIP_DAYS = 2

# Step 2: "calm and control, measured over days". Measures look at the last 7 local days.
WINDOW_DAYS = 7
# Fewer check-ins than this in a week and the measures would be guesses, so the gate waits.
MIN_CHECKINS_PER_WEEK = 4
# Average mood on the 1-10 scale at or above which a week reads as steady rather than low.
MOOD_AVERAGE_MIN = 6.0
# A falling trend steeper than this (mood points per day) means things are getting harder,
# even if the average still looks fine.
MOOD_TREND_MIN = -0.3
# Crying to sleep "night after night" is the pattern to break; one hard day a week is human.
CRYING_DAYS_MAX = 1
# "Did you cry?" is optional. With fewer answered days than this in the week, the tears count
# says nothing either way: the calm gate waits for answers instead of guessing a pass or a fail.
CRY_ANSWERS_MIN = 3
# "Checking his profile every few minutes" is the pattern; about once a day or less is control.
SOCIAL_CHECKS_PER_DAY_MAX = 1.0
# An urge acted on this week means the urge still has the upper hand.
URGES_ACTED_MAX = 0
# A trend needs at least this many check-ins to be more than noise.
MIN_POINTS_FOR_TREND = 3

# Replies to what was just logged (program/replies.py).
# Tears three local days running is "night after night": the crying spiral step 2 names.
CRYING_RUN_DAYS = 3
# A mood at or below this (1-10) is a low day; a week is low when its average is at or below
# it, or when most of its check-ins are.
LOW_MOOD_MAX = 3
# A week needs this many check-ins before it can be called low: one bad day is not a week.
LOW_MOOD_MIN_CHECKINS = 3
# Urges logged from 22:00 until 05:00 (the person's time) get the plan for weak moments:
# tired, alone, phone in hand, with the night ahead.
LATE_NIGHT_FROM_HOUR = 22
LATE_NIGHT_UNTIL_HOUR = 5

# Step 3: targets met for two weeks in a row before step 4.
SELF_FOCUS_WEEKS = 2
DEFAULT_EXERCISE_PER_WEEK = 3  # regular exercise restores energy and confidence
DEFAULT_FUN_PER_WEEK = 1  # going out with friends, or trying something new
DEFAULT_POSITIVE_PER_WEEK = 4  # gratitude and reframing, most days
DEFAULT_LOOK_PER_FORTNIGHT = 1  # a new outfit or hairstyle now and then, not a shopping spree
# Targets above these are refused: a plan nobody can keep helps nobody.
MAX_PER_WEEK = 21
MAX_PER_FORTNIGHT = 14

# Step 4: a readiness self-assessment older than this no longer says how someone feels now.
READINESS_VALID_DAYS = 14

# After re-contact: "not too often". You start at most this many conversations a day.
CONVERSATIONS_STARTED_PER_DAY_MAX = 1
# Keep it short: a conversation longer than this many messages has probably gone past "fun".
CONVERSATION_MESSAGES_MAX = 30
# Looking back this many days to see who is doing the reaching out.
PACING_WINDOW_DAYS = 14

# Crisis and abuse stay in view until the person says they're safe now (no expiry: one good
# evening is not the end of a hard time). Concern, heavy distress with no sign of risk, keeps a
# gentle line on Today for this many days after the last words that showed it: a reminder that
# never left would become a label.
CONCERN_REMINDER_DAYS = 14

# Move-on path: contact-free days worth marking.
MOVE_ON_MILESTONES = (7, 14, 30, 60, 90, 180, 365)

# Plans show at most this many actions: more than three is a to-do list, not a next step.
MAX_ACTIONS = 3
