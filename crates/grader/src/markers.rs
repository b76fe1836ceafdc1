//! Solution and hidden-test markers: one source of truth for solutions and released stubs.
//!
//! ```text
//! // BEGIN SOLUTION            the instructor's code, compiled and validated as is;
//! let v = beta * v + g;        in the release the whole block is replaced by its STUB lines
//! // STUB: todo!("momentum")   -> `todo!("momentum")`, at the marker's indentation
//! // END SOLUTION
//! // BEGIN HIDDEN ... // END HIDDEN   dropped from the release entirely (extra hidden tests)
//! ```
//!
//! `#` works in place of `//` (TOML configs). Blocks do not nest; an unclosed block, or an END
//! without its BEGIN, is an error naming the file and line.

use std::path::Path;

use crate::error::{GraderError, Result};

/// The kind of block a marker opens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Block {
    Solution,
    Hidden,
}

/// The marker on `line` (after its comment prefix), if any: BEGIN/END of which block, or a STUB line.
enum Marker<'a> {
    Begin(Block),
    End(Block),
    Stub { indent: &'a str, code: &'a str },
}

fn parse_marker(line: &str) -> Option<Marker<'_>> {
    let trimmed = line.trim_start();
    let indent = &line[..line.len() - trimmed.len()];
    let body = trimmed
        .strip_prefix("//")
        .or_else(|| trimmed.strip_prefix('#'))?
        .trim_start();
    if let Some(code) = body.strip_prefix("STUB:") {
        let code = code.strip_prefix(' ').unwrap_or(code);
        return Some(Marker::Stub { indent, code });
    }
    match body.trim_end() {
        "BEGIN SOLUTION" => Some(Marker::Begin(Block::Solution)),
        "END SOLUTION" => Some(Marker::End(Block::Solution)),
        "BEGIN HIDDEN" => Some(Marker::Begin(Block::Hidden)),
        "END HIDDEN" => Some(Marker::End(Block::Hidden)),
        _ => None,
    }
}

/// The student's version of `src`: solution blocks replaced by their stubs, hidden blocks dropped.
///
/// ```
/// let src = "fn f() -> u32 {\n    // BEGIN SOLUTION\n    42\n    // STUB: todo!()\n    // END SOLUTION\n}\n";
/// let released = trainlab_grader::markers::release(src, "f.rs".as_ref()).unwrap();
/// assert_eq!(released, "fn f() -> u32 {\n    todo!()\n}\n");
/// ```
pub fn release(src: &str, path: &Path) -> Result<String> {
    let mut out = String::with_capacity(src.len());
    let mut open: Option<(Block, usize)> = None;
    for (i, line) in src.lines().enumerate() {
        let n = i + 1;
        let err = |message: &str| GraderError::Marker {
            path: path.to_path_buf(),
            line: n,
            message: message.to_string(),
        };
        match (parse_marker(line), open) {
            (Some(Marker::Begin(b)), None) => open = Some((b, n)),
            (Some(Marker::Begin(_)), Some((_, at))) => {
                return Err(err(&format!(
                    "BEGIN inside the block opened on line {at}: blocks do not nest"
                )))
            }
            (Some(Marker::End(b)), Some((ob, _))) if b == ob => open = None,
            (Some(Marker::End(_)), _) => {
                return Err(err("END without a matching BEGIN of the same kind"))
            }
            (Some(Marker::Stub { indent, code }), Some((Block::Solution, _))) => {
                out.push_str(indent);
                out.push_str(code);
                out.push('\n');
            }
            (Some(Marker::Stub { .. }), _) => {
                return Err(err("STUB outside a BEGIN SOLUTION ... END SOLUTION block"))
            }
            (None, Some(_)) => {}
            (None, None) => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    if let Some((_, at)) = open {
        return Err(GraderError::Marker {
            path: path.to_path_buf(),
            line: at,
            message: "block opened here is never closed (END SOLUTION / END HIDDEN)".into(),
        });
    }
    if !src.ends_with('\n') && out.ends_with('\n') {
        out.pop();
    }
    Ok(out)
}

/// Whether `src` has any solution or hidden block (a release changes it).
pub fn has_markers(src: &str) -> bool {
    src.lines()
        .any(|l| matches!(parse_marker(l), Some(Marker::Begin(_))))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rel(src: &str) -> Result<String> {
        release(src, Path::new("x.rs"))
    }

    #[test]
    fn solution_becomes_stub_at_its_indentation() {
        let src = "a\n  // BEGIN SOLUTION\n  sol1\n  sol2\n    // STUB: stub1\n  // STUB:stub2\n  // END SOLUTION\nb\n";
        assert_eq!(rel(src).unwrap(), "a\n    stub1\n  stub2\nb\n");
    }

    #[test]
    fn hidden_blocks_vanish_and_hash_comments_work() {
        let src = "x = 1\n# BEGIN SOLUTION\ny = 2\n# STUB: y = 0\n# END SOLUTION\n// BEGIN HIDDEN\nsecret\n// END HIDDEN\nz\n";
        assert_eq!(rel(src).unwrap(), "x = 1\ny = 0\nz\n");
        assert!(has_markers(src));
        assert!(!has_markers("plain\n// STUB: nothing\n"));
    }

    #[test]
    fn bad_markers_name_the_line() {
        let e = rel("a\n// BEGIN SOLUTION\nb\n").unwrap_err().to_string();
        assert!(e.contains("x.rs:2"), "{e}");
        let e = rel("// END SOLUTION\n").unwrap_err().to_string();
        assert!(e.contains("x.rs:1") && e.contains("without"), "{e}");
        let e = rel("// BEGIN SOLUTION\n// BEGIN HIDDEN\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("x.rs:2") && e.contains("nest"), "{e}");
        let e = rel("// BEGIN HIDDEN\n// END SOLUTION\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("x.rs:2"), "{e}");
        let e = rel("// STUB: x\n").unwrap_err().to_string();
        assert!(e.contains("outside"), "{e}");
    }

    #[test]
    fn text_without_markers_is_unchanged() {
        let src = "fn main() {\n    // a comment\n}";
        assert_eq!(rel(src).unwrap(), src);
    }
}
