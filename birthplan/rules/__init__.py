"""Rules a reviewer applies beyond the schema.

Each rule reads a plan the schema has accepted and returns problems located
at the field to fix. Errors stop a plan being rendered or recorded; warnings
are worth a second look but do not fail. The rules are grouped by what they
look after, one module each:

* ``dates``: dates that cannot all be right (due date, births, appointments);
* ``who_to_tell``: who the ward rings, in and out of hours, and their numbers;
* ``ward``: what the ward must be able to act on (must-not-visit, supervision);
* ``legal``: the legal position in the nation's terms, and consent;
* ``communication``: the language and interpreter the parents need;
* ``withheld``: what is kept from the parents, and the register of why;
* ``slips``: slips of typing and pasting (a starter's example left in, words
  lost after ' #', curly quotes, lost letters, a name spelt two ways).

A new rule goes in the module of its concern and in ``RULES`` below.
"""

from __future__ import annotations

from birthplan.load import Plan
from birthplan.problems import Problem
from birthplan.rules.communication import language_details
from birthplan.rules.dates import (appointments, dates_of_birth, due_date_plausible, early_birth_contingency,
                                   next_review_after_meeting)
from birthplan.rules.legal import nation_terms, pre_proceedings_letter, voluntary_accommodation
from birthplan.rules.slips import (curly_quotes_around_text, lost_letters_in_names, mother_named_alike,
                                   older_schema_version, starter_examples_left, text_cut_by_comment,
                                   unpaired_bidi_controls, unprintable_characters)
from birthplan.rules.ward import must_not_visit_actions, must_not_visit_recognisable, supervision_named
from birthplan.rules.who_to_tell import (born_elsewhere_out_of_hours, numbers_match_contacts, out_of_hours_contact,
                                         out_of_hours_matches_pack)
from birthplan.rules.withheld import third_party_shared_with_parent, withheld_from_parents

RULES = [
    older_schema_version,
    text_cut_by_comment,
    starter_examples_left,
    early_birth_contingency,
    voluntary_accommodation,
    withheld_from_parents,
    born_elsewhere_out_of_hours,
    due_date_plausible,
    dates_of_birth,
    next_review_after_meeting,
    out_of_hours_contact,
    out_of_hours_matches_pack,
    numbers_match_contacts,
    must_not_visit_actions,
    must_not_visit_recognisable,
    mother_named_alike,
    supervision_named,
    nation_terms,
    pre_proceedings_letter,
    language_details,
    third_party_shared_with_parent,
    appointments,
    unprintable_characters,
    unpaired_bidi_controls,
    lost_letters_in_names,
    curly_quotes_around_text,
]


def check(plan: Plan) -> list[Problem]:
    problems: list[Problem] = []
    for rule in RULES:
        try:
            problems.extend(rule(plan))
        except (KeyError, TypeError, ValueError, AttributeError):
            # The schema check has already reported why the fields this rule reads
            # are missing or malformed; the rule has nothing reliable to add.
            continue
    return problems
