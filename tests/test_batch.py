"""Batch rendering: discovery by content, failures isolated, unchanged plans skipped."""

from __future__ import annotations

import shutil
from pathlib import Path

from birthplan.atomic import write_text_atomic
from birthplan.batch import (FAILED, RENDERED, SKIPPED, find_plans, input_fingerprint, looks_like_plan,
                             render_many)
from birthplan.errors import BirthplanError

from .planfactory import EXAMPLES


def fake_render(plan: Path, *, out_dir: str, label: str = "x"):
    """Stands in for the real renderer: the batch logic is what is under test here."""
    text = plan.read_text(encoding="utf-8")
    if "BROKEN" in text:
        raise BirthplanError(f"{plan}:3:1: error: something the author must fix\nsecond line")
    target = Path(out_dir) / f"{plan.stem}-{label}.txt"
    write_text_atomic(target, str(len(text)))
    return [target]


def make_caseload(tmp_path: Path) -> Path:
    cases = tmp_path / "cases"
    (cases / "team-a").mkdir(parents=True)
    shutil.copy(EXAMPLES / "minimal.yaml", cases / "team-a" / "one.yaml")
    shutil.copy(EXAMPLES / "sunderland-full.yaml", cases / "two.yml")
    shutil.copy(EXAMPLES / "swansea-full.yaml", cases / "exported-plan.txt")  # recognised by content
    (cases / "notes.yaml").write_text("shopping: [milk, bread]\n")
    (cases / "two.yml.history").mkdir()
    (cases / "two.yml.history" / "v0001.yaml").write_text((EXAMPLES / "minimal.yaml").read_text())
    (cases / "picture.png").write_bytes(b"\x89PNG\r\n\x1a\n\0\0schema_version:\nplan:\n")
    return cases


def test_plans_are_found_by_content_not_extension(tmp_path):
    cases = make_caseload(tmp_path)
    found = [p.relative_to(cases).as_posix() for p in find_plans(cases)]
    assert found == ["exported-plan.txt", "two.yml", "team-a/one.yaml"]
    assert not looks_like_plan(cases / "notes.yaml")


def test_a_long_plan_in_welsh_or_another_encoding_is_still_found(tmp_path):
    long_plan = tmp_path / "long.yaml"
    text = (EXAMPLES / "minimal.yaml").read_text(encoding="utf-8")
    long_plan.write_text(text + "# " + "ŵ" * 40000 + "\n", encoding="utf-8")  # 64 KB ends mid-character
    assert looks_like_plan(long_plan)
    latin1 = tmp_path / "latin1.yaml"
    latin1.write_bytes(text.encode("utf-8") + "# café\n".encode("latin-1"))
    assert looks_like_plan(latin1)


def test_one_failing_plan_does_not_stop_the_others(tmp_path):
    cases = make_caseload(tmp_path)
    broken = cases / "team-a" / "one.yaml"
    broken.write_text(broken.read_text() + "# BROKEN\n")
    out = tmp_path / "out"
    outcomes = render_many(find_plans(cases), fake_render, {"out_dir": str(out)}, out_dir=out, jobs=2)
    statuses = {o.plan.name: o.status for o in outcomes}
    assert statuses == {"exported-plan.txt": RENDERED, "two.yml": RENDERED, "one.yaml": FAILED}
    failed = next(o for o in outcomes if o.status == FAILED)
    assert failed.error == f"{broken}:3:1: error: something the author must fix"
    assert sorted(p.name for p in out.glob("*.txt")) == ["exported-plan-x.txt", "two-x.txt"]


def test_unchanged_plans_are_skipped_until_something_changes(tmp_path):
    cases = make_caseload(tmp_path)
    out = tmp_path / "out"
    plans = find_plans(cases)
    options = {"out_dir": str(out)}
    first = render_many(plans, fake_render, options, out_dir=out, jobs=1)
    assert {o.status for o in first} == {RENDERED}
    second = render_many(plans, fake_render, options, out_dir=out, jobs=1)
    assert {o.status for o in second} == {SKIPPED}
    forced = render_many(plans, fake_render, options, out_dir=out, jobs=1, force=True)
    assert {o.status for o in forced} == {RENDERED}
    # the plan changes
    (cases / "two.yml").write_text((cases / "two.yml").read_text() + "\n# edited\n")
    # a recorded review of another plan's history changes
    statuses = {o.plan.name: o.status for o in render_many(plans, fake_render, options, out_dir=out, jobs=1)}
    assert statuses == {"exported-plan.txt": SKIPPED, "two.yml": RENDERED, "one.yaml": SKIPPED}
    (cases / "two.yml.history" / "v0002.yaml").write_text("new version")
    statuses = {o.plan.name: o.status for o in render_many(plans, fake_render, options, out_dir=out, jobs=1)}
    assert statuses["two.yml"] == RENDERED
    # different options
    changed = render_many(plans, fake_render, {**options, "label": "y"}, out_dir=out, jobs=1)
    assert {o.status for o in changed} == {RENDERED}
    # an output deleted by hand is made again
    (out / "two-y.txt").unlink()
    statuses = {o.plan.name: o.status for o in render_many(plans, fake_render, {**options, "label": "y"},
                                                           out_dir=out, jobs=1)}
    assert statuses["two.yml"] == RENDERED and statuses["one.yaml"] == SKIPPED


