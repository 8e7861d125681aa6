"""``wkus dashboard``: the indicator explorer in a browser, on this computer only."""

from __future__ import annotations

import argparse

from wkus_lib.cli.parser import STORE_HELP
from wkus_lib.explore.dashboard import DEFAULT_PORT, serve


def _cmd_dashboard(args: argparse.Namespace) -> int:
    from wkus_lib.store.locate import locate_store

    return serve(locate_store(args.store), args.port, open_browser=not args.no_browser)


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``wkus dashboard`` to the command line."""
    from wkus_lib.cli.parser import port_number

    dashboard = commands.add_parser(
        "dashboard", help="panel eksploratora wskaźników w przeglądarce (Voilà, tylko ten komputer)",
        description="Panel wskaźników wszystkich gmin magazynu (tylko zagregowane, z ukryciem "
                    "małych grup) w przeglądarce. Serwer działa tylko na tym komputerze "
                    "(127.0.0.1) i wpuszcza tylko z kluczem dostępu z wypisanego adresu.",
        epilog="Przykład:\n  wkus dashboard --store dane/magazyn --port 8866\n"
               "Gminę wybiera adres z …&teryt=2013023 (kod TERYT albo nazwa).",
    )
    dashboard.add_argument("--store", default="",
                           help=STORE_HELP)
    dashboard.add_argument("--port", type=port_number, default=DEFAULT_PORT,
                           help="port serwera (domyślnie: %(default)s)")
    dashboard.add_argument("--no-browser", action="store_true",
                           help="nie otwieraj przeglądarki")
    dashboard.set_defaults(handler=_cmd_dashboard)
