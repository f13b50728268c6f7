"""Help lines by country, for when ``safety.check`` finds crisis or abuse.

The lines live in ``data/resources.toml``. Each list ends with the number to call in
immediate danger, because that is the one line that always applies.

``overrides`` lets the app add lines (a local service, a line in another language) without
editing the package. It has the same shape as the data file::

    {"countries": {"US": {"crisis": [{"name": "...", "contact": "..."}]}},
     "generic": {"abuse": [{"name": "...", "contact": "..."}]}}

Added lines come first: what the app was configured with is the most specific help it has.
A line whose contact repeats one already listed is dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from secondchance.analysis.lexicon import load

if TYPE_CHECKING:  # pragma: no cover
    from secondchance.analysis.safety import SafetyResult

__all__ = [
    "Resource",
    "abuse_lines",
    "countries",
    "country_from_locales",
    "country_names",
    "crisis_lines",
    "for_result",
    "listed",
]

# Common names people use for a country that are not its ISO code.
_ALIASES = {"UK": "GB", "EIRE": "IE", "USA": "US"}
_DANGER = "If you are in danger right now"


@dataclass(frozen=True, slots=True)
class Resource:
    """One place to get help. ``country`` is an ISO code, or None for the worldwide fallback.

    ``kind`` is ``"crisis"``, ``"abuse"`` or ``"emergency"``.
    """

    name: str
    contact: str
    country: str | None
    kind: str

    def to_dict(self) -> dict[str, Any]:
        """Return ``{"name", "contact", "country", "kind"}``."""
        return {
            "name": self.name,
            "contact": self.contact,
            "country": self.country,
            "kind": self.kind,
        }


def crisis_lines(country: str | None, overrides: Mapping[str, Any] | None = None) -> list[Resource]:
    """Return crisis lines for ``country`` (ISO code, any case), ending with emergency.

    An unknown, empty or None country gets the worldwide fallback. Never returns an empty list.
    """
    return _lines("crisis", country, overrides)


def abuse_lines(country: str | None, overrides: Mapping[str, Any] | None = None) -> list[Resource]:
    """Return domestic-abuse lines for ``country``, ending with the emergency number.

    An unknown, empty or None country gets the worldwide fallback. Never returns an empty list.
    """
    return _lines("abuse", country, overrides)


def for_result(
    result: SafetyResult, country: str | None, overrides: Mapping[str, Any] | None = None
) -> list[Resource]:
    """Return the lines that fit a safety result: crisis lines first, then abuse lines.

    Empty when the result shows neither. The emergency number appears once, at the end.
    """
    found: list[Resource] = []
    if result.crisis:
        found += crisis_lines(country, overrides)
    if result.abuse:
        found += abuse_lines(country, overrides)
    lines = [r for r in found if r.kind != "emergency"]
    emergency = [r for r in found if r.kind == "emergency"][:1]
    return _unique(lines + emergency)


def countries() -> list[str]:
    """Return the ISO codes that have their own listing, sorted."""
    return sorted(_data()["countries"])


def country_names() -> dict[str, str]:
    """Return ``{ISO code: country name}`` for every country with its own listing, by name.

    What a person picks from when choosing where they are (anywhere else gets the general lines).
    """
    names = [(code, str(entry.get("name", code))) for code, entry in _data()["countries"].items()]
    return dict(sorted(names, key=_by_name))


def listed(country: str | None) -> str | None:
    """Return the ISO code of ``country`` if it has its own listing (any case, "UK" too), else
    None: the caller shows the general lines then."""
    code = _code(country)
    return code if code in _data()["countries"] else None


def country_from_locales(locales: Iterable[str]) -> str | None:
    """Return the first listed country named by a locale's region, in the order given.

    ``["en-GB", "en"]`` gives "GB"; a language alone (``"en"``) names no country, and a region
    without its own listing is skipped. None when no locale names a listed country.
    """
    for locale in locales:
        parts = locale.replace("_", "-").split("-")
        # The region is the first two-letter subtag after the language ("zh-Hant-TW" -> TW).
        region = next((p for p in parts[1:] if len(p) == 2 and p.isalpha()), None)
        found = listed(region)
        if found:
            return found
    return None


def _by_name(item: tuple[str, str]) -> str:
    return item[1]


def _lines(kind: str, country: str | None, overrides: Mapping[str, Any] | None) -> list[Resource]:
    sources = (overrides or {}, _data())
    code = _code(country)
    where = code if any(code in s.get("countries", {}) for s in sources) else None
    found: list[Resource] = []
    emergency = ""
    for source in sources:
        entry = _entry(source, where)
        found += [_resource(item, where, kind) for item in entry.get(kind, ())]
        emergency = emergency or entry.get("emergency", "")
    # A country the app added without its own emergency number still gets the general one.
    emergency = emergency or _data()["generic"]["emergency"]
    found.append(Resource(_DANGER, f"Call {emergency}", where, "emergency"))
    return _unique(found)


def _entry(source: Mapping[str, Any], code: str | None) -> Mapping[str, Any]:
    if code is None:
        return source.get("generic", {})
    return source.get("countries", {}).get(code, {})


def _resource(item: Mapping[str, Any], country: str | None, kind: str) -> Resource:
    return Resource(str(item["name"]), str(item["contact"]), country, kind)


def _code(country: str | None) -> str:
    code = (country or "").strip().upper()
    return _ALIASES.get(code, code)


def _unique(resources: list[Resource]) -> list[Resource]:
    seen: set[str] = set()
    kept = []
    for r in resources:
        if r.contact not in seen:
            seen.add(r.contact)
            kept.append(r)
    return kept


def _data() -> dict[str, Any]:
    return load("resources")
