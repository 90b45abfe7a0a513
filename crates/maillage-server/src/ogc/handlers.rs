//! Handlers of the OGC API – Features endpoints.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, Request, State};
use axum::http::header::{CONTENT_TYPE, ETAG, IF_NONE_MATCH};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use serde_json::{Value as Json, json};
use tower::ServiceExt;
use tower_http::services::ServeFile;

use super::crs::{Crs, Projector};
use super::geojson::{CoordWriter, push_str, write_geometry, write_properties};
use super::html::{esc, link_item, page};
use super::layer::{Cached, Layer, Ogc, ogc};
use super::links::{base_url, link, query_string, segment, with_query};
use super::openapi;
use super::provider::{Collection, FieldType, Filter};
use super::query::{Format, ItemsQuery, items_query, negotiate, pairs};
use super::select::select;
use crate::export::{ExportJob, respond};
use crate::{ApiError, ApiResult, AppState};

const JSON: &str = "application/json";
const GEOJSON: &str = "application/geo+json";
const HTML: &str = "text/html";
const OPENAPI: &str = "application/vnd.oai.openapi+json;version=3.0";
const SCHEMA: &str = "application/schema+json";

/// Formats of the metadata endpoints.
const META_FORMATS: [(&str, Format); 2] = [("json", Format::Json), ("html", Format::Html)];

/// Conformance classes implemented.
pub const CONFORMANCE: [&str; 5] = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
];

fn f_param(raw: &Option<String>) -> Option<String> {
    pairs(raw.as_deref())
        .into_iter()
        .find(|(k, _)| k == "f")
        .map(|(_, v)| v)
}

/// Weak ETag of a response: data fingerprint + what was asked.
fn etag(ogc: &Ogc, key: &str) -> String {
    let mut h = DefaultHasher::new();
    key.hash(&mut h);
    format!("W/\"{}-{:016x}\"", ogc.fingerprint, h.finish())
}

/// `304 Not Modified` when the client already has this version.
fn not_modified(headers: &HeaderMap, tag: &str) -> Option<Response> {
    let inm = headers.get(IF_NONE_MATCH)?.to_str().ok()?;
    let strip = |t: &str| t.trim().trim_start_matches("W/").to_string();
    let want = strip(tag);
    let hit = inm.split(',').any(|t| t.trim() == "*" || strip(t) == want);
    if !hit {
        return None;
    }
    let mut res = StatusCode::NOT_MODIFIED.into_response();
    if let Ok(v) = HeaderValue::from_str(tag) {
        res.headers_mut().insert(ETAG, v);
    }
    Some(res)
}

fn with_etag(mut res: Response, tag: &str) -> Response {
    if let Ok(v) = HeaderValue::from_str(tag) {
        res.headers_mut().insert(ETAG, v);
    }
    res
}

fn body(media: &'static str, bytes: impl Into<Body>) -> Response {
    let mut res = (StatusCode::OK, bytes.into()).into_response();
    res.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(media));
    res
}

fn json_response(media: &'static str, v: &Json) -> Response {
    body(media, serde_json::to_vec(v).unwrap_or_default())
}

fn html_response(html: String) -> Response {
    body("text/html; charset=utf-8", html)
}

/// Runs a metadata handler behind an ETag check.
fn cached(
    ogc: &Ogc,
    headers: &HeaderMap,
    key: &str,
    make: impl FnOnce() -> ApiResult<Response>,
) -> ApiResult<Response> {
    let tag = etag(ogc, key);
    if let Some(r) = not_modified(headers, &tag) {
        return Ok(r);
    }
    Ok(with_etag(make()?, &tag))
}

/// The path parameters (collection id, feature id), a 400 when unreadable.
fn path_params<T>(path: Result<Path<T>, PathRejection>) -> ApiResult<T> {
    path.map(|Path(params)| params)
        .map_err(|e| ApiError::bad_request(format!("chemin illisible : {e}")))
}

