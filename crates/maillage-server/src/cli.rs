//! Progress display for long work on the command line.

use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use maillage_ingest::load::Progress;

/// A spinner showing the current stage and the elapsed time, on stderr.
pub struct Spinner(ProgressBar);

impl Spinner {
    /// Starts a spinner (hidden when stderr is not a terminal).
    pub fn new() -> Spinner {
        let bar = ProgressBar::new_spinner();
        bar.set_style(
            ProgressStyle::with_template("{spinner} [{elapsed_precise}] {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.enable_steady_tick(Duration::from_millis(120));
        Spinner(bar)
    }

    /// Stops the spinner, leaving a final message.
    pub fn finish(&self, msg: String) {
        self.0.finish_with_message(msg);
    }
}

impl Default for Spinner {
    fn default() -> Self {
        Spinner::new()
    }
}

impl Progress for Spinner {
    fn stage(&self, label: &str) {
        if self.0.is_hidden() {
            eprintln!("… {label}");
        }
        self.0.set_message(label.to_string());
    }
}
