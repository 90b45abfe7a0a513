//! Merging rows that describe the same venue (see the rules in the module docs of
//! [`crate::venues`]).

use std::cmp::Reverse;
use std::collections::HashMap;

use maillage_core::{Placement, Position, Venue, VenueId, VenueRecord, VenueSource, Zone};
use serde::Serialize;

use super::schema::Schema;
use super::validate::{multi_mut, set_text};

/// Two rows with the same normalised name closer than this are the same venue.
pub const SAME_PLACE_M: f64 = 50.0;

/// A validated, placed row, in reading order.
#[derive(Debug)]
pub(crate) struct Placed {
    pub record: VenueRecord,
    pub position: Position,
    pub placement: Placement,
    pub source: VenueSource,
}

/// What the merge did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MergeReport {
    /// Venues built from two rows or more.
    pub groups: usize,
    /// Rows folded into another row's venue (rows kept − venues).
    pub rows_merged: usize,
    /// Links made by "same `pivot` and same name".
    pub links_pivot_and_name: usize,
    /// Links made by "same name within 50 m".
    pub links_name_within_50m: usize,
}

/// Normalised name used to compare venues: lower case, accents and ligatures folded,
/// every run of non-alphanumeric characters turned into one space, trimmed.
///
/// ```
/// use maillage_ingest::venues::normalized_name;
/// assert_eq!(normalized_name("  Médiathèque  L'Œil-de-Bœuf "), "mediatheque l oeil de boeuf");
/// assert_eq!(normalized_name("MAIRIE ANNEXE DE GENÇAY"), normalized_name("Mairie Annexe de Gençay"));
/// ```
pub fn normalized_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut pending_space = false;
    for c in name.chars().flat_map(char::to_lowercase) {
        let folded: &str = match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => "a",
            'ç' => "c",
            'è' | 'é' | 'ê' | 'ë' => "e",
            'ì' | 'í' | 'î' | 'ï' => "i",
            'ñ' => "n",
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' => "o",
            'ù' | 'ú' | 'û' | 'ü' => "u",
            'ý' | 'ÿ' => "y",
            'œ' => "oe",
            'æ' => "ae",
            c if c.is_alphanumeric() => {
                if pending_space && !out.is_empty() {
                    out.push(' ');
                }
                pending_space = false;
                out.push(c);
                continue;
            }
            _ => {
                pending_space = true;
                continue;
            }
        };
        if pending_space && !out.is_empty() {
            out.push(' ');
        }
        pending_space = false;
        out.push_str(folded);
    }
    out
}

/// A pivot usable to match venues: not empty, not the all-zero ANCT placeholder.
fn usable_pivot(pivot: &str) -> Option<&str> {
    let p = pivot.trim();
    (!p.is_empty() && !p.bytes().all(|b| b == b'0')).then_some(p)
}

struct UnionFind(Vec<usize>);

impl UnionFind {
    fn find(&mut self, mut i: usize) -> usize {
        while self.0[i] != i {
            self.0[i] = self.0[self.0[i]];
            i = self.0[i];
        }
        i
    }
    /// Joins the sets of `a` and `b`; true when they were distinct.
    fn union(&mut self, a: usize, b: usize) -> bool {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return false;
        }
        // The smaller index stays the root, so a group's root is its first row.
        let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
        self.0[hi] = lo;
        true
    }
}