def test_two_plans_whose_documents_share_file_names_are_not_both_reported_rendered(tmp_path):
    cases = make_caseload(tmp_path)
    shutil.copy(EXAMPLES / "minimal.yaml", cases / "one.yaml")  # same name as team-a/one.yaml's output
    out = tmp_path / "out"
    plans = find_plans(cases)
    for _ in range(2):  # and the replaced plan is not skipped next time as if its files were its own
        outcomes = render_many(plans, fake_render, {"out_dir": str(out)}, out_dir=out, jobs=1)
        statuses = {o.plan.relative_to(cases).as_posix(): o.status for o in outcomes}
        assert statuses["one.yaml"] == RENDERED and statuses["team-a/one.yaml"] == FAILED
        failed = next(o for o in outcomes if o.status == FAILED)
        assert "same file names as those of" in failed.error and str(cases / "one.yaml") in failed.error


def render_after_namesake(plan: Path, *, out_dir: str):
    """``fake_render``, except that the top-level one.yaml waits until team-a/one.yaml has
    written their shared file name: the later plan in the batch's order finishes first."""
    import time

    if plan.parent.name != "team-a":
        deadline = time.monotonic() + 60
        while not (Path(out_dir) / f"{plan.stem}-x.txt").exists():
            assert time.monotonic() < deadline, "team-a/one.yaml never rendered"
            time.sleep(0.01)
    return fake_render(plan, out_dir=out_dir)


def test_which_of_two_plans_with_the_same_file_names_is_refused_does_not_depend_on_which_ends_first(tmp_path):
    """Outcomes are taken in the plans' order: the report is the same however the work was
    shared out (under load the batch once reported the other plan)."""
    cases = make_caseload(tmp_path)
    shutil.copy(EXAMPLES / "minimal.yaml", cases / "one.yaml")
    (cases / "two.yml").unlink()  # fewer plans than that: two workers, both busy
    (cases / "exported-plan.txt").unlink()
    out = tmp_path / "out"
    outcomes = render_many(find_plans(cases), render_after_namesake, {"out_dir": str(out)}, out_dir=out, jobs=2)
    statuses = {o.plan.relative_to(cases).as_posix(): o.status for o in outcomes}
    assert statuses == {"one.yaml": RENDERED, "team-a/one.yaml": FAILED}


def test_a_template_pack_change_renders_again(tmp_path):
    cases = make_caseload(tmp_path)
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "pack.yaml").write_text("pack: {name: test}\n")
    (pack / "style.css").write_text("body { color: black }")
    out = tmp_path / "out"
    plans = find_plans(cases)
    run = lambda: render_many(plans, fake_render, {"out_dir": str(out)}, out_dir=out, jobs=1,
                              pack_dir_for=lambda plan: pack)
    run()
    assert {o.status for o in run()} == {SKIPPED}
    (pack / "style.css").write_text("body { color: navy }")
    assert {o.status for o in run()} == {RENDERED}


def test_a_templates_folder_that_is_not_a_pack_is_not_walked(tmp_path):
    plan = tmp_path / "plan.yaml"
    shutil.copy(EXAMPLES / "minimal.yaml", plan)
    not_a_pack = tmp_path / "home"
    (not_a_pack / "deep").mkdir(parents=True)
    (not_a_pack / "deep" / "big.bin").write_bytes(b"x" * 1000)
    assert input_fingerprint(plan, not_a_pack, {}) == input_fingerprint(plan, None, {})


def pid_render(plan: Path, *, out_dir: str):
    """Records which worker process rendered the plan."""
    import os

    target = Path(out_dir) / f"{plan.stem}.pid"
    write_text_atomic(target, str(os.getpid()))
    return [target]


def test_workers_are_replaced_so_memory_cannot_grow_without_bound(tmp_path, monkeypatch):
    import birthplan.batch as batch

    monkeypatch.setattr(batch, "PLANS_PER_WORKER", 2)
    cases = tmp_path / "cases"
    cases.mkdir()
    for i in range(9):
        (cases / f"plan-{i}.yaml").write_text((EXAMPLES / "minimal.yaml").read_text())
    out = tmp_path / "out"
    outcomes = render_many(find_plans(cases), pid_render, {"out_dir": str(out)}, out_dir=out, jobs=2)
    assert {o.status for o in outcomes} == {RENDERED}
    pids = [p.read_text() for p in out.glob("*.pid")]
    assert len(pids) == 9
    # rounds of 2 workers x 2 plans: a worker never lives past its round of 4 plans
    assert max(pids.count(pid) for pid in set(pids)) <= 4
    assert len(set(pids)) >= 3  # 9 plans need 3 rounds, each with fresh workers
    assert str(__import__("os").getpid()) not in pids  # none rendered in the calling process
