"""quoteattr.spark on a local Spark (``local[2]``): the rows equal in-process attribution.

Needs the ``spark`` extra and Java. Without pyspark the module is skipped, except in CI (the
``CI`` environment variable set), where .ci/run installs the extra and these tests must run.
One Spark session serves every test; starting it takes several seconds.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

try:
    import pyspark  # noqa: F401
except ImportError:
    if os.environ.get("CI"):
        raise ImportError(
            "pyspark is not installed, and in CI the Spark tests must run: "
            '.ci/run installs it with pip install -e ".[spark]"'
        ) from None
    pytest.skip(
        'pyspark is not installed (pip install -e ".[spark]" to run the Spark tests)',
        allow_module_level=True,
    )

from pyspark.sql import SparkSession

from quoteattr import Pipeline
from quoteattr.spark import COLUMNS, attribute_dataframe, attribution_rows

ROOT = Path(__file__).resolve().parent.parent

SEED = (ROOT / "seeds" / "kabulov.txt").read_text(encoding="utf-8")
DOCS: list[tuple[Any, Any]] = [
    ("seed", SEED),
    ("short", "“We will win the vote,” said Ana Lopez, the mayor."),
    ("none", "Nothing was said here at all."),
    ("no-text", None),
    ("indirect", "The minister said that the talks would resume on Monday. “Not soon,” he added."),
    (7, "According to the report, prices rose. Officials claimed the plan had failed."),
]


@pytest.fixture(scope="session")
def spark() -> Iterator[SparkSession]:
    if shutil.which("java") is None:
        pytest.fail("Spark needs Java: `java -version` must work (Java 17 or later)")
    os.environ["PYSPARK_PYTHON"] = sys.executable  # the executors' Python: this one
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    session = (
        SparkSession.builder.master("local[2]")
        .appName("quoteattr-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def _in_process() -> list[dict[str, Any]]:
    pipeline = Pipeline()
    records = pipeline.attribute_many({"doc_id": d, "text": t} for d, t in DOCS)
    return [row for record in records for row in attribution_rows(record)]


def _key(row: dict[str, Any]) -> tuple[str, int, int]:
    return (str(row["doc_id"]), row["start"] or -1, row["end"] or -1)


def test_rows_equal_in_process_attribution(spark: SparkSession) -> None:
    df = spark.createDataFrame(
        [(str(d), t) for d, t in DOCS], "doc_id string, text string"
    ).repartition(2)
    out = attribute_dataframe(df)
    assert [(f.name, f.dataType.simpleString()) for f in out.schema.fields] == list(COLUMNS)
    rows = sorted((r.asDict() for r in out.collect()), key=_key)
    assert rows == sorted(_in_process(), key=_key)
    by_doc = {str(d): t for d, t in DOCS}
    assert {r["doc_id"] for r in rows} >= {"seed", "short", "indirect", "7"}
    for row in rows:
        text = by_doc[row["doc_id"]]
        if row["error"] is not None:
            assert row["doc_id"] == "no-text" and row["start"] is None
            continue
        assert text is not None and text[row["start"] : row["end"]] == row["text"]
        if row["speaker_name"] is not None:
            assert text[row["speaker_start"] : row["speaker_end"]] == row["speaker_text"]
    short = [r for r in rows if r["doc_id"] == "short"]
    assert [(r["text"], r["speaker_name"], r["cue"]) for r in short] == [
        ("“We will win the vote,”", "Ana Lopez", "said")
    ]


def test_other_column_names_and_a_blocked_plugin(spark: SparkSession) -> None:
    text = "Ana Lopez spoke first. “Not yet,” she said."
    df = spark.createDataFrame([(1, text)], "id long, body string")
    out = attribute_dataframe(df, doc_id_col="id", text_col="body", block=["coref"])
    rows = [r.asDict() for r in out.collect()]
    expected = Pipeline(block=["coref"]).attribute(text, doc_id="1")
    assert rows == attribution_rows(expected)
    assert [r["speaker_name"] for r in rows] == ["she"]  # without coref: the mention as written


def test_the_java_runtime_is_there() -> None:
    """Spark's requirement, checked on its own so that a failure says what is missing."""
    java = shutil.which("java")
    assert java is not None, "Spark needs Java 17 or later on the PATH"
    done = subprocess.run([java, "-version"], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
