//! Merging rows that describe the same venue (see the rules in the module docs of
//! [`crate::venues`]).

use std::cmp::Reverse;
use std::collections::{BTreeMap, HashMap};

use maillage_core::{Placement, Position, Venue, VenueId, VenueRecord, VenueSource, Zone};
use serde::Serialize;

use super::matching::{
    Evidence, FAR_M, MergeReason, PairScore, TOWN_HALL_RADIUS_M, exact_duplicate, score,
};
use super::schema::Schema;
use super::validate::{multi_mut, set_text};

/// A validated, placed row, in reading order.
#[derive(Debug)]
pub(crate) struct Placed {
    pub record: VenueRecord,
    pub position: Position,
    pub placement: Placement,
    pub source: VenueSource,
}

/// One merge: two source rows found to be the same venue, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MergeLink {
    /// The two rows, in reading order.
    pub rows: [VenueSource; 2],
    /// The rule that merged them.
    pub reason: MergeReason,
    /// The evidence: distance, name score, address agreement, contact, SIRET, score.
    #[serde(flatten)]
    pub evidence: PairScore,
}

/// What the merge did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct MergeReport {
    /// Venues built from two rows or more.
    pub groups: usize,
    /// Rows folded into another row's venue (rows kept − venues).
    pub rows_merged: usize,
    /// Links per reason (a group of n rows has at least n − 1 links).
    pub links_by_reason: BTreeMap<MergeReason, usize>,
    /// Every link, in the order found.
    pub links: Vec<MergeLink>,
    /// Rows placed at a town hall whose name matched several distinct venues of the
    /// commune: left apart, since the town hall cannot tell which one is meant.
    pub town_hall_ambiguous: usize,
    /// Pairs of rows with the same `pivot` and the same name placed more than 150 m
    /// apart by their own coordinates: sites of one network, kept apart.
    pub same_pivot_and_name_apart: usize,
}

impl MergeReport {
    /// Links made for one reason.
    pub fn links_for(&self, reason: MergeReason) -> usize {
        self.links_by_reason.get(&reason).copied().unwrap_or(0)
    }
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

/// The producer of a row: its file and, for files that aggregate several producers
/// (PACA, Charente, Hauts-de-France), the producer named in its id.
fn origin(source: &VenueSource) -> (&str, &'static str) {
    const PRODUCERS: [&str; 6] = [
        "france-services",
        "conseiller-numerique",
        "aidants-connect",
        "france-tiers-lieux",
        "dora",
        "assembleurs",
    ];
    let producer = PRODUCERS
        .iter()
        .find(|p| source.id.contains(*p))
        .copied()
        .unwrap_or("");
    (source.file.as_str(), producer)
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

/// The decision for two rows: the reason they merge, with the evidence, or `None`.
/// `distance_m` is `None` when one row is placed at a town hall.
fn decide(
    a: (&Placed, &Evidence),
    b: (&Placed, &Evidence),
    distance_m: Option<f64>,
) -> Option<(MergeReason, PairScore)> {
    let s = score(a.1, b.1, distance_m);
    if origin(&a.0.source) == origin(&b.0.source) {
        return exact_duplicate(a.1, b.1).then_some((MergeReason::ExactDuplicate, s));
    }
    s.reason().map(|r| (r, s))
}

/// Joins rows `i` and `j` and records why, unless they already are in one venue.
fn link(
    rows: &[Placed],
    report: &mut MergeReport,
    sets: &mut UnionFind,
    (i, j): (usize, usize),
    reason: MergeReason,
    evidence: PairScore,
) {
    if sets.union(i, j) {
        *report.links_by_reason.entry(reason).or_default() += 1;
        let (lo, hi) = (i.min(j), i.max(j));
        report.links.push(MergeLink {
            rows: [rows[lo].source.clone(), rows[hi].source.clone()],
            reason,
            evidence,
        });
    }
}

/// Merges rows describing the same venue; venues come out in the order of their first row.
pub(crate) fn merge(rows: Vec<Placed>, schema: &Schema) -> (Vec<Venue>, MergeReport) {
    let n = rows.len();
    let mut report = MergeReport::default();
    let mut sets = UnionFind((0..n).collect());
    let evidence: Vec<Evidence> = rows
        .iter()
        .map(|p| {
            let r = &p.record;
            Evidence::new(
                &r.nom,
                &r.commune,
                &r.adresse,
                &r.code_postal,
                &r.telephone,
                r.courriels.first().map_or("", String::as_str),
                &r.pivot,
            )
        })
        .collect();
    // Rows placed by their own coordinates: every pair closer than FAR_M, found with a
    // grid of FAR_M cells per zone (a neighbour lies in one of the 3×3 cells around).
    let cell_of = |p: &Position| -> (Zone, i64, i64) {
        (
            p.zone,
            (p.xy[0] / FAR_M).floor() as i64,
            (p.xy[1] / FAR_M).floor() as i64,
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
                    let Some(d) = rows[j].position.distance_m(&r.position) else {
                        continue;
                    };
                    if d > FAR_M {
                        continue;
                    }
                    let found = decide((&rows[j], &evidence[j]), (r, &evidence[i]), Some(d));
                    if let Some((reason, s)) = found {
                        link(&rows, &mut report, &mut sets, (j, i), reason, s);
                    }
                }
            }
        }
        grid.entry((zone, cx, cy)).or_default().push(i);
    }

