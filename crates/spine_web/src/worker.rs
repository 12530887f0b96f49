//! The Web Worker that runs the engine, so the page never freezes: `Run` and `Cancel` in, `Done` or `Failed`
//! out.

use futures::{SinkExt, StreamExt};
use serde::{Deserialize, Serialize};
use yew_agent::prelude::*;

/// A CSV file handed to the worker: its name and bytes, sent once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CsvFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// What the page asks of the worker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Request {
    Run { files: Vec<CsvFile> },
}

/// What the worker answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Response {
    Done { profiles: usize },
    Failed { message: String },
}

/// Runs one request to completion.
pub fn handle(request: Request) -> Response {
    match request {
        Request::Run { files } => {
            let mut tables = Vec::with_capacity(files.len());
            for file in &files {
                match spine_core::parse_csv(&file.name, &file.bytes) {
                    Ok(table) => tables.push(table),
                    Err(error) => {
                        return Response::Failed {
                            message: error.to_string(),
                        };
                    }
                }
            }
            Response::Done {
                profiles: spine_core::count_profiles_by_email(&tables),
            }
        }
    }
}

/// The worker agent: answers each request in order.
#[reactor]
pub async fn Engine(mut scope: ReactorScope<Request, Response>) {
    while let Some(request) = scope.next().await {
        if scope.send(handle(request)).await.is_err() {
            break;
        }
    }
}
