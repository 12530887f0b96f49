//! Checks an identity graph and compiles it into `settings::Settings`, reporting every problem at once with its
//! JSON path and a sentence that says how to fix it.
//!
//! Entry points: [`parse_graph`] (JSON text to options), [`validate`] (options to settings, optionally checked
//! against the columns of the uploaded data), [`load_settings`] (both) and [`json_schema`].

use crate::options::{self, Columns, IdentityGraph, MatchType};
use crate::settings::{
    self, Comparison, GoldenSource, IdentifierId, IdentifierMapping, ModelId, Settings,
};
use crate::standardize::{Standardized, standardize};
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::str::FromStr;

/// One problem in an identity graph.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    /// Where the problem is, as a JSON path like `rules[1].criteria[0].match`; empty for the whole document.
    pub path: String,
    /// What is wrong and how to fix it.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

/// The columns of the uploaded data, so validation can check that mapped columns exist.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DataShape {
    /// Model (or event model) name -> the columns of its CSV header.
    pub models: BTreeMap<String, Vec<String>>,
}

/// Parses the JSON text of an identity graph. Text that is not JSON gives one diagnostic naming the line and
/// column; a wrong type or an unknown key gives one naming its JSON path.
pub fn parse_graph(json: &str) -> Result<IdentityGraph, Vec<Diagnostic>> {
    let mut deserializer = serde_json::Deserializer::from_str(json);
    let graph = serde_path_to_error::deserialize::<_, IdentityGraph>(&mut deserializer).map_err(
        |error| {
            // Text that is not JSON is a problem of the whole document: the parser's position is in the message.
            let path = match error.inner().classify() {
                serde_json::error::Category::Data => error.path().to_string(),
                _ => String::new(),
            };
            vec![json_diagnostic(
                if path == "." { "" } else { &path },
                error.inner(),
            )]
        },
    )?;
    deserializer
        .end()
        .map_err(|error| vec![json_diagnostic("", &error)])?;
    Ok(graph)
}

/// Turns a serde_json error into a diagnostic whose message names the line and column and says what to do.
fn json_diagnostic(path: &str, error: &serde_json::Error) -> Diagnostic {
    let text = error.to_string();
    // serde_json appends " at line L column C"; the place is rewritten in front of the message instead.
    let what = text
        .rfind(" at line ")
        .map_or(text.as_str(), |end| &text[..end]);
    // Rust type names mean little to a person editing JSON.
    let what = what
        .replace("expected u32", "expected a whole number")
        .replace("expected u64", "expected a whole number")
        .replace("expected f64", "expected a number");
    let what = what.as_str();
    let place = format!("line {}, column {}", error.line(), error.column());
    let message = match error.classify() {
        serde_json::error::Category::Data => {
            let fix = if what.starts_with("unknown field") {
                "remove the key or correct its spelling"
            } else if what.starts_with("missing field") {
                "add the missing key"
            } else if what.starts_with("unknown variant") {
                "use one of the listed values"
            } else if what.starts_with("duplicate key") {
                "write each key once"
            } else {
                "write a value of the expected type"
            };
            format!("{place}: {what}; {fix}.")
        }
        _ => format!(
            "{place}: the identity graph is not valid JSON ({what}); fix the JSON syntax at that place."
        ),
    };
    Diagnostic {
        path: path.to_owned(),
        message,
    }
}

/// Parses and validates an identity graph in one go.
pub fn load_settings(json: &str, data: Option<&DataShape>) -> Result<Settings, Vec<Diagnostic>> {
    validate(&parse_graph(json)?, data)
}

/// The JSON Schema of the identity graph document, generated from [`options::IdentityGraph`] (pretty JSON with
/// a trailing newline, as checked in at `spine.schema.json`).
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(IdentityGraph);
    let mut text = serde_json::to_string_pretty(&schema).expect("a JSON Schema always serializes");
    text.push('\n');
    text
}

