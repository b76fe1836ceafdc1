//! SIGINT, SIGTERM and SIGHUP during training: the first asks the run to stop after its current
//! step (checkpoint, summary with status `interrupted`, the `--resume` command printed); a second
//! one exits at once.
//!
//! ```text
//! first signal   -> Interrupt::requested() becomes Some(signal); training finishes the step
//!                   and writes a checkpoint there (checkpoints/interrupted.*, mid-epoch)
//! second signal  -> the process exits at once with 128 + signal (130 for a second Ctrl-C)
//! exit code      -> 128 + signal: 130 (INT), 143 (TERM), 129 (HUP)
//! ```
//!
//! SIGTERM is what Slurm and Kubernetes send before they kill a job: a job stopped this way
//! resumes where it stopped.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};

/// The signals that stop a run.
pub const STOP_SIGNALS: [i32; 3] = [SIGINT, SIGTERM, SIGHUP];

/// Whether a stop signal has arrived. Cloning shares the flag.
#[derive(Clone, Debug, Default)]
pub struct Interrupt {
    signal: Arc<AtomicUsize>,
}

impl Interrupt {
    /// Installs the handlers for [`STOP_SIGNALS`]. Call it once per process, before training.
    pub fn install() -> std::io::Result<Self> {
        let this = Self::default();
        let armed = Arc::new(AtomicBool::new(false));
        for sig in STOP_SIGNALS {
            // handlers run in the order registered: the exit checks the flag the first signal
            // sets, so only a second signal exits
            signal_hook::flag::register_conditional_shutdown(sig, 128 + sig, armed.clone())?;
            signal_hook::flag::register(sig, armed.clone())?;
            signal_hook::flag::register_usize(sig, this.signal.clone(), sig as usize)?;
        }
        Ok(this)
    }

    /// The signal that asked the run to stop, if one has.
    pub fn requested(&self) -> Option<i32> {
        match self.signal.load(Ordering::SeqCst) {
            0 => None,
            s => Some(s as i32),
        }
    }

    /// Asks the run to stop as if `signal` had arrived (tests, or a program embedding the run).
    pub fn request(&self, signal: i32) {
        self.signal.store(signal as usize, Ordering::SeqCst);
    }
}

/// A run that stopped on a signal, after writing its summary (status `interrupted`).
#[derive(Debug)]
pub struct Interrupted {
    /// The signal.
    pub signal: i32,
    /// The run directory.
    pub dir: std::path::PathBuf,
    /// The last step run.
    pub step: u64,
    /// Epochs completed (the step may be part-way into the next one).
    pub epochs_completed: usize,
}

impl std::fmt::Display for Interrupted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "interrupted by {} after step {} ({} epochs completed; checkpointed at that step); resume with:\n  trainlab train --resume {}",
            signal_name(self.signal),
            self.step,
            self.epochs_completed,
            self.dir.display()
        )
    }
}

impl std::error::Error for Interrupted {}

/// The exit code of a run stopped by `signal`: 128 + its number, as a shell reports it.
pub fn exit_code(signal: i32) -> u8 {
    u8::try_from(128 + signal).unwrap_or(128)
}

/// The signal's name: `SIGINT`, `SIGTERM`, `SIGHUP`, or its number.
pub fn signal_name(signal: i32) -> String {
    match signal {
        SIGINT => "SIGINT".into(),
        SIGTERM => "SIGTERM".into(),
        SIGHUP => "SIGHUP".into(),
        other => format!("signal {other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_are_128_plus_the_signal() {
        assert_eq!(exit_code(SIGINT), 130);
        assert_eq!(exit_code(SIGTERM), 143);
        assert_eq!(exit_code(SIGHUP), 129);
        assert_eq!(signal_name(SIGTERM), "SIGTERM");
    }

    #[test]
    fn a_request_is_seen_by_every_clone() {
        let i = Interrupt::default();
        let j = i.clone();
        assert_eq!(j.requested(), None);
        i.request(SIGTERM);
        assert_eq!(j.requested(), Some(SIGTERM));
    }
}
