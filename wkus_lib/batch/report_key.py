"""What a report depends on, hashed part by part: the key of incremental builds.

A report is rebuilt when any part of its key changed, and only then:

- **data**: per store table, a hash of exactly the rows the report reads.
  A gmina's report reads its own rows (:meth:`wkus_lib.store.Store.for_gmina`:
  every area, since E9 compares areas of one gmina) up to its year
  (:func:`wkus_lib.report.context.store_up_to`: yearly rows up to the year,
  contracts that started by it). A benchmark of an area reads, for every
  gmina up to its year: all contracts; rows of contract-level tables whose
  contract is in the area or on annual grants (the comparison area-years of
  E9/E9R); rows of the area in tables that carry an area; all rows of
  gmina-level tables. Rows of another gmina, of a later year, or (for a
  benchmark) of another area's multi-year contract leave the key unchanged.
- **notebook**: the notebook's bytes;
- **parameters**: the canonical parameters JSON and the bytes of any file a
  parameter names (``sroi_file``);
- **library**: every file of the ``wkus_lib`` package (code, data, templates,
  translations), hashed once per batch; the notebooks a wheel carries in the
  package are left out (each report's own notebook is its notebook part), so
  the same source gives the same part installed from a wheel or a checkout;
- **catalogue**: the packaged catalogue reports load (indicators,
  instruments, the price index);
- **formats**: the output formats.

Row hashes are computed once per table and batch
(:func:`pandas.util.hash_pandas_object`); a report's part is the SHA-256 of
its rows' hashes in store order, so keying a batch costs a few masks per
report. A store whose manifest lists no tables (a placeholder) is keyed by
its manifest hash as a whole.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Final

import numpy as np
import pandas as pd

from wkus_lib.domain import ANNUAL_GRANT, BENCHMARK
from wkus_lib.store import Store, read_store
from wkus_lib.store.locate import NOTEBOOKS

CATALOGUE_FILES: Final = ("indicators.yaml", "instruments.yaml", "ceny_gus_cpi.csv")
"""The packaged catalogue in ``wkus_lib/data`` that every report loads."""
WHOLE_STORE: Final = "magazyn"
"""The data part's only entry for a store whose manifest lists no tables."""
PART_LABELS: Final[dict[str, str]] = {
    "notebook": "zmienił się notatnik",
    "parameters": "zmieniły się parametry",
    "library": "zmienił się kod biblioteki",
    "catalogue": "zmienił się katalog wskaźników",
    "formats": "zmieniły się formaty",
}
"""Polish reason for each non-data part of the key that changed."""
NEW_REPORT: Final = "nowy raport"
FAILED_BEFORE: Final = "poprzednio nieudany"
OUTPUT_MISSING: Final = "brak pliku wynikowego"
FORCED: Final = "wymuszone (--force)"
OLDER_ENTRY: Final = "wpis spisu raportów z wcześniejszej wersji programu"


@dataclass(frozen=True)
class KeyParts:
    """A report's key, part by part (stored in its manifest entry to explain a rebuild)."""

    data: Mapping[str, str]
    notebook: str
    parameters: str
    library: str
    catalogue: str
    formats: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        """The parts as the manifest keeps them."""
        return {"data": dict(sorted(self.data.items())), "notebook": self.notebook,
                "parameters": self.parameters, "library": self.library,
                "catalogue": self.catalogue, "formats": list(self.formats)}

    @property
    def key(self) -> str:
        """SHA-256 of all parts: equal keys mean an identical report."""
        return sha256_text(json.dumps(self.as_json(), sort_keys=True))


