//! The config reader on mutated files: no panic, no hang, an error that names the config.
//! (The checkpoint reader's property tests are at the bottom of `src/checkpoint.rs`.)

use proptest::prelude::*;
use trainlab_training::TrainConfig;

const CONFIG: &str = "seed = 7\n\
[model]\nhidden = [32, 16]\nactivation = \"relu\"\n\
[optimizer]\nkind = \"adam\"\nalpha = 0.001\n\
[schedule]\nkind = \"step_decay\"\nfactor = 0.5\n\
[train]\nepochs = 3\nbatch_size = 32\n\
[split]\ntrain = 0.7\nval = 0.2\ntest = 0.1\n";

#[derive(Clone, Debug)]
enum Mutation {
    Flip(usize, u8),
    Delete(usize),
    Insert(usize, u8),
    Cut(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Flip(i, b)),
        any::<usize>().prop_map(Mutation::Delete),
        (
            any::<usize>(),
            prop::sample::select(b"[]{}\"=,.:0123456789e-\n x".to_vec())
        )
            .prop_map(|(i, b)| Mutation::Insert(i, b)),
        any::<usize>().prop_map(Mutation::Cut),
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
            _ => {}
        }
    }
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

    #[test]
    fn mutated_configs_are_parsed_or_refused_never_a_panic(
        mutations in prop::collection::vec(mutation(), 1..6),
    ) {
        let bytes = apply(CONFIG.as_bytes().to_vec(), &mutations);
        let text = String::from_utf8_lossy(&bytes);
        if let Err(e) = TrainConfig::from_toml_str(&text, "fuzz.toml".as_ref()) {
            let message = e.to_string();
            prop_assert!(message.contains("config"), "{message}");
        }
    }
}
