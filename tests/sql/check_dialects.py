"""Warehouse-SQL scripts for engines that cannot run here (Snowflake, BigQuery), checked by parsing.

For each spec case and dialect the harness asks `spine sql` for the script and parses it with sqlglot in that
dialect, raising on the first error. A refusal (exit code 2 of `spine sql`, with a message that names the
dialect) counts as refused. It ends with `sql dialects (snowflake, bigquery): N passed, M failed, R refused`
and exits 1 when any case failed.
"""

from __future__ import annotations

import argparse
import collections
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import parity  # noqa: E402 - the harness sits beside this file

DIALECTS = ["snowflake", "bigquery"]


def parse_outcome(script: str, dialect: str) -> parity.Outcome:
    """Parses a script in the dialect: passed with its statement count, or failed with sqlglot's error."""
    import sqlglot
    from sqlglot.errors import ErrorLevel

    try:
        statements = [tree for tree in sqlglot.parse(script, read=dialect, error_level=ErrorLevel.RAISE) if tree]
    except Exception as failure:  # noqa: BLE001 - any parse error is this case's failure, reported
        return parity.Outcome("failed", [f"  {dialect}: {parity.first_line(failure)}"])
    if not statements:
        return parity.Outcome("failed", [f"  {dialect}: the script holds no statement"])
    return parity.Outcome("passed", [f"  {dialect}: {len(statements)} statements parsed"])


def check_case(
    spine: str,
    case: parity.Case,
    dialect: str,
    script: Path | None,
    schema: str | None = None,
    lookup: bool = False,
) -> parity.Outcome:
    """Asks `spine sql` for the case's script in the dialect (or reads `script`) and parses it."""
    text, refusal, error = parity.sql_script(spine, case, dialect, script, schema, lookup)
    if error is not None:
        return parity.Outcome("failed", [f"  {error}"])
    if refusal is not None:
        return parity.refusal_outcome(refusal, dialect)
    return parse_outcome(text, dialect)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dialect", action="append", choices=DIALECTS, help="a dialect (default: both)")
    parser.add_argument("--spine", default=None, help="the spine binary (default: the debug build)")
    parser.add_argument("--case", action="append", default=[], type=Path, help="a spec case folder (repeatable)")
    parser.add_argument("--all-spec", action="store_true", help="every case under tests/spec")
    parser.add_argument("--graph", action="append", default=[], type=Path, help="an identity graph (repeatable)")
    parser.add_argument("--script", type=Path, help="parse this SQL script instead of asking `spine sql`")
    parser.add_argument("--schema", help="pass this schema to `spine sql`")
    parser.add_argument("--lookup", action="store_true", help="pass --lookup to `spine sql`")
    args = parser.parse_args(argv)

    dialects = args.dialect or DIALECTS
    cases = [parity.case_of(folder.resolve()) for folder in args.case]
    if args.all_spec:
        cases += parity.spec_cases(parity.ROOT / "tests" / "spec")
    for graph in args.graph:
        graph = graph.resolve()
        cases.append(parity.Case(graph.parent.name, graph, graph.parent))
    if not cases:
        parser.error("no case: give --case DIR, --all-spec or --graph FILE")
    spine = args.spine or parity.default_spine()
    if args.script is None and not Path(spine).is_file() and shutil.which(spine) is None:
        print(f"check_dialects.py: no spine binary at {spine}; build it or pass --spine PATH", file=sys.stderr)
        return 2

    counts: collections.Counter = collections.Counter()
    for case in cases:
        for dialect in dialects:
            outcome = check_case(spine, case, dialect, args.script, args.schema, args.lookup)
            counts[outcome.status] += 1
            print(f"{outcome.status:>7} {case.name} ({dialect})")
            for line in outcome.report:
                print(line)
    print(
        f"sql dialects ({', '.join(dialects)}): {counts['passed']} passed, {counts['failed']} failed, "
        f"{counts['refused']} refused"
    )
    return 1 if counts["failed"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
