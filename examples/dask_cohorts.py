"""Match many cohorts at once on a Dask cluster.

A global company runs one reverse-mentoring cohort per time-zone region, all
on the same afternoon. This script

1. builds a synthetic company program (``rm.datasets.make_program``);
2. cuts it into cohorts by time-zone region with ``split_by``: reporting
   chains that run through other regions still forbid their pairs;
3. matches every cohort on a Dask cluster: ``Client.get_executor()`` is a
   ``concurrent.futures.Executor``, which is all ``match_many`` needs;
4. prints one line per cohort, in input order. A cohort that fails (here a
   deliberately broken one) is reported with its name; the others are not
   lost.

Usage::

    python examples/dask_cohorts.py [--scheduler tcp://host:8786] [--executives 120]

Without ``--scheduler`` a local cluster (two worker processes, one thread
each, under ``revmatch.scale.DASK_CONFIG``) is started and shut down again.
Needs the ``dask`` extra: ``pip install 'revmatch[dask]'``. Start the workers
of a cluster of your own under the same settings (``dask.config.set``) for the
same speed.
"""

from __future__ import annotations

import argparse
from typing import Any

import dask
from distributed import Client, LocalCluster

import revmatch as rm
from revmatch.scale import DASK_CONFIG, CohortFailure, match_many, split_by


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scheduler", help="address of a running Dask scheduler")
    parser.add_argument("--executives", type=int, default=120)
    parser.add_argument("--mentors-per-executive", type=float, default=2.0)
    args = parser.parse_args(argv)

    program = rm.datasets.make_program(
        n_executives=args.executives,
        n_mentors=int(args.executives * args.mentors_per_executive),
        seed=7,
        name="RM 2027",
    )
    cohorts: list[rm.Program | dict[str, Any]] = list(split_by(program, "region").values())
    # A cohort with a mistake in its data: reported, the others still run.
    cohorts.append({"program": {"name": "RM 2027 [broken]"}, "executives": [{"id": ""}]})

    # distributed ships without complete annotations, hence the ignores.
    if args.scheduler:
        with Client(args.scheduler) as client:  # type: ignore[no-untyped-call]
            results = match_many(cohorts, executor=client.get_executor())
    else:
        with (
            dask.config.set(dict(DASK_CONFIG)),
            LocalCluster(  # type: ignore[no-untyped-call]
                n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
            ) as cluster,
            Client(cluster) as client,  # type: ignore[no-untyped-call]
        ):
            results = match_many(cohorts, executor=client.get_executor())

    for result in results:
        if isinstance(result, CohortFailure):
            print(f"FAILED {result.name}: {result.error}: {result.message}")
            continue
        m = result.metrics
        print(
            f"{result.audit['program']}: matched {m['matched_executives']} of "
            f"{m['n_executives']} executives with {m['n_mentors']} mentors "
            f"(mean score {m['score_mean']:.3f})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
