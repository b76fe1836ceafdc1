//! The CSV reader on mutated files (bytes flipped, deleted, inserted, lines duplicated, the file
//! cut short): it never panics, never hangs, and never sizes anything by a value it read (the
//! classes are bounded by the rows, the features by the input's length).

use proptest::prelude::*;
use trainlab_data::{read_csv, CsvOptions, CsvTarget};

/// A small valid file: 3 features, labels 0..=2.
fn valid() -> Vec<u8> {
    let mut text = String::from("a,b,c,label\n");
    for i in 0..12 {
        text.push_str(&format!("{}.5,{},-{}e-1,{}\n", i, i * 7 % 5, i % 3, i % 3));
    }
    text.into_bytes()
}

#[derive(Clone, Debug)]
enum Mutation {
    Flip(usize, u8),
    Delete(usize),
    Insert(usize, u8),
    Cut(usize),
    DuplicateLine(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Flip(i, b)),
        any::<usize>().prop_map(Mutation::Delete),
        (
            any::<usize>(),
            prop::sample::select(b",\n\r\"-.e9 0\x00\xff".to_vec())
        )
            .prop_map(|(i, b)| Mutation::Insert(i, b)),
        any::<usize>().prop_map(Mutation::Cut),
        any::<usize>().prop_map(Mutation::DuplicateLine),
    ]
}

fn apply(mut bytes: Vec<u8>, mutations: &[Mutation]) -> Vec<u8> {
    for m in mutations {
        let n = bytes.len().max(1);
        match *m {
            Mutation::Flip(i, b) if !bytes.is_empty() => bytes[i % n] = b,
            Mutation::Delete(i) if !bytes.is_empty() => {
                bytes.remove(i % n);
            }
            Mutation::Insert(i, b) => bytes.insert(i % (bytes.len() + 1), b),
            Mutation::Cut(i) => bytes.truncate(i % n),
            Mutation::DuplicateLine(i) => {
                let lines: Vec<&[u8]> = bytes.split(|&b| b == b'\n').collect();
                let line = lines[i % lines.len()].to_vec();
                bytes.extend_from_slice(&line);
                bytes.push(b'\n');
            }
            _ => {}
        }
    }
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn mutated_csv_is_read_or_refused_never_a_panic(
        mutations in prop::collection::vec(mutation(), 1..8),
        values in any::<bool>(),
    ) {
        let bytes = apply(valid(), &mutations);
        let opts = CsvOptions {
            target: if values { CsvTarget::Values } else { CsvTarget::Classes },
            ..Default::default()
        };
        if let Ok(d) = read_csv(bytes.as_slice(), "fuzz.csv", "fuzz", &opts) {
            // memory follows the input, not the values in it
            prop_assert!(d.features.len() <= bytes.len());
            if let Some(k) = d.n_classes() {
                prop_assert!(k <= 2 * d.len(), "{k} classes from {} rows", d.len());
            }
        }
    }

    #[test]
    fn arbitrary_bytes_are_read_or_refused_never_a_panic(
        bytes in prop::collection::vec(any::<u8>(), 0..512),
    ) {
        if let Ok(d) = read_csv(bytes.as_slice(), "noise.csv", "noise", &CsvOptions::default()) {
            prop_assert!(d.features.len() <= bytes.len());
        }
    }
}
