//! The script being written: statements separated by `;` and an empty line, each block introduced by a comment
//! that says what it does, and names qualified with the target schema.

use crate::dialect::Dialect;

/// The text of a script and how to spell its names.
#[derive(Debug)]
pub(crate) struct Script {
    pub dialect: Dialect,
    schema: Option<String>,
    text: String,
}

impl Script {
    pub(crate) fn new(dialect: Dialect, schema: Option<&str>) -> Self {
        Self {
            dialect,
            schema: schema.map(str::to_owned),
            text: String::new(),
        }
    }

    /// A table name, quoted and qualified with the schema.
    pub(crate) fn table(&self, name: &str) -> String {
        match &self.schema {
            Some(schema) => format!(
                "{}.{}",
                self.dialect.ident(schema),
                self.dialect.ident(name)
            ),
            None => self.dialect.ident(name),
        }
    }

    /// A quoted column name.
    pub(crate) fn col(&self, name: &str) -> String {
        self.dialect.ident(name)
    }

    /// A string literal.
    pub(crate) fn lit(&self, text: &str) -> String {
        self.dialect.literal(text)
    }

    /// A comment block opening a step: one `--` line per line of text, names from the graph made printable.
    pub(crate) fn comment(&mut self, lines: &[&str]) {
        for line in lines {
            self.text.push_str("-- ");
            self.text.push_str(&printable(line));
            self.text.push('\n');
        }
    }

    /// One statement; it ends with `;` and an empty line.
    pub(crate) fn statement(&mut self, sql: &str) {
        self.text.push_str(sql.trim_end());
        self.text.push_str(";\n\n");
    }

    /// Creates a table of the script from a query: `CREATE OR REPLACE TABLE` where the engine has it. Spark's
    /// session catalog cannot replace a table, so Spark drops and creates it (Parquet). Work tables are real
    /// tables there too: cached views would carry every earlier step's plan along, and planning would grow
    /// with each step.
    pub(crate) fn create(&mut self, name: &str, query: &str) {
        let table = self.table(name);
        if self.dialect == Dialect::Spark {
            self.statement(&format!("DROP TABLE IF EXISTS {table}"));
            self.statement(&format!("CREATE TABLE {table} USING PARQUET AS\n{query}"));
            return;
        }
        let sql = self.dialect.create_table(&table, query);
        self.statement(&sql);
    }

    pub(crate) fn finish(self) -> String {
        self.text
    }
}

/// A graph name in a comment: control characters (a line break would end the comment) become spaces.
pub(crate) fn printable(text: &str) -> String {
    text.chars()
        .map(|ch| if ch.is_control() { ' ' } else { ch })
        .collect()
}
