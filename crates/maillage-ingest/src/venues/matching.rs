//! Evidence that two venue rows describe the same place: name similarity, address,
//! distance, contact, SIRET; and the scoring rule that turns it into a decision
//! (see the module docs of [`crate::venues`], "Merging duplicates").

use serde::Serialize;

use super::merge::normalized_name;

/// Rows placed by their own coordinates farther apart than this never merge.
pub const FAR_M: f64 = 150.0;
/// Points at most this far apart are "the same point" (+2).
pub const SAME_POINT_M: f64 = 10.0;
/// Points at most this far apart are "near" (+1).
pub const NEAR_M: f64 = 50.0;
/// A row placed at a town hall matches only rows of the same postal code within this
/// distance of that town hall.
pub const TOWN_HALL_RADIUS_M: f64 = 10_000.0;
/// Two rows merge when their score reaches this.
pub const MERGE_SCORE: i32 = 4;

/// Words that say nothing about which place a name designates.
const NAME_STOP: &[&str] = &[
    "a", "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les", "sur", "sous",
    "pour", "par", "un", "une",
];

/// Words shared by many unrelated venues (kind of place, network label): half weight.
const NAME_GENERIC: &[&str] = &[
    "france",
    "service",
    "services",
    "maison",
    "mairie",
    "mediatheque",
    "bibliotheque",
    "commune",
    "communes",
    "communaute",
    "cc",
    "ca",
    "agglomeration",
    "ccas",
    "cias",
    "centre",
    "social",
    "sociale",
    "socio",
    "culturel",
    "culturelle",
    "espace",
    "numerique",
    "numeriques",
    "point",
    "pij",
    "epn",
    "association",
    "asso",
    "ville",
    "quartier",
    "tiers",
    "lieu",
    "lieux",
    "pole",
    "antenne",
    "permanence",
    "relais",
    "mediation",
    "accueil",
    "siege",
    "agence",
    "msap",
    "efs",
    "fs",
    "public",
    "publique",
    "publics",
    "information",
    "emploi",
    "conseiller",
    "conseillers",
    "cyber",
    "base",
    "annexe",
    "municipale",
    "municipal",
    "intercommunale",
    "intercommunal",
    "site",
    "solidarite",
    "solidarites",
    "bureau",
    "poste",
];

/// Weight of a word of the commune's own name (shared by every venue of the town).
const COMMUNE_WEIGHT: f64 = 0.3;
const GENERIC_WEIGHT: f64 = 0.5;

/// Street-type abbreviations and their full form.
const STREET_ABBREV: &[(&str, &str)] = &[
    ("av", "avenue"),
    ("ave", "avenue"),
    ("bd", "boulevard"),
    ("bld", "boulevard"),
    ("boul", "boulevard"),
    ("pl", "place"),
    ("r", "rue"),
    ("rte", "route"),
    ("ch", "chemin"),
    ("chem", "chemin"),
    ("all", "allee"),
    ("imp", "impasse"),
    ("fg", "faubourg"),
    ("fbg", "faubourg"),
    ("sq", "square"),
    ("prom", "promenade"),
    ("crs", "cours"),
    ("st", "saint"),
    ("ste", "sainte"),
    ("gal", "general"),
    ("gen", "general"),
    ("mal", "marechal"),
    ("dr", "docteur"),
    ("pdt", "president"),
    ("cdt", "commandant"),
];

/// Words that start a street name when the address has no number.
const STREET_TYPES: &[&str] = &[
    "rue",
    "avenue",
    "boulevard",
    "place",
    "route",
    "chemin",
    "allee",
    "impasse",
    "faubourg",
    "square",
    "promenade",
    "cours",
    "quai",
    "esplanade",
    "parvis",
    "passage",
    "chaussee",
    "lotissement",
    "residence",
    "hameau",
    "sentier",
    "cite",
    "rd",
    "grande",
    "grand",
    "voie",
];

const ADDRESS_STOP: &[&str] = &[
    "a", "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les",
];

