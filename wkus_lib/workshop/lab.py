"""JupyterLab for workshops: Polish as the default interface language.

The install step of ``make`` (the environment ``.venv``, made by ``make demo``,
``make test`` or ``make lab``) runs ``python -m wkus_lib.workshop.lab`` right
after installing the packages, so JupyterLab is Polish from its very first
start, however it is started; ``make lab`` runs it again before starting
JupyterLab (for environments installed before this step existed). It checks
that the Polish language pack matches JupyterLab's major.minor version (a
pack for another version leaves parts of the interface in English) and sets ``pl_PL`` as the default locale in the settings overrides
of the environment (``<prefix>/share/jupyter/lab/settings/overrides.json``),
keeping every other key already there. A participant can still switch the
language in the menu; their choice is stored in their own user settings.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any, Final

from wkus_lib.errors import InputError, WkusError

TRANSLATION_PLUGIN: Final = "@jupyterlab/translation-extension:plugin"
POLISH_LOCALE: Final = "pl_PL"
LANGUAGE_PACK: Final = "jupyterlab-language-pack-pl-PL"
OVERRIDES_NAME: Final = "overrides.json"


def default_settings_dir(prefix: Path | None = None) -> Path:
    """JupyterLab's application settings folder of an environment (this one by default)."""
    return (Path(sys.prefix) if prefix is None else prefix) / "share" / "jupyter" / "lab" / "settings"


def with_polish_default(overrides: Mapping[str, Any]) -> dict[str, Any]:
    """``overrides`` with the translation plugin's locale set to ``pl_PL``; other keys kept.

    Examples
    --------
    >>> with_polish_default({"x:plugin": {"a": 1}})[TRANSLATION_PLUGIN]
    {'locale': 'pl_PL'}
    """
    merged: dict[str, Any] = json.loads(json.dumps(overrides))
    plugin = merged.get(TRANSLATION_PLUGIN)
    merged[TRANSLATION_PLUGIN] = {**(plugin if isinstance(plugin, dict) else {}),
                                  "locale": POLISH_LOCALE}
    return merged


def _read_overrides(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputError(
            "plik ustawień JupyterLab nie jest poprawnym JSON-em", file=str(path),
            hint="Popraw go albo usuń i uruchom „make lab” jeszcze raz.",
        ) from error
    if not isinstance(content, dict):
        raise InputError(
            "plik ustawień JupyterLab powinien zawierać obiekt JSON {…}", file=str(path),
            hint="Popraw go albo usuń i uruchom „make lab” jeszcze raz.",
        )
    return content


def write_polish_default(settings_dir: Path) -> Path:
    """Set ``pl_PL`` as the default locale in ``settings_dir/overrides.json`` (atomically)."""
    from wkus_lib.files.atomic import atomic_write_bytes

    path = settings_dir / OVERRIDES_NAME
    merged = with_polish_default(_read_overrides(path))
    settings_dir.mkdir(parents=True, exist_ok=True)
    text = json.dumps(merged, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    atomic_write_bytes(path, text.encode("utf-8"))
    return path


def major_minor(version: str) -> tuple[int, int]:
    """``"4.5.post3"`` → ``(4, 5)``.

    Examples
    --------
    >>> major_minor("4.5.post3"), major_minor("4.5.11")
    ((4, 5), (4, 5))
    """
    from packaging.version import Version

    release = Version(version).release
    return release[0], (release[1] if len(release) > 1 else 0)


def check_language_pack_version(lab_version: str, pack_version: str) -> None:
    """Raise :class:`WkusError` unless the pack is built for JupyterLab's major.minor."""
    if major_minor(lab_version) != major_minor(pack_version):
        raise WkusError(
            f"Polski pakiet językowy {LANGUAGE_PACK} {pack_version} nie pasuje do JupyterLab "
            f"{lab_version} (różne wersje główne). Zainstaluj pakiet w wersji "
            f"{'.'.join(map(str, major_minor(lab_version)))}.*, np. przez „make lab” po "
            "aktualizacji pyproject.toml."
        )


def installed_versions() -> tuple[str, str]:
    """Versions of JupyterLab and the Polish language pack in this environment."""
    try:
        return metadata.version("jupyterlab"), metadata.version(LANGUAGE_PACK)
    except metadata.PackageNotFoundError as error:
        raise WkusError(
            f"Brak pakietu {error.name}: uruchom „make lab” (instaluje zależności projektu)."
        ) from error


def main(argv: Sequence[str] | None = None) -> int:
    """Check the language pack and make Polish the default; Polish messages, exit 2 on error."""
    parser = argparse.ArgumentParser(
        prog="python -m wkus_lib.workshop.lab",
        description="Ustaw język polski jako domyślny w JupyterLab tego środowiska.",
    )
    parser.add_argument("--settings-dir", default=None,
                        help="katalog ustawień JupyterLab (domyślnie <środowisko>/share/"
                             "jupyter/lab/settings)")
    args = parser.parse_args(argv)
    settings_dir = Path(args.settings_dir) if args.settings_dir else default_settings_dir()
    try:
        lab_version, pack_version = installed_versions()
        check_language_pack_version(lab_version, pack_version)
        path = write_polish_default(settings_dir)
    except WkusError as error:
        print(f"Błąd: {error}", file=sys.stderr)
        return 2
    print(f"JupyterLab {lab_version} po polsku (pakiet językowy {pack_version}); "
          f"ustawienia: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
