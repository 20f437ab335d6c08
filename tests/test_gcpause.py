"""paused_gc: the collector is off inside the block and back as it was after, even on error."""

from __future__ import annotations

import gc

import pytest

from aexl.gcpause import paused_gc


@pytest.mark.parametrize("enabled", [True, False])
def test_state_restored(enabled):
    (gc.enable if enabled else gc.disable)()
    try:
        with paused_gc():
            assert not gc.isenabled()
            with paused_gc():  # nested: the inner block leaves it off
                assert not gc.isenabled()
            assert not gc.isenabled()
        assert gc.isenabled() is enabled
        with pytest.raises(ZeroDivisionError), paused_gc():
            1 / 0  # noqa: B018
        assert gc.isenabled() is enabled
    finally:
        gc.enable()