fn find_layer<'a>(ogc: &'a Ogc, id: &str) -> ApiResult<(usize, &'a Layer)> {
    ogc.layers
        .iter()
        .enumerate()
        .map(|(i, l)| (i, &**l))
        .find(|(_, l)| l.provider.id() == id)
        .ok_or_else(|| {
            ApiError::not_found(format!(
                "collection inconnue « {id} » ; collections : {}",
                ogc.layers
                    .iter()
                    .map(|l| l.provider.id())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })
}

// ---------------------------------------------------------------------------
// Landing page and conformance

fn landing_json(base: &str, self_href: &str) -> Json {
    json!({
        "title": "Maillage — lieux de médiation numérique",
        "description": "Couches SIG de Maillage (lieux de médiation numérique, communes, mairies, EPCI, départements) en OGC API – Features.",
        "links": [
            link(self_href, "self", JSON, "Cette page"),
            link(format!("{base}/ogc?f=html"), "alternate", HTML, "Cette page en HTML"),
            link(format!("{base}/api"), "service-desc", OPENAPI, "Définition de l'API (OpenAPI 3.0)"),
            link(format!("{base}/api?f=html"), "service-doc", HTML, "Documentation de l'API"),
            link(format!("{base}/conformance"), "conformance", JSON, "Classes de conformité"),
            link(format!("{base}/conformance"), "http://www.opengis.net/def/rel/ogc/1.0/conformance", JSON, "Classes de conformité"),
            link(format!("{base}/collections"), "data", JSON, "Collections"),
            link(format!("{base}/collections"), "http://www.opengis.net/def/rel/ogc/1.0/data", JSON, "Collections"),
        ]
    })
}

fn landing_html(ogc: &Ogc, base: &str) -> String {
    let mut b = String::from(
        "<p>Couches SIG de Maillage en <strong>OGC API – Features</strong> : dans QGIS, ajoutez une connexion « WFS / OGC API – Features » avec l'adresse ci-dessous ; avec GDAL : <code>ogrinfo OAPIF:",
    );
    b.push_str(&esc(base));
    b.push_str("</code>.</p><ul>");
    b.push_str(&link_item(
        &format!("{base}/collections?f=html"),
        "Collections",
    ));
    b.push_str(&link_item(
        &format!("{base}/conformance?f=html"),
        "Conformité",
    ));
    b.push_str(&link_item(
        &format!("{base}/api?f=html"),
        "Documentation de l'API",
    ));
    b.push_str(&link_item(
        &format!("{base}/api"),
        "Définition OpenAPI 3.0 (JSON)",
    ));
    b.push_str(&link_item(
        &format!("{base}/ogc?f=json"),
        "Cette page en JSON",
    ));
    b.push_str("</ul><h2>Collections</h2><ul>");
    for l in &ogc.layers {
        b.push_str(&link_item(
            &format!("{base}/collections/{}?f=html", l.provider.id()),
            l.provider.title(),
        ));
    }
    b.push_str("</ul>");
    page(
        "API OGC de Maillage",
        &[("Accueil", format!("{base}/ogc?f=html"))],
        &b,
    )
}

/// Whether the client prefers JSON to HTML (GDAL and QGIS send `Accept: application/json`).
fn prefers_json(headers: &HeaderMap) -> bool {
    let accept = headers
        .get(axum::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let weight = |media: &str| {
        accept
            .split(',')
            .filter_map(|part| {
                let mut bits = part.split(';');
                let m = bits.next()?.trim().to_ascii_lowercase();
                (m == media).then(|| {
                    bits.filter_map(|b| b.trim().strip_prefix("q="))
                        .find_map(|v| v.trim().parse::<f32>().ok())
                        .unwrap_or(1.0)
                })
            })
            .fold(0.0f32, f32::max)
    };
    let json = weight("application/json")
        .max(weight("application/geo+json"))
        .max(weight("application/vnd.oai.openapi+json"));
    json > 0.0 && json >= weight("text/html")
}

/// `GET /`: the landing page in JSON for API clients (`?f=json` or `Accept:
/// application/json`), `?f=html` for its HTML view; otherwise the web map.
pub async fn root(State(s): State<AppState>, RawQuery(raw): RawQuery, req: Request) -> Response {
    let headers = req.headers().clone();
    let f = f_param(&raw);
    let ogc = ogc(&s);
    let base = base_url(&headers);
    let format = match f.as_deref() {
        Some(_) => match negotiate(f.as_deref(), &headers, &META_FORMATS) {
            Ok(fmt) => Some(fmt),
            Err(e) => return e.into_response(),
        },
        None if prefers_json(&headers) => Some(Format::Json),
        None => None,
    };
    match format {
        Some(Format::Json) => {
            let self_href = with_query(&format!("{base}/"), raw.as_deref().unwrap_or(""));
            json_response(JSON, &landing_json(&base, &self_href))
        }
        Some(_) => html_response(landing_html(&ogc, &base)),
        None => match &s.web_dir {
            Some(dir) => match ServeFile::new(dir.join("index.html")).oneshot(req).await {
                Ok(res) => res.map(Body::new),
                Err(e) => ApiError::internal(e).into_response(),
            },
            None => html_response(landing_html(&ogc, &base)),
        },
    }
}

/// `GET /ogc`: the landing page (JSON or HTML).
pub async fn landing(
    State(s): State<AppState>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let ogc = ogc(&s);
    metadata(
        &ogc,
        &raw,
        &headers,
        "landing",
        |base| landing_html(&ogc, base),
        |base| {
            let self_href = with_query(&format!("{base}/ogc"), raw.as_deref().unwrap_or(""));
            landing_json(base, &self_href)
        },
    )
}

/// `GET /conformance`.
pub async fn conformance(
    State(s): State<AppState>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let ogc = ogc(&s);
    let format = negotiate(f_param(&raw).as_deref(), &headers, &META_FORMATS)?;
    let base = base_url(&headers);
    Ok(match format {
        Format::Html => {
            let mut b = String::from("<ul>");
            for c in CONFORMANCE {
                b.push_str(&format!("<li><code>{}</code></li>", esc(c)));
            }
            b.push_str("</ul>");
            html_response(page(
                "Classes de conformité",
                &[
                    ("Accueil", format!("{base}/ogc?f=html")),
                    ("Conformité", format!("{base}/conformance?f=html")),
                ],
                &b,
            ))
        }
        _ => json_response(JSON, &json!({ "conformsTo": CONFORMANCE })),
    })
    .map(|r| with_etag(r, &etag(&ogc, &format!("conformance {format:?}"))))
}

// ---------------------------------------------------------------------------
// Collections

fn collection_json(ogc: &Ogc, layer: &Layer, base: &str) -> Json {
    let p = &*layer.provider;
    let id = p.id();
    let url = format!("{base}/collections/{id}");
    let mut extent = json!({
        "spatial": {
            "bbox": [layer.extent().map(|b| b.to_vec()).unwrap_or_else(|| vec![-180.0, -90.0, 180.0, 90.0])],
            "crs": Crs::Crs84.uri(),
        }
    });
    if let Some([lo, hi]) = layer.temporal_extent() {
        extent["temporal"] = json!({
            "interval": [[format!("{lo}T00:00:00Z"), format!("{hi}T23:59:59Z")]],
            "trs": "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian",
        });
    }
    let provenance: Vec<Json> = p
        .layers()
        .iter()
        .filter_map(|l| ogc.catalog.layer(l))
        .map(|l| serde_json::to_value(l).unwrap_or(Json::Null))
        .collect();
    let limits = p.limits();
    json!({
        "id": id,
        "title": p.title(),
        "description": p.description(),
        "itemType": "feature",
        "extent": extent,
        "crs": Crs::all().iter().map(|c| c.uri()).collect::<Vec<_>>(),
        "storageCrs": Crs::Crs84.uri(),
        "geometryType": p.geometry_type().name(),
        "numberOfFeatures": p.len(),
        "limits": { "default": limits.default, "max": limits.max },
        "filters": p.fields().iter().filter(|f| f.filter != Filter::No).map(|f| f.name).collect::<Vec<_>>(),
        "layers": provenance,
        "links": [
            link(url.clone(), "self", JSON, "Cette collection"),
            link(format!("{url}?f=html"), "alternate", HTML, "Cette collection en HTML"),
            link(format!("{url}/items"), "items", GEOJSON, "Objets (GeoJSON)"),
            link(format!("{url}/items?f=html"), "items", HTML, "Objets (HTML)"),
            link(format!("{url}/schema"), "describedby", SCHEMA, "Schéma des objets"),
            link(format!("{url}/queryables"), "http://www.opengis.net/def/rel/ogc/1.0/queryables", SCHEMA, "Propriétés filtrables"),
            link(format!("{url}/items?f=geojson"), "enclosure", GEOJSON, "Tout télécharger en GeoJSON"),
            link(format!("{url}/items?f=csv"), "enclosure", "text/csv", "Tout télécharger en CSV"),
            link(format!("{url}/items?f=shp"), "enclosure", "application/zip", "Tout télécharger en Shapefile (zip)"),
            link(format!("{url}/items?f=gpkg"), "enclosure", "application/geopackage+sqlite3", "Tout télécharger en GeoPackage"),
        ]
    })
}

fn collection_html(ogc: &Ogc, layer: &Layer, base: &str) -> String {
    let p = &*layer.provider;
    let id = p.id();
    let url = format!("{base}/collections/{id}");
    let mut b = format!(
        "<p>{}</p><p>{} objets, géométrie {} ; limite par page {} (maximum {}).</p><ul>",
        esc(p.description()),
        p.len(),
        p.geometry_type().name(),
        p.limits().default,
        p.limits().max
    );
    b.push_str(&link_item(
        &format!("{url}/items?f=html"),
        "Parcourir les objets",
    ));
    b.push_str(&link_item(
        &format!("{url}?f=json"),
        "Cette collection en JSON",
    ));
    b.push_str("</ul><h2>Télécharger</h2><ul>");
    for (f, label) in [
        ("geojson", "GeoJSON"),
        ("csv", "CSV (UTF-8, colonne wkt)"),
        ("shp", "Shapefile (zip)"),
        ("gpkg", "GeoPackage"),
    ] {
        b.push_str(&link_item(
            &format!("{url}/items?f={f}"),
            &format!("{label}, WGS 84"),
        ));
        b.push_str(&link_item(
            &format!("{url}/items?f={f}&crs=EPSG:2154"),
            &format!("{label}, Lambert-93 (EPSG:2154)"),
        ));
    }
    b.push_str("</ul><h2>Provenance</h2><ul>");
    for l in p.layers().iter().filter_map(|l| ogc.catalog.layer(l)) {
        b.push_str(&format!(
            "<li><strong>{}</strong> : {} — licence : {} — date : {}</li>",
            esc(&l.title),
            esc(&l.source),
            esc(&l.licence),
            esc(&l.date)
        ));
    }
    b.push_str("</ul><h2>Propriétés</h2><table><thead><tr><th>Nom</th><th>Nom DBF (Shapefile)</th><th>Type</th><th>Filtre</th><th>Description</th></tr></thead><tbody>");
    for f in p.fields() {
        let kind = match f.kind {
            FieldType::Text => "texte",
            FieldType::Integer => "entier",
            FieldType::Real => "nombre",
            FieldType::Date => "date",
            FieldType::Boolean => "booléen",
        };
        let filter = match f.filter {
            Filter::No => String::new(),
            _ => format!("<code>{}=…</code>", esc(f.name)),
        };
        b.push_str(&format!(
            "<tr><td><code>{}</code></td><td><code>{}</code></td><td>{kind}</td><td>{filter}</td><td>{}</td></tr>",
            esc(f.name),
            esc(f.dbf),
            esc(f.title)
        ));
    }
    b.push_str("</tbody></table>");
    page(
        p.title(),
        &[
            ("Accueil", format!("{base}/ogc?f=html")),
            ("Collections", format!("{base}/collections?f=html")),
            (p.title(), format!("{url}?f=html")),
        ],
        &b,
    )
}

/// `GET /collections`.
pub async fn collections(
    State(s): State<AppState>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let ogc = ogc(&s);
    metadata(
        &ogc,
        &raw,
        &headers,
        "collections",
        |base| collections_html(&ogc, base),
        |base| collections_json(&ogc, base),
    )
}

/// The list of collections as an HTML page.
fn collections_html(ogc: &Ogc, base: &str) -> String {
    let mut b = String::from(
        "<table><thead><tr><th>Collection</th><th>Objets</th><th>Description</th></tr></thead><tbody>",
    );
    for l in &ogc.layers {
        let p = &*l.provider;
        b.push_str(&format!(
            "<tr><td><a href=\"{}\">{}</a></td><td>{}</td><td>{}</td></tr>",
            esc(&format!("{base}/collections/{}?f=html", p.id())),
            esc(p.title()),
            p.len(),
            esc(p.description())
        ));
    }
    b.push_str("</tbody></table>");
    page(
        "Collections",
        &[
            ("Accueil", format!("{base}/ogc?f=html")),
            ("Collections", format!("{base}/collections?f=html")),
        ],
        &b,
    )
}

/// The list of collections in JSON.
fn collections_json(ogc: &Ogc, base: &str) -> Json {
    json!({
        "links": [
            link(format!("{base}/collections"), "self", JSON, "Collections"),
            link(format!("{base}/collections?f=html"), "alternate", HTML, "Collections en HTML"),
        ],
        "crs": Crs::all().iter().map(|c| c.uri()).collect::<Vec<_>>(),
        "collections": ogc.layers.iter().map(|l| collection_json(ogc, l, base)).collect::<Vec<_>>(),
    })
}

/// `GET /collections/{collectionId}`.
pub async fn collection(
    State(s): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let ogc = ogc(&s);
    let id = path_params(path)?;
    let (_, layer) = find_layer(&ogc, &id)?;
    metadata(
        &ogc,
        &raw,
        &headers,
        &format!("collection {id}"),
        |base| collection_html(&ogc, layer, base),
        |base| collection_json(&ogc, layer, base),
    )
}

/// A metadata document in the format asked (`f`, else `Accept`), behind an ETag keyed by
/// `key`, the format and the base URL; `html` and `json` build it from the base URL.
fn metadata(
    ogc: &Ogc,
    raw: &Option<String>,
    headers: &HeaderMap,
    key: &str,
    html: impl FnOnce(&str) -> String,
    json: impl FnOnce(&str) -> Json,
) -> ApiResult<Response> {
    let format = negotiate(f_param(raw).as_deref(), headers, &META_FORMATS)?;
    let base = base_url(headers);
    cached(ogc, headers, &format!("{key} {format:?} {base}"), || {
        Ok(match format {
            Format::Html => html_response(html(&base)),
            _ => json_response(JSON, &json(&base)),
        })
    })
}

/// `GET /collections/{collectionId}/schema`: JSON Schema of one feature (GeoJSON), whose
/// property types GDAL uses for its fields.
pub async fn schema(
    State(s): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    json_schema(&s, path, &headers, "schema", |p| {
        let props: serde_json::Map<String, Json> = p
            .fields()
            .iter()
            .map(|f| {
                let mut v = json!({ "title": f.title, "type": f.kind.json_type() });
                if f.kind == FieldType::Date {
                    v["format"] = json!("date");
                }
                (f.name.to_string(), v)
            })
            .collect();
        json!({
            "required": ["type", "geometry", "properties"],
            "properties": {
                "type": { "type": "string", "enum": ["Feature"] },
                "id": { "type": "string" },
                "geometry": { "format": format!("geometry-{}", p.geometry_type().name().to_ascii_lowercase()), "x-ogc-role": "primary-geometry" },
                "properties": { "type": "object", "properties": props },
            }
        })
    })
}

/// `GET /collections/{collectionId}/queryables`: the properties usable as filters.
pub async fn queryables(
    State(s): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    json_schema(&s, path, &headers, "queryables", |p| {
        let props: serde_json::Map<String, Json> = p
            .fields()
            .iter()
            .filter(|f| f.filter != Filter::No)
            .map(|f| {
                (
                    f.name.to_string(),
                    json!({ "title": f.title, "type": "string" }),
                )
            })
            .collect();
        json!({
            "properties": props,
            "additionalProperties": false,
        })
    })
}

/// A JSON Schema about one collection, served at `/collections/{id}/{name}` behind an
/// ETag: `$schema`, `$id`, `title` and `type`, then the members `rest` gives.
fn json_schema(
    s: &AppState,
    path: Result<Path<String>, PathRejection>,
    headers: &HeaderMap,
    name: &str,
    rest: impl FnOnce(&dyn Collection) -> Json,
) -> ApiResult<Response> {
    let ogc = ogc(s);
    let id = path_params(path)?;
    let (_, layer) = find_layer(&ogc, &id)?;
    let base = base_url(headers);
    let p = &*layer.provider;
    let mut doc = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": format!("{base}/collections/{id}/{name}"),
        "title": p.title(),
        "type": "object",
    });
    if let (Some(doc), Json::Object(rest)) = (doc.as_object_mut(), rest(p)) {
        doc.extend(rest);
    }
    cached(&ogc, headers, &format!("{name} {id} {base}"), || {
        Ok(json_response(SCHEMA, &doc))
    })
}

// ---------------------------------------------------------------------------
// Items

fn content_crs(res: &mut Response, crs: Crs) {
    if let Ok(v) = HeaderValue::from_str(&format!("<{}>", crs.uri())) {
        res.headers_mut().insert("content-crs", v);
    }
}

fn page_links(
    base: &str,
    id: &str,
    q: &ItemsQuery,
    raw: &str,
    had_f: bool,
    matched: usize,
    returned: usize,
) -> Vec<(String, &'static str, &'static str, &'static str)> {
    let items = format!("{base}/collections/{id}/items");
    let kept: Vec<(&str, &str)> = q
        .kept
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let f_pair: Vec<(&str, &str)> = if had_f {
        vec![("f", q.format.name())]
    } else {
        Vec::new()
    };
    let at = |offset: usize, f: &[(&str, &str)]| {
        let off = offset.to_string();
        let mut pairs: Vec<(&str, &str)> = f.to_vec();
        pairs.extend(kept.iter().copied());
        if offset > 0 {
            pairs.push(("offset", &off));
        }
        with_query(&items, &query_string(pairs))
    };
    let limit = q.limit.unwrap_or(matched.max(1));
    let media = if q.format == Format::Html {
        HTML
    } else {
        GEOJSON
    };
    let mut links = vec![(with_query(&items, raw), "self", media, "Cette page")];
    if q.format == Format::Html {
        links.push((
            at(q.offset, &[("f", "json")]),
            "alternate",
            GEOJSON,
            "Cette page en GeoJSON",
        ));
    } else {
        links.push((
            at(q.offset, &[("f", "html")]),
            "alternate",
            HTML,
            "Cette page en HTML",
        ));
    }
    if q.offset + returned < matched {
        links.push((
            at(q.offset + limit, &f_pair),
            "next",
            media,
            "Page suivante",
        ));
    }
    if q.offset > 0 {
        links.push((
            at(q.offset.saturating_sub(limit), &f_pair),
            "prev",
            media,
            "Page précédente",
        ));
    }
    links.push((
        format!("{base}/collections/{id}"),
        "collection",
        JSON,
        "La collection",
    ));
    links
}

fn write_feature(
    out: &mut Vec<u8>,
    layer: &Layer,
    i: usize,
    q: &ItemsQuery,
    coords: &CoordWriter<'_>,
) {
    let p = &*layer.provider;
    out.extend_from_slice(b"{\"type\":\"Feature\",\"id\":");
    push_str(out, &p.feature_id(i));
    out.extend_from_slice(b",\"geometry\":");
    let shape = layer.shape(i, q.zoom);
    write_geometry(out, coords, &shape.geometry());
    out.extend_from_slice(b",\"properties\":");
    match &q.properties {
        None => out.extend_from_slice(layer.properties_json(i).as_bytes()),
        Some(keys) => write_properties(out, p.fields(), &p.row(i), Some(keys)),
    }
}

fn coord_writer<'a>(ogc: &'a Ogc, q: &ItemsQuery) -> CoordWriter<'a> {
    let mut w = CoordWriter::new(Projector::new(q.crs, &*ogc.reproject), true);
    if let (Some(z), true) = (q.zoom, q.crs.is_geographic()) {
        w.decimals = super::layer::decimals(z);
    }
    w
}

