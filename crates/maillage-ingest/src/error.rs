//! Errors of the importers. Every error names the file and, where it applies,
//! the line or feature, the field, what was expected and what was found.

use std::path::PathBuf;

use serde::Serialize;

/// A fatal import error: the layer cannot be loaded.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The file could not be read.
    #[error("{}: lecture impossible : {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A value in a record is not what was expected.
    #[error("{}, {location}, champ « {field} » : attendu {expected}, trouvé « {found} »", path.display())]
    Field {
        /// The file.
        path: PathBuf,
        /// `ligne N` or `entité N`.
        location: String,
        /// The field.
        field: String,
        /// What was expected.
        expected: String,
        /// What was found.
        found: String,
    },
    /// The file as a whole is not in the expected format.
    #[error("{}: {message}", path.display())]
    Format {
        /// The file.
        path: PathBuf,
        /// What is wrong, in French.
        message: String,
    },
    /// A reprojection failed.
    #[error("reprojection impossible : {0}")]
    Reproject(String),
}

/// Result alias for the importers.
pub type IngestResult<T> = Result<T, IngestError>;

/// One rejected row: the row is skipped, the rest of the file is loaded.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rejection {
    /// File name.
    pub file: String,
    /// Line (1-based, header = line 1) or feature index.
    pub line: u64,
    /// The offending field.
    pub field: String,
    /// Why, in French (expected vs found).
    pub reason: String,
}

impl std::fmt::Display for Rejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}, ligne {}, champ « {} » : {}",
            self.file, self.line, self.field, self.reason
        )
    }
}

impl From<maillage_core::ReprojectError> for IngestError {
    fn from(e: maillage_core::ReprojectError) -> IngestError {
        IngestError::Reproject(e.0)
    }
}
