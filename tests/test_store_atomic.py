"""The store survives writers killed at any instant and writers running at the same time."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from wkus_lib.errors import InputError
from wkus_lib.store import read_store, store_lock, write_store

KILL_POINTS = 15

# Imports once, then forks one writer per run (a writer starts in milliseconds, so the
# kill points fall inside the write, and the test does not pay an interpreter start per run).
_FORKING_WRITER = textwrap.dedent("""
    import os
    import sys
    from pathlib import Path

    import pandas as pd

    from wkus_lib import store

    tables = pd.read_pickle(sys.argv[1])
    target = Path(sys.argv[2])
    steps = {"atomic_write_bytes": store.atomic_write_bytes, "_prune": store._prune}

    def pausing(step):
        def paused(*args, **kwargs):
            print("step", flush=True)  # the test answers "go", or kills the writer here
            sys.stdin.readline()
            return step(*args, **kwargs)
        return paused

    print("ready", flush=True)
    while command := sys.stdin.readline().strip():
        for name, step in steps.items():
            setattr(store, name, pausing(step) if command == "steps" else step)
        pid = os.fork()
        if pid == 0:
            sys.stdin.readline()
            store.write_store(tables, target, synthetic=False, note="nowa wersja")
            print("done", flush=True)
            os._exit(0)
        print(f"pid {pid}", flush=True)
        os.waitpid(pid, 0)
        print("exit", flush=True)
""")

_LOCK_HOLDER = textwrap.dedent("""
    import sys
    import time
    from pathlib import Path

    from wkus_lib.store import store_lock

    with store_lock(Path(sys.argv[1])):
        print("locked", flush=True)
        time.sleep(float(sys.argv[2]))