/// A normalised postal address: house number (digits + `b`/`t`/`q` for bis/ter/quater),
/// street words (abbreviations expanded, stop words dropped), postal code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    pub number: Option<String>,
    pub street: Vec<String>,
    pub postal: String,
}

/// Lower case, accents folded, non-alphanumerics (apostrophes included) as spaces; the
/// words.
fn address_words(s: &str) -> Vec<String> {
    normalized_name(s)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Street words are equal, or equal but for an elided article written without its
/// apostrophe (`LAUTAN` = `l'Autan`, `DHALATTE` = `d'Halatte`).
fn same_word(a: &str, b: &str) -> bool {
    let elided = |long: &str, short: &str| {
        long.len() == short.len() + 1
            && (long.starts_with('l') || long.starts_with('d'))
            && &long[1..] == short
    };
    a == b || elided(a, b) || elided(b, a)
}

impl Address {
    /// Parses `adresse` with its `code_postal`; `None` without a street word.
    pub fn parse(adresse: &str, code_postal: &str) -> Option<Address> {
        let postal = code_postal.trim().to_string();
        let words: Vec<String> = address_words(adresse)
            .into_iter()
            .map(|w| {
                STREET_ABBREV
                    .iter()
                    .find(|(a, _)| *a == w)
                    .map_or(w, |(_, full)| (*full).to_string())
            })
            .filter(|w| *w != postal)
            .collect();
        // A house number comes before any street word ("Rue du 11 Novembre" has none).
        let first_type = words
            .iter()
            .position(|w| STREET_TYPES.contains(&w.as_str()))
            .unwrap_or(words.len());
        let number_at = words[..first_type]
            .iter()
            .position(|w| w.starts_with(|c: char| c.is_ascii_digit()));
        let (number, rest) = match number_at {
            // A number is a house number when a street word follows it somewhere.
            Some(i)
                if words[i + 1..]
                    .iter()
                    .any(|w| !w.chars().all(|c| c.is_ascii_digit())) =>
            {
                let w = &words[i];
                let digits: String = w.chars().take_while(char::is_ascii_digit).collect();
                let mut suffix = suffix_letter(&w[digits.len()..]);
                let mut j = i + 1;
                if suffix.is_none()
                    && let Some(s) = words.get(j).and_then(|n| suffix_letter(n))
                {
                    suffix = Some(s);
                    j += 1;
                }
                // Ranges "15-17", "259/261": the first number stands for the building.
                while words
                    .get(j)
                    .is_some_and(|n| n.chars().all(|c| c.is_ascii_digit()))
                {
                    j += 1;
                }
                let mut number = digits;
                number.extend(suffix);
                (Some(number), &words[j..])
            }
            _ => {
                let start = if first_type < words.len() {
                    first_type
                } else {
                    0
                };
                (None, &words[start..])
            }
        };
        let street: Vec<String> = rest
            .iter()
            .filter(|w| !ADDRESS_STOP.contains(&w.as_str()))
            .cloned()
            .collect();
        (!street.is_empty()).then_some(Address {
            number,
            street,
            postal,
        })
    }

    /// How two addresses agree.
    pub fn compare(&self, other: &Address) -> AddressMatch {
        if self.postal.is_empty() || self.postal != other.postal {
            return AddressMatch::None;
        }
        let (short, long) = if self.street.len() <= other.street.len() {
            (&self.street, &other.street)
        } else {
            (&other.street, &self.street)
        };
        // A street type alone ("rue") names nothing; "Grand'Place", "Grande Rue" do.
        let named = short.len() > 1 || short.iter().any(|w| !STREET_TYPES.contains(&w.as_str()));
        if !named || !short.iter().all(|w| long.iter().any(|v| same_word(w, v))) {
            return AddressMatch::None;
        }
        match (&self.number, &other.number) {
            (Some(a), Some(b)) if a == b => AddressMatch::Number,
            (Some(_), Some(_)) => AddressMatch::None,
            _ => AddressMatch::Street,
        }
    }
}

fn suffix_letter(s: &str) -> Option<char> {
    match s {
        "b" | "bis" => Some('b'),
        "t" | "ter" => Some('t'),
        "q" | "quater" => Some('q'),
        _ => None,
    }
}

/// How the addresses of two rows agree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AddressMatch {
    /// Different, or unknown on one side.
    None,
    /// Same postal code and street, a number on one side only.
    Street,
    /// Same postal code, street and house number.
    Number,
}

