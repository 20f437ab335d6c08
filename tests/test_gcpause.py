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


@pytest.mark.parametrize("freeze", [True, False])
def test_freeze_spares_what_the_block_made_from_the_next_collection(freeze):
    """Frozen inside the block, the objects it made are never walked; otherwise the first
    allocation after the pause starts a collection over all of them."""
    phases = []

    def seen(phase, info):
        phases.append(phase)

    gc.enable()
    gc.callbacks.append(seen)
    try:
        with paused_gc(freeze=freeze):
            made = [[n] for n in range(50_000)]
        after = [[n] for n in range(gc.get_threshold()[0] // 4)]  # too few to start one
        assert len(made) == 50_000 and after
        if freeze:
            assert phases == [] and gc.get_freeze_count() >= 50_000
        else:
            assert "start" in phases and gc.get_freeze_count() == 0
    finally:
        gc.callbacks.remove(seen)
        gc.unfreeze()