""")


def _python(script: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", script, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True,
    )


@pytest.fixture(scope="module")
def versions(demo: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """An old store (the demo) and a new version in which every table changed, pickled for
    the writer; the new survey table is five times larger, so writing takes a while."""
    old = read_store(demo.store_dir).tables()
    new = {name: frame.iloc[:-1] for name, frame in old.items()}
    responses = new["survey_responses"]
    copies = [responses.assign(respondent_id=responses["respondent_id"] + f"-{n}")
              for n in range(4)]
    new["survey_responses"] = pd.concat([responses, *copies], ignore_index=True)
    folder = tmp_path_factory.mktemp("versions")
    pd.to_pickle(new, folder / "new.pkl")
    yield {"old": old, "new": new, "pickle": folder / "new.pkl", "folder": folder}


def _assert_same_tables(store: Mapping[str, pd.DataFrame], expected: Mapping[str, Any]) -> None:
    for name, frame in expected.items():
        pd.testing.assert_frame_equal(store[name], frame, check_dtype=True)


class _Writer:
    """Writes the new version into a store, killed with SIGKILL where a test says."""

    def __init__(self, pickle: Path, store_dir: Path) -> None:
        self.process = _python(_FORKING_WRITER, str(pickle), str(store_dir))
        assert self._line() == "ready"

    def _line(self) -> str:
        assert self.process.stdout is not None
        return self.process.stdout.readline().strip()

    def _send(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def run(self, *, kill_after: float | None = None, kill_at_step: int | None = None,
            ) -> tuple[float, int]:
        """SIGKILL the writer ``kill_after`` s after it starts, or when it reaches step
        ``kill_at_step`` (a file about to be written, or the clean-up after the commit).
        Returns how long it ran and how many steps it passed."""
        self._send("plain" if kill_at_step is None else "steps")
        pid = int(self._line().removeprefix("pid "))
        started = time.perf_counter()
        self._send("go")
        steps = 0
        if kill_at_step is not None:
            while self._line() == "step" and steps < kill_at_step:
                steps += 1
                self._send("go")
        elif kill_after is not None:
            time.sleep(kill_after)
        else:
            assert self._line() == "done"
        elapsed = time.perf_counter() - started
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        while (line := self._line()) != "exit":
            assert line in ("done", "step"), line
        return elapsed, steps

    def close(self) -> None:
        self._send("")
        self.process.communicate(timeout=60)


@pytest.fixture(scope="module")
def writer(versions: dict[str, Any], tmp_path_factory: pytest.TempPathFactory,
           ) -> Iterator[tuple[_Writer, Path]]:
    if not hasattr(os, "fork"):
        pytest.skip("the writer forks")
    store = tmp_path_factory.mktemp("killed")
    writing = _Writer(versions["pickle"], store)
    yield writing, store
    writing.close()


@pytest.fixture(scope="module")
def reference(versions: dict[str, Any], writer: tuple[_Writer, Path]) -> dict[str, Any]:
    """The old and the new store as read back, how long writing the new one takes and in
    how many steps."""
    writing, store = writer
    write_store(versions["old"], store, synthetic=False)
    old = read_store(store)
    duration, _ = writing.run()
    new = read_store(store)
    assert new.data_hash != old.data_hash
    write_store(versions["old"], store, synthetic=False)
    _, steps = writing.run(kill_at_step=1_000)
    return {"old": old, "new": new, "duration": duration, "steps": steps}


def _old_or_new(store_dir: Path, reference: dict[str, Any]) -> str:
    """Which version the store reads as; it must read without error and be one of the two."""
    after = read_store(store_dir)
    version = "old" if after.data_hash == reference["old"].data_hash else "new"
    assert after.data_hash == reference[version].data_hash
    _assert_same_tables(after.tables(), reference[version].tables())
    return version


def test_a_writer_killed_at_each_step_leaves_the_old_or_the_new_store(
    versions: dict[str, Any], reference: dict[str, Any], writer: tuple[_Writer, Path],
) -> None:
    """Killed before each file it writes (12 tables, the manifest) and before the clean-up."""
    writing, store = writer
    assert reference["steps"] == len(versions["old"]) + 2
    outcomes = []
    for step in range(reference["steps"]):
        write_store(versions["old"], store, synthetic=False)  # a killed writer's lock is gone
        writing.run(kill_at_step=step)
        outcomes.append(_old_or_new(store, reference))
    # Only the manifest's rename commits: before it old, after it new.
    assert outcomes == ["old"] * (reference["steps"] - 1) + ["new"]
    write_store(versions["old"], store, synthetic=False)
    assert not list(store.rglob("*.tmp"))
    assert len(list((store / "tables").iterdir())) == len(versions["old"])


def test_a_writer_killed_after_varied_delays_leaves_the_old_or_the_new_store(
    versions: dict[str, Any], reference: dict[str, Any], writer: tuple[_Writer, Path],
) -> None:
    """SIGKILL at 15 moments spread over the write, inside files included."""
    writing, store = writer
    outcomes = []
    for point in range(KILL_POINTS):
        write_store(versions["old"], store, synthetic=False)
        writing.run(kill_after=reference["duration"] * 1.3 * point / (KILL_POINTS - 1))
        outcomes.append(_old_or_new(store, reference))
    assert "old" in outcomes, outcomes
    write_store(versions["old"], store, synthetic=False)
    assert not list(store.rglob("*.tmp"))


def test_two_writers_at_once_each_hold_the_lock_for_their_whole_read_modify_write(
    tmp_path: Path,
) -> None:
    """Two processes each add their own rows in a read-modify-write: both sets survive."""
    store = tmp_path / "store"
    from wkus_lib.schemas import TABLES
    from wkus_lib.store import empty_table

    write_store({name: empty_table(name) for name in TABLES}, store, synthetic=False)
    script = textwrap.dedent("""
        import sys
        import time
        from pathlib import Path

        import pandas as pd

        from wkus_lib.store import read_store, store_lock, write_store

        store = Path(sys.argv[1])
        for number in range(int(sys.argv[3])):
            with store_lock(store):
                tables = read_store(store).tables()
                row = pd.DataFrame([{"teryt": "2002063", "area": "sport", "year": 2024,
                                     "instrument": "klient",
                                     "respondent_id": f"P-{sys.argv[2]}{number:015d}",
                                     "text": "Dobrze"}])
                tables["survey_comments"] = pd.concat([tables["survey_comments"], row])
                time.sleep(0.01)  # widen the window a lost update would need
                write_store(tables, store, synthetic=False)
    """)
    writers = [_python(script, str(store), letter, "8") for letter in "ab"]
    for writer in writers:
        with writer:
            _, errors = writer.communicate(timeout=120)
        assert writer.returncode == 0, errors
    comments = read_store(store).survey_comments
    assert len(comments) == 16
    assert sorted(comments["respondent_id"].str[2]) == ["a"] * 8 + ["b"] * 8


def test_a_second_writer_waits_a_bounded_time_then_stops_in_polish(tmp_path: Path) -> None:
    with _python(_LOCK_HOLDER, str(tmp_path), "30") as holder:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "locked"
        started = time.perf_counter()
        busy = "magazyn jest używany przez inny proces .czekano 0,5 s."
        with pytest.raises(InputError, match=busy) as raised, store_lock(tmp_path, timeout=0.5):
            pass
        assert 0.4 < time.perf_counter() - started < 10
        assert raised.value.file == str(tmp_path)
        holder.kill()
        holder.wait(timeout=30)
    with store_lock(tmp_path, timeout=5):  # SIGKILL released it
        pass


def test_a_writer_waits_for_the_lock_and_then_writes(tmp_path: Path) -> None:
    with _python(_LOCK_HOLDER, str(tmp_path), "1") as holder:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "locked"
        started = time.perf_counter()
        with store_lock(tmp_path, timeout=30):
            waited = time.perf_counter() - started
        holder.wait(timeout=30)
    assert waited > 0.3


def test_readers_never_see_a_half_written_version(
    versions: dict[str, Any], tmp_path: Path,
) -> None:
    """A reader running while versions are committed and pruned reads one whole version."""
    store = tmp_path / "store"
    small = versions["old"]
    write_store(small, store, synthetic=False)
    hashes = {read_store(store).data_hash}
    script = textwrap.dedent("""
        import sys
        from pathlib import Path

        import pandas as pd

        from wkus_lib.store import write_store

        new = pd.read_pickle(sys.argv[1])
        old = {**new, "survey_responses": new["survey_responses"].iloc[:100]}
        for round in range(6):
            write_store(new if round % 2 else old, Path(sys.argv[2]), synthetic=False)
    """)
    seen = 0
    with _python(script, str(versions["pickle"]), str(store)) as writer:
        while writer.poll() is None:
            hashes.add(read_store(store).data_hash)
            seen += 1
        _, errors = writer.communicate(timeout=60)
    assert writer.returncode == 0, errors
    assert seen > 0 and len(hashes) >= 2


def _halves(source: Path, folder: Path) -> tuple[Path, Path]:
    """The rows of a CSV file in two files of their own, each with the header."""
    header, *rows = source.read_text(encoding="utf-8").splitlines(keepends=True)
    middle = len(rows) // 2
    paths = (folder / "pierwsza.csv", folder / "druga.csv")
    for path, part in zip(paths, (rows[:middle], rows[middle:]), strict=True):
        path.write_text(header + "".join(part), encoding="utf-8")
    return paths


def _wkus(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([str(Path(sys.executable).parent / "wkus"), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_two_imports_at_once_keep_the_rows_of_both_files(demo: Any, tmp_path: Path) -> None:
    from wkus_lib.intake.importer import import_files

    first, second = _halves(demo.raw_dir / "cooperation_survey.csv", tmp_path)
    import_files([first, second], tmp_path / "one_after_another")
    expected = read_store(tmp_path / "one_after_another").cooperation_survey
    assert len(expected) > 3000

    store = tmp_path / "store"
    imports = [_wkus("import", str(path), "--store", str(store)) for path in (first, second)]
    for process in imports:
        with process:
            out, errors = process.communicate(timeout=300)
        assert process.returncode in (0, 1), out + errors  # 1: the demo's deliberate error
        assert "Traceback" not in errors
    _assert_same_tables({"cooperation_survey": read_store(store).cooperation_survey},
                        {"cooperation_survey": expected})


def test_import_into_a_store_path_that_is_a_file_is_a_polish_error(
    demo: Any, tmp_path: Path,
) -> None:
    target = tmp_path / "magazyn"
    target.write_bytes(b"not a folder")
    with _wkus("import", str(demo.raw_dir / "needs.csv"), "--store", str(target)) as process:
        out, errors = process.communicate(timeout=120)
    assert process.returncode == 2, out + errors
    assert "Traceback" not in out + errors
    assert "wskazuje plik, a nie katalog" in out + errors
    assert target.read_bytes() == b"not a folder"


def test_an_import_killed_at_varied_moments_leaves_the_old_or_the_new_store(
    demo: Any, tmp_path: Path,
) -> None:
    """`wkus import` itself, killed with SIGKILL while it reads, converts and writes."""
    source = demo.raw_dir / "cooperation_survey.csv"
    new_rows = tmp_path / "nowi_respondenci.csv"
    new_rows.write_text(source.read_text(encoding="utf-8").replace(",R-", ",S-"),
                        encoding="utf-8")
    reference = tmp_path / "reference"
    shutil.copytree(demo.store_dir, reference)
    old = read_store(reference)
    started = time.perf_counter()
    with _wkus("import", str(new_rows), "--store", str(reference)) as process:
        out, errors = process.communicate(timeout=300)
    duration = time.perf_counter() - started
    assert process.returncode in (0, 1), out + errors
    new = read_store(reference)
    assert len(new.cooperation_survey) > len(old.cooperation_survey)
    outcomes = []
    # Spread over the whole run: the reference run's duration varies with the machine's
    # load, so which kill lands before the commit varies too; the early ones always do.
    for fraction in (0.1, 0.35, 0.6, 0.8, 1.0):
        store = tmp_path / f"killed-{fraction}"
        shutil.copytree(demo.store_dir, store)
        with _wkus("import", str(new_rows), "--store", str(store)) as process:
            time.sleep(duration * fraction)
            process.send_signal(signal.SIGKILL)
            process.communicate(timeout=60)
        after = read_store(store)
        version = "old" if after.data_hash == old.data_hash else "new"
        assert after.data_hash == (old if version == "old" else new).data_hash
        _assert_same_tables(after.tables(), (old if version == "old" else new).tables())
        outcomes.append(version)
    assert "old" in outcomes, outcomes