    // Rows placed at a town hall: only rows of the same name and postal code near that
    // town hall are candidates, and the row joins a venue only when its candidates all
    // belong to one venue.
    // Per root: does the group hold a row placed by its own coordinates?
    let mut exact_in: Vec<bool> = vec![false; n];
    for (i, r) in rows.iter().enumerate() {
        if r.placement == Placement::Exact {
            let root = sets.find(i);
            exact_in[root] = true;
        }
    }
    let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, e) in evidence.iter().enumerate() {
        if !e.name.is_empty() {
            by_name.entry(e.name.as_str()).or_default().push(i);
        }
    }
    for i in 0..n {
        if rows[i].placement != Placement::TownHall || evidence[i].postal.is_empty() {
            continue;
        }
        let mut found: Vec<(usize, MergeReason, PairScore)> = Vec::new();
        for &j in &by_name[evidence[i].name.as_str()] {
            let near = rows[j]
                .position
                .distance_m(&rows[i].position)
                .is_some_and(|d| d <= TOWN_HALL_RADIUS_M);
            if j == i || evidence[j].postal != evidence[i].postal || !near {
                continue;
            }
            if let Some((reason, s)) =
                decide((&rows[i], &evidence[i]), (&rows[j], &evidence[j]), None)
            {
                found.push((j, reason, s));
            }
        }
        // Only venues with a row of their own coordinates can be told apart; other
        // town-hall rows among the candidates are the same evidence.
        let mut roots: Vec<usize> = found
            .iter()
            .map(|(j, ..)| sets.find(*j))
            .filter(|&r| exact_in[r])
            .collect();
        roots.sort_unstable();
        roots.dedup();
        if roots.len() > 1 {
            report.town_hall_ambiguous += 1;
            continue;
        }
        for (j, reason, s) in found {
            let exact = exact_in[sets.find(i)] || exact_in[sets.find(j)];
            link(&rows, &mut report, &mut sets, (i, j), reason, s);
            let root = sets.find(i);
            exact_in[root] = exact;
        }
    }

    // Networks kept apart: same pivot and name, own points farther apart than FAR_M.
    let mut by_pivot: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
    for (i, r) in rows.iter().enumerate() {
        if let Some(p) = usable_pivot(&r.record.pivot)
            && r.placement == Placement::Exact
        {
            by_pivot
                .entry((p, evidence[i].name.as_str()))
                .or_default()
                .push(i);
        }
    }
    for members in by_pivot.values() {
        for (k, &i) in members.iter().enumerate() {
            for &j in &members[k + 1..] {
                if rows[i]
                    .position
                    .distance_m(&rows[j].position)
                    .is_none_or(|d| d > FAR_M)
                {
                    report.same_pivot_and_name_apart += 1;
                }
            }
        }
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
