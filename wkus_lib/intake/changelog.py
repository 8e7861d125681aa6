"""The store's change log: every row added, changed or withdrawn, and by which file.

The log ``changes.jsonl`` is a store file committed with the tables it
describes (``write_store(..., extra=...)``), so the store and its log always
change together. It holds one JSON object per change: when (UTC), the store
version the change was made to (``previous``: the manifest's store hash,
which each report's annex cites), the file name and its SHA-256, the row in
that file, the table, the row's natural key, its gmina, the action and the
old and new values. The version an import created is the ``previous`` of the
next import, or the current manifest hash for the last one. Respondents
appear only as the pseudonyms the store holds. The log is only ever appended
to; ``wkus history`` shows it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Final

from wkus_lib.intake.upsert import Change, plain, shown_value
from wkus_lib.store import MANIFEST_NAME, read_manifest, read_store_file

CHANGELOG_NAME: Final = "changes.jsonl"
HISTORY_CHANGE_LIMIT: Final = 20
ACTION_WORDS: Final = {"added": "dodano", "changed": "zmieniono", "removed": "usunięto"}


def log_entries(
    changes: Iterable[Change], *, when: str, previous: str,
    sha256_of: Mapping[str, str], teryt_of: Mapping[str, str],
) -> list[dict[str, Any]]:
    """The log entries of one import; ``teryt_of`` maps contract ids to their gmina."""
    entries = []
    for change in changes:
        row = change.new or change.old or {}
        teryt = row.get("teryt") or teryt_of.get(str(row.get("contract_id")))
        entries.append({
            "when": when, "previous": previous,
            "file": change.file, "sha256": sha256_of.get(change.file, ""), "row": change.row,
            "table": change.table, "teryt": teryt, "action": change.action,
            "key": {k: plain(v) for k, v in change.key.items()},
            "old": change.old, "new": change.new,
        })
    return entries


def changelog_bytes(existing: bytes | None, entries: Sequence[Mapping[str, Any]]) -> bytes:
    """The whole log with ``entries`` appended (one JSON object per line)."""
    old = existing or b""
    if old and not old.endswith(b"\n"):
        old += b"\n"
    added = "".join(json.dumps(e, ensure_ascii=False, sort_keys=True, default=str) + "\n"
                    for e in entries)
    return old + added.encode("utf-8")


def read_changelog(store_dir: Path) -> list[dict[str, Any]]:
    """Every entry of the log, oldest first, each with the ``version`` its import created."""
    if not (store_dir / MANIFEST_NAME).exists():
        return []
    payload = read_store_file(store_dir, CHANGELOG_NAME)
    if payload is None:
        return []
    entries = [json.loads(line) for line in payload.decode("utf-8").splitlines() if line.strip()]
    current = str(read_manifest(store_dir)["hash"])
    # versions: an import's version is the next import's "previous", the last one's is current
    imports = list(dict.fromkeys((e["when"], e.get("previous")) for e in entries))
    created = {imp: (imports[i + 1][1] if i + 1 < len(imports) else current)
               for i, imp in enumerate(imports)}
    for entry in entries:
        entry["version"] = str(created[(entry["when"], entry.get("previous"))] or "")
    return entries


def select_entries(
    entries: Iterable[Mapping[str, Any]], *, teryt: str | None = None, table: str | None = None,
) -> list[Mapping[str, Any]]:
    """Entries of one gmina and/or one table."""
    return [e for e in entries
            if (teryt is None or e.get("teryt") == teryt)
            and (table is None or e.get("table") == table)]


def describe_change(entry: Mapping[str, Any]) -> str:
    """One Polish line: table, key, what happened, old → new for each changed column."""
    key = ", ".join(f"{k}={shown_value(v)}" for k, v in entry["key"].items())
    head = f"{entry['table']} [{key}]: {ACTION_WORDS[entry['action']]}"
    old, new = entry.get("old") or {}, entry.get("new") or {}
    if entry["action"] == "changed":
        parts = [f"{c} {shown_value(old.get(c))} → {shown_value(v)}" for c, v in new.items()
                 if plain(old.get(c)) != plain(v)]
        return f"{head}: " + "; ".join(parts)
    if entry["action"] == "added":
        return head
    shown = old
    rest = ", ".join(f"{c}={shown_value(v)}" for c, v in shown.items() if c not in entry["key"])
    return f"{head} ({rest})" if rest else head


def history_text(entries: Sequence[Mapping[str, Any]], *, show_all: bool = False) -> str:
    """``wkus history``: imports oldest first, each with its version, files and changes."""
    if not entries:
        return "Historia magazynu jest pusta (nie zapisano jeszcze żadnej zmiany)."
    groups: dict[tuple[str, str], list[Mapping[str, Any]]] = {}
    for entry in entries:
        groups.setdefault((str(entry["when"]), str(entry["version"])), []).append(entry)
    lines = ["Historia magazynu danych", ""]
    for (when, version), group in groups.items():
        files = dict.fromkeys(f"{e['file']} (SHA-256 {str(e['sha256'])[:12]})" for e in group)
        counts = {a: sum(1 for e in group if e["action"] == a) for a in ACTION_WORDS}
        summary = ", ".join(f"{ACTION_WORDS[a]} {n}" for a, n in counts.items() if n)
        previous = str(group[0].get("previous") or "")
        lines.append(f"{when} — wersja magazynu {version[:12]}"
                     + (f" (poprzednia {previous[:12]})" if previous else " (pierwsza)"))
        lines.append("  pliki: " + ", ".join(files))
        lines.append(f"  {summary}")
        detailed = [e for e in group if e["action"] != "added"] + [
            e for e in group if e["action"] == "added"]
        limit = len(detailed) if show_all else HISTORY_CHANGE_LIMIT
        lines += [f"  {describe_change(e)}" for e in detailed[:limit]]
        if len(detailed) > limit:
            lines.append(f"  … i {len(detailed) - limit} kolejnych (wszystkie: --all)")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