/// Checks the whole graph and compiles it into settings. Every problem found is returned, sorted by path.
/// When `data` is given, mapped columns are also checked against the uploaded CSV headers.
pub fn validate(
    graph: &IdentityGraph,
    data: Option<&DataShape>,
) -> Result<Settings, Vec<Diagnostic>> {
    let mut checker = Checker {
        diagnostics: Vec::new(),
    };
    let settings = checker.compile(graph, data);
    if checker.diagnostics.is_empty() {
        Ok(settings)
    } else {
        let mut diagnostics = checker.diagnostics;
        crate::sort::sort_by(&mut diagnostics, |a, b| {
            compare_paths(&a.path, &b.path).then_with(|| a.message.cmp(&b.message))
        });
        diagnostics.dedup();
        Err(diagnostics)
    }
}

/// Orders JSON paths so that `rules[2]` comes before `rules[10]`: runs of digits compare as numbers.
fn compare_paths(a: &str, b: &str) -> Ordering {
    fn tokens(path: &str) -> Vec<(bool, &str)> {
        let mut out = Vec::new();
        let mut start = 0;
        let mut in_digits = false;
        for (index, ch) in path.char_indices() {
            let digit = ch.is_ascii_digit();
            if index > start && digit != in_digits {
                out.push((in_digits, &path[start..index]));
                start = index;
            }
            if index == start {
                in_digits = digit;
            }
        }
        if start < path.len() {
            out.push((in_digits, &path[start..]));
        }
        out
    }
    let (left, right) = (tokens(a), tokens(b));
    for ((left_digits, l), (right_digits, r)) in left.iter().zip(&right) {
        let order = if *left_digits && *right_digits {
            // Leading zeros never occur in generated indices; comparing length first is numeric order.
            l.len().cmp(&r.len()).then_with(|| l.cmp(r))
        } else {
            l.cmp(r)
        };
        if order != Ordering::Equal {
            return order;
        }
    }
    left.len().cmp(&right.len())
}

/// A comma-separated list of back-quoted names for messages, shortened when long.
fn list(names: impl IntoIterator<Item = impl AsRef<str>>) -> String {
    const SHOWN: usize = 12;
    let names: Vec<String> = names
        .into_iter()
        .map(|name| format!("`{}`", name.as_ref()))
        .collect();
    if names.is_empty() {
        return "none".to_owned();
    }
    if names.len() > SHOWN {
        format!(
            "{}, ... ({} in all)",
            names[..SHOWN].join(", "),
            names.len()
        )
    } else {
        names.join(", ")
    }
}

/// Collects diagnostics while compiling; the settings it builds are only returned when none were found.
struct Checker {
    diagnostics: Vec<Diagnostic>,
}

/// Lookups built from the graph, shared by the checks of its parts.
struct Names<'g> {
    identifiers: BTreeMap<&'g str, IdentifierId>,
    models: BTreeMap<&'g str, ModelId>,
}

impl Checker {
    fn report(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.diagnostics.push(Diagnostic {
            path: path.into(),
            message: message.into(),
        });
    }

    fn compile(&mut self, graph: &IdentityGraph, data: Option<&DataShape>) -> Settings {
        if graph.version != 1 {
            self.report(
                "version",
                format!(
                    "version {} is not supported; set `\"version\": 1`.",
                    graph.version
                ),
            );
        }
        if graph.id_column.trim().is_empty() {
            self.report(
                "id_column",
                "the profile ID column has no name; set `id_column` (for example `dinmo_id`).",
            );
        }
        let identifiers = self.identifiers(graph);
        let names = Names {
            identifiers: unique_names(graph.identifiers.iter().map(|i| i.name.as_str())),
            models: unique_names(graph.models.iter().map(|m| m.name.as_str())),
        };
        let models = self.models(graph, &names, data);
        let mut anchor_order: Vec<ModelId> = (0..models.len()).collect();
        crate::sort::sort_by(&mut anchor_order, |&a, &b| {
            (models[a].priority, models[a].name.as_str())
                .cmp(&(models[b].priority, models[b].name.as_str()))
        });
        let rules = self.rules(graph, &names);
        let guardrails = self.guardrails(&graph.guardrails);
        let golden = self.golden(graph, &names, &anchor_order);
        let events = graph
            .events
            .as_ref()
            .map(|events| self.events(events, &names, data));
        if let Some(schedule) = &graph.schedule {
            self.schedule(schedule);
        }
        Settings {
            name: graph.name.clone(),
            id_column: graph.id_column.clone(),
            models,
            anchor_order,
            identifiers,
            rules,
            guardrails,
            golden,
            events,
            canonical_json: serde_json::to_string(graph).expect("the options always serialize"),
        }
    }

