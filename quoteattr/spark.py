"""Attribute the documents of a Spark DataFrame: one output row per attribution.

Needs the ``spark`` extra (``pip install "quoteattr[spark]"``: pyspark, pandas, pyarrow) and a
Java runtime; docs/spark.md tells how to run it on a cluster.

>>> from quoteattr.spark import attribute_dataframe
>>> docs = spark.read.json("articles.jsonl")               # doctest: +SKIP
>>> rows = attribute_dataframe(docs)                       # doctest: +SKIP
>>> rows.groupBy("speaker_name").count().show()            # doctest: +SKIP

The work runs on the executors with ``mapInArrow``: each Python worker builds its
:class:`~quoteattr.pipeline.Pipeline` once, on the first partition it is given, and reuses it
for every later partition with the same settings; never one per row. The output schema
(:data:`SCHEMA`):

=============== ======== ================================================================
column          type     value
=============== ======== ================================================================
doc_id          string   the document's id (the input column cast to string)
start, end      int      the reported content's offsets, Python ``str`` indices (code
                         points), half-open: ``text[start:end]`` of the document
text            string   the reported content, with its quotation marks when direct
type            string   ``direct``, ``mixed`` or ``indirect``
speaker_name    string   the speaker's canonical name; null when no rule found one
speaker_start,  int      the offsets of the speaker mention that the deciding rule used
speaker_end
speaker_text    string   that mention's text ("he", "the envoy", a name)
cue             string   the cue's text ("said", "according to"), or null
confidence      double   in [0, 1]
sieve           string   the rule that decided the speaker (``none`` when none did)
error           string   null; for a document that failed, ``Type: message``, and every
                         other column but ``doc_id`` is null
=============== ======== ================================================================

A document without attributions gives no row; a document that fails gives exactly one row, its
error row. Spark's own ``substring`` counts from 1: ``substring(text, start + 1, end - start)``.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from quoteattr.model import Result
from quoteattr.pipeline import ErrorRecord, Pipeline

if TYPE_CHECKING:
    from pyspark.sql import DataFrame  # type: ignore[import-not-found, unused-ignore]

__all__ = ["COLUMNS", "SCHEMA", "SparkConfig", "attribute_dataframe", "attribution_rows"]

#: the output columns and their Spark SQL types, in order
COLUMNS: tuple[tuple[str, str], ...] = (
    ("doc_id", "string"),
    ("start", "int"),
    ("end", "int"),
    ("text", "string"),
    ("type", "string"),
    ("speaker_name", "string"),
    ("speaker_start", "int"),
    ("speaker_end", "int"),
    ("speaker_text", "string"),
    ("cue", "string"),
    ("confidence", "double"),
    ("sieve", "string"),
    ("error", "string"),
)
#: the output schema as a Spark DDL string
SCHEMA = ", ".join(f"`{name}` {kind}" for name, kind in COLUMNS)


@attrs.frozen
class SparkConfig:
    """How each executor builds its pipeline; sent to the executors, so only plain values.

    :ivar block: plugin names not to use, as for :class:`~quoteattr.pipeline.Pipeline`.
    :ivar plugins: extra plugins to register, each named ``"module"`` or ``"module:attr"``;
        the module must be importable on every executor (docs/spark.md: shipping plugins).
    :ivar load_entrypoints: load the third-party plugins installed on the executors.
    """

    block: tuple[str, ...] = ()
    plugins: tuple[str, ...] = ()
    load_entrypoints: bool = True

    def pipeline(self) -> Pipeline:
        """A new pipeline with these settings."""
        objects = [_load(name) for name in self.plugins]
        return Pipeline(plugins=objects, block=self.block, load_entrypoints=self.load_entrypoints)


def _load(name: str) -> object:
    module_name, _, attr = name.partition(":")
    obj: object = importlib.import_module(module_name)
    for part in filter(None, attr.split(".")):
        obj = getattr(obj, part)
    return obj


_pipelines: dict[SparkConfig, Pipeline] = {}


def _cached_pipeline(config: SparkConfig) -> Pipeline:
    """The pipeline of this Python worker process for ``config``, built on first use."""
    pipeline = _pipelines.get(config)
    if pipeline is None:
        pipeline = _pipelines[config] = config.pipeline()
    return pipeline


def attribution_rows(record: Result | ErrorRecord) -> list[dict[str, Any]]:
    """The output rows of one record, as dicts keyed by :data:`COLUMNS` (no Spark needed)."""
    if isinstance(record, ErrorRecord):
        row: dict[str, Any] = dict.fromkeys(name for name, _ in COLUMNS)
        row["doc_id"] = record.doc_id
        row["error"] = f"{record.type}: {record.message}"
        return [row]
    rows = []
    for a in record.attributions:
        speaker = a.speaker
        rows.append({
            "doc_id": record.doc_id,
            "start": a.start,
            "end": a.end,
            "text": a.text,
            "type": a.type,
            "speaker_name": None if speaker is None else speaker.name,
            "speaker_start": None if speaker is None else speaker.mention.start,
            "speaker_end": None if speaker is None else speaker.mention.end,
            "speaker_text": None if speaker is None else speaker.mention.text,
            "cue": None if a.cue is None else a.cue.span.text,
            "confidence": float(a.confidence),
            "sieve": a.sieve,
            "error": None,
        })
    return rows


def _arrow_schema() -> Any:
    import pyarrow as pa  # type: ignore[import-untyped, import-not-found, unused-ignore]

    kinds = {"string": pa.string(), "int": pa.int32(), "double": pa.float64()}
    return pa.schema([(name, kinds[kind]) for name, kind in COLUMNS])


def _attribute_batches(config: SparkConfig, batches: Iterable[Any]) -> Iterator[Any]:
    """The ``mapInArrow`` function: Arrow batches of ``doc_id, text`` in, attributions out."""
    import pyarrow as pa  # type: ignore[import-untyped, import-not-found, unused-ignore]

    pipeline = _cached_pipeline(config)  # once per partition at most, never per row
    schema = _arrow_schema()
    for batch in batches:
        docs = batch.to_pylist()
        rows: list[dict[str, Any]] = []
        for record in pipeline.attribute_many(docs):
            rows.extend(attribution_rows(record))
        yield pa.RecordBatch.from_pylist(rows, schema=schema)


def attribute_dataframe(
    df: DataFrame,
    *,
    doc_id_col: str = "doc_id",
    text_col: str = "text",
    block: Iterable[str] = (),
    plugins: Sequence[str] = (),
    load_entrypoints: bool = True,
) -> DataFrame:
    """Attribute every document of ``df``; one row per attribution, with :data:`SCHEMA`.

    Lazy, as Spark is: nothing runs until an action (``write``, ``count``, ``collect``).

    :param df: a DataFrame with a document id column and a text column; other columns are
        ignored (join the result back on ``doc_id`` to keep them).
    :param doc_id_col: the name of the id column; its values are cast to string.
    :param text_col: the name of the text column (string). A null text gives an error row.
    :param block: plugin names not to use, as for :class:`~quoteattr.pipeline.Pipeline`.
    :param plugins: extra plugins by import name, ``"module"`` or ``"module:attr"``: plugin
        objects cannot be sent to the executors, names can.
    :param load_entrypoints: load the third-party plugins installed on the executors.
    """
    from pyspark.sql import functions as F  # type: ignore[import-not-found, unused-ignore]

    config = SparkConfig(tuple(block), tuple(plugins), load_entrypoints)
    config.pipeline()  # fail here, on the driver, on an unknown plugin name or a bad module
    docs = df.select(
        F.col(doc_id_col).cast("string").alias("doc_id"),
        F.col(text_col).alias("text"),
    )
    return docs.mapInArrow(functools.partial(_attribute_batches, config), SCHEMA)
