"""Who the ward rings: someone out of hours when there are safeguarding arrangements, one out-of-
hours number, and the same number for a person wherever the plan gives it.
"""

from __future__ import annotations

from birthplan.load import Plan
from birthplan.problems import Problem, WARNING
from birthplan.rules.common import has_safeguarding_arrangements, problem


def out_of_hours_contact(plan: Plan) -> list[Problem]:
    data = plan.data
    if not has_safeguarding_arrangements(data):
        return []
    has_edt = any(c["role"] == "emergency_duty_team" and c.get("phone") for c in data["contacts"])
    has_ooh_notify = any(n.get("phone") for n in data["at_birth"].get("out_of_hours", []))
    if has_edt or has_ooh_notify:
        return []
    return [problem(plan, ("at_birth", "out_of_hours"),
                    "this plan has safeguarding arrangements, so the ward needs someone to call out of "
                    "hours: add the emergency duty team with a phone number under contacts, or an "
                    "out-of-hours entry with a phone number here.")]


def out_of_hours_matches_pack(plan: Plan) -> list[Problem]:
    """Two out-of-hours numbers on one sheet is one too many: the plan's is shown."""
    from birthplan import out_of_hours

    pack_number = out_of_hours.shipped_pack_number(plan.data["plan"]["authority"])
    if pack_number is None or not out_of_hours.pack_number_differs(plan.data, pack_number):
        return []
    path, _ = out_of_hours.plan_numbers(plan.data)[0]
    return [problem(plan, path, f"the out-of-hours number here differs from the one in the "
                    f"{plan.data['plan']['authority']} template pack ({pack_number}). Every copy shows "
                    "the plan's number; check which is right and correct the plan or the pack.", WARNING)]


def numbers_match_contacts(plan: Plan) -> list[Problem]:
    """A line under who to tell that names a role (or a person) listed under contacts
    with another number: one of the two is mistyped, and the ward would hold both.
    Fine when any of the contacts it names has its number (a role may have several)."""
    from birthplan import roles
    from birthplan.out_of_hours import same_number

    data = plan.data
    known = [(("contacts", i, "phone"), c.get("role"), c.get("name"), str(c["phone"]))
             for i, c in enumerate(data.get("contacts") or []) if isinstance(c, dict) and c.get("phone")]
    officer = (data.get("police") or {}).get("officer") or {}
    if officer.get("phone"):
        known.append((("police", "officer", "phone"), roles.POLICE, officer.get("name"), str(officer["phone"])))
    out = []
    for section in ("at_birth", "born_elsewhere"):
        for key in ("in_hours", "out_of_hours"):
            for i, entry in enumerate((data.get(section) or {}).get(key) or []):
                if not isinstance(entry, dict) or not entry.get("phone") or not entry.get("who"):
                    continue
                meant = [k for k in known if roles.means_contact(entry["who"], k[2], k[1])]
                if not meant or any(same_number(number, str(entry["phone"])) for *_, number in meant):
                    continue
                named = roles.roles_named(entry["who"])
                role = next((r for r in named if any(k[1] == r for k in meant)), meant[0][1])
                whose = f"the {roles.role_name(role)}'s" if role != "other" else "this contact's"
                lines = [str(plan.location(path)[0]) for path, *_ in meant]
                where = " and ".join(sorted({"police" if path[0] == "police" else "contacts" for path, *_ in meant}))
                ones = f"the one under {where} (line {lines[0]})" if len(lines) == 1 else \
                    f"the ones under {where} (lines {', '.join(lines)})"
                out.append(problem(plan, (section, key, i, "phone"),
                                   f"{whose} number here differs from {ones}: check which is right.", WARNING))
    return out


def born_elsewhere_out_of_hours(plan: Plan) -> list[Problem]:
    section = plan.data.get("born_elsewhere")
    if not section or section.get("out_of_hours") or not has_safeguarding_arrangements(plan.data):
        return []
    return [problem(plan, ("born_elsewhere",),
                    "say who the ambulance service or another unit must call out of hours "
                    "('out_of_hours:' with a phone number): births away from the hospital "
                    "often happen at night.", WARNING)]
