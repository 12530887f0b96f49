"""Warehouse-SQL parity: the script of `spine sql` run in a real engine must give the tables of `spine run`.

For each case (a spec case folder, or a data set with its identity graph) the harness runs `spine run` and
`spine sql`, loads the models' CSV files into DuckDB or Spark as text tables, runs the script there, exports
every output table the script created and compares it with the engine's CSV: the same header and the same
rows as a multiset, since row order in a warehouse table means nothing. It ends with the line
`sql parity (DIALECT): N passed, M failed, R refused` and exits 1 when any case failed.
"""

from __future__ import annotations

import argparse
import collections
import concurrent.futures
import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINE_COLUMN = "spine_line"
WORK_PREFIX = "spine_work_"
PREVIOUS_TABLES = {
    # Table in the engine's previous output folder -> input table of the script, with the header used when
    # the file is absent (the engine writes no redirects file on a first run).
    "identity_match": ("previous_identity_match", ["model", "key", "dinmo_id", "status"]),
    "identity_redirects": ("previous_identity_redirects", ["old_dinmo_id", "new_dinmo_id", "kind"]),
}
DIFF_ROWS = 5
# The table `spine sql --lookup` reads the values of steps the dialect cannot express from.
LOOKUP_TABLE = "spine_lookup"

# Cells of a CSV can be far larger than the csv module's default limit of 128 KiB.
csv.field_size_limit(sys.maxsize)


@dataclass
class Case:
    """One comparison: an identity graph, the folder of its model CSVs and an optional previous run."""

    name: str
    graph: Path
    data: Path
    previous: Path | None = None


@dataclass
class Table:
    """A table as text: its column names and its rows."""

    columns: list[str]
    rows: list[tuple[str, ...]]


@dataclass
class Input:
    """An input table of the script: the model's rows as text, with the line each row starts on."""

    name: str
    columns: list[str]
    rows: list[list[str]]
    lines: list[int] = field(default_factory=list)
    # Models carry the line column even when they have no row; the previous run's tables never do.
    with_lines: bool = True


@dataclass
class Outcome:
    """What one case gave: `passed`, `failed` or `refused`, with the lines that explain it."""

    status: str
    report: list[str] = field(default_factory=list)
    spine_seconds: float = 0.0
    sql_seconds: float = 0.0


def read_csv(path: Path) -> Input:
    """Reads a CSV as the engine does: a byte-order mark dropped, blank lines skipped, every cell text, and
    the 1-based line where each row starts (header = line 1), counting the lines inside quoted cells."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        columns: list[str] | None = None
        rows: list[list[str]] = []
        lines: list[int] = []
        while True:
            start = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                break
            if not row or row == [""]:
                continue
            if columns is None:
                columns = row
                continue
            rows.append(row)
            lines.append(start)
    if columns is None:
        raise ValueError(f"{path}: the file is empty")
    return Input(path.stem, columns, rows, lines)


def read_output(path: Path) -> Table:
    """An output CSV of `spine run` as a table of text."""
    table = read_csv(path)
    return Table(table.columns, [tuple(row) for row in table.rows])


def compare(name: str, engine: Table, sql: Table) -> list[str]:
    """The differences between the engine's table and the script's, as report lines (none when equal)."""
    report: list[str] = []
    if engine.columns != sql.columns:
        report.append(f"  {name}: header differs")
        report.append(f"    engine: {','.join(engine.columns)}")
        report.append(f"    sql:    {','.join(sql.columns)}")
        return report
    engine_rows = collections.Counter(engine.rows)
    sql_rows = collections.Counter(sql.rows)
    only_engine = sorted((engine_rows - sql_rows).elements())
    only_sql = sorted((sql_rows - engine_rows).elements())
    if not only_engine and not only_sql:
        return report
    report.append(
        f"  {name}: {len(engine.rows)} rows from the engine, {len(sql.rows)} from SQL; "
        f"{len(only_engine)} only in the engine, {len(only_sql)} only in SQL"
    )
    for label, rows in (("only in the engine", only_engine), ("only in SQL", only_sql)):
        for row in rows[:DIFF_ROWS]:
            report.append(f"    {label}: {format_row(row)}")
        if len(rows) > DIFF_ROWS:
            report.append(f"    {label}: ... and {len(rows) - DIFF_ROWS} more")
    return report


def format_row(row: tuple[str, ...]) -> str:
    """A row as one CSV line, so empty cells and commas stay visible."""
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(row)
    return out.getvalue()


def split_statements(script: str) -> list[str]:
    """The statements of a script: separated by `;` and an empty line, comment-only pieces dropped."""
    statements = []
    for piece in re.split(r";[ \t]*\r?\n[ \t]*\r?\n", script):
        piece = piece.strip()
        if piece.endswith(";"):
            piece = piece[:-1].rstrip()
        code = [line for line in piece.splitlines() if line.strip() and not line.strip().startswith("--")]
        if code:
            statements.append(piece)
    return statements


def graph_models(graph: Path) -> list[str]:
    """The names of the models and event models of an identity graph, in its order."""
    document = json.loads(graph.read_text(encoding="utf-8"))
    names = [model["name"] for model in document.get("models", [])]
    events = document.get("events") or {}
    names += [model["name"] for model in events.get("models", [])]
    return names


def inputs_of(case: Case) -> list[Input]:
    """Every input table of the script: the models, and the previous run's tables when there is one."""
    inputs = []
    for model in graph_models(case.graph):
        table = read_csv(case.data / f"{model}.csv")
        table.name = model
        inputs.append(table)
    if case.previous is not None:
        for stem, (name, header) in PREVIOUS_TABLES.items():
            path = case.previous / f"{stem}.csv"
            table = read_csv(path) if path.is_file() else Input(name, header, [])
            table.name = name
            table.with_lines = False
            inputs.append(table)
    return inputs