fn items_json(
    ogc: &Ogc,
    layer: &Layer,
    q: &ItemsQuery,
    ids: &[usize],
    matched: usize,
    links: &[(String, &str, &str, &str)],
) -> Vec<u8> {
    let coords = coord_writer(ogc, q);
    let mut out = Vec::with_capacity(1024 + ids.len() * 1200);
    out.extend_from_slice(b"{\"type\":\"FeatureCollection\",\"features\":[");
    for (n, &i) in ids.iter().enumerate() {
        if n > 0 {
            out.push(b',');
        }
        write_feature(&mut out, layer, i, q, &coords);
        out.push(b'}');
    }
    out.extend_from_slice(b"],\"numberMatched\":");
    out.extend_from_slice(matched.to_string().as_bytes());
    out.extend_from_slice(b",\"numberReturned\":");
    out.extend_from_slice(ids.len().to_string().as_bytes());
    out.extend_from_slice(b",\"links\":");
    let links: Vec<Json> = links
        .iter()
        .map(|(h, r, t, title)| link(h.clone(), r, t, title))
        .collect();
    out.extend_from_slice(&serde_json::to_vec(&links).unwrap_or_else(|_| b"[]".to_vec()));
    out.push(b'}');
    out
}

fn cell(v: Option<std::borrow::Cow<'_, str>>) -> String {
    let t = v.map(|t| t.into_owned()).unwrap_or_default();
    let short: String = t.chars().take(160).collect();
    if short.len() < t.len() {
        format!("{}…", esc(&short))
    } else {
        esc(&short)
    }
}

