"""Tests of the parity harness itself, with hand-written scripts from `fixtures/`: a right script passes, a
wrong one fails with a diff, a refusal is counted as refused, and the dialect check parses or fails a script.
Run with the virtual environment's Python: `python tests/sql/test_parity.py [--spine PATH]`; it ends with
`sql harness: N passed, M failed`. The harness's Spark side is the same code behind another engine class, so
DuckDB alone keeps these fast.
"""

from __future__ import annotations

import contextlib
import io
import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import check_dialects  # noqa: E402 - the harness sits beside this file
import parity  # noqa: E402

FIXTURES = Path(__file__).resolve().parent / "fixtures"
CASE = parity.ROOT / "tests" / "spec" / "exact_email_basic"
SPINE = parity.default_spine()
DIALECT = "duckdb"


def run_harness(*args: str) -> tuple[int, str]:
    """Runs parity.py's main on the arguments and returns its exit code and what it printed."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = parity.main(["--spine", SPINE, "--dialect", DIALECT, *args])
    return code, out.getvalue()


class ReadingCsv(unittest.TestCase):
    def read(self, text: str) -> parity.Input:
        with tempfile.TemporaryDirectory() as temp:
            path = Path(temp) / "m.csv"
            path.write_bytes(text.encode("utf-8"))
            return parity.read_csv(path)

    def test_lines_count_quoted_newlines_and_blank_lines(self):
        table = self.read('\ufeffid,note\r\na,"two\nlines"\r\n\r\nb,x\nc,""\n')
        self.assertEqual(table.columns, ["id", "note"])
        self.assertEqual(table.rows, [["a", "two\nlines"], ["b", "x"], ["c", ""]])
        self.assertEqual(table.lines, [2, 5, 6])

    def test_an_empty_file_is_an_error(self):
        with self.assertRaises(ValueError):
            self.read("")


class LoadingDuckDb(unittest.TestCase):
    def test_cells_arrive_as_written_with_their_lines(self):
        rows = [["a", "two\nlines"], ["b", ""], ["c", 'q"uote, comma \u00e9']]
        table = parity.Input("it's \"m\"", ["id", "no'te"], rows, [2, 4, 5])
        engine = parity.DuckDb()
        with tempfile.TemporaryDirectory() as temp:
            engine.start_case(Path(temp))
            try:
                engine.load(table)
                exported = engine.export(table.name)
                nulls = engine.con.execute(f"SELECT count(*) FROM {parity.quote_ident(table.name)} WHERE \"no'te\" IS NULL").fetchone()
            finally:
                engine.close()
        self.assertEqual(exported.columns, ["id", "no'te", "spine_line"])
        self.assertEqual(
            sorted(exported.rows), [("a", "two\nlines", "2"), ("b", "", "4"), ("c", 'q"uote, comma \u00e9', "5")]
        )
        self.assertEqual(nulls, (0,))

    def test_a_model_without_rows_still_has_the_line_column(self):
        engine = parity.DuckDb()
        with tempfile.TemporaryDirectory() as temp:
            engine.start_case(Path(temp))
            try:
                engine.load(parity.Input("shop", ["id", "email"], [], []))
                previous = parity.Input("previous_identity_redirects", ["old_dinmo_id"], [], [], with_lines=False)
                engine.load(previous)
                shop = engine.export("shop")
                redirects = engine.export("previous_identity_redirects")
            finally:
                engine.close()
        self.assertEqual((shop.columns, shop.rows), (["id", "email", "spine_line"], []))
        self.assertEqual(redirects.columns, ["old_dinmo_id"])


    def test_duckdb_compares_as_multisets(self):
        engine = parity.DuckDb()
        with tempfile.TemporaryDirectory() as temp:
            engine.start_case(Path(temp))
            try:
                engine.con.execute("CREATE TABLE t AS SELECT * FROM (VALUES ('1', 2), ('1', 2), ('x,y', NULL)) v(a, b)")
                csv_file = Path(temp) / "t.csv"
                csv_file.write_text('a,b\n"x,y",\n1,2\n', encoding="utf-8")
                missing_duplicate = engine.compare("t", csv_file)
                csv_file.write_text('a,b\n1,2\n"x,y",\n1,2\n', encoding="utf-8")
                equal = engine.compare("t", csv_file)
            finally:
                engine.close()
        self.assertEqual(equal, [])
        self.assertEqual(
            missing_duplicate,
            ["  t: 2 rows from the engine, 3 from SQL; 0 only in the engine, 1 only in SQL", "    only in SQL: 1,2"],
        )


class Comparing(unittest.TestCase):
    def test_equal_multisets_in_any_order(self):
        engine = parity.Table(["a", "b"], [("1", "x"), ("2", ""), ("1", "x")])
        sql = parity.Table(["a", "b"], [("2", ""), ("1", "x"), ("1", "x")])
        self.assertEqual(parity.compare("t", engine, sql), [])

    def test_a_missing_duplicate_is_a_difference(self):
        engine = parity.Table(["a"], [("1",), ("1",)])
        sql = parity.Table(["a"], [("1",)])
        report = parity.compare("t", engine, sql)
        self.assertIn("    only in the engine: 1", report)

    def test_a_different_header_is_a_difference(self):
        report = parity.compare("t", parity.Table(["a", "b"], []), parity.Table(["b", "a"], []))
        self.assertEqual(report[0], "  t: header differs")


class Statements(unittest.TestCase):
    def test_split_on_semicolon_and_empty_line(self):
        script = "-- header\n\nCREATE TABLE a AS SELECT 1;\n\n-- only a comment\n;\n\nSELECT 'x;\ny';\n"
        self.assertEqual(
            parity.split_statements(script), ["-- header\n\nCREATE TABLE a AS SELECT 1", "SELECT 'x;\ny'"]
        )


class Refusals(unittest.TestCase):
    def test_a_refusal_naming_the_dialect_is_refused(self):
        outcome = parity.refusal_outcome("step phonetic of identifier name: not supported in Spark", "spark")
        self.assertEqual(outcome.status, "refused")

    def test_a_refusal_without_the_dialect_fails(self):
        outcome = parity.refusal_outcome("step phonetic of identifier name: not supported", "duckdb")
        self.assertEqual(outcome.status, "failed")


class Harness(unittest.TestCase):
    def test_a_right_script_passes(self):
        code, printed = run_harness("--case", str(CASE), "--script", str(FIXTURES / "exact_email_basic_lookup.sql"))
        self.assertEqual(code, 0, printed)
        self.assertIn(f"sql parity ({DIALECT}): 1 passed, 0 failed, 0 refused", printed)
        self.assertIn("1 tables compared", printed)
        self.assertRegex(printed, r"not produced: .*\bidentity_golden\b")

    def test_an_expected_table_not_produced_fails(self):
        code, printed = run_harness(
            "--case",
            str(CASE),
            "--script",
            str(FIXTURES / "exact_email_basic_lookup.sql"),
            "--expect",
            "identity_golden",
        )
        self.assertEqual(code, 1, printed)
        self.assertIn("identity_golden: expected but not produced", printed)

    def test_a_wrong_table_fails_with_its_rows(self):
        wrong = FIXTURES / "exact_email_basic_lookup_wrong.sql"
        code, printed = run_harness("--case", str(CASE), "--script", str(wrong))
        self.assertEqual(code, 1, printed)
        self.assertIn("only in the engine: shop,s1,email, ANN@example.com ,ann@example.com,used,", printed)
        self.assertIn("only in SQL: shop,s1,email, ANN@example.com , ann@example.com ,used,", printed)
        self.assertIn(f"sql parity ({DIALECT}): 0 passed, 1 failed, 0 refused", printed)

    def test_cases_side_by_side_keep_their_order_and_counts(self):
        wrong = str(FIXTURES / "exact_email_basic_lookup_wrong.sql")
        other = str(parity.ROOT / "tests" / "spec" / "ids_retired")
        code, printed = run_harness("--case", str(CASE), "--case", other, "--script", wrong, "--jobs", "2")
        self.assertEqual(code, 1, printed)
        self.assertLess(printed.index(" failed exact_email_basic"), printed.index(" failed ids_retired"))
        self.assertIn(f"sql parity ({DIALECT}): 0 passed, 2 failed, 0 refused", printed)

    def test_a_script_creating_no_output_table_fails(self):
        code, printed = run_harness("--case", str(CASE), "--script", str(FIXTURES / "work_table_only.sql"))
        self.assertEqual(code, 1, printed)
        self.assertIn("  0 tables compared", printed)
        self.assertIn("the script created no output table of the engine", printed)

    def test_a_wrong_header_fails(self):
        header = FIXTURES / "exact_email_basic_golden_header.sql"
        code, printed = run_harness("--case", str(CASE), "--script", str(header))
        self.assertEqual(code, 1, printed)
        self.assertIn("identity_golden: header differs", printed)

    def test_a_schema_holds_inputs_and_outputs(self):
        in_schema = str(FIXTURES / "exact_email_basic_lookup_schema.sql")
        code, printed = run_harness("--case", str(CASE), "--script", in_schema, "--schema", "crm_data")
        self.assertEqual(code, 0, printed)
        self.assertIn("1 tables compared", printed)
        # Without the schema the inputs sit in `main`, so the same script cannot find them.
        code, printed = run_harness("--case", str(CASE), "--script", in_schema)
        self.assertEqual(code, 1, printed)
        self.assertIn("the script failed in duckdb", printed)

    def test_the_line_column_holds_file_lines(self):
        lines = FIXTURES / "exact_email_basic_lines.sql"
        code, printed = run_harness("--case", str(CASE), "--script", str(lines))
        self.assertEqual(code, 0, printed)


class Dialects(unittest.TestCase):
    def test_a_script_both_dialects_read_passes(self):
        script = (FIXTURES / "exact_email_basic_lookup.sql").read_text(encoding="utf-8")
        for dialect in check_dialects.DIALECTS:
            outcome = check_dialects.parse_outcome(script, dialect)
            self.assertEqual(outcome.status, "passed", outcome.report)
            self.assertEqual(outcome.report, [f"  {dialect}: 2 statements parsed"])

    def test_an_unbalanced_script_fails(self):
        script = (FIXTURES / "unbalanced.sql").read_text(encoding="utf-8")
        for dialect in check_dialects.DIALECTS:
            self.assertEqual(check_dialects.parse_outcome(script, dialect).status, "failed")

    def test_a_script_of_comments_only_fails(self):
        self.assertEqual(check_dialects.parse_outcome("-- nothing\n", "snowflake").status, "failed")


def main(argv: list[str]) -> int:
    global SPINE
    args = list(argv)
    while args:
        flag = args.pop(0)
        if flag == "--spine" and args:
            SPINE = args.pop(0)
        else:
            print(f"unknown argument {flag}", file=sys.stderr)
            return 2
    suite = unittest.defaultTestLoader.loadTestsFromModule(sys.modules[__name__])
    result = unittest.TextTestRunner(stream=sys.stdout, verbosity=2).run(suite)
    failed = len(result.failures) + len(result.errors)
    print(f"sql harness: {result.testsRun - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
