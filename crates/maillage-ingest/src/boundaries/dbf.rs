//! A dBase III table (the `.dbf` of a Shapefile), decoded with a known text encoding.
//!
//! Read by hand rather than through `shapefile`/`dbase` so that a text that is not in the
//! declared encoding gives an error naming the record, the field and the byte.

use std::path::Path;

use super::{AttrValue, DbfEncoding, EncodingSource};
use crate::{IngestError, IngestResult};

/// A field descriptor.
#[derive(Debug, Clone)]
pub(crate) struct Field {
    pub name: String,
    kind: u8,
    offset: usize,
    len: usize,
}

/// The decoded table: one entry per record, `None` for records marked deleted.
#[derive(Debug)]
pub(crate) struct Table {
    pub fields: Vec<Field>,
    pub records: Vec<Option<Vec<AttrValue>>>,
    pub encoding: DbfEncoding,
}

/// How the text of the table is to be decoded.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Decoding {
    /// Declared (option, `.cpg` or language driver byte): strict.
    Declared(DbfEncoding, EncodingSource),
    /// Not declared: UTF-8 when every text is valid UTF-8, else Windows-1252.
    Detect,
    /// The language driver names a code page Maillage cannot decode: ASCII only.
    AsciiOnly(u8),
}

/// The encoding that the language driver byte (offset 29) declares, if any.
pub(crate) fn language_driver(bytes: &[u8]) -> Option<Result<DbfEncoding, u8>> {
    match bytes.get(29).copied() {
        None | Some(0) => None,
        // 0x03 and 0x57: Windows ANSI (code page 1252).
        Some(0x03) | Some(0x57) => Some(Ok(DbfEncoding::Latin1)),
        Some(other) => Some(Err(other)),
    }
}

/// Parses the whole table.
pub(crate) fn read(path: &Path, bytes: &[u8], decoding: Decoding) -> IngestResult<Table> {
    let format = |message: String| IngestError::Format {
        path: path.into(),
        message,
    };
    if bytes.len() < 32 {
        return Err(format(format!(
            "table DBF tronquée : attendu un en-tête de 32 octets au moins, trouvé {} octets",
            bytes.len()
        )));
    }
    let record_count = u32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]) as usize;
    let header_len = u16::from_le_bytes([bytes[8], bytes[9]]) as usize;
    let record_len = u16::from_le_bytes([bytes[10], bytes[11]]) as usize;

    let mut fields = Vec::new();
    let mut pos = 32;
    let mut offset = 1; // byte 0 of a record is the deletion flag
    loop {
        match bytes.get(pos) {
            Some(0x0D) => break,
            Some(_) if pos + 32 <= bytes.len() && pos + 32 <= header_len => {
                let d = &bytes[pos..pos + 32];
                let name_end = d[..11].iter().position(|&b| b == 0).unwrap_or(11);
                let name = String::from_utf8_lossy(&d[..name_end]).trim().to_string();
                let len = usize::from(d[16]);
                fields.push(Field {
                    name,
                    kind: d[11],
                    offset,
                    len,
                });
                offset += len;
                pos += 32;
            }
            _ => {
                return Err(format(format!(
                    "en-tête DBF invalide : attendu la fin des descripteurs de champs (octet 0x0D) avant l'octet {header_len}, trouvé {}",
                    if pos >= bytes.len() {
                        "la fin du fichier".to_string()
                    } else {
                        format!("l'octet {pos}")
                    }
                )));
            }
        }
    }
    if offset != record_len {
        return Err(format(format!(
            "en-tête DBF incohérent : longueur d'enregistrement annoncée {record_len} octets, somme des champs {offset} octets"
        )));
    }
    let available = bytes.len().saturating_sub(header_len) / record_len.max(1);
    if available < record_count {
        return Err(format(format!(
            "table DBF tronquée : attendu {record_count} enregistrements, trouvé {available}"
        )));
    }

    let raw_record =
        |i: usize| &bytes[header_len + i * record_len..header_len + (i + 1) * record_len];
    let (encoding, strict) = match decoding {
        Decoding::Declared(e, source) => (e, Some(source)),
        Decoding::AsciiOnly(_) => (DbfEncoding::Utf8, None),
        Decoding::Detect => {
            let all_utf8 = (0..record_count).all(|i| {
                let rec = raw_record(i);
                fields
                    .iter()
                    .filter(|f| f.kind == b'C')
                    .all(|f| decode_utf8(&rec[f.offset..f.offset + f.len]).is_ok())
            });
            let e = if all_utf8 {
                DbfEncoding::Utf8
            } else {
                DbfEncoding::Latin1
            };
            (e, None)
        }
    };

    let mut records = Vec::with_capacity(record_count);
    for i in 0..record_count {
        let rec = raw_record(i);
        if rec[0] == b'*' {
            records.push(None);
            continue;
        }
        let mut values = Vec::with_capacity(fields.len());
        for f in &fields {
            let raw = &rec[f.offset..f.offset + f.len];
            let text = match (decoding, encoding) {
                (Decoding::AsciiOnly(ldid), _) => match raw.iter().position(|b| !b.is_ascii()) {
                    None => String::from_utf8_lossy(raw).into_owned(),
                    Some(at) => {
                        return Err(field_error(
                            path,
                            i,
                            f,
                            format!(
                                "du texte ASCII : le code de langue 0x{ldid:02X} de l'en-tête désigne une page de code non prise en charge ; ajoutez un fichier .cpg (UTF-8 ou ISO-8859-1) ou indiquez l'encodage"
                            ),
                            format!(
                                "{} (octet 0x{:02X} en position {})",
                                escape_invalid(raw).trim(),
                                raw[at],
                                at + 1
                            ),
                        ));
                    }
                },
                (_, DbfEncoding::Utf8) => match decode_utf8(raw) {
                    Ok(t) => t,
                    Err(at) => {
                        let declared = match strict {
                            Some(source) => format!(" ({})", source.describe()),
                            None => String::new(),
                        };
                        return Err(field_error(
                            path,
                            i,
                            f,
                            format!(
                                "du texte UTF-8{declared} ; l'octet 0x{:02X} en position {} n'est pas de l'UTF-8 : si le fichier est en LATIN1, corrigez le .cpg ou indiquez l'encodage ISO-8859-1",
                                raw[at],
                                at + 1
                            ),
                            escape_invalid(raw).trim().to_string(),
                        ));
                    }
                },
                (_, DbfEncoding::Latin1) => latin1(raw),
            };
            values.push(value_of(f.kind, &text));
        }
        records.push(Some(values));
    }
    Ok(Table {
        fields,
        records,
        encoding,
    })
}

