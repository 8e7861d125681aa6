"""Shared fixtures: one synthetic demo store per test session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from wkus_lib.demo import DemoSummary, write_demo

DEMO_SEED = 2024


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoSummary:
    """The pilot demo data (seed 2024): raw CSVs and a validated store in a temp folder."""
    root = tmp_path_factory.mktemp("demo")
    return write_demo(root / "raw", root / "store", seed=DEMO_SEED)


@pytest.fixture(scope="session", autouse=True)
def _pseudonym_key_outside_the_users_config(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[None]:
    """Tests never create or read the user's real pseudonym key (their config folder)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(
            "WKUS_PSEUDONYM_KEY_FILE", str(tmp_path_factory.mktemp("key") / "pseudonym.key")
        )
        yield