/// The words of a name with their weights: 0 for stop words (dropped), 0.5 for generic
/// words, 0.3 for words of the commune's name, 1 otherwise.
pub fn name_words(nom: &str, commune: &str) -> Vec<(String, f64)> {
    let town = normalized_name(commune);
    let town: Vec<&str> = town.split(' ').collect();
    let mut out: Vec<(String, f64)> = Vec::new();
    for w in normalized_name(nom).split(' ') {
        if w.is_empty() || NAME_STOP.contains(&w) || out.iter().any(|(o, _)| o == w) {
            continue;
        }
        let weight = if NAME_GENERIC.contains(&w) {
            GENERIC_WEIGHT
        } else if town.contains(&w) {
            COMMUNE_WEIGHT
        } else {
            1.0
        };
        out.push((w.to_string(), weight));
    }
    out
}

/// Weighted Dice coefficient of two word lists: 2 × shared weight / total weight, in 0–1.
pub fn name_similarity(a: &[(String, f64)], b: &[(String, f64)]) -> f64 {
    let total: f64 = a.iter().chain(b).map(|(_, w)| w).sum();
    if total == 0.0 {
        return 0.0;
    }
    let shared: f64 = a
        .iter()
        .filter_map(|(w, wa)| b.iter().find(|(v, _)| v == w).map(|(_, wb)| wa.min(*wb)))
        .sum();
    2.0 * shared / total
}

/// What is compared of a row.
#[derive(Debug, Clone)]
pub struct Evidence {
    /// [`normalized_name`] of `nom`.
    pub name: String,
    pub words: Vec<(String, f64)>,
    pub address: Option<Address>,
    pub postal: String,
    pub phone: String,
    pub email: String,
    pub pivot: Option<String>,
}

impl Evidence {
    pub fn new(
        nom: &str,
        commune: &str,
        adresse: &str,
        code_postal: &str,
        telephone: &str,
        courriels: &str,
        pivot: &str,
    ) -> Evidence {
        let p = pivot.trim();
        Evidence {
            name: normalized_name(nom),
            words: name_words(nom, commune),
            address: Address::parse(adresse, code_postal),
            postal: code_postal.trim().to_string(),
            phone: telephone.trim().to_string(),
            email: courriels
                .split(['|', ';', ',', ' '])
                .find(|e| e.contains('@'))
                .unwrap_or_default()
                .trim()
                .to_lowercase(),
            pivot: (!p.is_empty() && !p.bytes().all(|b| b == b'0')).then(|| p.to_string()),
        }
    }
}

/// Why two rows were merged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MergeReason {
    /// Two rows of one source with the same name and address.
    ExactDuplicate,
    /// Same name, points within 50 m.
    SameNameNearby,
    /// Same house number, street and postal code (names may differ).
    SameAddress,
    /// Same or similar names within 150 m, backed by the point, the street or a contact.
    SimilarNameNearby,
    /// A row placed at its town hall, with the same name and postal code, an agreeing
    /// address or contact, and a score of 4; the only such candidate.
    TownHallSameName,
}

impl MergeReason {
    /// French label for the report.
    pub fn label(self) -> &'static str {
        match self {
            MergeReason::ExactDuplicate => "doublon dans une même source (même nom, même adresse)",
            MergeReason::SameNameNearby => "même nom à moins de 50 m",
            MergeReason::SameAddress => "même adresse (numéro, voie, code postal)",
            MergeReason::SimilarNameNearby => {
                "noms identiques ou proches à moins de 150 m, avec même point, même rue ou même contact"
            }
            MergeReason::TownHallSameName => {
                "lieu placé à la mairie : même nom, même code postal, même adresse ou même contact"
            }
        }
    }
}

