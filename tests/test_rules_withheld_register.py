"""The register of what is withheld from the parents names real, withheld items (trial finding 2).

`withheld_from_parents: [{field: visitors.must_not_visit.7.reason}]` with no item 7 validated,
and the professional copy printed "Visitors > Must not visit > 7 > Reason". When people were
added above the one must-not-visit person, the entry for item 1 silently named someone else.
Withholding itself is set on the item (third_party, share_with; birthplan/audience.py decides):
the register records why, so an entry that names nothing, or an item the parents see, is wrong.
"""

from __future__ import annotations

import pytest

from .planfactory import EXAMPLES
from .validating import at, validate_output

EXAMPLE = (EXAMPLES / "sunderland-full.yaml").read_text(encoding="utf-8")
ENTRY = "  - field: visitors.must_not_visit.1.reason"
PERSON = ("    - name: Test Visitor {n}\n"
          "      description: A person in a grey coat.\n"
          "      reason: Shouted at staff.\n"
          "      action: refuse_entry\n")


ORDER_HINT = ("; did the list's order change? The withheld item without an entry here is at "
              "visitors.must_not_visit.1.reason.")


@pytest.mark.parametrize("written, why", [
    ("visitors.must_not_visit.7.reason", "Visitors > must not visit has 1 item"),
    ("visitors.must_not_visit.1.reasons", "Visitors > must not visit > item 1 has no 'reasons'"),
    ("visitor.must_not_visit.1.reason", "the plan has no 'visitor'"),
])
def test_an_entry_naming_nothing_in_the_plan_is_an_error_at_its_field_line(tmp_path, written, why):
    text = EXAMPLE.replace(ENTRY, f"  - field: {written}")
    code, lines = validate_output(tmp_path, text)
    assert code == 1
    assert lines[0] == (
        f"plan.yaml:{at(text, written)}: error: Withheld from the parents > item 1 > field withheld: "
        f"names {written}, which is not in this plan: {why}. Write where the withheld item is (keys, "
        f"and item numbers counted from 1){ORDER_HINT}")


def test_people_added_above_the_withheld_one_the_entry_is_warned_with_where_it_went(tmp_path):
    """8 people added above the first must-not-visit person: the entry for item 1 now names a
    person whose reason the parents see; the withheld reason is item 9's."""
    added = "".join(PERSON.format(n=n) for n in range(1, 9))
    text = EXAMPLE.replace("  must_not_visit:\n", "  must_not_visit:\n" + added)
    code, lines = validate_output(tmp_path, text)
    assert code == 0
    entry = (f"plan.yaml:{at(text, 'visitors.must_not_visit.1.reason')}: warning: Withheld from the "
             "parents > item 1 > field withheld: names visitors.must_not_visit.1.reason, which the "
             "parents' copy shows (it is not third_party, and no share_with leaves out parent), so this "
             "entry withholds nothing; did the list's order change? The withheld item without an entry "
             "here is at visitors.must_not_visit.9.reason. Withholding is set on the item itself "
             "(third_party: true, or share_with without parent); correct this entry's field.")
    assert entry in lines, lines
    item_9 = [line for line in lines if "visitors.must_not_visit.9.reason" in line and line != entry]
    assert len(item_9) == 1 and "is withheld from the parents, but the plan records no reason" in item_9[0]


def test_no_order_hint_when_no_withheld_item_lacks_an_entry(tmp_path):
    text = EXAMPLE.replace(ENTRY, ENTRY + "\n    reason: Kept for now.\n  - field: wishes.photos")
    code, lines = validate_output(tmp_path, text)
    [warning] = [line for line in lines if "wishes.photos" in line]
    assert warning.startswith(f"plan.yaml:{at(text, 'wishes.photos')}: warning: Withheld from the parents "
                              "> item 2 > field withheld: names wishes.photos, which the parents' copy "
                              "shows")
    assert "order" not in warning
    assert "withholds nothing. Withholding is set on the item itself" in warning


def test_entries_naming_withheld_items_give_nothing(tmp_path):
    """The example's entry names its third-party reason; a field the schema keeps from the
    parents (the concerns summary) and a protected address are withheld too."""
    text = EXAMPLE.replace(ENTRY, "  - field: concerns.summary\n    reason: Professional view.\n" + ENTRY)
    code, lines = validate_output(tmp_path, text)
    assert code == 0 and lines == ["plan.yaml: valid"], lines