    /// Reports an empty name, or a name already used earlier in the same list.
    fn check_name(
        &mut self,
        path: &str,
        name: &str,
        what: &str,
        seen: &mut BTreeMap<String, String>,
    ) {
        if name.trim().is_empty() {
            self.report(path, format!("the {what} has no name; give it a name."));
        } else if let Some(first) = seen.get(name) {
            self.report(path, format!("the {what} name `{name}` is already used at `{first}`; give each {what} a unique name."));
        } else {
            seen.insert(name.to_owned(), path.to_owned());
        }
    }

    /// Reports an identifier name that is not defined, and returns its index when it is.
    fn identifier_ref(&mut self, path: &str, name: &str, names: &Names) -> Option<IdentifierId> {
        let found = names.identifiers.get(name).copied();
        if found.is_none() {
            self.report(
                path,
                format!(
                    "`{name}` is not a defined identifier; define it under `identifiers` or use one of {}.",
                    list(names.identifiers.keys())
                ),
            );
        }
        found
    }

    fn identifiers(&mut self, graph: &IdentityGraph) -> Vec<settings::Identifier> {
        if graph.identifiers.is_empty() {
            self.report(
                "identifiers",
                "no identifier is defined; add at least one (for example an `email`).",
            );
        }
        let mut seen = BTreeMap::new();
        let mut out = Vec::with_capacity(graph.identifiers.len());
        for (index, identifier) in graph.identifiers.iter().enumerate() {
            let path = format!("identifiers[{index}]");
            self.check_name(
                &format!("{path}.name"),
                &identifier.name,
                "identifier",
                &mut seen,
            );
            if let Some(region) = &identifier.default_region
                && phonenumber::country::Id::from_str(region).is_err()
            {
                self.report(
                        format!("{path}.default_region"),
                        format!("`{region}` is not a known region; use an ISO 3166 two-letter code in capitals such as `FR` or `US`."),
                    );
            }
            if identifier.max_records_per_value == Some(0) {
                self.report(
                    format!("{path}.max_records_per_value"),
                    "`max_records_per_value` is 0, which would quarantine every value; set 1 or more, or remove it.",
                );
            }
            if identifier.conflict_limit == Some(0) {
                self.report(
                    format!("{path}.conflict_limit"),
                    "`conflict_limit` is 0, which no profile can satisfy; set 1 or more, or remove it.",
                );
            }
            let mut blocked_patterns = Vec::new();
            let mut blocked_pattern_sources = Vec::new();
            for (number, pattern) in identifier.blocked_patterns.iter().enumerate() {
                let pattern_path = format!("{path}.blocked_patterns[{number}]");
                let compiled = regex::Regex::new(pattern)
                    .and_then(|_| regex::Regex::new(&format!("^(?:{pattern})$")));
                match compiled {
                    Ok(regex) => {
                        blocked_patterns.push(regex);
                        blocked_pattern_sources.push(pattern.clone());
                    }
                    Err(error) => self.report(pattern_path, regex_message(pattern, &error)),
                }
            }
            let mut compiled = settings::Identifier {
                name: identifier.name.clone(),
                kind: identifier.kind,
                steps: identifier.standardize.clone(),
                default_region: identifier.default_region.clone(),
                date_order: identifier.date_order.unwrap_or_default(),
                blocked_values: BTreeSet::new(),
                blocked_patterns,
                blocked_pattern_sources,
                max_records_per_value: identifier.max_records_per_value,
                conflict_limit: identifier.conflict_limit,
            };
            let mut blocked_values = BTreeSet::new();
            for value in &identifier.blocked_values {
                blocked_values.insert(value.clone());
                if let Standardized::Used(standardized) = standardize(&compiled, value) {
                    blocked_values.insert(standardized);
                }
            }
            compiled.blocked_values = blocked_values;
            out.push(compiled);
        }
        out
    }

