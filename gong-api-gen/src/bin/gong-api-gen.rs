//! `gong-api-gen <spec>` prints the generated client; `gong-api-gen summary
//! <spec>` prints its short summary; `gong-api-gen check <spec>` prints every
//! problem the spec has. Exit codes: 0 fine, 1 the spec has problems, 2 usage.

use std::process::ExitCode;

use gong_api_gen::{Spec, SpecError};

const USAGE: &str = "usage: gong-api-gen [generate|summary|check] <spec.yaml|spec.json>";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (command, path) = match args.as_slice() {
        [flag] if flag == "-h" || flag == "--help" => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        [path] => ("generate", path),
        [command, path] => (command.as_str(), path),
        _ => return usage_error("expected a spec path"),
    };
    let run: fn(&Spec) -> Result<String, SpecError> = match command {
        "generate" => Spec::generate,
        "summary" => Spec::summary,
        "check" => |spec| {
            spec.check()
                .map(|()| format!("{}: no problems found\n", spec.path().display()))
        },
        other => return usage_error(&format!("unknown command `{other}`")),
    };
    let result = Spec::load(path)
        .and_then(|spec| run(&spec))
        .map(|output| print!("{output}"));
    report(result)
}

fn report(result: Result<(), SpecError>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

fn usage_error(problem: &str) -> ExitCode {
    eprintln!("error: {problem}\n{USAGE}");
    ExitCode::from(2)
}