class DuckDb:
    """DuckDB in memory, a fresh database per case; inputs and outputs live in `schema` (default `main`)."""

    dialect = "duckdb"

    def __init__(self, schema: str | None = None, memory_limit: str | None = None) -> None:
        import duckdb

        self.duckdb = duckdb
        # DuckDB's own limit (its default is 80% of the machine), past which it spills to disk.
        self.memory_limit = memory_limit
        # The schema `spine sql` is told about (None: none), and the one the tables live in.
        self.schema = schema
        self.home = schema or "main"
        self.con = None
        self.work = Path(".")
        self.loaded = 0

    def start_case(self, work: Path) -> None:
        self.con = self.duckdb.connect(":memory:")
        if self.memory_limit is not None:
            self.con.execute(f"SET memory_limit = {quote_literal(self.memory_limit)}")
            self.con.execute(f"SET temp_directory = {quote_literal(str(work / 'duckdb.tmp'))}")
        self.work = work
        self.con.execute(f"CREATE SCHEMA IF NOT EXISTS {quote_ident(self.home)}")

    def qualified(self, name: str) -> str:
        return f"{quote_ident(self.home)}.{quote_ident(name)}"

    def end_case(self) -> None:
        if self.con is not None:
            self.con.close()
        self.con = None

    def load(self, table: Input) -> None:
        # Through a CSV file of the harness's own writing: an INSERT per row takes minutes on a million rows.
        self.loaded += 1
        path = self.work / f"input{self.loaded}.csv"
        columns = list(table.columns) + ([LINE_COLUMN] if table.with_lines else [])
        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(columns)
            if table.with_lines:
                writer.writerows(row + [str(line)] for row, line in zip(table.rows, table.lines))
            else:
                writer.writerows(table.rows)
        types = ", ".join(
            f"{quote_literal(column)}: {quote_literal('BIGINT' if column == LINE_COLUMN and table.with_lines else 'VARCHAR')}"
            for column in columns
        )
        text_columns = ", ".join(quote_literal(column) for column in table.columns)
        self.con.execute(
            f"CREATE TABLE {self.qualified(table.name)} AS SELECT * FROM read_csv({quote_literal(str(path))}, "
            f"header = true, auto_detect = false, delim = ',', quote = '\"', escape = '\"', "
            f"columns = {{{types}}}, force_not_null = [{text_columns}])"
        )

    def tables(self) -> set[str]:
        found = self.con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = ?", [self.home]
        ).fetchall()
        return {name for (name,) in found}

    def run(self, script: str) -> None:
        self.con.execute(script)

    def export(self, name: str) -> Table:
        columns = [row[0] for row in self.con.execute(f"DESCRIBE {self.qualified(name)}").fetchall()]
        cells = ", ".join(f"COALESCE(CAST({quote_ident(c)} AS VARCHAR), '')" for c in columns)
        rows = self.con.execute(f"SELECT {cells} FROM {self.qualified(name)}").fetchall()
        return Table(columns, [tuple(row) for row in rows])

    def compare(self, name: str, path: Path) -> list[str]:
        """Compares inside DuckDB, with `EXCEPT ALL` both ways: on a million records the two tables would
        take gigabytes as Python tuples. The report is the one `compare` writes."""
        with open(path, encoding="utf-8-sig", newline="") as handle:
            columns = next(csv.reader(handle), [])
        exported = [row[0] for row in self.con.execute(f"DESCRIBE {self.qualified(name)}").fetchall()]
        if columns != exported:
            return compare(name, Table(columns, []), Table(exported, []))
        types = ", ".join(f"{quote_literal(column)}: 'VARCHAR'" for column in columns)
        every = ", ".join(quote_literal(column) for column in columns)
        engine = (
            f"SELECT * FROM read_csv({quote_literal(str(path))}, header = true, auto_detect = false, "
            f"delim = ',', quote = '\"', escape = '\"', columns = {{{types}}}, force_not_null = [{every}])"
        )
        cells = ", ".join(f"COALESCE(CAST({quote_ident(c)} AS VARCHAR), '')" for c in columns)
        self.con.execute(f"CREATE TEMP TABLE spine_parity_engine AS {engine}")
        self.con.execute(f"CREATE TEMP TABLE spine_parity_sql AS SELECT {cells} FROM {self.qualified(name)}")
        try:
            return self.differences(name)
        finally:
            self.con.execute("DROP TABLE spine_parity_engine")
            self.con.execute("DROP TABLE spine_parity_sql")

    def differences(self, name: str) -> list[str]:
        def count(query: str) -> int:
            return self.con.execute(f"SELECT count(*) FROM ({query})").fetchone()[0]

        only_engine = "SELECT * FROM spine_parity_engine EXCEPT ALL SELECT * FROM spine_parity_sql"
        only_sql = "SELECT * FROM spine_parity_sql EXCEPT ALL SELECT * FROM spine_parity_engine"
        missing, extra = count(only_engine), count(only_sql)
        if not missing and not extra:
            return []
        report = [
            f"  {name}: {count('SELECT * FROM spine_parity_engine')} rows from the engine, "
            f"{count('SELECT * FROM spine_parity_sql')} from SQL; {missing} only in the engine, {extra} only in SQL"
        ]
        for label, query, total in (("only in the engine", only_engine, missing), ("only in SQL", only_sql, extra)):
            rows = self.con.execute(f"SELECT * FROM ({query}) ORDER BY ALL LIMIT {DIFF_ROWS}").fetchall()
            for row in rows:
                report.append(f"    {label}: {format_row(tuple(row))}")
            if total > DIFF_ROWS:
                report.append(f"    {label}: ... and {total - DIFF_ROWS} more")
        return report

    def close(self) -> None:
        self.end_case()


