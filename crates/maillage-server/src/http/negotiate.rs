//! The output format of the planning endpoints: `f=`, else `Accept`.

use axum::http::HeaderMap;
use axum::http::header::ACCEPT;

use super::pairs;
use crate::{ApiError, ApiResult};

/// Output format of the planning endpoints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// The response object.
    Json,
    /// A GeoJSON FeatureCollection.
    GeoJson,
    /// CSV rows.
    Csv,
}

impl Output {
    /// The format named by `f=`, else by the `Accept` header (`application/geo+json`,
    /// `text/csv`), else JSON.
    pub fn negotiate(raw: Option<&str>, headers: &HeaderMap) -> ApiResult<Output> {
        if let Some((_, f)) = pairs(raw).into_iter().find(|(k, _)| k == "f") {
            return Output::parse(&f).ok_or_else(|| {
                ApiError::bad_request(format!(
                    "format f={f} non pris en charge ; valeurs possibles : json, geojson, csv"
                ))
            });
        }
        let accept = headers
            .get(ACCEPT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_ascii_lowercase();
        let mut best: Option<(f32, Output)> = None;
        for part in accept.split(',') {
            let mut bits = part.split(';');
            let media = bits.next().unwrap_or("").trim();
            let q = bits
                .filter_map(|b| b.trim().strip_prefix("q="))
                .find_map(|v| v.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            let output = match media {
                "application/geo+json" => Output::GeoJson,
                "text/csv" => Output::Csv,
                "application/json" => Output::Json,
                _ => continue,
            };
            if q > 0.0 && best.is_none_or(|(b, _)| q > b) {
                best = Some((q, output));
            }
        }
        Ok(best.map(|(_, o)| o).unwrap_or(Output::Json))
    }

    /// `json`, `geojson` or `csv` (exactly, as documented).
    pub fn parse(s: &str) -> Option<Output> {
        match s {
            "json" => Some(Output::Json),
            "geojson" => Some(Output::GeoJson),
            "csv" => Some(Output::Csv),
            _ => None,
        }
    }

    /// The media type.
    pub fn media_type(self) -> &'static str {
        match self {
            Output::Json => "application/json",
            Output::GeoJson => "application/geo+json",
            Output::Csv => "text/csv; charset=utf-8",
        }
    }
}