def change_reasons(previous: Mapping[str, Any] | None, parts: KeyParts) -> list[str]:
    """Why a report whose manifest entry is ``previous`` must be rebuilt (Polish; empty: it
    need not, as far as the key goes).

    >>> parts = KeyParts({"results": "b"}, "n", "p", "l", "c", ("html",))
    >>> old = {"status": "ok", "key_parts": {**parts.as_json(), "data": {"results": "a"}}}
    >>> change_reasons(old, parts)
    ['zmieniły się dane: results']
    >>> change_reasons(None, parts)
    ['nowy raport']
    """
    if previous is None:
        return [NEW_REPORT]
    old = previous.get("key_parts")
    if not isinstance(old, Mapping):
        # An entry from before part-wise keys: nothing to compare part by part.
        return [OLDER_ENTRY]
    current = parts.as_json()
    reasons: list[str] = []
    stored_data = old.get("data")
    old_data: Mapping[str, Any] = stored_data if isinstance(stored_data, Mapping) else {}
    changed = sorted(t for t in set(current["data"]) | set(old_data)
                     if current["data"].get(t) != old_data.get(t))
    if changed:
        reasons.append("zmieniły się dane: " + ", ".join(changed))
    reasons += [label for part, label in PART_LABELS.items() if old.get(part) != current[part]]
    if previous.get("status") != "ok":
        reasons.append(FAILED_BEFORE)
    return reasons


class BatchKeys:
    """Computes report keys for one batch: row hashes and the library hash once."""

    def __init__(self, stores: Mapping[str, Mapping[str, Any]]) -> None:
        """``stores``: store folder → its manifest (already read and checked by the caller)."""
        self.library = library_hash()
        self.catalogue = catalogue_hash()
        self._slicers = {folder: _StoreSlices.of(Path(folder), manifest)
                         for folder, manifest in stores.items()}

    def parts(
        self, parameters: Mapping[str, Any], parameters_json: str, notebook_text: str,
        formats: Sequence[str],
    ) -> KeyParts:
        """The key parts of one report (``parameters`` as its spec holds them)."""
        slicer = self._slicers[str(parameters["store_dir"])]
        year = int(parameters["year"])
        teryt = parameters.get("teryt")
        if parameters.get("stage") == BENCHMARK:
            data = slicer.benchmark(str(parameters["area"]), year)
        else:
            data = slicer.gmina(str(teryt), year)
        return KeyParts(
            data=data, notebook=sha256_text(notebook_text),
            parameters=_parameters_hash(parameters, parameters_json),
            library=self.library, catalogue=self.catalogue, formats=tuple(sorted(formats)),
        )


def library_hash(package: Path | None = None) -> str:
    """SHA-256 over the relative path and bytes of every file of the ``wkus_lib`` package
    (``package``: another folder laid out like it), compiled bytecode and the packaged
    notebooks (a wheel's ``wkus_lib/notebooks``) aside."""
    root = Path(str(resources.files("wkus_lib"))) if package is None else package
    digest = hashlib.sha256()
    files = sorted(p for p in root.rglob("*")
                   if p.is_file() and p.suffix != ".pyc" and "__pycache__" not in p.parts
                   and p.relative_to(root).parts[0] != NOTEBOOKS)
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def catalogue_hash() -> str:
    """SHA-256 of the packaged catalogue files reports load."""
    data = resources.files("wkus_lib") / "data"
    digest = hashlib.sha256()
    for name in CATALOGUE_FILES:
        entry = data / name
        digest.update(name.encode("utf-8") + b"\0")
        digest.update(entry.read_bytes() if entry.is_file() else b"")
    return digest.hexdigest()


def sha256_text(text: str) -> str:
    """SHA-256 of UTF-8 text, hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _parameters_hash(parameters: Mapping[str, Any], parameters_json: str) -> str:
    digest = hashlib.sha256(parameters_json.encode("utf-8"))
    sroi_file = parameters.get("sroi_file")
    if isinstance(sroi_file, str) and sroi_file:
        path = Path(sroi_file)
        digest.update(path.read_bytes() if path.is_file() else b"<brak pliku>")
    return digest.hexdigest()


@dataclass(frozen=True)
class _Table:
    """One store table prepared for slicing: a hash per row and the columns slices filter on."""

    row_hashes: np.ndarray
    schema: bytes
    rows_of_gmina: Mapping[str, np.ndarray]
    """TERYT → positions of the gmina's rows, in store order."""
    year: np.ndarray
    area: np.ndarray | None
    annual: np.ndarray | None
    """True for rows of an annual-grant contract (contract-level tables only)."""


