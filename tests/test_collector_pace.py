"""The collector's pace a command's process runs at (cli/collector.py)."""

from __future__ import annotations

import gc
import subprocess
import sys

from reasoner.cli.collector import YOUNGEST_THRESHOLD, pace_for_one_command


def test_the_youngest_generation_is_collected_less_often_and_the_older_ones_as_before() -> None:
    before = gc.get_threshold()
    try:
        pace_for_one_command()
        assert gc.get_threshold() == (YOUNGEST_THRESHOLD, before[1], before[2])
        assert gc.isenabled()
    finally:
        gc.set_threshold(*before)


def test_the_command_entry_point_sets_the_pace() -> None:
    probe = ("import gc, sys\n"
             "from reasoner.cli.app import main\n"
             "sys.argv = ['perimeter', '--version']\n"
             "try:\n    main()\nexcept SystemExit:\n    pass\n"
             "print(gc.get_threshold()[0])\n")
    found = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert found.stdout.splitlines()[-1] == str(YOUNGEST_THRESHOLD)
