"""The plans a workspace serves, their unsaved drafts, and saving.

Only the plans found under the served folder (or the one plan named) can be
opened: a page names a plan by an opaque id, never by a path, and each plan
found must resolve inside the folder (a symlink out of it is left out), so no
request can reach any other file on the disk.

An edit in progress is a *draft*: the plan data as typed, kept in this
process's memory (never on disk, never in a log) with the SHA-256 of the file
it started from, so it survives a browser reload. Save writes the draft into
the file with ``yamledit`` (only changed lines change), atomically, owner-only,
under the history's lock, and only if the file is still the one the draft
started from.

Every page of the form carries a token naming what it was rendered from (the
file's hash and the page's fields then). A post is merged field by field onto
the draft as it is now (``merge``), so a stale tab never puts back an old
value, and Save refuses, saying what changed, while the page does not show the
plan as it now is. A list item added and never filled in stays in the draft
(to be filled in) but is left out of what is saved and checked.
"""

from __future__ import annotations

import hashlib
import os
import copy
import re
import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from birthplan.atomic import write_text_atomic
from birthplan.errors import BirthplanError, UsageError
from birthplan.load import Plan, read_plan
from birthplan.resources import plan_schema, templates_dir
from birthplan.workspace import yamledit
from birthplan.workspace.merge import ABSENT, UNKNOWN, merge
from birthplan.workspace.form import Schema

CASE_REFERENCE = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,63}")
OWNER_ONLY = 0o600


@dataclass
class PlanRef:
    id: str
    path: Path
    relative: str


@dataclass
class Opened:
    """A plan file as read now: its bytes' hash, its data (None if unreadable) and load problems."""

    ref: PlanRef
    raw: bytes
    sha256: str
    plan: Plan | None
    problems: list

    @property
    def data(self) -> dict:
        return self.plan.data if self.plan is not None else {}


@dataclass
class Draft:
    base_sha256: str
    data: dict
    changed: bool = False  # differs from the file it started from


@dataclass
class PageState:
    """What one rendered page of the form showed: the file it was read from and its fields."""

    plan_id: str
    section: str
    file_sha256: str
    value: object  # the section's data as the page's fields show it (ABSENT: none)


@dataclass
class PagePost:
    """A page's post merged onto the plan as it is now."""

    data: dict  # the whole plan: the draft (or the file) with the page's changes merged in
    conflicts: list  # (path, value typed): fields changed here and elsewhere differently; elsewhere's kept
    changed_meanwhile: list  # what changed since the page was rendered, in words
    stale: bool  # the page did not show the plan as it now is: Save must not write it


@dataclass
class SaveResult:
    saved: bool
    conflict: list = field(default_factory=list)  # what changed in the file, in words


