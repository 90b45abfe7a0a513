//! Identifiers with meaning: INSEE commune codes, département codes, EPCI SIREN.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Why a code could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("code {kind} invalide « {found} » : attendu {expected}")]
pub struct CodeError {
    /// Which kind of code (« INSEE », « SIREN »…).
    pub kind: &'static str,
    /// The text that was read.
    pub found: String,
    /// What a valid code looks like.
    pub expected: &'static str,
}

/// The five-character INSEE code of a commune (COG), e.g. `81004` or `2A004`.
///
/// ```
/// use maillage_core::InseeCode;
/// let albi: InseeCode = "81004".parse().unwrap();
/// assert_eq!(albi.departement().as_str(), "81");
/// assert_eq!("2A004".parse::<InseeCode>().unwrap().departement().as_str(), "2A");
/// assert_eq!("97209".parse::<InseeCode>().unwrap().departement().as_str(), "972");
/// assert!("8100".parse::<InseeCode>().is_err());
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct InseeCode([u8; 5]);

impl InseeCode {
    /// The code as text.
    pub fn as_str(&self) -> &str {
        // The bytes were checked to be ASCII digits or A/B on construction.
        std::str::from_utf8(&self.0).unwrap_or("?????")
    }

    /// The département this commune belongs to (`97x` overseas, `2A`/`2B` in Corsica).
    pub fn departement(&self) -> DepartementCode {
        let s = self.as_str();
        if s.starts_with("97") || s.starts_with("98") {
            DepartementCode::new_unchecked(&s[..3])
        } else {
            DepartementCode::new_unchecked(&s[..2])
        }
    }

    /// For a municipal arrondissement of Paris (75101–75120), Lyon (69381–69389) or
    /// Marseille (13201–13216), the commune it belongs to; `None` for any other code.
    pub fn municipal_parent(&self) -> Option<InseeCode> {
        let parent = match self.as_str().parse::<u32>().ok()? {
            75101..=75120 => b"75056",
            69381..=69389 => b"69123",
            13201..=13216 => b"13055",
            _ => return None,
        };
        Some(InseeCode(*parent))
    }

    /// Whether this code names `commune` itself or one of its municipal arrondissements.
    pub fn is_within(&self, commune: &InseeCode) -> bool {
        self == commune || self.municipal_parent().as_ref() == Some(commune)
    }
}

impl FromStr for InseeCode {
    type Err = CodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let b = t.as_bytes();
        let ok = b.len() == 5
            && b[0].is_ascii_digit()
            && (b[1].is_ascii_digit() || ((b[1] == b'A' || b[1] == b'B') && b[0] == b'2'))
            && b[2..].iter().all(u8::is_ascii_digit);
        if !ok {
            return Err(CodeError {
                kind: "INSEE",
                found: s.to_string(),
                expected: "5 caractères (ex. 81004, 2A004)",
            });
        }
        let mut a = [0u8; 5];
        a.copy_from_slice(b);
        Ok(InseeCode(a))
    }
}

impl fmt::Display for InseeCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for InseeCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "InseeCode({})", self.as_str())
    }
}

impl Serialize for InseeCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for InseeCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// A département code: `01`…`95`, `2A`, `2B`, `971`…`976`, or a collectivity code (`975`, `977`, `978`, `98x`).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DepartementCode(String);

impl DepartementCode {
    fn new_unchecked(s: &str) -> Self {
        DepartementCode(s.to_string())
    }
    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for DepartementCode {
    type Err = CodeError;
    /// ```
    /// use maillage_core::DepartementCode;
    /// assert_eq!("81".parse::<DepartementCode>().unwrap().as_str(), "81");
    /// assert_eq!("2a".parse::<DepartementCode>().unwrap().as_str(), "2A");
    /// assert!("8".parse::<DepartementCode>().is_err());
    /// ```
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_ascii_uppercase();
        let b = t.as_bytes();
        let ok = match b.len() {
            2 => {
                (b[0].is_ascii_digit() && b[1].is_ascii_digit() && &t[..] != "00")
                    || &t[..] == "2A"
                    || &t[..] == "2B"
            }
            3 => (t.starts_with("97") || t.starts_with("98")) && b[2].is_ascii_digit(),
            _ => false,
        };
        if ok {
            Ok(DepartementCode(t))
        } else {
            Err(CodeError {
                kind: "département",
                found: s.to_string(),
                expected: "2 ou 3 caractères (ex. 81, 2A, 974)",
            })
        }
    }
}

impl fmt::Display for DepartementCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for DepartementCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DepartementCode({})", self.0)
    }
}

/// The nine-digit SIREN of an EPCI (intercommunalité), e.g. `248100737`.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct EpciSiren(String);

impl EpciSiren {
    /// The SIREN as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for EpciSiren {
    type Err = CodeError;
    /// ```
    /// use maillage_core::EpciSiren;
    /// assert!("248100737".parse::<EpciSiren>().is_ok());
    /// assert!("24810073".parse::<EpciSiren>().is_err());
    /// ```
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        if t.len() == 9 && t.bytes().all(|c| c.is_ascii_digit()) {
            Ok(EpciSiren(t.to_string()))
        } else {
            Err(CodeError {
                kind: "SIREN",
                found: s.to_string(),
                expected: "9 chiffres",
            })
        }
    }
}

impl fmt::Display for EpciSiren {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for EpciSiren {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EpciSiren({})", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> InseeCode {
        s.parse().unwrap()
    }

    #[test]
    fn codes_are_checked_and_name_their_departement() {
        assert_eq!(code("81004").departement().as_str(), "81");
        assert_eq!(code("2A004").departement().as_str(), "2A");
        assert_eq!(code("97411").departement().as_str(), "974");
        for bad in ["8100", "810045", "3A004", "8100x", ""] {
            assert!(bad.parse::<InseeCode>().is_err(), "{bad}");
        }
    }

    #[test]
    fn arrondissements_of_paris_lyon_and_marseille_belong_to_their_commune() {
        for (arrondissement, commune) in [
            ("75101", "75056"),
            ("75120", "75056"),
            ("69381", "69123"),
            ("69389", "69123"),
            ("13201", "13055"),
            ("13216", "13055"),
        ] {
            assert_eq!(code(arrondissement).municipal_parent(), Some(code(commune)));
            assert!(code(arrondissement).is_within(&code(commune)));
        }
        for other in [
            "75056", "75100", "75121", "69380", "69390", "13200", "13217", "2A004",
        ] {
            assert_eq!(code(other).municipal_parent(), None, "{other}");
        }
        assert!(code("81004").is_within(&code("81004")));
        assert!(!code("75101").is_within(&code("69123")));
    }
}
