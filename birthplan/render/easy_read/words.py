"""The Easy Read part of a template pack: fixed sentences and the pictures beside them.

``easy_read/<language>.yaml`` holds every fixed sentence (``**bold**`` marks
the important words); ``easy_read/pictures.yaml`` names the picture for each
point and its alt text in every language. Both are checked before anything is
written, so a pack with a missing sentence or picture fails with the file and
the key to fix.
"""

from __future__ import annotations

import re
import string
from pathlib import Path

from birthplan.render.easy_read.model import Line, Picture, Run
from birthplan.render.i18n import Phrase, PlanWords
from birthplan.render.packs import PackError, _read_yaml

FOLDER = "easy_read"
PICTURES_FILE = f"{FOLDER}/pictures.yaml"
TOPICS = ("with_me", "wishes", "labour", "must_not_come", "after_birth", "if_separated", "law",
          "appointments", "help", "words", "about")
# The parents' birth wishes in their own words, each after a fixed sentence naming it
# ("wish_<name>") with its own picture ("wish_<name>"); birth partners are under "with_me".
WISHES = ("pain_relief", "skin_to_skin", "feeding", "cord_clamping", "vitamin_k", "photos",
          "religious_needs", "dietary_needs", "students_present", "positions", "monitoring", "placenta",
          "bcg", "induction", "caesarean", "special_care", "other")
# The legal position, one fixed sentence per set value ("<field>_<value>") and per fact.
LAW_VALUES = {
    "plan_type": ("none", "child_in_need", "child_protection", "care_and_support_protection"),
    "category": ("neglect", "emotional_abuse", "physical_abuse", "sexual_abuse"),
    "stage": ("none", "pre_proceedings", "proceedings_at_birth", "interim_care_order_sought"),
    "decision": ("none", "not_asked", "agreed", "not_agreed", "withdrawn"),
    "father": ("married", "named_at_registration", "none"),
}
LAW_SENTENCES = (
    *(f"{field}_{value}" for field, values in LAW_VALUES.items() for value in values),
    "child_in_need_note", "protection_note", "plan_date", "worried_about",
    "plo_letter", "pre_proceedings_meeting", "pre_proceedings_name", "judge", "solicitor_free",
    "solicitor", "solicitor_from", "solicitor_find",
    "accommodation_proposed", "accommodation_asked", "accommodation_law", "accommodation_choice",
    "accommodation_ask_solicitor", "accommodation_change_mind", "legal_advice_yes", "legal_advice_no",
    "decision_date",
    "first_hearing", "remote_hearing_yes", "remote_hearing_no", "remote_hearing_yes_if_case",
    "remote_hearing_no_if_case", "court_transport", "court_help",
    "mother_yes", "mother_no", "mother_ask", "father_ask",
)
SENTENCES = (
    "birth_partner", "birth_partner_relationship", "birth_partner_wish", "no_birth_partners",
    "place_of_birth", "labour_tell", "tell_in_hours", "tell_out_of_hours", "must_not_visit", "why",
    "action_call_security", "action_call_police", "action_refuse_entry", "action_inform_social_worker",
    "ward_none", "ward_observations", "ward_observations_note", "ward_supervision",
    "ward_supervision_note", "baby_health", "planning_meeting", "planning_meeting_past", "baby_goes_to", "collected_by",
    "support_at_home", "who_tells", "when_told", "what_told", "time_together", "photos", "memory_box", "scent_swap", "family_time",
    "support_for_me", "appointment_what", "appointment_when", "appointment_where", "appointment_with",
    "appointment_note", "no_appointments", "contact", "contact_from", "contact_phone",
    "contact_hours", "advocate", "out_of_hours", "emergency", "meeting_date", "meeting_date_draft",
    "meeting_date_draft_past", "not_agreed_yet",
    "next_review", "next_review_past",
    "version", "version_none", "draft", "changed", "changed_ask", "unchanged", "keep_safe",
    "pictures_credit",
    *(f"wish_{name}" for name in WISHES), *LAW_SENTENCES,
)
ROLES = ("social_worker", "team_manager", "emergency_duty_team", "community_midwife",
         "safeguarding_midwife", "health_visitor", "gp", "key_worker", "other")
CALLED = tuple(role for role in ROLES if role != "other")  # "the social worker", inside a sentence
PICTURES = ("plan", "with_me", "hospital", "phone", "night", "must_not_come", "security", "police",
            "door", "midwife", "baby", "home", "car", "meeting", "support", "time_together", "photos",
            "memory_box", "scent_swap", "family_time", "appointment", "help", "advocate", "emergency",
            "words", "about", "safe", *(f"wish_{name}" for name in WISHES),
            "law", "court", "solicitor", "accommodation", "parental_responsibility")
_BOLD = re.compile(r"\*\*(.+?)\*\*")


# The introduction in each state of the plan: a draft was not made at a meeting (not yet).
INTROS = {"agreed": "intro", "draft": "intro_draft", "redraft": "intro_redraft"}


