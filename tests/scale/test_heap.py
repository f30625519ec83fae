import ctypes.util
import platform

import pytest

from communique.scale import heap


@pytest.mark.skipif(platform.system() != "Linux" or platform.libc_ver()[0] != "glibc", reason="glibc only")
def test_pins_the_thresholds_on_glibc():
    assert heap.bound_native_heap() is True


def test_without_a_c_library_nothing_changes(monkeypatch):
    monkeypatch.setattr(ctypes.util, "find_library", lambda name: None)
    assert heap.bound_native_heap() is False