class Workspace:
    def __init__(self, target: Path | str, schema: dict | None = None):
        target = Path(target)
        if not target.exists():
            raise UsageError(f"{target}: no such file or folder")
        if target.is_file():
            self.root = target.parent.resolve()
            self.single: Path | None = target.resolve()
        else:
            self.root = target.resolve()
            self.single = None
        self.schema = Schema(schema or plan_schema())
        self.drafts: dict[str, Draft] = {}
        self._known: dict[str, PlanRef] = {}  # id -> plan, as last found under the folder
        self._seen: dict = {}  # (plan id, file hash) -> data, so a conflict can say what changed
        self._lock = threading.Lock()  # one save or draft change at a time in this process
        self._pages: OrderedDict[str, PageState] = OrderedDict()  # page token -> what it was rendered from

    # -- which plans ---------------------------------------------------------------

    def plan_id(self, path: Path) -> str:
        relative = str(path.resolve().relative_to(self.root))
        return hashlib.sha256(relative.encode("utf-8")).hexdigest()[:16]

    def plans(self) -> list[PlanRef]:
        from birthplan.batch import find_plans

        found = [self.single] if self.single is not None else find_plans(self.root)
        refs = []
        for path in found:
            if path is None or not self._inside(path) or not path.is_file():
                continue
            refs.append(PlanRef(self.plan_id(path), path, str(path.resolve().relative_to(self.root))))
        return refs

    def find(self, plan_id: str) -> PlanRef | None:
        """The plan with this id; a folder is searched again only for an id not seen before."""
        known = self._known.get(plan_id)
        if known is not None and known.path.is_file() and self._inside(known.path):
            return known
        for ref in self.plans():
            self._known[ref.id] = ref
            if hmac_equal(ref.id, plan_id):
                return ref
        return None

    def _inside(self, path: Path) -> bool:
        try:
            return path.resolve(strict=True).is_relative_to(self.root)
        except (OSError, RuntimeError):
            return False

    # -- reading ---------------------------------------------------------------------

    def open(self, ref: PlanRef) -> Opened:
        if not self._inside(ref.path):
            raise BirthplanError("this plan is no longer in the served folder.")
        plan, problems = read_plan(ref.path)
        raw = plan.raw if plan is not None else ref.path.read_bytes()
        return Opened(ref, raw, sha256(raw), plan, problems)

    def working_data(self, opened: Opened) -> tuple[dict, Draft | None]:
        """The data the form shows: the draft if there is one, else the file's."""
        draft = self.drafts.get(opened.ref.id)
        if draft is not None:
            return draft.data, draft
        return opened.data, None

    # -- pages: what each rendered form was based on ------------------------------------

    def page_token(self, opened: Opened, section: str, data: dict) -> str:
        """A token for a page about to be rendered from ``data`` (kept for the last 512 pages)."""
        token = secrets.token_urlsafe(12)
        with self._lock:
            self._pages[token] = PageState(opened.ref.id, section, opened.sha256, _copied(data.get(section, ABSENT)))
            while len(self._pages) > 512:
                self._pages.popitem(last=False)
        return token

    def post_page(self, opened: Opened, section: str, token: str | None, typed) -> PagePost:
        """The page's fields as posted (``typed``; None: all empty) merged onto the plan as it is now."""
        from birthplan.diff import diff_plans

        data, draft = self.working_data(opened)
        state = self._pages.get(token or "")
        if state is not None and (state.plan_id != opened.ref.id or state.section != section):
            state = None
        base = state.value if state is not None else UNKNOWN
        mine = ABSENT if typed is None else typed
        merged = merge(base, mine, data.get(section, ABSENT), (section,))
        updated = copy.deepcopy(data)  # the merge shares parts of the draft and the post: never alias them
        if merged.value is ABSENT:
            updated.pop(section, None)
        else:
            updated[section] = copy.deepcopy(merged.value)
        changes = []
        if state is not None and state.file_sha256 != opened.sha256:
            before = self._data_of_sha(opened.ref, state.file_sha256)
            changes = diff_plans(before, opened.data) if before is not None else []
        if state is not None and merged.taken:
            changes += diff_plans({section: state.value} if state.value is not ABSENT else {},
                                  {section: data[section]} if section in data else {})
        stale = bool(merged.conflicts) or state is not None and bool(
            merged.taken or state.file_sha256 != opened.sha256)
        if state is not None and not merged.conflicts:
            state.value = _copied(mine)  # what the page's fields now show
        words = list(dict.fromkeys(change.describe() for change in changes))
        return PagePost(updated, merged.conflicts, words, stale)

    # -- drafts ----------------------------------------------------------------------

    def keep_draft(self, opened: Opened, data: dict) -> Draft:
        with self._lock:
            draft = self.drafts.get(opened.ref.id)
            base = draft.base_sha256 if draft is not None else opened.sha256
            # Only rows added and not filled in: kept (to be filled in), but nothing to save.
            changed = as_saved(data, opened.data) != opened.data or base != opened.sha256
            draft = Draft(base, data, changed=changed)
            if data != opened.data or base != opened.sha256:
                self.drafts[opened.ref.id] = draft
                if opened.plan is not None:
                    yamledit.warm(opened.plan.text)  # so that Save itself is quick
            else:
                self.drafts.pop(opened.ref.id, None)
            return draft

    def unsaved(self, ref: PlanRef) -> bool:
        """Whether the plan has changes Save would write (rows added and left empty are none)."""
        draft = self.drafts.get(ref.id)
        return draft is not None and draft.changed

    def changed_sections(self, opened: Opened) -> list[str]:
        """The pages whose fields the draft changes (what Discard would throw away)."""
        draft = self.drafts.get(opened.ref.id)
        if draft is None:
            return []
        return [key for key in self.schema.sections() if draft.data.get(key) != opened.data.get(key)]

    def discard(self, ref: PlanRef) -> None:
        with self._lock:
            self.drafts.pop(ref.id, None)

    # -- saving ----------------------------------------------------------------------

    def save(self, ref: PlanRef, base_sha256: str, data: dict) -> SaveResult:
        """Write ``data`` into the plan file if it is still the file with ``base_sha256``."""
        from birthplan.diff import diff_plans

        with self._lock, _plan_lock(ref.path):
            now = self.open(ref)
            if now.sha256 != base_sha256:
                before = self._data_of_sha(ref, base_sha256)
                changes = diff_plans(before, now.data) if before is not None and now.plan else []
                words = [change.describe() for change in changes] or ["the file is not the one this page was opened from"]
                return SaveResult(False, words)
            if now.plan is None:
                raise BirthplanError(f"{ref.relative}: the file cannot be read as a plan; fix it in a text editor first.")
            written = as_saved(data, now.data)
            text = yamledit.apply_edits(now.plan.text, now.data, written)
            write_owner_only(ref.path, text)
            digest = sha256(text.encode("utf-8"))
            if written == data:
                self.drafts.pop(ref.id, None)
            else:  # rows added and left empty stay on their pages, to be filled in
                self.drafts[ref.id] = Draft(digest, data, changed=False)
            self._remember(ref, digest, written)
            return SaveResult(True)

    def remember_open(self, opened: Opened) -> None:
        if opened.plan is not None:
            self._remember(opened.ref, opened.sha256, opened.data)

    def _remember(self, ref: PlanRef, digest: str, data: dict) -> None:
        self._seen[(ref.id, digest)] = data
        if len(self._seen) > 64:
            self._seen.pop(next(iter(self._seen)))

    def _data_of_sha(self, ref: PlanRef, digest: str) -> dict | None:
        return self._seen.get((ref.id, digest))

    # -- new plans -------------------------------------------------------------------

    def create(self, pack_name: str, case_reference: str) -> PlanRef:
        """A new plan file named by its case reference, holding only what the pack decides."""
        if self.single is not None:
            raise UsageError("this workspace serves one plan; start it on a folder to make new plans.")
        pack = packs().get(pack_name)
        if pack is None:
            raise UsageError(f"there is no template pack named {pack_name!r}.")
        reference = case_reference.strip()
        if not CASE_REFERENCE.fullmatch(reference):
            raise UsageError("bad_reference")
        path = self.root / f"{reference}.yaml"
        if path.exists() or path.with_name(path.name + ".history").exists():
            raise UsageError("exists")
        version = (self.schema.root.get("properties", {}).get("schema_version") or {}).get("const", 1)
        text = (f"# Co-produced birth plan: {pack.authority['name']}.\n"
                "# Started in the birthplan workspace. This file is the record: it may also be edited\n"
                "# in a text editor (check it with: birthplan validate THIS-FILE).\n"
                f"schema_version: {version}\n"
                "plan:\n"
                f"  authority: {pack.name}\n"
                f"  nation: {pack.nation}\n"
                f"  case_reference: {reference}\n")
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, OWNER_ONLY)  # never over a file
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        return PlanRef(self.plan_id(path), path, path.name)