    fn models(
        &mut self,
        graph: &IdentityGraph,
        names: &Names,
        data: Option<&DataShape>,
    ) -> Vec<settings::Model> {
        if graph.models.is_empty() {
            self.report(
                "models",
                "no model is defined; add one model per source table.",
            );
        }
        let mut seen = BTreeMap::new();
        let mut out = Vec::with_capacity(graph.models.len());
        for (index, model) in graph.models.iter().enumerate() {
            let path = format!("models[{index}]");
            self.check_name(&format!("{path}.name"), &model.name, "model", &mut seen);
            let columns = self.data_columns(&path, &model.name, data);
            let primary_key = match model.primary_key.as_deref() {
                Some(key) if !key.trim().is_empty() => {
                    self.check_column(&format!("{path}.primary_key"), key, &model.name, columns);
                    key.to_owned()
                }
                _ => {
                    self.report(
                        format!("{path}.primary_key"),
                        format!("model `{}` has no primary key; set `primary_key` to the column holding a stable, unique key.", model.name),
                    );
                    String::new()
                }
            };
            if let Some(order_by) = &model.order_by {
                self.check_column(&format!("{path}.order_by"), order_by, &model.name, columns);
            }
            if model.priority == 0 {
                self.report(format!("{path}.priority"), "priority 0 is not allowed; use 1 for the most trusted model, 2 for the next, and so on.");
            }
            if model.identifiers.is_empty() {
                self.report(
                    format!("{path}.identifiers"),
                    format!("model `{}` maps no identifier, so none of its records could match; map at least one column to an identifier.", model.name),
                );
            }
            let identifiers = self.mappings(&path, &model.identifiers, &model.name, columns, names);
            let mut fields = Vec::new();
            for (name, column) in &model.fields {
                let field_path = format!("{path}.fields.{name}");
                if name.trim().is_empty() {
                    self.report(
                        field_path.clone(),
                        "a field has no name; give it the golden field name it feeds.",
                    );
                } else if names.identifiers.contains_key(name.as_str()) {
                    self.report(
                        field_path.clone(),
                        format!("the field name `{name}` is also an identifier, so a golden field named `{name}` would be ambiguous; rename the field."),
                    );
                }
                self.check_column(&field_path, column, &model.name, columns);
                fields.push((name.clone(), column.clone()));
            }
            out.push(settings::Model {
                name: model.name.clone(),
                primary_key,
                order_by: model.order_by.clone(),
                priority: model.priority,
                identifiers,
                fields,
                one_per_profile: model.one_per_profile,
            });
        }
        out
    }

