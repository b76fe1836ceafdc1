//! Byte mutations for the readers' property tests (the config and the checkpoint): flip,
//! delete, insert a byte of the format's alphabet, or cut the file short.

use proptest::prelude::*;

/// One edit of a file's bytes; positions wrap around the file's length.
#[derive(Clone, Debug)]
pub(crate) enum Mutation {
    Flip(usize, u8),
    Delete(usize),
    Insert(usize, u8),
    Cut(usize),
}

/// A random mutation, inserting bytes drawn from `alphabet` (the format's punctuation).
pub(crate) fn mutation(alphabet: &'static [u8]) -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Flip(i, b)),
        any::<usize>().prop_map(Mutation::Delete),
        (any::<usize>(), prop::sample::select(alphabet.to_vec()))
            .prop_map(|(i, b)| Mutation::Insert(i, b)),
        any::<usize>().prop_map(Mutation::Cut),
    ]
}

/// `bytes` with every mutation applied in order.
pub(crate) fn apply(mut bytes: Vec<u8>, mutations: &[Mutation]) -> Vec<u8> {
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