fn items_html(
    layer: &Layer,
    base: &str,
    q: &ItemsQuery,
    ids: &[usize],
    matched: usize,
    links: &[(String, &str, &str, &str)],
) -> String {
    let p = &*layer.provider;
    let id = p.id();
    let fields = p.fields();
    let keys: Vec<usize> = q
        .properties
        .clone()
        .unwrap_or_else(|| (0..fields.len()).collect());
    let mut b = format!(
        "<p>{} objets correspondent ; objets {} à {} affichés.</p><p class=\"pager\">",
        matched,
        if ids.is_empty() { 0 } else { q.offset + 1 },
        q.offset + ids.len()
    );
    for (href, rel, _, title) in links {
        if *rel == "prev" || *rel == "next" || *rel == "alternate" {
            b.push_str(&format!(
                "<a href=\"{}\" rel=\"{rel}\">{}</a>",
                esc(href),
                esc(title)
            ));
        }
    }
    b.push_str("</p><p>Télécharger cette sélection (tous les objets filtrés) : ");
    let filters: Vec<(&str, &str)> = q
        .kept
        .iter()
        .filter(|(k, _)| k != "limit")
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    for (k, (f, label)) in [
        ("geojson", "GeoJSON"),
        ("csv", "CSV"),
        ("shp", "Shapefile"),
        ("gpkg", "GeoPackage"),
    ]
    .iter()
    .enumerate()
    {
        let mut pairs = vec![("f", *f)];
        pairs.extend(filters.iter().copied());
        let href = with_query(
            &format!("{base}/collections/{id}/items"),
            &query_string(pairs),
        );
        if k > 0 {
            b.push_str(" · ");
        }
        b.push_str(&format!("<a href=\"{}\">{label}</a>", esc(&href)));
    }
    b.push_str("</p><table><thead><tr><th>Identifiant</th>");
    for &k in &keys {
        b.push_str(&format!("<th>{}</th>", esc(fields[k].name)));
    }
    b.push_str("</tr></thead><tbody>");
    for &i in ids {
        let fid = p.feature_id(i);
        b.push_str(&format!(
            "<tr><td><a href=\"{}\">{}</a></td>",
            esc(&format!(
                "{base}/collections/{id}/items/{}?f=html",
                segment(&fid)
            )),
            esc(&fid)
        ));
        let row = p.row(i);
        for &k in &keys {
            b.push_str(&format!(
                "<td>{}</td>",
                cell(row.get(k).and_then(|v| v.as_text()))
            ));
        }
        b.push_str("</tr>");
    }
    b.push_str("</tbody></table>");
    page(
        &format!("{} — objets", p.title()),
        &[
            ("Accueil", format!("{base}/ogc?f=html")),
            ("Collections", format!("{base}/collections?f=html")),
            (p.title(), format!("{base}/collections/{id}?f=html")),
            ("Objets", format!("{base}/collections/{id}/items?f=html")),
        ],
        &b,
    )
}

