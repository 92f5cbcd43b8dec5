"""Past one machine: the Dask recipe of docs/api.md, run on a local Dask cluster over a
partitioned book, yields exactly the rows `batch` writes for the same files."""

from __future__ import annotations

import csv
import io
import re
import sys
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed")
pytest.importorskip("dask.dataframe")

sys.path.insert(0, str(Path(__file__).parent / "bench"))
import gen_book  # noqa: E402

from eo_advisor.batch import run as batch  # noqa: E402

API_DOC = Path(__file__).parent.parent / "docs" / "api.md"


def recipe() -> str:
    section = API_DOC.read_text().split("## A very large book on Dask", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_the_dask_recipe_yields_the_rows_batch_writes(tmp_path):
    whole = tmp_path / "whole.csv"
    gen_book.write(900, str(whole), "csv", seed=17)  # realistic variety, ~1% bad rows
    header, *lines = whole.read_text().splitlines(keepends=True)
    parts = tmp_path / "book"
    parts.mkdir()
    for i in range(3):  # three files of 300 rows: three partitions
        (parts / f"part-{i}.csv").write_text(header + "".join(lines[i * 300 : (i + 1) * 300]))
    paths = [str(p) for p in sorted(parts.glob("part-*.csv"))]

    expected = io.StringIO()
    summary = batch.run(batch.read_inputs(paths, None), expected, "csv")
    assert summary.read == 900 and summary.errors > 0

    code = recipe().replace('"book/part-*.csv"', repr(str(parts / "part-*.csv")))
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as cluster, distributed.Client(cluster):
        namespace: dict = {}
        exec(compile(code, str(API_DOC), "exec"), namespace)
        advice = namespace["advice"]
        assert advice.npartitions == 3
        frame = advice.compute()

    got = io.StringIO()
    writer = csv.writer(got, lineterminator="\n")
    writer.writerow(frame.columns)
    writer.writerows(frame.itertuples(index=False, name=None))
    assert got.getvalue() == expected.getvalue()
