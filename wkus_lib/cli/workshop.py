"""``wkus workshop``: participant or trainer notebooks of the six workshops."""

from __future__ import annotations

import argparse
from pathlib import Path

from wkus_lib.workshop.build import SOURCE_DIR, build_workshop


def _cmd_workshop(args: argparse.Namespace) -> int:
    written = build_workshop(
        Path(args.dir), trainer=args.trainer, source_dir=Path(args.source)
    )
    version = "dla prowadzącego (z rozwiązaniami)" if args.trainer else "dla uczestników"
    print(f"Zapisano {len(written)} notatników warsztatowych w wersji {version} w {args.dir}")
    return 0


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``wkus workshop DIR [--trainer]``."""
    parser = commands.add_parser(
        "workshop", help="utwórz notatniki warsztatowe (uczestnicy albo prowadzący)",
        description="Notatniki sześciu warsztatów: wersja dla uczestników (zadania do "
                    "uzupełnienia z samosprawdzeniem) albo dla prowadzącego (z rozwiązaniami "
                    "i notatkami).",
        epilog="Przykłady:\n  wkus workshop warsztaty\n  wkus workshop prowadzacy --trainer",
    )
    parser.add_argument("dir", metavar="KATALOG", help="katalog docelowy, np. notebooks/workshop")
    parser.add_argument("--trainer", action="store_true",
                        help="wersja dla prowadzącego: z rozwiązaniami i notatkami")
    parser.add_argument("--source", default=str(SOURCE_DIR),
                        help="katalog notatników źródłowych (domyślnie: "
                             "notebooks/workshop/src)")
    parser.set_defaults(handler=_cmd_workshop)