class EasyReadWords:
    """The fixed Easy Read sentences of one language, and the pack's pictures."""

    def __init__(self, pack, language: str):
        if language not in pack.languages:
            pack.require_language(language)
        self.language = language
        self.root = pack.root
        self.where = pack.root / FOLDER / f"{language}.yaml"
        self.table = _read_yaml(self.where, dict)
        self._check()
        self.pictures = load_pictures(pack, language)

    def _check(self) -> None:
        for key in ("title", *INTROS.values(), "topics", "sentences", "roles", "called"):
            if key not in self.table:
                raise PackError(f"{self.where}: the '{key}:' section is missing.")
        if not isinstance(self.table["title"], str):
            raise PackError(f"{self.where}: title must be text.")
        for key in INTROS.values():
            intro = self.table[key]
            if not isinstance(intro, list) or not intro or not all(isinstance(s, str) for s in intro):
                raise PackError(f"{self.where}: {key} must list a few short sentences.")
        for section, keys in (("topics", TOPICS), ("sentences", SENTENCES), ("roles", ROLES),
                              ("called", CALLED)):
            entries = self.table[section]
            for key in keys:
                if not isinstance(entries, dict) or not isinstance(entries.get(key), str):
                    raise PackError(f"{self.where}: {section} > {key} is missing (it must be text).")
        meanings = self.table.get("meanings", {})
        if not isinstance(meanings, dict) or not all(isinstance(v, list) for v in meanings.values()):
            raise PackError(f"{self.where}: meanings must map each glossary id to a list of sentences.")

    def topic(self, key: str) -> str:
        return self.table["topics"][key]

    def role(self, key: str) -> str:
        return self.table["roles"][key]

    def called(self, key: str) -> str:
        """A role as the person staff phone, lower case and plain ("the social worker")."""
        return self.table["called"][key]

    def title(self) -> str:
        return self.table["title"]

    def intro(self, state: str = "agreed") -> list[Line]:
        """The first sentences, true of the plan's state: ``agreed`` (made at a meeting),
        ``draft`` (never agreed yet) or ``redraft`` (changed since a version was agreed)."""
        key = INTROS[state]
        return [parse(sentence, {}, self.where, key) for sentence in self.table[key]]

    def meaning(self, term_id: str) -> list[Line] | None:
        """The pack's Easy Read explanation of a glossary term, a sentence a line, if it has one."""
        sentences = self.table.get("meanings", {}).get(term_id)
        if sentences is None:
            return None
        return [parse(str(s), {}, self.where, f"meanings > {term_id}", self.language) for s in sentences]

    def line(self, key: str, **values) -> Line:
        """A fixed sentence with the plan's words put in; ``**`` marks what is bold."""
        return parse(self.table["sentences"][key], values, self.where, f"sentences > {key}",
                     self.language)

    def text(self, key: str, **values) -> str:
        return self.line(key, **values).text

    def picture(self, key: str) -> Picture:
        return self.pictures[key]


def parse(template: str, values: dict, where: Path, what: str, language: str = "en") -> Line:
    """Split ``template`` at its ``**bold**`` marks, then fill each piece's placeholders.

    The marks are read before the plan's words go in, so stars in a plan
    never make anything bold.
    """
    runs: list[Run] = []
    position = 0
    pieces = []
    for match in _BOLD.finditer(template):
        pieces.append((template[position:match.start()], False))
        pieces.append((match.group(1), True))
        position = match.end()
    pieces.append((template[position:], False))
    chosen = {name: (v.text(language) if isinstance(v, Phrase) else v if isinstance(v, PlanWords) else str(v))
              for name, v in values.items()}
    for piece, bold in pieces:
        if not piece:
            continue
        try:
            texts = _filled(piece, chosen)
        except (KeyError, IndexError, ValueError) as err:
            raise PackError(f"{where}: {what}: the placeholder {err} is not one this sentence can use "
                            f"(it may use: {', '.join(sorted(values)) or 'none'}).") from None
        runs += [Run(text, bold) for text in texts]
    return Line(runs)


def _filled(piece: str, values: dict) -> list[str]:
    """``piece`` with its placeholders filled: one text, or, around each of the plan's words
    in another language than the copy's (``PlanWords``), a run of its own keeping its mark."""
    formatter = string.Formatter()  # not str.format: values are inserted once, never re-read
    if not any(isinstance(value, PlanWords) for value in values.values()):
        return [formatter.vformat(piece, (), values)]
    out, text = [], ""
    for literal, name, spec, conversion in formatter.parse(piece):
        text += literal
        if name is None:
            continue
        value = formatter.get_field(name, (), values)[0]
        if isinstance(value, PlanWords):
            out += [text, value] if text else [value]
            text = ""
        else:
            text += formatter.format_field(formatter.convert_field(value, conversion), spec or "")
    return out + [text] if text else out


def load_pictures(pack, language: str) -> dict[str, Picture]:
    where = pack.root / PICTURES_FILE
    table = _read_yaml(where, dict)
    entries = table.get("pictures")
    if not isinstance(entries, dict):
        raise PackError(f"{where}: the 'pictures:' section is missing.")
    pictures = {}
    for key in PICTURES:
        entry = entries.get(key)
        if not isinstance(entry, dict):
            raise PackError(f"{where}: pictures > {key} is missing: name its svg, png and alt text.")
        files = {}
        for kind in ("svg", "png"):
            relative = entry.get(kind)
            target = (pack.root / str(relative)).resolve() if isinstance(relative, str) else None
            if target is None or not target.is_relative_to(pack.root.resolve()):
                raise PackError(f"{where}: pictures > {key} > {kind} must be a file inside the pack.")
            if not target.is_file():
                raise PackError(f"{target}: this file is missing from the template pack "
                                f"(pictures > {key} > {kind} in {where}).")
            files[kind] = target
        alt = (entry.get("alt") or {}).get(language) if isinstance(entry.get("alt"), dict) else None
        if not isinstance(alt, str) or not alt.strip():
            raise PackError(f"{where}: pictures > {key} > alt > {language} is missing: every picture "
                            "needs words a screen reader can read out.")
        pictures[key] = Picture(key, files["svg"], files["png"], alt.strip())
    return pictures