/// `GET /collections/{collectionId}/items`: a page of GeoJSON (or HTML), or a whole
/// export (`f=geojson|csv|shp|gpkg`).
pub async fn items(
    State(s): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let ogc = ogc(&s);
    let id = path_params(path)?;
    let (index, layer) = find_layer(&ogc, &id)?;
    let base = base_url(&headers);
    let accept = headers
        .get(axum::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let key = format!("{id}?{}\n{accept}\n{base}", raw.as_deref().unwrap_or(""));
    if let Some(c) = ogc.responses.get(&key) {
        if let Some(r) = not_modified(&headers, &c.etag) {
            return Ok(r);
        }
        return Ok(from_cache(c));
    }
    // Computation parameters (e.g. `threshold` of `gaps`) select a variant of the collection.
    let layer: Arc<Layer> = {
        let names = layer.provider.parameters();
        let values: Vec<(String, String)> = pairs(raw.as_deref())
            .into_iter()
            .filter(|(k, _)| names.iter().any(|p| p.name == k))
            .collect();
        if values.is_empty() {
            ogc.layers[index].clone()
        } else {
            let provider = layer.provider.clone();
            let variant = s
                .pool()
                .run(move || provider.with_parameters(&values))
                .await??;
            Arc::new(Layer::new(variant))
        }
    };
    let q = items_query(&*layer.provider, raw.as_deref(), &headers, &*ogc.reproject)?;
    let raw = raw.unwrap_or_default();
    if q.format.is_file() {
        let ids = run(layer.provider.geometry_type(), {
            let q = q.clone();
            let layer = layer.clone();
            move || page_of(&layer, &q).0
        })
        .await?;
        let fields = q
            .properties
            .clone()
            .unwrap_or_else(|| (0..layer.provider.fields().len()).collect());
        let mut res = respond(
            ExportJob {
                ogc: ogc.clone(),
                layer: layer.clone(),
                ids,
                fields,
                crs: q.crs,
                zoom: q.zoom,
            },
            q.format,
        )
        .await?;
        content_crs(&mut res, q.crs);
        return Ok(res);
    }
    let tag = etag(&ogc, &format!("items {id} {:?} {base} {raw}", q.format));
    if let Some(r) = not_modified(&headers, &tag) {
        return Ok(r);
    }
    let had_f = pairs(Some(&raw)).iter().any(|(k, _)| k == "f");
    let geometry = layer.provider.geometry_type();
    let ogc2 = ogc.clone();
    let crs = q.crs;
    let variant = layer.clone();
    let (media, bytes) = run(geometry, move || {
        let layer = &*variant;
        let (ids, matched) = page_of(layer, &q);
        let links = page_links(
            &base,
            layer.provider.id(),
            &q,
            &raw,
            had_f,
            matched,
            ids.len(),
        );
        match q.format {
            Format::Html => (
                "text/html; charset=utf-8",
                items_html(layer, &base, &q, &ids, matched, &links).into_bytes(),
            ),
            _ => (GEOJSON, items_json(&ogc2, layer, &q, &ids, matched, &links)),
        }
    })
    .await?;
    let cached = Cached {
        body: Bytes::from(bytes),
        media,
        crs: crs.uri(),
        etag: tag,
    };
    ogc.responses.put(key, cached.clone());
    Ok(from_cache(cached))
}

fn from_cache(c: Cached) -> Response {
    let mut r = body(c.media, c.body);
    if let Ok(v) = HeaderValue::from_str(&format!("<{}>", c.crs)) {
        r.headers_mut().insert("content-crs", v);
    }
    with_etag(r, &c.etag)
}

/// The page of matching features and the number matched.
fn page_of(layer: &Layer, q: &ItemsQuery) -> (Vec<usize>, usize) {
    let all = select(layer, q);
    let matched = all.len();
    let start = q.offset.min(matched);
    let end = match q.limit {
        Some(l) => start.saturating_add(l).min(matched),
        None => matched,
    };
    if start == 0 && end == matched {
        (all, matched)
    } else {
        (all[start..end].to_vec(), matched)
    }
}

/// Runs cheap work inline (points) and polygon work on the blocking pool.
async fn run<T: Send + 'static>(
    geometry: super::provider::GeometryType,
    work: impl FnOnce() -> T + Send + 'static,
) -> ApiResult<T> {
    if geometry == super::provider::GeometryType::Point {
        Ok(work())
    } else {
        tokio::task::spawn_blocking(work)
            .await
            .map_err(ApiError::internal)
    }
}