/// Merges rows describing the same venue; venues come out in the order of their first row.
pub(crate) fn merge(rows: Vec<Placed>, schema: &Schema) -> (Vec<Venue>, MergeReport) {
    let n = rows.len();
    let mut report = MergeReport::default();
    let mut sets = UnionFind((0..n).collect());

    let mut name_ids: HashMap<String, u32> = HashMap::new();
    let names: Vec<u32> = rows
        .iter()
        .map(|r| {
            let next = name_ids.len() as u32;
            *name_ids
                .entry(normalized_name(&r.record.nom))
                .or_insert(next)
        })
        .collect();

    // Rule 1: same pivot and same name, wherever the rows are.
    let mut by_pivot: HashMap<(&str, u32), usize> = HashMap::new();
    for (i, r) in rows.iter().enumerate() {
        if let Some(p) = usable_pivot(&r.record.pivot) {
            let first = *by_pivot.entry((p, names[i])).or_insert(i);
            if sets.union(first, i) {
                report.links_pivot_and_name += 1;
            }
        }
    }

    // Rule 2: same name within 50 m, for rows placed by their own coordinates. A grid of
    // 50 m cells per zone: a neighbour within 50 m lies in one of the 3×3 cells around.
    let cell_of = |p: &Position| -> (Zone, i64, i64) {
        (
            p.zone,
            (p.xy[0] / SAME_PLACE_M).floor() as i64,
            (p.xy[1] / SAME_PLACE_M).floor() as i64,
        )
    };
    let mut grid: HashMap<(Zone, i64, i64), Vec<usize>> = HashMap::new();
    for (i, r) in rows.iter().enumerate() {
        if r.placement != Placement::Exact {
            continue;
        }
        let (zone, cx, cy) = cell_of(&r.position);
        for dx in -1..=1 {
            for dy in -1..=1 {
                let Some(others) = grid.get(&(zone, cx + dx, cy + dy)) else {
                    continue;
                };
                for &j in others {
                    let close = rows[j]
                        .position
                        .distance_m(&r.position)
                        .is_some_and(|d| d <= SAME_PLACE_M);
                    if names[j] == names[i] && close && sets.union(j, i) {
                        report.links_name_within_50m += 1;
                    }
                }
            }
        }
        grid.entry((zone, cx, cy)).or_default().push(i);
    }

    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut group_of_root: HashMap<usize, usize> = HashMap::new();
    for i in 0..n {
        let root = sets.find(i);
        let g = *group_of_root.entry(root).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[g].push(i);
    }

    let mut slots: Vec<Option<Placed>> = rows.into_iter().map(Some).collect();
    let mut venues = Vec::with_capacity(groups.len());
    for members in groups {
        if members.len() > 1 {
            report.groups += 1;
            report.rows_merged += members.len() - 1;
        }
        // Members are in reading order, so are the sources.
        let mut group: Vec<Placed> = members.iter().filter_map(|&i| slots[i].take()).collect();
        let sources: Vec<VenueSource> = group.iter().map(|p| p.source.clone()).collect();
        // Best first: own coordinates, then latest date_maj, then most fields, then first read.
        let mut ranked: Vec<(usize, Placed)> = group.drain(..).enumerate().collect();
        ranked.sort_by_cached_key(|(k, r)| {
            Reverse((
                r.placement == Placement::Exact,
                r.record.date_maj.clone(),
                filled_fields(&r.record),
                Reverse(*k),
            ))
        });
        let mut ranked = ranked.into_iter().map(|(_, p)| p);
        let Some(kept) = ranked.next() else {
            continue;
        };
        let mut record = kept.record;
        for other in ranked {
            union_multi(&mut record, &other.record, schema);
            fill_empty(&mut record, &other.record);
        }
        venues.push(Venue {
            id: VenueId(venues.len() as u32),
            record,
            position: kept.position,
            placement: kept.placement,
            commune: None,
            sources,
            location_flags: Vec::new(),
            declared_commune: None,
            location_note: String::new(),
        });
    }
    (venues, report)
}

/// Number of non-empty schema fields.
fn filled_fields(r: &VenueRecord) -> usize {
    VenueRecord::FIELDS
        .iter()
        .filter(|f| r.text(f).is_some_and(|t| !t.is_empty()))
        .count()
}

/// Adds the other record's multi-values that `record` lacks. Enumerated fields are then
/// put back in schema order; free lists keep the kept record's values first.
fn union_multi(record: &mut VenueRecord, other: &VenueRecord, schema: &Schema) {
    for rule in schema.fields.iter().filter(|f| f.multi) {
        let Some(theirs) = other.multi(rule.name) else {
            continue;
        };
        let Some(mine) = multi_mut(record, rule.name) else {
            continue;
        };
        for v in theirs {
            if !mine.contains(v) {
                mine.push(v.clone());
            }
        }
        if let Some(allowed) = &rule.allowed {
            mine.sort_by_key(|v| allowed.iter().position(|a| a == v).unwrap_or(usize::MAX));
        }
    }
}

/// Fills the kept record's empty single-valued text fields from another row of the group.
fn fill_empty(record: &mut VenueRecord, other: &VenueRecord) {
    for name in VenueRecord::FIELDS {
        if matches!(name, "latitude" | "longitude") || record.multi(name).is_some() {
            continue;
        }
        let empty = record.text(name).is_some_and(|t| t.is_empty());
        if let Some(theirs) = other.text(name).filter(|t| empty && !t.is_empty()) {
            set_text(record, name, theirs.into_owned());
        }
    }
}
