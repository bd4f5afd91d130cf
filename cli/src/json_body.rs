//! `--json-body -`: the generated commands read their body from a file, so a body on stdin is
//! first copied to a temporary file whose path replaces the `-`.

use std::ffi::{OsStr, OsString};
use std::io::{self, Read, Write};

use tempfile::TempPath;

/// The flag whose value may be `-`.
const FLAG: &str = "--json-body";

/// `args` with a `--json-body -` (or `--json-body=-`) pointing at a temporary file that holds
/// everything read from `stdin`; the file lives as long as the returned [`TempPath`]. Without
/// such a flag `args` come back unchanged and `stdin` is not read.
pub fn substitute_stdin(
    args: Vec<OsString>,
    stdin: impl Read,
) -> io::Result<(Vec<OsString>, Option<TempPath>)> {
    let Some(position) = stdin_position(&args) else {
        return Ok((args, None));
    };
    let mut body = Vec::new();
    let mut stdin = stdin;
    stdin.read_to_end(&mut body)?;
    let mut file = tempfile::NamedTempFile::new()?;
    file.write_all(&body)?;
    let path = file.into_temp_path();
    let mut args = args;
    args[position] = if args[position] == OsStr::new("-") {
        path.as_os_str().to_owned()
    } else {
        let mut joined = OsString::from(format!("{FLAG}="));
        joined.push(path.as_os_str());
        joined
    };
    Ok((args, Some(path)))
}

/// Index of the argument that says "stdin": the `-` after `--json-body`, or `--json-body=-`.
fn stdin_position(args: &[OsString]) -> Option<usize> {
    args.iter().enumerate().find_map(|(i, arg)| {
        if arg == OsStr::new(&format!("{FLAG}=-")) {
            Some(i)
        } else if arg == OsStr::new(FLAG) && args.get(i + 1).is_some_and(|next| next == "-") {
            Some(i + 1)
        } else {
            None
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    #[test]
    fn a_dash_becomes_a_file_holding_stdin() {
        let (out, path) = substitute_stdin(
            args(&["wix-opr", "x", "--json-body", "-"]),
            &b"{\"a\":1}"[..],
        )
        .unwrap();
        let path = path.expect("stdin was copied");
        assert_eq!(out[3], path.as_os_str());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "{\"a\":1}");
    }

    #[test]
    fn the_equals_form_is_rewritten_too() {
        let (out, path) =
            substitute_stdin(args(&["wix-opr", "x", "--json-body=-"]), &b"{}"[..]).unwrap();
        let path = path.unwrap();
        assert_eq!(
            out[2],
            OsString::from(format!("--json-body={}", path.display()))
        );
    }

    #[test]
    fn a_file_path_is_left_alone_and_stdin_unread() {
        let given = args(&["wix-opr", "x", "--json-body", "body.json", "-"]);
        let (out, path) = substitute_stdin(given.clone(), FailingReader).unwrap();
        assert_eq!(out, given);
        assert!(path.is_none());
    }

    struct FailingReader;
    impl Read for FailingReader {
        fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
            Err(io::Error::other("stdin must not be read"))
        }
    }
}
