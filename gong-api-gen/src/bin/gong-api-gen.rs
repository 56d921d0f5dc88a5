//! `gong-api-gen <spec>` prints the generated client, and `gong-api-gen
//! generate <spec> --out <file>` writes it (only once it generated, so that a
//! broken spec leaves the file as it was); `gong-api-gen summary <spec>`
//! prints its short summary; `gong-api-gen check <spec>` prints every repair
//! the normalization step makes and every problem the spec has, all at once.
//! Exit codes: 0 fine, 1 the spec has problems, 2 usage (a missing argument,
//! an unknown command, a file that cannot be read or written).

use std::io::Write as _;
use std::process::ExitCode;

use gong_api_gen::{Report, Spec, SpecError};

const USAGE: &str = "usage: gong-api-gen [generate|summary|check] <spec.yaml|spec.json>\n       \
                     gong-api-gen generate <spec.yaml|spec.json> --out <file.rs>";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (command, path, out) = match args.as_slice() {
        [flag] if flag == "-h" || flag == "--help" => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        [path] => ("generate", path, None),
        [command, path] => (command.as_str(), path, None),
        [command, path, flag, out] if command == "generate" && flag == "--out" => {
            ("generate", path, Some(out))
        }
        [_, _, flag] if flag == "--out" => {
            return usage_error("`--out` needs the path of the file to write");
        }
        _ => return usage_error("expected a spec path"),
    };
    let run: fn(&Spec) -> Result<String, SpecError> = match command {
        "generate" => Spec::generate,
        "summary" => Spec::summary,
        "check" => return check(path),
        other => return usage_error(&format!("unknown command `{other}`")),
    };
    let result = Spec::load(path).and_then(|spec| {
        let output = run(&spec)?;
        if !spec.repairs().is_empty() {
            eprintln!(
                "note: {} repairs applied to {path} before generation; `gong-api-gen check {path}` lists them",
                spec.repairs().len()
            );
        }
        Ok(output)
    });
    match (result, out) {
        (Ok(output), None) => {
            print_out(&output);
            ExitCode::SUCCESS
        }
        (Ok(output), Some(out)) => write_out(out, &output),
        (Err(err), _) => failure(&err),
    }
}

/// Replaces `out` with `text` through a temporary file beside it, so that an
/// interrupted write never leaves half a client.
fn write_out(out: &str, text: &str) -> ExitCode {
    let temporary = format!("{out}.tmp");
    let written = std::fs::write(&temporary, text).and_then(|()| std::fs::rename(&temporary, out));
    match written {
        Ok(()) => {
            eprintln!("wrote {out} ({} lines)", text.lines().count());
            ExitCode::SUCCESS
        }
        Err(err) => {
            let _ = std::fs::remove_file(&temporary);
            eprintln!("error: cannot write {out}: {err}");
            ExitCode::from(2)
        }
    }
}

/// Every repair and every problem, on standard output.
fn check(path: &str) -> ExitCode {
    match Report::load(path) {
        Ok(report) => {
            print_out(&report.to_string());
            if report.is_ok() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(err) => failure(&err),
    }
}

/// Like `print!`, but a reader that stops early (`| head`) is no error.
fn print_out(text: &str) {
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

fn failure(err: &SpecError) -> ExitCode {
    eprintln!("error: {err}");
    match err {
        SpecError::Read { .. } => ExitCode::from(2),
        _ => ExitCode::FAILURE,
    }
}

fn usage_error(problem: &str) -> ExitCode {
    eprintln!("error: {problem}\n{USAGE}");
    ExitCode::from(2)
}