def spark_session(work: Path):
    """The one local Spark session of a run, tuned for many small statements on small tables: each statement
    of a script is a job, so the fixed cost of a job (shuffle partitions, adaptive re-planning, code
    generation, compression, the two-step file commit) outweighs the data."""
    import logging

    from pyspark.sql import SparkSession

    # Spark stays on the loopback address: it needs no network, and must not listen on any other.
    os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"
    # A failing statement is reported once by the harness; PySpark would also log its whole plan as JSON.
    logging.getLogger("SQLQueryContextLogger").setLevel(logging.CRITICAL)
    session = (
        SparkSession.builder.master("local[2]")
        .appName("spine-sql-parity")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.warehouse.dir", str(work / "spark-warehouse"))
        .config("spark.driver.extraJavaOptions", f"-Dderby.system.home={work}")
        # The default 1 GB heap runs out with four cases' plans at once (measured); the machine has 24 GB.
        .config("spark.driver.memory", "4g")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.default.parallelism", "1")
        .config("spark.sql.adaptive.enabled", "false")
        .config("spark.sql.codegen.wholeStage", "false")
        .config("spark.sql.parquet.compression.codec", "uncompressed")
        .config("spark.hadoop.mapreduce.fileoutputcommitter.algorithm.version", "2")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    return session


class Spark:
    """One case in the run's Spark session: its own child session and database, and its inputs as temporary
    views of that session, dropped with it. With a schema, the inputs are tables of that database instead,
    since a temporary view belongs to no database. Cases may run side by side in threads."""

    dialect = "spark"

    def __init__(self, base, number: int, schema: str | None = None) -> None:
        self.base = base
        self.number = number
        self.session = None
        self.schema = schema

    def start_case(self, work: Path) -> None:
        self.scratch = f"spine_parity_{self.number}"
        self.database = quote_ident(self.schema, "`") if self.schema else self.scratch
        self.session = self.base.newSession()
        self.session.sql(f"CREATE DATABASE {self.scratch}")
        self.session.sql(f"USE {self.scratch}")
        if self.schema:
            self.session.sql(f"CREATE DATABASE {self.database}")

    def end_case(self) -> None:
        if self.session is not None:
            self.session.sql(f"DROP DATABASE IF EXISTS {self.scratch} CASCADE")
            if self.schema:
                self.session.sql(f"DROP DATABASE IF EXISTS {self.database} CASCADE")
        self.session = None

    def qualified(self, name: str) -> str:
        return f"{self.database}.{quote_ident(name, '`')}"

    def load(self, table: Input) -> None:
        from pyspark.sql.types import LongType, StringType, StructField, StructType

        fields = [StructField(column, StringType(), False) for column in table.columns]
        rows = table.rows
        if table.with_lines:
            fields.append(StructField(LINE_COLUMN, LongType(), False))
            rows = [row + [line] for row, line in zip(table.rows, table.lines)]
        frame = self.session.createDataFrame(rows, StructType(fields))
        if self.schema:
            frame.write.saveAsTable(self.qualified(table.name))
        else:
            frame.createOrReplaceTempView(quote_ident(table.name, "`"))

    def tables(self) -> set[str]:
        names = self.session.sql(f"SHOW TABLES IN {self.database}").collect()
        return {row["tableName"] for row in names if not row["isTemporary"] or not self.schema}

    def run(self, script: str) -> None:
        for statement in split_statements(script):
            self.session.sql(statement)

    def export(self, name: str) -> Table:
        frame = self.session.table(self.qualified(name))
        columns = frame.columns
        cells = ", ".join(f"COALESCE(CAST({quote_ident(c, '`')} AS STRING), '')" for c in columns)
        rows = self.session.sql(f"SELECT {cells} FROM {self.qualified(name)}").collect()
        return Table(columns, [tuple(row) for row in rows])

    def compare(self, name: str, path: Path) -> list[str]:
        engine, sql = read_output(path), self.export(name)
        if name == "identity_golden_report" and "run_id" in engine.columns and engine.columns == sql.columns:
            # Outside DuckDB the script cannot list a table's columns, so its run ID hashes only the columns
            # the graph reads (README, Warehouse SQL): it must be an MD5, and is not the engine's number.
            at = engine.columns.index("run_id")
            bad = [row[at] for row in sql.rows if not re.fullmatch(r"[0-9a-f]{32}", row[at])]
            if bad:
                return [f"  {name}: run_id is not an MD5: {bad[:1]}"]
            blank = lambda table: Table(table.columns, [row[:at] + ("",) + row[at + 1:] for row in table.rows])
            engine, sql = blank(engine), blank(sql)
        return compare(name, engine, sql)

    def close(self) -> None:
        self.end_case()


def quote_literal(text: str) -> str:
    """A string literal, a quote inside it doubled."""
    return "'" + text.replace("'", "''") + "'"


def quote_ident(name: str, mark: str = '"') -> str:
    """An identifier quoted for the engine, a quote inside it doubled."""
    return mark + name.replace(mark, mark + mark) + mark


def run_spine(spine: str, case: Case, out: Path) -> tuple[float, str | None]:
    """`spine run` on the case into `out`: its wall time, and an error text when it failed."""
    command = [spine, "run", str(case.graph), "--data", str(case.data), "--out", str(out)]
    if case.previous is not None:
        command += ["--previous", str(case.previous)]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        return seconds, f"`{' '.join(command)}` exited with {done.returncode}:\n{done.stderr.strip()}"
    return seconds, None


def sql_script(
    spine: str, case: Case, dialect: str, script: Path | None, schema: str | None = None, lookup: bool = False
) -> tuple[str, str | None, str | None]:
    """The script for the case: (script, refusal message, error). A refusal is exit code 2 of `spine sql`."""
    if script is not None:
        return script.read_text(encoding="utf-8"), None, None
    command = [spine, "sql", str(case.graph), "--dialect", dialect, "--line-column", LINE_COLUMN]
    if schema is not None:
        command += ["--schema", schema]
    if lookup:
        command.append("--lookup")
    if case.previous is not None:
        command.append("--previous")
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode == 2:
        return "", done.stderr.strip(), None
    if done.returncode != 0:
        return "", None, f"`{' '.join(command)}` exited with {done.returncode}:\n{done.stderr.strip()}"
    return done.stdout, None, None


def run_lookup(spine: str, case: Case, dialect: str, out: Path) -> tuple[Input | None, str | None]:
    """`spine lookup`: the table `spine_lookup` of the values the dialect cannot standardize, or an error."""
    command = [spine, "lookup", str(case.graph), "--data", str(case.data), "--dialect", dialect, "--out", str(out)]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        return None, f"`{' '.join(command)}` exited with {done.returncode}:\n{done.stderr.strip()}"
    table = read_csv(out)
    table.name = LOOKUP_TABLE
    table.with_lines = False
    return table, None


def refusal_outcome(message: str, dialect: str) -> Outcome:
    """A refusal is not a failure, as long as its message names the dialect it refuses."""
    if dialect.lower() not in message.lower():
        return Outcome("failed", [f"  refused without naming the dialect {dialect}: {message}"])
    return Outcome("refused", [f"  refused: {message}"])


def run_case(
    engine, spine: str, case: Case, work: Path, script_file: Path | None, expected: set[str], lookup: bool = False
) -> Outcome:
    """Runs one case through the engine and the SQL script and compares every table the script created."""
    out = work / "engine"
    if out.exists():
        shutil.rmtree(out)
    spine_seconds, error = run_spine(spine, case, out)
    if error is not None:
        return Outcome("failed", [f"  {error}"])
    script, refusal, error = sql_script(spine, case, engine.dialect, script_file, engine.schema, lookup)
    if error is not None:
        return Outcome("failed", [f"  {error}"])
    if refusal is not None:
        return refusal_outcome(refusal, engine.dialect)
    lookup_table = None
    if lookup:
        lookup_table, error = run_lookup(spine, case, engine.dialect, work / f"{LOOKUP_TABLE}.csv")
        if error is not None:
            return Outcome("failed", [f"  {error}"])
    engine.start_case(work)
    try:
        inputs = inputs_of(case) + ([lookup_table] if lookup_table is not None else [])
        for table in inputs:
            engine.load(table)
        before = engine.tables()
        started = time.perf_counter()
        try:
            engine.run(script)
        except Exception as failure:  # noqa: BLE001 - any engine error is this case's failure, reported
            return Outcome("failed", [f"  the script failed in {engine.dialect}: {first_line(failure)}"])
        sql_seconds = time.perf_counter() - started
        created = {
            name for name in engine.tables() - before if not name.lower().startswith(WORK_PREFIX)
        }
        engine_tables = {path.stem for path in out.glob("*.csv")}
        report: list[str] = []
        failed = False
        for name in sorted(created):
            if name not in engine_tables:
                report.append(f"  {name}: created by the script but not an output of the engine")
                failed = True
                continue
            differences = engine.compare(name, out / f"{name}.csv")
            if differences:
                report.extend(differences)
                failed = True
        missing = sorted(engine_tables - created)
        for name in missing:
            if name in expected:
                report.append(f"  {name}: expected but not produced")
                failed = True
        if missing:
            report.append(f"  not produced: {', '.join(missing)}")
        compared = len([name for name in created if name in engine_tables])
        report.insert(0, f"  {compared} tables compared")
        if compared == 0:
            # A script that creates no output table would otherwise pass while proving nothing.
            report.append("  the script created no output table of the engine")
            failed = True
        return Outcome("failed" if failed else "passed", report, spine_seconds, sql_seconds)
    finally:
        engine.end_case()


def first_line(error: BaseException) -> str:
    """The first line of an engine's error, enough to find the statement."""
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def spec_cases(root: Path) -> list[Case]:
    """Every spec case under `tests/spec`, in name order."""
    cases = []
    for folder in sorted(path for path in root.iterdir() if path.is_dir()):
        if (folder / "graph.json").is_file():
            cases.append(case_of(folder))
    return cases


def case_of(folder: Path) -> Case:
    previous = folder / "previous"
    return Case(folder.name, folder / "graph.json", folder / "models", previous if previous.is_dir() else None)


def default_spine() -> str:
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    if not target.is_absolute():
        target = ROOT / target
    return str(target / "debug" / "spine")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dialect", choices=["duckdb", "spark"], default="duckdb")
    parser.add_argument("--spine", default=None, help="the spine binary (default: the debug build)")
    parser.add_argument("--case", action="append", default=[], type=Path, help="a spec case folder (repeatable)")
    parser.add_argument("--all-spec", action="store_true", help="every case under tests/spec")
    parser.add_argument("--data", type=Path, help="a data set folder (with --graph)")
    parser.add_argument("--graph", type=Path, help="the identity graph of --data")
    parser.add_argument("--previous", type=Path, help="a previous run's output folder for --data")
    parser.add_argument("--script", type=Path, help="run this SQL script instead of asking `spine sql`")
    parser.add_argument("--schema", help="load the inputs into this schema and pass it to `spine sql`")
    parser.add_argument(
        "--lookup",
        action="store_true",
        help="load `spine lookup`'s table of the values the dialect cannot standardize; pass --lookup to `spine sql`",
    )
    parser.add_argument(
        "--expect", action="append", default=[], help="a table the script must produce (repeatable)"
    )
    parser.add_argument("--timings", action="store_true", help="print both wall times and their ratio")
    parser.add_argument("--memory-limit", help="DuckDB's memory_limit, such as 4GB (it spills to disk past it)")
    parser.add_argument(
        "--jobs",
        type=int,
        default=1,
        help="cases run side by side (Spark spends most of a small statement waiting, so 4 helps it)",
    )
    args = parser.parse_args(argv)

    cases = [case_of(folder.resolve()) for folder in args.case]
    if args.all_spec:
        cases += spec_cases(ROOT / "tests" / "spec")
    if args.data is not None or args.graph is not None:
        if args.data is None or args.graph is None:
            parser.error("--data and --graph go together")
        previous = args.previous.resolve() if args.previous else None
        cases.append(Case(args.data.name, args.graph.resolve(), args.data.resolve(), previous))
    if not cases:
        parser.error("no case: give --case DIR, --all-spec or --data DIR --graph FILE")
    spine = args.spine or default_spine()
    if not Path(spine).is_file() and shutil.which(spine) is None:
        print(f"parity.py: no spine binary at {spine}; build it or pass --spine PATH", file=sys.stderr)
        return 2

    counts = collections.Counter()
    with tempfile.TemporaryDirectory(prefix="spine-sql-parity-") as temp:
        work = Path(temp)
        base = spark_session(work) if args.dialect == "spark" else None

        def one(numbered: tuple[int, Case]) -> Outcome:
            number, case = numbered
            engine = DuckDb(args.schema, args.memory_limit) if base is None else Spark(base, number, args.schema)
            case_work = work / f"case{number}"
            case_work.mkdir()
            try:
                return run_case(engine, spine, case, case_work, args.script, set(args.expect), args.lookup)
            finally:
                engine.close()

        try:
            with concurrent.futures.ThreadPoolExecutor(max_workers=max(args.jobs, 1)) as pool:
                # Outcomes come back in case order, each printed as soon as it and those before it are done.
                for case, outcome in zip(cases, pool.map(one, enumerate(cases))):
                    counts[outcome.status] += 1
                    print(f"{outcome.status:>7} {case.name}")
                    for line in outcome.report:
                        print(line)
                    if args.timings and outcome.sql_seconds:
                        ratio = outcome.sql_seconds / max(outcome.spine_seconds, 1e-9)
                        print(
                            f"  timings: spine run {outcome.spine_seconds:.3f} s, {args.dialect} script "
                            f"{outcome.sql_seconds:.3f} s, ratio (script / spine run) {ratio:.2f}"
                        )
                    sys.stdout.flush()
        finally:
            if base is not None:
                base.stop()
    print(
        f"sql parity ({args.dialect}): {counts['passed']} passed, {counts['failed']} failed, "
        f"{counts['refused']} refused"
    )
    return 1 if counts["failed"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