    /// The CSV columns of a model when data is given; reports a model that has no data.
    fn data_columns<'d>(
        &mut self,
        path: &str,
        model: &str,
        data: Option<&'d DataShape>,
    ) -> Option<&'d [String]> {
        let data = data?;
        let columns = data.models.get(model).map(Vec::as_slice);
        if columns.is_none() {
            self.report(path, format!("there is no data for model `{model}`; upload a CSV file for it or remove the model."));
        }
        columns
    }

    /// Reports an empty column name, or one missing from the model's data when data is given.
    fn check_column(
        &mut self,
        path: &str,
        column: &str,
        model: &str,
        columns: Option<&[String]>,
    ) -> bool {
        if column.is_empty() {
            self.report(
                path,
                "the column name is empty; name a column of the model's file.",
            );
            return false;
        }
        if let Some(columns) = columns
            && !columns.iter().any(|c| c == column)
        {
            self.report(
                    path,
                    format!("column `{column}` is not in the data of model `{model}`; use one of its columns: {}.", list(columns)),
                );
            return false;
        }
        true
    }

    /// Checks a model's identifier mappings (profile or event model) and compiles the valid ones, sorted by
    /// identifier.
    fn mappings(
        &mut self,
        path: &str,
        mapped: &BTreeMap<String, Columns>,
        model: &str,
        columns: Option<&[String]>,
        names: &Names,
    ) -> Vec<IdentifierMapping> {
        let mut identifiers = Vec::new();
        for (name, mapped) in mapped {
            let mapping_path = format!("{path}.identifiers.{name}");
            let identifier = self.identifier_ref(&mapping_path, name, names);
            let columns_ok = self.check_mapping(&mapping_path, mapped, model, columns);
            if let (Some(identifier), true) = (identifier, columns_ok) {
                identifiers.push(IdentifierMapping {
                    identifier,
                    columns: mapped.as_slice().to_vec(),
                });
            }
        }
        crate::sort::sort_by_key(&mut identifiers, |mapping| mapping.identifier);
        identifiers
    }

    fn check_mapping(
        &mut self,
        path: &str,
        mapped: &Columns,
        model: &str,
        columns: Option<&[String]>,
    ) -> bool {
        match mapped {
            Columns::One(column) => self.check_column(path, column, model, columns),
            Columns::Many(list) if list.is_empty() => {
                self.report(path, "the list of columns is empty; name at least one column, or remove the mapping.");
                false
            }
            Columns::Many(list) => {
                let mut ok = true;
                for (number, column) in list.iter().enumerate() {
                    let column_path = format!("{path}[{number}]");
                    if list[..number].contains(column) {
                        self.report(
                            column_path,
                            format!("column `{column}` is listed twice; list each column once."),
                        );
                        ok = false;
                    } else {
                        ok &= self.check_column(&column_path, column, model, columns);
                    }
                }
                ok
            }
        }
    }

    fn rules(&mut self, graph: &IdentityGraph, names: &Names) -> Vec<settings::Rule> {
        if graph.rules.is_empty() {
            self.report(
                "rules",
                "no matching rule is defined; add at least one rule with an exact criterion.",
            );
        }
        let fuzzy = &graph.fuzzy;
        self.check_threshold("fuzzy.medium", fuzzy.medium);
        self.check_threshold("fuzzy.strong", fuzzy.strong);
        let mut seen = BTreeMap::new();
        let mut out = Vec::with_capacity(graph.rules.len());
        for (index, rule) in graph.rules.iter().enumerate() {
            let path = format!("rules[{index}]");
            self.check_name(&format!("{path}.name"), &rule.name, "rule", &mut seen);
            if rule.criteria.is_empty() {
                self.report(
                    format!("{path}.criteria"),
                    format!(
                        "rule `{}` has no criterion; add at least one exact criterion.",
                        rule.name
                    ),
                );
            } else if !rule
                .criteria
                .iter()
                .any(|criterion| criterion.match_type == MatchType::Exact)
            {
                self.report(
                    format!("{path}.criteria"),
                    format!("rule `{}` has no exact criterion, and fuzzy matching is never the only reason to merge; add an `\"match\": \"exact\"` criterion.", rule.name),
                );
            }
            let mut criteria = Vec::with_capacity(rule.criteria.len());
            for (number, criterion) in rule.criteria.iter().enumerate() {
                let criterion_path = format!("{path}.criteria[{number}]");
                if criterion.identifiers.is_empty() {
                    self.report(
                        format!("{criterion_path}.identifiers"),
                        "the criterion names no identifier; list at least one.",
                    );
                }
                let mut identifiers = Vec::with_capacity(criterion.identifiers.len());
                for (position, name) in criterion.identifiers.iter().enumerate() {
                    let identifier_path = format!("{criterion_path}.identifiers[{position}]");
                    if criterion.identifiers[..position].contains(name) {
                        self.report(identifier_path, format!("identifier `{name}` is listed twice in this criterion; list it once."));
                    } else if let Some(id) = self.identifier_ref(&identifier_path, name, names) {
                        identifiers.push(id);
                    }
                }
                let threshold = match (criterion.match_type, criterion.threshold) {
                    (MatchType::Fuzzy, Some(threshold)) => {
                        self.check_threshold(&format!("{criterion_path}.threshold"), threshold);
                        Some(threshold)
                    }
                    (MatchType::Fuzzy, None) => {
                        self.report(
                            format!("{criterion_path}.threshold"),
                            "`\"match\": \"fuzzy\"` needs a `threshold` in (0, 1]; add one, or use `fuzzy_medium` or `fuzzy_strong`.",
                        );
                        None
                    }
                    (_, Some(_)) => {
                        self.report(
                            format!("{criterion_path}.threshold"),
                            "only `\"match\": \"fuzzy\"` takes a `threshold`; remove it, or change the match to `fuzzy`.",
                        );
                        None
                    }
                    (MatchType::FuzzyMedium, None) => Some(fuzzy.medium),
                    (MatchType::FuzzyStrong, None) => Some(fuzzy.strong),
                    (MatchType::Exact, None) => None,
                };
                let comparison = match threshold {
                    Some(threshold) => Comparison::Fuzzy {
                        algorithm: fuzzy.algorithm,
                        threshold,
                    },
                    None => Comparison::Exact,
                };
                criteria.push(settings::Criterion {
                    identifiers,
                    comparison,
                });
            }
            out.push(settings::Rule {
                name: rule.name.clone(),
                criteria,
            });
        }
        out
    }

    fn check_threshold(&mut self, path: &str, threshold: f64) {
        if !(threshold > 0.0 && threshold <= 1.0) {
            self.report(path, format!("threshold {threshold} is outside (0, 1]; use a similarity above 0 and at most 1, such as 0.9."));
        }
    }

    fn guardrails(&mut self, guardrails: &options::Guardrails) -> settings::Guardrails {
        if guardrails.max_profile_size == Some(0) {
            self.report(
                "guardrails.max_profile_size",
                "`max_profile_size` is 0, so no profile could exist; set 1 or more, or remove it.",
            );
        }
        if guardrails.max_block_size == Some(0) {
            self.report("guardrails.max_block_size", "`max_block_size` is 0, so every fuzzy block would be skipped; set 1 or more, or remove it.");
        }
        settings::Guardrails {
            max_profile_size: guardrails.max_profile_size,
            max_block_size: guardrails.max_block_size,
            on_conflict: guardrails.on_conflict,
        }
    }

    fn golden(
        &mut self,
        graph: &IdentityGraph,
        names: &Names,
        anchor_order: &[ModelId],
    ) -> Vec<settings::GoldenField> {
        // Sets here are extended rather than collected: collecting sorts first, another copy of the sort code.
        let mut model_fields: BTreeSet<&str> = BTreeSet::new();
        model_fields.extend(
            graph
                .models
                .iter()
                .flat_map(|model| model.fields.keys().map(String::as_str)),
        );
        let mut seen = BTreeMap::new();
        let mut out = Vec::with_capacity(graph.golden.fields.len());
        for (index, field) in graph.golden.fields.iter().enumerate() {
            let path = format!("golden.fields[{index}]");
            self.check_name(
                &format!("{path}.name"),
                &field.name,
                "golden field",
                &mut seen,
            );
            let source = if let Some(&id) = names.identifiers.get(field.name.as_str()) {
                Some(GoldenSource::Identifier(id))
            } else if model_fields.contains(field.name.as_str()) {
                Some(GoldenSource::Field(field.name.clone()))
            } else {
                if !field.name.trim().is_empty() {
                    self.report(
                        format!("{path}.name"),
                        format!(
                            "`{}` names neither an identifier nor a field of any model; map it under a model's `fields` or use one of {}.",
                            field.name,
                            list({
                                let mut known = model_fields.clone();
                                known.extend(names.identifiers.keys().copied());
                                known
                            })
                        ),
                    );
                }
                None
            };
            let mut model_rank = Vec::with_capacity(anchor_order.len());
            if let Some(order) = &field.model_order {
                if field.strategy != settings::Strategy::ModelPriority {
                    self.report(
                        format!("{path}.model_order"),
                        "`model_order` only applies to the `model_priority` strategy; remove it or change the strategy.",
                    );
                }
                for (position, name) in order.iter().enumerate() {
                    let order_path = format!("{path}.model_order[{position}]");
                    match names.models.get(name.as_str()) {
                        Some(&model) if model_rank.contains(&model) => {
                            self.report(
                                order_path,
                                format!("model `{name}` is listed twice; list each model once."),
                            );
                        }
                        Some(&model) => model_rank.push(model),
                        None => self.report(
                            order_path,
                            format!(
                                "`{name}` is not a model; use one of {}.",
                                list(names.models.keys())
                            ),
                        ),
                    }
                }
            }
            for &model in anchor_order {
                if !model_rank.contains(&model) {
                    model_rank.push(model);
                }
            }
            if let Some(source) = source {
                out.push(settings::GoldenField {
                    name: field.name.clone(),
                    source,
                    strategy: field.strategy,
                    model_rank,
                });
            }
        }
        out
    }

    fn events(
        &mut self,
        events: &options::Events,
        names: &Names,
        data: Option<&DataShape>,
    ) -> settings::Events {
        let mut seen: BTreeMap<String, String> = BTreeMap::new();
        let mut models = Vec::with_capacity(events.models.len());
        for (index, model) in events.models.iter().enumerate() {
            let path = format!("events.models[{index}]");
            if names.models.contains_key(model.name.as_str()) {
                self.report(
                    format!("{path}.name"),
                    format!("`{}` is already the name of a profile model; give the event model its own name.", model.name),
                );
            } else {
                self.check_name(
                    &format!("{path}.name"),
                    &model.name,
                    "event model",
                    &mut seen,
                );
            }
            let columns = self.data_columns(&path, &model.name, data);
            self.check_column(&format!("{path}.key"), &model.key, &model.name, columns);
            self.check_column(
                &format!("{path}.timestamp"),
                &model.timestamp,
                &model.name,
                columns,
            );
            if let Some(event_type) = &model.event_type {
                self.check_column(
                    &format!("{path}.event_type"),
                    event_type,
                    &model.name,
                    columns,
                );
            }
            if model.identifiers.is_empty() {
                self.report(
                    format!("{path}.identifiers"),
                    format!("event model `{}` maps no identifier, so none of its events could be stitched; map at least one.", model.name),
                );
            }
            let identifiers = self.mappings(&path, &model.identifiers, &model.name, columns, names);
            models.push(settings::EventModel {
                name: model.name.clone(),
                key: model.key.clone(),
                timestamp: model.timestamp.clone(),
                event_type: model.event_type.clone(),
                identifiers,
            });
        }
        if events.priority.is_empty() {
            self.report("events.priority", "no identifier is listed for stitching; list the identifiers to try, strongest first.");
        }
        let priority = self.identifier_list("events.priority", &events.priority, names);
        let anonymous = self.identifier_list("events.anonymous", &events.anonymous, names);
        if events.lifetime_days == Some(0) {
            self.report("events.lifetime_days", "`lifetime_days` is 0, so backfill could never stitch; set 1 or more, or remove it for no limit.");
        }
        settings::Events {
            models,
            priority,
            anonymous,
            backfill: events.backfill,
            lifetime_days: events.lifetime_days,
        }
    }

    fn identifier_list(&mut self, path: &str, list: &[String], names: &Names) -> Vec<IdentifierId> {
        let mut out = Vec::with_capacity(list.len());
        for (position, name) in list.iter().enumerate() {
            let item_path = format!("{path}[{position}]");
            if list[..position].contains(name) {
                self.report(
                    item_path,
                    format!("identifier `{name}` is listed twice; list it once."),
                );
            } else if let Some(id) = self.identifier_ref(&item_path, name, names) {
                out.push(id);
            }
        }
        out
    }

    fn schedule(&mut self, schedule: &options::Schedule) {
        if let Some(at) = &schedule.at
            && !is_clock_time(at)
        {
            self.report("schedule.at", format!("`{at}` is not a time of day; write it as `HH:MM` on a 24-hour clock, such as `03:00`."));
        }
    }
}

