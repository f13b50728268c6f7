"""Reading what people write, the way a coach would: pure, offline, explainable.

Public API (stable; used by the CLI, the web app and outside scripts):

- ``review(text, *, stage="first", memories=(), now=None, log=())`` -> ``Review`` (module ``draft``)
- ``read_story(text)`` -> ``StoryReading`` (module ``story``)
- ``safety.check(text)`` -> ``SafetyResult`` with ``.crisis``, ``.abuse``, ``.evidence``

Every result has ``.to_dict()`` giving plain JSON-ready data. Nothing here reads files other
than the package's own lexicons (loaded once), the clock, the network or a database.
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from secondchance.analysis.draft import review
    from secondchance.analysis.story import read_story

__all__ = ["read_story", "review", "safety", "warm_up"]


def warm_up() -> None:
    """Compile every lexicon and load the learned layer now (about 1.3 s, once a process), so
    that a server's first person after a start does not wait for it on their first note."""
    from secondchance.analysis.draft import review
    from secondchance.analysis.safety import compile_all
    from secondchance.analysis.story import read_story

    neutral = "We broke up two weeks ago. I went for a walk today and felt a little better."
    read_story(neutral)  # reads safety too
    review("haha remember the taco place? how was the trip?")
    compile_all()  # what these two texts did not need: safety's phrase buckets and rules


def __getattr__(name: str) -> Any:
    # Lazy so that `import secondchance.analysis.safety` alone stays cheap.
    if name == "review":
        from secondchance.analysis.draft import review

        return review
    if name == "read_story":
        from secondchance.analysis.story import read_story

        return read_story
    if name == "safety":
        import secondchance.analysis.safety as safety

        return safety
    raise AttributeError(name)
