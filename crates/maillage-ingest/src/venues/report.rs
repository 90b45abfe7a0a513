//! The import report of venue files: counts per file, rejected rows, warnings, merges.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

use super::merge::MergeReport;
use super::read::VenueFormat;
use super::validate::RejectKind;
use crate::Rejection;

/// Counts for one venue file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileReport {
    /// File name.
    pub file: String,
    /// CSV or JSON.
    pub format: VenueFormat,
    /// Rows read (CSV records or JSON array elements).
    pub read: usize,
    /// Rows kept (valid and placed), before merging.
    pub kept: usize,
    /// Of the kept rows, those placed at their commune's town hall.
    pub town_hall: usize,
    /// Rows rejected.
    pub rejected: usize,
    /// Warnings on kept rows (missing required values, `;` separators).
    pub warnings: usize,
    /// Kept rows with at least one warning.
    pub rows_with_warnings: usize,
    /// Remarks on the file as a whole (ignored or absent columns), in French.
    pub notes: Vec<String>,
}

/// A file that could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileError {
    /// File name or path.
    pub file: String,
    /// What is wrong, in French.
    pub message: String,
}

/// What reading a set of venue files did. Serialises to JSON; `Display` prints a
/// French summary (for `maillage import --check`).
#[derive(Debug, Clone, Default, Serialize)]
pub struct VenueReport {
    /// Version of the national schema the rows were checked against.
    pub schema_version: String,
    /// Counts per file, in reading order.
    pub files: Vec<FileReport>,
    /// Files that could not be read (only [`super::check_venue_files`] goes on after one).
    pub errors: Vec<FileError>,
    /// Every problem of every rejected row (a row may have several).
    pub rejections: Vec<Rejection>,
    /// Every warning on a kept row.
    pub warnings: Vec<Rejection>,
    /// Rejected rows per reason (a row with two reasons counts in both).
    pub rejected_by_reason: BTreeMap<RejectKind, usize>,
    /// Duplicates merged.
    pub merged: MergeReport,
    /// Venues after merging.
    pub venues: usize,
    /// Where venues were placed: corrected communes, doubtful points.
    pub locations: super::places::LocationReport,
    /// What the merged venues are: kinds, inferred services, itinérance, hours, dates.
    pub nature: VenueNature,
}

impl VenueReport {
    /// Rows read in every file.
    pub fn read(&self) -> usize {
        self.files.iter().map(|f| f.read).sum()
    }

    /// Rows kept in every file, before merging.
    pub fn kept(&self) -> usize {
        self.files.iter().map(|f| f.kept).sum()
    }

    /// Rows rejected in every file.
    pub fn rejected(&self) -> usize {
        self.files.iter().map(|f| f.rejected).sum()
    }

    /// The counts of one file.
    pub fn file(&self, name: &str) -> Option<&FileReport> {
        self.files.iter().find(|f| f.file == name)
    }

    /// True when some file could not be read or some row was rejected.
    pub fn has_problems(&self) -> bool {
        !self.errors.is_empty() || self.rejected() > 0
    }

    /// How a row of a file is located (`ligne N` in CSV, `élément N` in JSON).
    pub fn locate(&self, file: &str, line: u64) -> String {
        let format = self.file(file).map_or(VenueFormat::Csv, |f| f.format);
        format.locate(line)
    }
}