/// Names to their first index; later duplicates are reported by `check_name`.
fn unique_names<'g>(names: impl Iterator<Item = &'g str>) -> BTreeMap<&'g str, usize> {
    let mut out = BTreeMap::new();
    for (index, name) in names.enumerate() {
        out.entry(name).or_insert(index);
    }
    out
}

/// True for `HH:MM` with hours 00-23 and minutes 00-59.
fn is_clock_time(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 5
        && bytes[2] == b':'
        && [0, 1, 3, 4].iter().all(|&i| bytes[i].is_ascii_digit())
        && (bytes[0] - b'0') * 10 + (bytes[1] - b'0') < 24
        && bytes[3] < b'6'
}

/// A one-line explanation of why a blocked pattern does not compile.
fn regex_message(pattern: &str, error: &regex::Error) -> String {
    let text = error.to_string();
    // The regex crate's message spans several lines with a caret diagram; its `error:` line is the reason.
    let reason = text
        .lines()
        .find_map(|line| line.trim().strip_prefix("error: "))
        .unwrap_or_else(|| text.lines().last().unwrap_or("invalid"))
        .trim()
        .trim_end_matches('.');
    format!(
        "`{pattern}` is not a valid regular expression ({reason}); fix it using Rust `regex` syntax, which has no look-around or back-references."
    )
}

#[cfg(test)]
mod tests;
