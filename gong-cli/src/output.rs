//! How answers are printed on stdout. Values go out as Gong sent them (ids
//! stay strings), except that the table, meant for a terminal, shows
//! control characters as spaces.

use std::io::{self, BufWriter, Write};

use comfy_table::{ContentArrangement, Table, presets};
use gong_api::types::UserSimpleMetadata;
use serde::Serialize;

use crate::args::Format;
use crate::failure::Failure;

/// A user with all three of Gong's keys, `null` when Gong sent nothing: the
/// generated type leaves missing fields out when serialized.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct UserRecord<'a> {
    id: Option<&'a str>,
    full_name: Option<&'a str>,
    email_address: Option<&'a str>,
}

impl<'a> From<&'a UserSimpleMetadata> for UserRecord<'a> {
    fn from(user: &'a UserSimpleMetadata) -> Self {
        Self {
            id: user.id.as_deref(),
            full_name: user.full_name.as_deref(),
            email_address: user.email_address.as_deref(),
        }
    }
}

pub fn print_users(users: &[UserSimpleMetadata], format: Format) -> Result<(), Failure> {
    write_stdout(|out| match format {
        Format::Table => write_table(out, users),
        Format::Json => write_json(out, users),
        Format::Csv => write_csv(out, users),
    })
}

/// One line, flushed at once so that a reader waiting for it gets it.
pub fn print_line(line: &str) -> Result<(), Failure> {
    write_stdout(|out| writeln!(out, "{line}"))
}

/// Runs `write` on a buffered stdout. A reader that went away (`| head`)
/// is not an error: it has all it wanted.
fn write_stdout(write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<(), Failure> {
    let mut out = BufWriter::new(io::stdout().lock());
    match write(&mut out).and_then(|()| out.flush()) {
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(err) => Err(Failure::io("cannot write the output", err)),
        Ok(()) => Ok(()),
    }
}

/// Nothing at all for no users: the caller notes it on stderr.
fn write_table(out: &mut dyn Write, users: &[UserSimpleMetadata]) -> io::Result<()> {
    if users.is_empty() {
        return Ok(());
    }
    let mut table = Table::new();
    table
        .load_preset(presets::NOTHING)
        // One line per user, whatever the width: grep and cut keep working.
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(["ID", "NAME", "EMAIL"]);
    for user in users {
        table.add_row(
            [&user.id, &user.full_name, &user.email_address]
                .map(|value| value.as_deref().map(printable).unwrap_or_default()),
        );
    }
    for column in table.column_iter_mut() {
        column.set_padding((0, 2));
    }
    writeln!(out, "{}", table.trim_fmt())
}

fn write_json(out: &mut dyn Write, users: &[UserSimpleMetadata]) -> io::Result<()> {
    let records: Vec<UserRecord<'_>> = users.iter().map(UserRecord::from).collect();
    serde_json::to_writer_pretty(&mut *out, &records)?;
    writeln!(out)
}

/// The header row is written even for no users, so the output always parses.
fn write_csv(out: &mut dyn Write, users: &[UserSimpleMetadata]) -> io::Result<()> {
    let mut csv = csv::Writer::from_writer(out);
    csv.write_record(["id", "fullName", "emailAddress"])
        .map_err(csv_io)?;
    for user in users {
        csv.write_record(
            [&user.id, &user.full_name, &user.email_address]
                .map(|value| value.as_deref().unwrap_or_default()),
        )
        .map_err(csv_io)?;
    }
    csv.flush()
}

/// The I/O error inside a CSV error, kind intact, so that a closed pipe is
/// still recognised as one.
fn csv_io(err: csv::Error) -> io::Error {
    match err.into_kind() {
        csv::ErrorKind::Io(err) => err,
        other => io::Error::other(format!("{other:?}")),
    }
}

/// Text from Gong as it may safely reach a terminal: no escape sequences,
/// no line breaks that would split a row.
fn printable(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Through serde, so that a property a later spec adds does not break it.
    fn user(id: &str, name: Option<&str>, email: Option<&str>) -> UserSimpleMetadata {
        let wire = serde_json::json!({ "id": id, "fullName": name, "emailAddress": email });
        serde_json::from_value(wire).unwrap()
    }

    fn render(
        write: fn(&mut dyn Write, &[UserSimpleMetadata]) -> io::Result<()>,
        users: &[UserSimpleMetadata],
    ) -> String {
        let mut out = Vec::new();
        write(&mut out, users).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn table_is_plain_and_one_line_per_user() {
        let users = [
            user("1", Some("Ann\x1b[31m\nLee"), None),
            user("22", None, Some("b@example.com")),
        ];
        assert_eq!(
            render(write_table, &users),
            "ID  NAME          EMAIL\n\
             1   Ann [31m Lee\n\
             22                b@example.com\n"
        );
        assert_eq!(render(write_table, &[]), "");
    }

    #[test]
    fn json_keeps_every_key() {
        let users = [UserSimpleMetadata::default()];
        assert_eq!(
            render(write_json, &users),
            "[\n  {\n    \"id\": null,\n    \"fullName\": null,\n    \"emailAddress\": null\n  }\n]\n"
        );
        assert_eq!(render(write_json, &[]), "[]\n");
    }

    #[test]
    fn csv_quotes_as_rfc_4180_says() {
        let users = [user("7", Some("O'Brien, \"Tom\""), None)];
        assert_eq!(
            render(write_csv, &users),
            "id,fullName,emailAddress\n7,\"O'Brien, \"\"Tom\"\"\",\n"
        );
        assert_eq!(render(write_csv, &[]), "id,fullName,emailAddress\n");
    }
}
