//! Planning answers serialised in an [`Output`] format (shared by the routes and the
//! command line).

use maillage_plan::gaps::GapResponse;
use serde::Serialize;
use serde_json::Value;

use super::Output;

/// Serialises a response in a format.
pub fn gap_body(resp: &GapResponse, output: Output) -> Result<Vec<u8>, String> {
    match output {
        Output::Json => serde_json::to_vec(resp).map_err(|e| e.to_string()),
        Output::GeoJson => resp.geojson_bytes().map_err(|e| e.to_string()),
        Output::Csv => resp.csv_bytes().map_err(|e| e.to_string()),
    }
}

/// A solved plan in `output`: the response JSON, or the GeoJSON or CSV made from the
/// resolved request and the response.
pub fn plan_body<Req, Resp: Serialize>(
    output: Output,
    resolved: &Req,
    resp: &Resp,
    geojson: fn(&Req, &Resp) -> Value,
    csv: fn(&Req, &Resp) -> Result<Vec<u8>, csv::Error>,
) -> Result<Vec<u8>, String> {
    match output {
        Output::Json => serde_json::to_vec(resp).map_err(|e| e.to_string()),
        Output::GeoJson => serde_json::to_vec(&geojson(resolved, resp)).map_err(|e| e.to_string()),
        Output::Csv => csv(resolved, resp).map_err(|e| e.to_string()),
    }
}