/// `GET /collections/{collectionId}/items/{featureId}`.
pub async fn item(
    State(s): State<AppState>,
    path: Result<Path<(String, String)>, PathRejection>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let ogc = ogc(&s);
    let (id, fid) = path_params(path)?;
    let (index, layer) = find_layer(&ogc, &id)?;
    let p = &*layer.provider;
    // Only f, crs and zoom make sense for one feature.
    for (k, _) in pairs(raw.as_deref()) {
        if !["f", "crs", "zoom", "properties"].contains(&k.as_str()) {
            return Err(ApiError::bad_request_code(
                "InvalidParameter",
                format!(
                    "paramètre inconnu « {k} » pour un objet ; paramètres acceptés : f, crs, zoom, properties"
                ),
            ));
        }
    }
    let q = items_query(p, raw.as_deref(), &headers, &*ogc.reproject)?;
    if q.format.is_file() {
        return Err(ApiError::bad_request(format!(
            "f={} : un objet seul est servi en json ou html ; exportez avec /collections/{id}/items?f={}",
            q.format.name(),
            q.format.name()
        )));
    }
    let i = p.index_of(&fid).ok_or_else(|| {
        ApiError::not_found(format!("aucun objet « {fid} » dans la collection {id}"))
    })?;
    let base = base_url(&headers);
    let raw_s = raw.unwrap_or_default();
    let tag = etag(
        &ogc,
        &format!("item {id} {fid} {:?} {base} {raw_s}", q.format),
    );
    if let Some(r) = not_modified(&headers, &tag) {
        return Ok(r);
    }
    let ogc2 = ogc.clone();
    let crs = q.crs;
    let mut res = run(p.geometry_type(), move || {
        let layer = &ogc2.layers[index];
        let p = &*layer.provider;
        let url = format!("{base}/collections/{id}/items/{}", segment(&fid));
        match q.format {
            Format::Html => {
                let fields = p.fields();
                let row = p.row(i);
                let mut b = String::from("<table><tbody>");
                for (k, f) in fields.iter().enumerate() {
                    b.push_str(&format!(
                        "<tr><th>{}</th><td>{}</td></tr>",
                        esc(f.name),
                        esc(&row
                            .get(k)
                            .and_then(|v| v.as_text())
                            .map(|t| t.into_owned())
                            .unwrap_or_default())
                    ));
                }
                b.push_str(&format!(
                    "</tbody></table><p><a href=\"{}\">Cet objet en GeoJSON</a></p>",
                    esc(&format!("{url}?f=json"))
                ));
                html_response(page(
                    &fid,
                    &[
                        ("Accueil", format!("{base}/ogc?f=html")),
                        ("Collections", format!("{base}/collections?f=html")),
                        (p.title(), format!("{base}/collections/{id}?f=html")),
                        ("Objets", format!("{base}/collections/{id}/items?f=html")),
                        (&fid, format!("{url}?f=html")),
                    ],
                    &b,
                ))
            }
            _ => {
                let coords = coord_writer(&ogc2, &q);
                let mut out = Vec::with_capacity(4096);
                write_feature(&mut out, layer, i, &q, &coords);
                out.extend_from_slice(b",\"links\":");
                let links = json!([
                    link(with_query(&url, &raw_s), "self", GEOJSON, "Cet objet"),
                    link(
                        format!("{url}?f=html"),
                        "alternate",
                        HTML,
                        "Cet objet en HTML"
                    ),
                    link(
                        format!("{base}/collections/{id}"),
                        "collection",
                        JSON,
                        "La collection"
                    ),
                ]);
                out.extend_from_slice(&serde_json::to_vec(&links).unwrap_or_default());
                out.push(b'}');
                body(GEOJSON, out)
            }
        }
    })
    .await?;
    content_crs(&mut res, crs);
    Ok(with_etag(res, &tag))
}

// ---------------------------------------------------------------------------
// API definition

/// `GET /api`: the OpenAPI 3.0 document (or its HTML view).
pub async fn api(
    State(s): State<AppState>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let ogc = ogc(&s);
    let format = negotiate(f_param(&raw).as_deref(), &headers, &META_FORMATS)?;
    let base = base_url(&headers);
    cached(&ogc, &headers, &format!("api {format:?} {base}"), || {
        let doc = openapi::document(&ogc, &base);
        Ok(match format {
            Format::Html => html_response(openapi::html(&doc, &base)),
            _ => json_response(OPENAPI, &doc),
        })
    })
}