def _copied(value):
    return value if value is ABSENT else copy.deepcopy(value)  # the marker itself, never a copy of it


def as_saved(data: dict, file_data: dict) -> dict:
    """The plan as Save writes it: list items added and never filled in are left out, and so
    is a list or group that held only those and is not in the file."""
    return _without_blank_items(data, file_data)


def _without_blank_items(value, old):
    if isinstance(value, list):
        return [_without_blank_items(item, None) for item in value if not _blank(item)]
    if not isinstance(value, dict):
        return value
    old_map = old if isinstance(old, dict) else {}
    kept = {}
    for key, sub in value.items():
        pruned = _without_blank_items(sub, old_map.get(key))
        if pruned in ([], {}) and sub not in ([], {}) and key not in old_map:
            continue  # it held only empty rows and was never written: nothing to write
        kept[key] = pruned
    return kept


def _blank(value) -> bool:
    if value is None or value == "":
        return True
    if isinstance(value, (dict, list)):
        return all(_blank(sub) for sub in (value.values() if isinstance(value, dict) else value))
    return False


def write_owner_only(path: Path, text: str) -> None:
    """Atomic write; ``birthplan.atomic`` makes the file owner-only (0600) from the start."""
    write_text_atomic(path, text)


def _plan_lock(path: Path):
    """The lock ``birthplan review`` and ``sent`` hold, so a save never interleaves with them."""
    from birthplan.history.store import _ensure_history_dir, _locked

    return _locked(_ensure_history_dir(path))


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def hmac_equal(a: str, b: str) -> bool:
    import hmac

    return hmac.compare_digest(a.encode(), b.encode())


@lru_cache(maxsize=1)
def packs() -> dict:
    """The template packs installed, by name (each a "new plan" page)."""
    from birthplan.render.packs import PackError, load_pack

    found = {}
    for folder in sorted(templates_dir().iterdir()):
        if (folder / "pack.yaml").is_file():
            try:
                pack = load_pack(folder)
            except PackError:
                continue
            found[pack.name] = pack
    return found