/// The comparison of two rows and its score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairScore {
    /// Metres between the points (`None` when a row is placed at a town hall).
    pub distance_m: Option<f64>,
    /// Weighted name similarity, 0–1 (1 for identical normalised names).
    pub name: f64,
    /// How the addresses agree.
    pub address: AddressMatch,
    /// Same phone or e-mail.
    pub contact: bool,
    /// Same SIRET/RNA (`pivot`).
    pub pivot: bool,
    /// The sum of the points.
    pub score: i32,
}

/// Scores two rows of different sources. `distance_m` is `None` when a row is placed
/// at its town hall: then the distance earns nothing, and the name must be the same.
pub fn score(a: &Evidence, b: &Evidence, distance_m: Option<f64>) -> PairScore {
    let same_name = !a.name.is_empty() && a.name == b.name;
    let name = if same_name {
        1.0
    } else {
        name_similarity(&a.words, &b.words)
    };
    let address = match (&a.address, &b.address) {
        (Some(x), Some(y)) => x.compare(y),
        _ => AddressMatch::None,
    };
    let contact =
        (!a.phone.is_empty() && a.phone == b.phone) || (!a.email.is_empty() && a.email == b.email);
    let pivot = a.pivot.is_some() && a.pivot == b.pivot;
    let name_points = if same_name {
        3
    } else if name >= 0.6 {
        2
    } else if name >= 0.25 {
        1
    } else if name > 0.0 {
        0
    } else {
        -1
    };
    let address_points = match address {
        AddressMatch::Number => 2,
        AddressMatch::Street => 1,
        AddressMatch::None => 0,
    };
    let distance_points = match distance_m {
        Some(d) if d <= SAME_POINT_M => 2,
        Some(d) if d <= NEAR_M => 1,
        _ => 0,
    };
    let score =
        name_points + address_points + distance_points + i32::from(contact) + i32::from(pivot);
    PairScore {
        distance_m,
        name,
        address,
        contact,
        pivot,
        score,
    }
}

impl PairScore {
    /// The reason two rows of different sources merge, if they do.
    pub fn reason(&self) -> Option<MergeReason> {
        if self.score < MERGE_SCORE {
            return None;
        }
        Some(match self.distance_m {
            // A SIRET names an organisation, not a site: a town-hall row needs its
            // address or contact to agree.
            None if self.name >= 1.0 && (self.address != AddressMatch::None || self.contact) => {
                MergeReason::TownHallSameName
            }
            None => return None,
            Some(d) if self.name >= 1.0 && d <= NEAR_M => MergeReason::SameNameNearby,
            Some(_) if self.address == AddressMatch::Number => MergeReason::SameAddress,
            Some(_) => MergeReason::SimilarNameNearby,
        })
    }
}

