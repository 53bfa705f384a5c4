"""Edges decided on a Dask distributed cluster (`--cluster`, issue #15): a local
two-worker cluster (`LocalCluster`, started by the test on 127.0.0.1) gives what a
local run gives; a worker that dies has its batch run again; a batch that cannot be
run is an UNKNOWN per decision naming the loss, never a gap."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reasoner.accounts.cluster import batches_of, run_batches
from reasoner.cli.app import app

distributed = pytest.importorskip("distributed")

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address="127.0.0.1:0") as local:
        yield local.scheduler_address


def test_batches_keep_the_order_and_every_item() -> None:
    items = list(range(103))
    batches = batches_of(items, 2)
    assert [item for batch in batches for item in batch] == items and len(batches) == 8
    assert batches_of([], 4) == [] and len(batches_of(items, 1000)) == 103


def test_graph_on_a_two_worker_cluster_prints_what_a_local_run_prints(cluster: str, tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT))
    from benchmarks.synthetic_accounts import write_account

    folder = write_account(tmp_path, 12)
    command = ["graph", "--snapshot", str(folder), "--with-absent"]
    local = runner.invoke(app, [*command, "--jobs", "2"])
    remote = runner.invoke(app, [*command, "--cluster", cluster])
    assert local.exit_code == remote.exit_code == 0, remote.output
    assert '"exists"' in local.stdout and remote.stdout == local.stdout


def _dies_once(batch: list[int], marker: str) -> list[int]:
    """Kills its worker the first time it runs (the marker file tells)."""
    if not os.path.exists(marker):
        Path(marker).write_text("died")
        os._exit(1)
    return [item * 2 for item in batch]


def _always_dies(batch: list[int]) -> list[int]:
    os._exit(1)


def test_a_batch_whose_worker_dies_is_run_again(cluster: str, tmp_path: Path) -> None:
    from functools import partial

    got: dict[int, int] = {}
    run_batches(cluster, [1, 2, 3], partial(_dies_once, marker=str(tmp_path / "died")),
                lambda item, why: -1, got.__setitem__)
    assert got == {1: 2, 2: 4, 3: 6} and (tmp_path / "died").exists()


def test_a_batch_that_cannot_be_run_is_unknown_naming_the_loss_never_a_gap(tmp_path: Path) -> None:
    import dask

    with dask.config.set({"distributed.scheduler.allowed-failures": 0}), \
            distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
                                     dashboard_address="127.0.0.1:0") as local:
        got: dict[int, str] = {}
        run_batches(local.scheduler_address, [1, 2], _always_dies, lambda item, why: why, got.__setitem__)
    assert set(got) == {1, 2} and all("lost on the cluster" in why for why in got.values())
