//! The committed notebooks read in any viewer: every image output carries a PNG (JupyterLab
//! shows no SVG in an untrusted notebook, and a freshly cloned notebook is untrusted), every cell
//! tagged `plot` has an image, and the execution counts run 1, 2, 3, ... as in a fresh kernel.
//!
//! Reads `notebooks/NN-*.ipynb` as they are in the checkout; `cargo make notebooks --write`
//! refreshes them.

use std::path::{Path, PathBuf};

use base64::prelude::{Engine as _, BASE64_STANDARD};
use serde_json::Value;

fn notebooks() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../notebooks");
    let mut found: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            name.ends_with(".ipynb") && name.as_bytes()[..2].iter().all(u8::is_ascii_digit)
        })
        .collect();
    found.sort();
    assert!(!found.is_empty(), "no notebooks in {}", dir.display());
    found
}

fn read(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A notebook string field: a string or a list of lines.
fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Array(lines) => lines.iter().filter_map(Value::as_str).collect(),
        _ => String::new(),
    }
}

fn code_cells(nb: &Value) -> Vec<&Value> {
    nb["cells"]
        .as_array()
        .expect("cells")
        .iter()
        .filter(|c| c["cell_type"] == "code")
        .collect()
}

/// (width, height) from a PNG's IHDR chunk.
fn png_size(bytes: &[u8]) -> Option<(u32, u32)> {
    if bytes.len() < 24 || &bytes[..8] != b"\x89PNG\r\n\x1a\n" || &bytes[12..16] != b"IHDR" {
        return None;
    }
    let be = |i: usize| u32::from_be_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
    Some((be(16), be(20)))
}

/// (width, height) from the root `<svg ... viewBox="0 0 W H">`.
fn svg_size(svg: &str) -> Option<(u32, u32)> {
    let root = &svg[svg.find("<svg")?..];
    let root = &root[..root.find('>')?];
    let at = root.find(" viewBox=\"")? + " viewBox=\"".len();
    let mut numbers = root[at..].split('"').next()?.split(' ');
    let (x, y) = (numbers.next()?, numbers.next()?);
    if x != "0" || y != "0" {
        return None;
    }
    Some((numbers.next()?.parse().ok()?, numbers.next()?.parse().ok()?))
}

#[test]
fn every_image_output_carries_a_png_of_the_svgs_size() {
    let mut problems = Vec::new();
    let mut images = 0;
    for path in notebooks() {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let nb = read(&path);
        for (n, cell) in code_cells(&nb).into_iter().enumerate() {
            let tagged_plot = cell["metadata"]["tags"]
                .as_array()
                .is_some_and(|t| t.iter().any(|t| t == "plot"));
            let mut has_image = false;
            for out in cell["outputs"].as_array().into_iter().flatten() {
                let data = &out["data"];
                let Some(mimes) = data.as_object() else {
                    continue;
                };
                if !mimes.keys().any(|k| k.starts_with("image/")) {
                    continue;
                }
                has_image = true;
                images += 1;
                let where_ = format!("{name} code cell {}", n + 1);
                let Some(png) = mimes.get("image/png") else {
                    problems.push(format!("{where_}: an image output without image/png"));
                    continue;
                };
                let bytes = BASE64_STANDARD
                    .decode(text(png).replace('\n', ""))
                    .unwrap_or_default();
                let Some(size) = png_size(&bytes) else {
                    problems.push(format!("{where_}: image/png is not a PNG"));
                    continue;
                };
                if let Some(svg) = mimes.get("image/svg+xml") {
                    if svg_size(&text(svg)) != Some(size) {
                        problems.push(format!(
                            "{where_}: PNG {size:?} and SVG {:?} differ in size",
                            svg_size(&text(svg))
                        ));
                    }
                }
            }
            if tagged_plot && !has_image {
                problems.push(format!(
                    "{name} code cell {}: tagged `plot`, no image",
                    n + 1
                ));
            }
        }
    }
    assert!(images > 0, "no image outputs at all");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn execution_counts_run_from_one() {
    for path in notebooks() {
        let nb = read(&path);
        let counts: Vec<Value> = code_cells(&nb)
            .into_iter()
            .map(|c| c["execution_count"].clone())
            .collect();
        let want: Vec<Value> = (1..=counts.len()).map(Value::from).collect();
        assert_eq!(counts, want, "{}: execution counts", path.display());
    }
}

#[test]
fn the_checks_catch_what_they_look_for() {
    assert_eq!(
        png_size(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x04\x4c\0\0\x01\xe0"),
        Some((1100, 480))
    );
    assert_eq!(png_size(b"<svg/>"), None);
    assert_eq!(
        svg_size("<svg width=\"100%\" viewBox=\"0 0 1100 480\" xmlns=\"x\">"),
        Some((1100, 480))
    );
    assert_eq!(svg_size("<svg width=\"1\" height=\"1\">"), None);
    assert_eq!(text(&serde_json::json!(["a", "b\n"])), "ab\n");
}
