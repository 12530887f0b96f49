//! The built-in demo data set the studio loads with one click.

use crate::worker::CsvFile;

const CRM: &str =
    "contact_id,email,first_name\nc1,ann@example.com,Ann\nc2,bob@example.com,Bob\nc3,,Cleo\n";
const SHOP: &str = "id,email,given\ns1,ANN@example.com ,Ann\ns2,dan@example.com,Dan\n";

/// The demo files, ready to send to the worker.
pub fn files() -> Vec<CsvFile> {
    [("crm.csv", CRM), ("shop.csv", SHOP)]
        .into_iter()
        .map(|(name, text)| CsvFile {
            name: name.to_owned(),
            bytes: text.as_bytes().to_vec(),
        })
        .collect()
}