class _StoreSlices:
    """The data part of report keys for one store (each slice hashed once per batch)."""

    def __init__(self, tables: Mapping[str, _Table] | None, whole: str) -> None:
        self._tables = tables
        self._whole = whole
        self._gmina: dict[tuple[str, int], dict[str, str]] = {}
        self._benchmark: dict[tuple[str, int], dict[str, str]] = {}

    @classmethod
    def of(cls, folder: Path, manifest: Mapping[str, Any]) -> _StoreSlices:
        if not manifest.get("tables"):
            return cls(None, str(manifest.get("hash", "")))
        return cls(_prepare(read_store(folder)), str(manifest.get("hash", "")))

    def gmina(self, teryt: str, year: int) -> dict[str, str]:
        """Hashes of one gmina's rows up to ``year``, per table."""
        if self._tables is None:
            return {WHOLE_STORE: self._whole}
        if (teryt, year) not in self._gmina:
            empty = np.empty(0, dtype=np.intp)
            parts: dict[str, str] = {}
            for name, t in self._tables.items():
                rows = t.rows_of_gmina.get(teryt, empty)
                parts[name] = _slice_hash(t, rows[t.year[rows] <= year])
            self._gmina[teryt, year] = parts
        return self._gmina[teryt, year]

    def benchmark(self, area: str, year: int) -> dict[str, str]:
        """Hashes of the rows a benchmark of ``area`` reads up to ``year``, per table."""
        if self._tables is None:
            return {WHOLE_STORE: self._whole}
        if (area, year) not in self._benchmark:
            parts: dict[str, str] = {}
            for name, t in self._tables.items():
                keep = t.year <= year
                if t.annual is not None:
                    keep &= (t.area == area) | t.annual
                elif t.area is not None:
                    keep &= t.area == area
                parts[name] = _slice_hash(t, np.flatnonzero(keep))
            self._benchmark[area, year] = parts
        return self._benchmark[area, year]


def _prepare(store: Store) -> dict[str, _Table]:
    contracts = store.contracts.set_index("contract_id")
    prepared: dict[str, _Table] = {}
    for name, frame in store.tables().items():
        row_hashes = pd.util.hash_pandas_object(frame, index=False).to_numpy()
        schema = json.dumps([[str(c), str(t)] for c, t in frame.dtypes.items()]).encode()
        area: np.ndarray | None = None
        annual: np.ndarray | None = None
        if name == "contracts":
            teryt, year = frame["teryt"], frame["start_year"].to_numpy()
        elif "teryt" in frame.columns:
            teryt, year = frame["teryt"], frame["year"].to_numpy()
            if "area" in frame.columns:
                area = frame["area"].to_numpy(dtype=object)
        else:
            ids = frame["contract_id"]
            teryt, year = ids.map(contracts["teryt"]), frame["year"].to_numpy()
            area = ids.map(contracts["area"]).to_numpy(dtype=object)
            annual = (ids.map(contracts["mode"]) == ANNUAL_GRANT).to_numpy(dtype=bool)
        groups = pd.Series(np.arange(len(frame)), index=teryt.to_numpy(dtype=object))
        rows_of_gmina = {str(code): np.sort(rows.to_numpy(dtype=np.intp))
                         for code, rows in groups.groupby(level=0)}
        prepared[name] = _Table(row_hashes, schema, rows_of_gmina, year, area, annual)
    return prepared


def _slice_hash(table: _Table, rows: np.ndarray) -> str:
    digest = hashlib.sha256(table.schema)
    digest.update(np.ascontiguousarray(table.row_hashes[rows]).tobytes())
    return digest.hexdigest()