/// Decodes UTF-8, tolerating a character cut by the field width at its very end;
/// `Err(position)` of the first invalid byte otherwise.
fn decode_utf8(raw: &[u8]) -> Result<String, usize> {
    match std::str::from_utf8(raw) {
        Ok(s) => Ok(s.to_string()),
        Err(e) if e.error_len().is_none() => {
            Ok(String::from_utf8_lossy(&raw[..e.valid_up_to()]).into_owned())
        }
        Err(e) => Err(e.valid_up_to()),
    }
}

/// The bytes as text, invalid UTF-8 bytes written `\xNN`.
fn escape_invalid(raw: &[u8]) -> String {
    let mut out = String::new();
    for chunk in raw.utf8_chunks() {
        out.push_str(chunk.valid());
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02X}"));
        }
    }
    out
}

fn latin1(raw: &[u8]) -> String {
    encoding_rs::WINDOWS_1252
        .decode_without_bom_handling(raw)
        .0
        .into_owned()
}

fn value_of(kind: u8, text: &str) -> AttrValue {
    let t = text.trim_matches(|c: char| c == ' ' || c == '\0');
    if t.is_empty() {
        return AttrValue::Null;
    }
    match kind {
        b'N' | b'F' => match t.parse::<f64>() {
            Ok(n) => AttrValue::Number(n),
            Err(_) if t.chars().all(|c| c == '*') => AttrValue::Null, // overflow marker
            Err(_) => AttrValue::Text(t.to_string()),
        },
        _ => AttrValue::Text(t.to_string()),
    }
}

fn field_error(
    path: &Path,
    record: usize,
    field: &Field,
    expected: String,
    found: String,
) -> IngestError {
    IngestError::Field {
        path: path.into(),
        location: format!("enregistrement {}", record + 1),
        field: field.name.clone(),
        expected,
        found,
    }
}