/// Two rows of one source are the same venue only when they are exact duplicates:
/// same normalised name and the same address (street and postal code, house numbers
/// not in conflict).
pub fn exact_duplicate(a: &Evidence, b: &Evidence) -> bool {
    !a.name.is_empty()
        && a.name == b.name
        && match (&a.address, &b.address) {
            (Some(x), Some(y)) => x.compare(y) != AddressMatch::None,
            _ => false,
        }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(nom: &str, commune: &str, adresse: &str, cp: &str) -> Evidence {
        Evidence::new(nom, commune, adresse, cp, "", "", "")
    }

    #[test]
    fn addresses_are_normalised() {
        let a = Address::parse("33 PROMENADE DE L'AUTAN", "81170").unwrap();
        assert_eq!(a.number.as_deref(), Some("33"));
        assert_eq!(a.street, ["promenade", "autan"]);
        let b = Address::parse(
            "33 PROMENADE DE LAUTAN MAISON DE LA COMMUNICATION 81170 LES CABANNES",
            "81170",
        )
        .unwrap();
        assert_eq!(b.street[..2], ["promenade", "lautan"]);
        // "l'Autan" and "LAUTAN" differ only by the apostrophe.
        assert_eq!(a.compare(&b), AddressMatch::Number);
        let d = Address::parse("1 RUE D HALATTE", "60700").unwrap();
        let e = Address::parse("1 rue dHalatte", "60700").unwrap();
        assert_eq!(d.compare(&e), AddressMatch::Number);
        let swapped = Address::parse("10 Grande Rue", "39190").unwrap();
        let swapped2 = Address::parse("10 RUE GRANDE", "39190").unwrap();
        assert_eq!(swapped.compare(&swapped2), AddressMatch::Number);
        let bis = Address::parse("6bis place du Prieuré", "59000").unwrap();
        let bis2 = Address::parse("6 bis place du prieuré", "59000").unwrap();
        assert_eq!(bis.number.as_deref(), Some("6b"));
        assert_eq!(bis.compare(&bis2), AddressMatch::Number);
        let range = Address::parse("15-17 rue Emile Zola", "59620").unwrap();
        assert_eq!(range.number.as_deref(), Some("15"));
        assert_eq!(range.street, ["rue", "emile", "zola"]);
        let abbrev = Address::parse("9 AV LEO LAGRANGE", "19100").unwrap();
        let full = Address::parse("9 avenue Léo Lagrange", "19100").unwrap();
        assert_eq!(abbrev.compare(&full), AddressMatch::Number);
    }

    #[test]
    fn address_comparison_needs_the_postal_code_and_agreeing_numbers() {
        let a = Address::parse("5 place de l'Orme", "62280").unwrap();
        let b = Address::parse("1 Place de l'Orme", "62280").unwrap();
        let c = Address::parse("Place de l'Orme", "62280").unwrap();
        let d = Address::parse("5 place de l'Orme", "62200").unwrap();
        assert_eq!(a.compare(&b), AddressMatch::None);
        assert_eq!(a.compare(&c), AddressMatch::Street);
        assert_eq!(a.compare(&d), AddressMatch::None);
        // A street type alone says nothing.
        let rue = Address::parse("12 rue", "62280").unwrap();
        let other = Address::parse("12 rue de Paris", "62280").unwrap();
        assert_eq!(rue.compare(&other), AddressMatch::None);
        assert!(Address::parse("", "62280").is_none());
    }

    #[test]
    fn generic_and_commune_words_weigh_less_in_the_name_score() {
        let mairie = name_words("Mairie de Montoire", "Montoire");
        assert_eq!(
            mairie,
            [("mairie".to_string(), 0.5), ("montoire".to_string(), 0.3)]
        );
        let fs = name_words("France services de Montoire", "Montoire");
        let s = name_similarity(&mairie, &fs);
        assert!((s - 0.6 / 2.1).abs() < 1e-9, "{s}");
        let a = name_words("Médiathèque de Laventie", "Laventie");
        let b = name_words("Mairie de Laventie", "Laventie");
        assert!(name_similarity(&a, &b) < 0.4);
        let same = name_words("Espace Camaïeux", "Rochefort");
        assert!((name_similarity(&same, &same) - 1.0).abs() < 1e-9);
        assert_eq!(name_similarity(&[], &[]), 0.0);
    }

    #[test]
    fn same_name_within_50_m_merges_and_not_at_60_m_without_more() {
        let a = ev("Tiers-lieu La Fabrique", "Albi", "", "81000");
        let b = ev("TIERS LIEU LA FABRIQUE", "Albi", "", "81000");
        let near = score(&a, &b, Some(40.0));
        assert_eq!(near.score, 4);
        assert_eq!(near.reason(), Some(MergeReason::SameNameNearby));
        assert_eq!(score(&a, &b, Some(60.0)).reason(), None);
    }

    #[test]
    fn same_building_under_two_names_merges_on_address_and_point() {
        // The Cordais pair of the Tarn (issue 9), hand-copied fields.
        let cc = Evidence::new(
            "COMMUNAUTE DE COMMUNES DU CORDAIS ET DU CAUSSE 4C",
            "LES CABANNES",
            "33 PROMENADE DE L'AUTAN",
            "81170",
            "+33563561198",
            "franceserviceslescabannes@gmail.com",
            "20003406400010",
        );
        let fs = Evidence::new(
            "France services l'Escale de la 4C",
            "Les Cabannes",
            "33 promenade de l'Autan",
            "81170",
            "+33563561198",
            "franceserviceslescabannes@gmail.com",
            "",
        );
        let s = score(&cc, &fs, Some(0.0));
        assert_eq!(s.address, AddressMatch::Number);
        assert!(s.contact && !s.pivot);
        assert!(s.name > 0.25 && s.name < 0.6, "{}", s.name);
        assert_eq!(s.score, 1 + 2 + 2 + 1);
        assert_eq!(s.reason(), Some(MergeReason::SameAddress));
    }

    #[test]
    fn unrelated_names_at_one_address_do_not_merge_without_contact() {
        let a = ev("Yes We Fab", "Armentières", "57 rue Paul Bert", "59280");
        let b = ev(
            "CCAS Armentières",
            "Armentières",
            "57 Rue Paul Bert",
            "59280",
        );
        let s = score(&a, &b, Some(37.0));
        assert_eq!((s.address, s.score), (AddressMatch::Number, -1 + 2 + 1));
        assert_eq!(s.reason(), None);
    }

    #[test]
    fn similar_names_at_the_same_point() {
        let a = ev(
            "France services Point Info 14 de Aunay",
            "Aunay",
            "",
            "14260",
        );
        let b = ev("POINT INFO 14 AUNAY", "Aunay", "", "14260");
        let s = score(&a, &b, Some(3.0));
        assert!(s.name >= 0.6, "{}", s.name);
        assert_eq!(s.reason(), Some(MergeReason::SimilarNameNearby));
    }

    #[test]
    fn a_town_hall_placement_needs_the_same_name_and_another_agreement() {
        let a = ev(
            "France Services MORTEAU",
            "Morteau",
            "2 PL DE L HOTEL DE VILLE",
            "25500",
        );
        let b = ev(
            "France services Morteau",
            "Morteau",
            "Place de l'Hotel de Ville",
            "25500",
        );
        let s = score(&a, &b, None);
        assert_eq!((s.address, s.score), (AddressMatch::Street, 4));
        assert_eq!(s.reason(), Some(MergeReason::TownHallSameName));
        let c = ev("France services Morteau", "Morteau", "", "25500");
        assert_eq!(score(&a, &c, None).reason(), None);
        // Same name and SIRET, other address: another site of a network.
        let site1 = Evidence::new(
            "L'ETAPE",
            "La Brède",
            "1 PL SAINT ANTOINE",
            "33650",
            "",
            "",
            "84108758800015",
        );
        let site2 = Evidence::new(
            "l'Etape",
            "Saint-Selve",
            "17 Grand Rue",
            "33650",
            "",
            "",
            "84108758800015",
        );
        let s = score(&site1, &site2, None);
        assert_eq!(s.score, 4);
        assert_eq!(s.reason(), None);
        // Similar but not equal names never merge through a town-hall placement.
        let d = Evidence::new(
            "Morteau services",
            "Morteau",
            "2 place de l'Hôtel de Ville",
            "25500",
            "+33381685696",
            "",
            "",
        );
        let e = Evidence::new(
            "Services de Morteau centre",
            "Morteau",
            "2 place de l'Hôtel de Ville",
            "25500",
            "+33381685696",
            "",
            "",
        );
        let s = score(&d, &e, None);
        assert!(s.score >= MERGE_SCORE && s.name < 1.0);
        assert_eq!(s.reason(), None);
    }

    #[test]
    fn exact_duplicates_of_one_source() {
        let a = ev("CCAS de Cassel", "Cassel", "20 GRAND'PLACE", "59670");
        let b = ev("CCAS de Cassel", "Cassel", "20 Grand'Place", "59670");
        assert!(exact_duplicate(&a, &b));
        let c = ev(
            "Centre social les 7 lieux",
            "Hauteville",
            "rue de la république",
            "01110",
        );
        let d = ev(
            "centre social les 7 lieux",
            "Hauteville",
            "place du docteur le tacon",
            "01110",
        );
        assert!(!exact_duplicate(&c, &d));
        let e = ev("CCAS de Cassel", "Cassel", "", "59670");
        assert!(!exact_duplicate(&a, &e));
    }
}