/// `14830` → `14 830`.
fn n(v: usize) -> String {
    let digits = v.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

impl fmt::Display for VenueReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Lieux de médiation numérique — contrôle selon le schéma national {}",
            self.schema_version
        )?;
        writeln!(f, "\nFichiers ({}) :", self.files.len() + self.errors.len())?;
        for fr in &self.files {
            let format = match fr.format {
                VenueFormat::Csv => "CSV",
                VenueFormat::Json => "JSON",
            };
            write!(
                f,
                "  {} ({format}) : {} lues, {} gardées",
                fr.file,
                n(fr.read),
                n(fr.kept)
            )?;
            if fr.town_hall > 0 {
                write!(f, " (dont {} placées à la mairie)", n(fr.town_hall))?;
            }
            writeln!(
                f,
                ", {} rejetées, {} avertissements",
                n(fr.rejected),
                n(fr.warnings)
            )?;
            for note in &fr.notes {
                writeln!(f, "    remarque : {note}")?;
            }
        }
        for e in &self.errors {
            writeln!(f, "  {} : ERREUR, fichier ignoré : {}", e.file, e.message)?;
        }
        writeln!(
            f,
            "Total : {} lignes lues, {} gardées, {} rejetées, {} avertissements.",
            n(self.read()),
            n(self.kept()),
            n(self.rejected()),
            n(self.warnings.len())
        )?;
        let m = &self.merged;
        writeln!(
            f,
            "\nDoublons : {} lignes fusionnées dans {} lieux. Liens par motif :",
            n(m.rows_merged),
            n(m.groups)
        )?;
        for (reason, count) in &m.links_by_reason {
            writeln!(f, "  {} : {}", reason.label(), n(*count))?;
        }
        writeln!(
            f,
            "  non fusionnés : {} paires même pivot et même nom à plus de {} m (sites d'un réseau) ; {} lignes placées à la mairie dont le nom désigne plusieurs lieux de la commune",
            n(m.same_pivot_and_name_apart),
            super::matching::FAR_M,
            n(m.town_hall_ambiguous)
        )?;
        writeln!(f, "Lieux après fusion : {}.", n(self.venues))?;
        write!(f, "{}", self.nature)?;
        write!(f, "{}", self.locations)?;

        if !self.rejected_by_reason.is_empty() {
            writeln!(
                f,
                "\nLignes rejetées par motif (une ligne peut en avoir plusieurs) :"
            )?;
            for (kind, count) in &self.rejected_by_reason {
                writeln!(f, "  {} : {}", kind.label(), n(*count))?;
            }
        }
        if !self.warnings.is_empty() {
            // Grouped by field and reason, without the reason's final details in parentheses.
            let mut by_field: BTreeMap<(&str, &str), usize> = BTreeMap::new();
            for w in &self.warnings {
                let reason = w.reason.split(" (").next().unwrap_or(&w.reason);
                *by_field.entry((&w.field, reason)).or_default() += 1;
            }
            writeln!(
                f,
                "\nAvertissements par champ (lignes gardées ; détail dans le rapport JSON) :"
            )?;
            for ((field, reason), count) in by_field {
                writeln!(f, "  {field} : {} — {reason}", n(count))?;
            }
        }
        if !self.rejections.is_empty() {
            writeln!(f, "\nDétail des lignes rejetées :")?;
            for r in &self.rejections {
                writeln!(
                    f,
                    "  {}, {}, champ « {} » : {}",
                    r.file,
                    self.locate(&r.file, r.line),
                    r.field,
                    r.reason
                )?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_separated_by_spaces() {
        assert_eq!(n(0), "0");
        assert_eq!(n(999), "999");
        assert_eq!(n(14830), "14 830");
        assert_eq!(n(1234567), "1 234 567");
    }
}

/// What the merged venues are (a section of the import report): counts per kind,
/// France Services given the label's services, declared itinérance, hours and date origin.
#[derive(Debug, Clone, Default, Serialize)]
pub struct VenueNature {
    /// Venues per kind (`lieu_accueil`, `itinerant`, `habilitation`).
    pub kinds: BTreeMap<&'static str, usize>,
    /// Venues whose services include some inferred from the France Services label.
    pub services_inferred: usize,
    /// Venues per declared itinérance (`fixe`, `itinerant`, `inconnu`).
    pub itinerance: BTreeMap<&'static str, usize>,
    /// Venues whose opening hours were read, could not be read, were not given.
    pub hours_parsed: usize,
    /// See [`VenueNature::hours_parsed`].
    pub hours_unreadable: usize,
    /// See [`VenueNature::hours_parsed`].
    pub hours_unknown: usize,
    /// Venues per origin of `date_maj` (`source`, `snapshot`).
    pub date_maj: BTreeMap<&'static str, usize>,
}

impl VenueNature {
    /// Counts over the merged venues.
    pub fn of(venues: &[maillage_core::Venue]) -> VenueNature {
        let mut n = VenueNature::default();
        for v in venues {
            *n.kinds.entry(v.kind().as_str()).or_default() += 1;
            *n.itinerance
                .entry(v.record.itinerance_state().as_str())
                .or_default() += 1;
            *n.date_maj.entry(v.date_maj_kind().as_str()).or_default() += 1;
            if !v.record.services_inferred().is_empty() {
                n.services_inferred += 1;
            }
            match v.hours().parsed() {
                Some(true) => n.hours_parsed += 1,
                Some(false) => n.hours_unreadable += 1,
                None => n.hours_unknown += 1,
            }
        }
        n
    }
}

impl fmt::Display for VenueNature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let list = |m: &BTreeMap<&'static str, usize>| {
            m.iter()
                .map(|(k, c)| format!("{k} {}", n(*c)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        writeln!(f, "Nature des lieux : {}", list(&self.kinds))?;
        writeln!(
            f,
            "  services déduits du label France Services : {} lieux",
            n(self.services_inferred)
        )?;
        writeln!(f, "  itinérance déclarée : {}", list(&self.itinerance))?;
        writeln!(
            f,
            "  horaires : {} lus, {} illisibles, {} absents",
            n(self.hours_parsed),
            n(self.hours_unreadable),
            n(self.hours_unknown)
        )?;
        writeln!(f, "  origine de date_maj : {}", list(&self.date_maj))
    }
}
