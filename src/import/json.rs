//! Reading a cloud CLI's JSON with every mistake named by its JSON path (`$.Volumes[3].Size`).

use serde_json::Value;

/// A mistake in an inventory file: where (a JSON path, or line and column for bad syntax) and what.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {place}: {message}")]
pub struct JsonError {
    /// The file.
    pub file: String,
    /// `$.Volumes[3].Size`, or `line 4, column 7` for a syntax error.
    pub place: String,
    /// What was expected and what was found.
    pub message: String,
}

/// Inventory files larger than this are refused before parsing.
pub const MAX_INVENTORY_BYTES: u64 = 64 * 1024 * 1024;

/// Most volumes one import may bring: the scenario written for them must stay readable (a
/// scenario file is at most 64 MiB) and runnable on one machine; split larger inventories by
/// region or account.
pub const MAX_IMPORT_VOLUMES: usize = 100_000;

/// Parses `text` as JSON, reporting a syntax error with its line and column. A UTF-8 byte-order
/// mark (as Windows tools write) is skipped, as the scenario reader skips one.
pub fn parse(file: &str, text: &str) -> Result<Value, JsonError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    serde_json::from_str(text).map_err(|e| {
        let full = e.to_string();
        let what = full.rsplit_once(" at line ").map_or(full.as_str(), |(w, _)| w);
        JsonError {
            file: file.to_string(),
            place: format!("line {}, column {}", e.line(), e.column()),
            message: format!("not valid JSON: {what}"),
        }
    })
}

/// A value with its path, for positioned errors.
#[derive(Clone, Copy, Debug)]
pub struct At<'a> {
    /// The file.
    pub file: &'a str,
    /// The value.
    pub value: &'a Value,
}

/// A path into the document, built as it is walked.
#[derive(Clone, Debug)]
pub struct Path(pub String);

impl Path {
    /// The root, `$`.
    pub fn root() -> Path {
        Path("$".to_string())
    }
    /// `self.key`.
    pub fn key(&self, key: &str) -> Path {
        Path(format!("{}.{key}", self.0))
    }
    /// `self[i]`.
    pub fn index(&self, i: usize) -> Path {
        Path(format!("{}[{i}]", self.0))
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Reads typed fields of JSON objects, naming the path of anything unexpected.
pub struct Reader<'a> {
    /// The file, for messages.
    pub file: &'a str,
}

impl Reader<'_> {
    /// An error at `path`.
    pub fn error(&self, path: &Path, message: impl Into<String>) -> JsonError {
        JsonError { file: self.file.to_string(), place: path.0.clone(), message: message.into() }
    }

    fn expected(&self, path: &Path, what: &str, found: &Value) -> JsonError {
        self.error(path, format!("expected {what}, found {}", kind(found)))
    }

    /// The array at `obj.key`; missing is an error.
    pub fn array<'v>(&self, obj: &'v Value, path: &Path, key: &str) -> Result<&'v Vec<Value>, JsonError> {
        match obj.get(key) {
            Some(Value::Array(a)) => Ok(a),
            Some(other) => Err(self.expected(&path.key(key), "an array", other)),
            None => {
                Err(self.error(path, format!("expected a field `{key}` (an array); is this the right kind of file?")))
            }
        }
    }

    /// The string at `obj.key`, if present and not null.
    pub fn opt_str<'v>(&self, obj: &'v Value, path: &Path, key: &str) -> Result<Option<&'v str>, JsonError> {
        match obj.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(self.expected(&path.key(key), "a string", other)),
        }
    }

    /// The string at `obj.key`; missing is an error.
    pub fn str<'v>(&self, obj: &'v Value, path: &Path, key: &str) -> Result<&'v str, JsonError> {
        self.opt_str(obj, path, key)?.ok_or_else(|| self.error(path, format!("expected a field `{key}` (a string)")))
    }

    /// The whole non-negative number at `obj.key`, if present and not null.
    pub fn opt_u64(&self, obj: &Value, path: &Path, key: &str) -> Result<Option<u64>, JsonError> {
        match obj.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n)) => n
                .as_u64()
                .map(Some)
                .ok_or_else(|| self.error(&path.key(key), format!("expected a whole number ≥ 0, found {n}"))),
            Some(other) => Err(self.expected(&path.key(key), "a whole number", other)),
        }
    }

    /// The whole non-negative number at `obj.key`; missing is an error.
    pub fn u64(&self, obj: &Value, path: &Path, key: &str) -> Result<u64, JsonError> {
        self.opt_u64(obj, path, key)?
            .ok_or_else(|| self.error(path, format!("expected a field `{key}` (a whole number)")))
    }

    /// The boolean at `obj.key`, false when missing or null.
    pub fn flag(&self, obj: &Value, path: &Path, key: &str) -> Result<bool, JsonError> {
        match obj.get(key) {
            None | Some(Value::Null) => Ok(false),
            Some(Value::Bool(b)) => Ok(*b),
            Some(other) => Err(self.expected(&path.key(key), "true or false", other)),
        }
    }

    /// The object at `obj.key`, if present and not null.
    pub fn opt_object<'v>(
        &self,
        obj: &'v Value,
        path: &Path,
        key: &str,
    ) -> Result<Option<&'v serde_json::Map<String, Value>>, JsonError> {
        match obj.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Object(m)) => Ok(Some(m)),
            Some(other) => Err(self.expected(&path.key(key), "an object", other)),
        }
    }

    /// Checks that `v` is an object.
    pub fn object<'v>(&self, v: &'v Value, path: &Path) -> Result<&'v Value, JsonError> {
        if v.is_object() { Ok(v) } else { Err(self.expected(path, "an object", v)) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wrong_type_names_its_json_path() {
        let v = parse("v.json", r#"{"Volumes": [{"Size": "big"}]}"#).unwrap();
        let r = Reader { file: "v.json" };
        let vols = r.array(&v, &Path::root(), "Volumes").unwrap();
        let err = r.u64(&vols[0], &Path::root().key("Volumes").index(0), "Size").unwrap_err();
        assert_eq!(err.to_string(), "v.json: $.Volumes[0].Size: expected a whole number, found a string");
    }

    #[test]
    fn a_json_file_with_a_byte_order_mark_is_read() {
        let v = parse("v.json", "\u{feff}{\"Volumes\": []}").unwrap();
        assert!(v["Volumes"].is_array());
        let err = parse("v.json", "\u{feff}\n  {,}").unwrap_err();
        assert_eq!(err.place, "line 2, column 4", "{err}");
    }

    #[test]
    fn bad_syntax_names_line_and_column() {
        let err = parse("v.json", "{\n  \"Volumes\": [,]\n}").unwrap_err();
        assert!(err.to_string().starts_with("v.json: line 2, column 15: not valid JSON: expected value"), "{err}");
    }
}
