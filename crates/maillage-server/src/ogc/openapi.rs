//! The OpenAPI 3.0 document, generated from the collections so that it always matches
//! the real responses: one set of paths per collection, with its limits, properties
//! and filters.

use serde_json::{Map, Value, json};

use super::crs::Crs;
use super::html::{esc, page};
use super::layer::{Layer, MAX_ZOOM, Ogc};
use super::provider::{FieldType, Filter};

fn r(name: &str) -> Value {
    json!({ "$ref": format!("#/components/{name}") })
}

fn error_responses() -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("400".into(), r("responses/BadRequest"));
    m.insert("404".into(), r("responses/NotFound"));
    m.insert("500".into(), r("responses/ServerError"));
    m
}

fn ok(description: &str, content: Value) -> Map<String, Value> {
    let mut m = error_responses();
    m.insert(
        "200".into(),
        json!({ "description": description, "content": content, "headers": {
            "ETag": { "description": "Version de la réponse (requêtes conditionnelles avec If-None-Match)", "schema": { "type": "string" } }
        }}),
    );
    m.insert(
        "304".into(),
        json!({ "description": "Inchangé depuis la version indiquée par If-None-Match" }),
    );
    m
}

fn html_content() -> Value {
    json!({ "schema": { "type": "string" } })
}

fn meta_op(summary: &str, op_id: &str, schema: Value) -> Value {
    json!({ "get": {
        "summary": summary,
        "operationId": op_id,
        "parameters": [r("parameters/fMeta")],
        "responses": ok(summary, json!({
            "application/json": { "schema": schema },
            "text/html": html_content(),
        })),
    }})
}

fn property_schema(kind: FieldType) -> Value {
    let mut v = json!({ "type": kind.json_type(), "nullable": true });
    if kind == FieldType::Date {
        v["format"] = json!("date");
    }
    v
}

fn collection_paths(
    layer: &Layer,
    paths: &mut Map<String, Value>,
    schemas: &mut Map<String, Value>,
) {
    let p = &*layer.provider;
    let id = p.id();
    let key: String = id.replace('-', "_");
    let fields = p.fields();
    let props: Map<String, Value> = fields
        .iter()
        .map(|f| {
            let mut s = property_schema(f.kind);
            s["description"] = json!(format!("{} (DBF : {})", f.title, f.dbf));
            (f.name.to_string(), s)
        })
        .collect();
    let geometry = match p.geometry_type() {
        super::provider::GeometryType::Point => r("schemas/pointGeoJSON"),
        super::provider::GeometryType::MultiPolygon => r("schemas/multipolygonGeoJSON"),
    };
    schemas.insert(
        format!("{key}Feature"),
        json!({
            "type": "object",
            "required": ["type", "geometry", "properties"],
            "properties": {
                "type": { "type": "string", "enum": ["Feature"] },
                "id": { "type": "string" },
                "geometry": { "allOf": [geometry], "nullable": true },
                "properties": { "type": "object", "properties": props },
                "links": { "type": "array", "items": r("schemas/link") },
            }
        }),
    );
    schemas.insert(
        format!("{key}FeatureCollection"),
        json!({
            "type": "object",
            "required": ["type", "features", "numberMatched", "numberReturned", "links"],
            "properties": {
                "type": { "type": "string", "enum": ["FeatureCollection"] },
                "features": { "type": "array", "items": r(&format!("schemas/{key}Feature")) },
                "numberMatched": { "type": "integer", "minimum": 0 },
                "numberReturned": { "type": "integer", "minimum": 0 },
                "links": { "type": "array", "items": r("schemas/link") },
            }
        }),
    );
    let limits = p.limits();
    let names: Vec<&str> = fields.iter().map(|f| f.name).collect();
    let mut params = vec![
        r("parameters/fItems"),
        r("parameters/bbox"),
        r("parameters/bbox-crs"),
        json!({
            "name": "limit", "in": "query", "required": false, "style": "form", "explode": false,
            "description": format!("Nombre d'objets par page (défaut {}, maximum {} ; sans limite pour les formats de fichier).", limits.default, limits.max),
            "schema": { "type": "integer", "minimum": 1, "maximum": limits.max, "default": limits.default },
        }),
        r("parameters/offset"),
        r("parameters/crs"),
        r("parameters/zoom"),
        json!({
            "name": "properties", "in": "query", "required": false, "style": "form", "explode": false,
            "description": "Propriétés à renvoyer, séparées par des virgules (toutes par défaut).",
            "schema": { "type": "array", "uniqueItems": true, "items": { "type": "string", "enum": names } },
        }),
    ];
    if p.temporal_field().is_some() {
        params.push(r("parameters/datetime"));
    }
    for f in fields.iter().filter(|f| f.filter != Filter::No) {
        let how = match f.filter {
            Filter::AnyOf => "un des éléments (séparés par |) vaut",
            _ => "vaut",
        };
        params.push(json!({
            "name": f.name, "in": "query", "required": false, "style": "form", "explode": false,
            "description": format!("Filtre : {} ; garde les objets dont la propriété {how} l'une des valeurs données, séparées par des virgules (casse ASCII ignorée).", f.title),
            "schema": { "type": "string", "minLength": 1, "pattern": "[^,\\s]" },
        }));
    }
    for param in p.parameters() {
        params.push(json!({
            "name": param.name, "in": "query", "required": false, "style": "form", "explode": false,
            "description": format!("Paramètre de calcul : {}.", param.title),
            "schema": { "type": param.json_type },
        }));
    }
    let file = || json!({ "schema": { "type": "string", "format": "binary" } });
    let mut items_ok = ok(
        "Objets : une page en GeoJSON ou HTML, ou tous les objets filtrés dans un fichier (f=geojson, csv, shp, gpkg).",
        json!({
            "application/geo+json": { "schema": r(&format!("schemas/{key}FeatureCollection")) },
            "text/html": html_content(),
            "text/csv": { "schema": { "type": "string" } },
            "application/zip": file(),
            "application/geopackage+sqlite3": file(),
        }),
    );
    if let Some(Value::Object(ok200)) = items_ok.get_mut("200")
        && let Some(Value::Object(h)) = ok200.get_mut("headers")
    {
        h.insert(
            "Content-Crs".into(),
            json!({ "description": "CRS des coordonnées, entre chevrons", "schema": { "type": "string" } }),
        );
    }
    paths.insert(
        format!("/collections/{id}"),
        meta_op(
            &format!("Description de la collection {id}"),
            &format!("describe_{key}"),
            r("schemas/collection"),
        ),
    );
    paths.insert(
        format!("/collections/{id}/items"),
        json!({ "get": {
            "summary": format!("Objets de la collection {id}"),
            "description": "Pagination stable (offset, liens next/prev), filtres attributaires, bbox, CRS (Content-Crs). Le paramètre non standard zoom (0–20) renvoie des contours simplifiés (Douglas-Peucker, tolérance d'un demi-pixel à ce zoom, mise en cache par niveau jusqu'à 11) avec des coordonnées arrondies au dixième de pixel. Les formats de fichier exportent tous les objets filtrés ; les noms de champs DBF du Shapefile sont indiqués dans la description de chaque propriété. En EPSG:4326 la réponse GeoJSON de l'API est en latitude, longitude (ordre des axes EPSG) ; les fichiers sont toujours en x = longitude/est.",
            "operationId": format!("items_{key}"),
            "parameters": params,
            "responses": items_ok,
        }}),
    );
    let mut feature_id = json!({ "name": "featureId", "in": "path", "required": true, "schema": { "type": "string" } });
    if !p.is_empty() {
        feature_id["example"] = json!(p.feature_id(0));
    }
    paths.insert(
        format!("/collections/{id}/items/{{featureId}}"),
        json!({ "get": {
            "summary": format!("Un objet de la collection {id}"),
            "operationId": format!("item_{key}"),
            "parameters": [
                feature_id,
                r("parameters/fMeta"),
                r("parameters/crs"),
                r("parameters/zoom"),
            ],
            "responses": ok("L'objet", json!({
                "application/geo+json": { "schema": r(&format!("schemas/{key}Feature")) },
                "text/html": html_content(),
            })),
        }}),
    );
    for (suffix, what) in [
        ("schema", "Schéma JSON d'un objet"),
        ("queryables", "Propriétés filtrables"),
    ] {
        paths.insert(
            format!("/collections/{id}/{suffix}"),
            json!({ "get": {
                "summary": format!("{what} ({id})"),
                "operationId": format!("{suffix}_{key}"),
                "responses": ok(what, json!({
                    "application/schema+json": { "schema": { "type": "object" } },
                })),
            }}),
        );
    }
}

/// The OpenAPI document for a base URL.
pub fn document(ogc: &Ogc, base: &str) -> Value {
    let mut paths = Map::new();
    let mut schemas = Map::new();
    paths.insert(
        "/ogc".into(),
        meta_op(
            "Page d'accueil de l'API OGC",
            "landing",
            r("schemas/landingPage"),
        ),
    );
    paths.insert(
        "/conformance".into(),
        meta_op(
            "Classes de conformité",
            "conformance",
            r("schemas/confClasses"),
        ),
    );
    paths.insert(
        "/collections".into(),
        meta_op("Collections", "collections", r("schemas/collections")),
    );
    paths.insert(
        "/api".into(),
        json!({ "get": {
            "summary": "Ce document OpenAPI",
            "operationId": "api",
            "parameters": [r("parameters/fMeta")],
            "responses": ok("Définition de l'API", json!({
                "application/vnd.oai.openapi+json;version=3.0": { "schema": { "type": "object" } },
                "text/html": html_content(),
            })),
        }}),
    );
    for l in &ogc.layers {
        collection_paths(l, &mut paths, &mut schemas);
    }
    for extra in [
        crate::routes::gaps::openapi_paths(),
        crate::routes::plan::openapi_paths(),
    ] {
        if let Value::Object(m) = extra {
            paths.extend(m);
        }
    }
    let crs: Vec<String> = Crs::all().iter().map(|c| c.uri()).collect();
    let coords =
        json!({ "type": "array", "minItems": 2, "maxItems": 3, "items": { "type": "number" } });
    schemas.insert(
        "link".into(),
        json!({
            "type": "object", "required": ["href", "rel"],
            "properties": {
                "href": { "type": "string" }, "rel": { "type": "string" },
                "type": { "type": "string" }, "title": { "type": "string" },
            }
        }),
    );
    schemas.insert("exception".into(), json!({
        "type": "object", "required": ["code", "description", "status"],
        "properties": {
            "code": { "type": "string" }, "description": { "type": "string" }, "status": { "type": "integer" },
        }
    }));
    schemas.insert(
        "landingPage".into(),
        json!({
            "type": "object", "required": ["links"],
            "properties": {
                "title": { "type": "string" }, "description": { "type": "string" },
                "links": { "type": "array", "items": r("schemas/link") },
            }
        }),
    );
    schemas.insert(
        "confClasses".into(),
        json!({
            "type": "object", "required": ["conformsTo"],
            "properties": { "conformsTo": { "type": "array", "items": { "type": "string" } } }
        }),
    );
    schemas.insert("collection".into(), json!({
        "type": "object", "required": ["id", "links"],
        "properties": {
            "id": { "type": "string" }, "title": { "type": "string" }, "description": { "type": "string" },
            "itemType": { "type": "string" },
            "extent": { "type": "object" },
            "crs": { "type": "array", "items": { "type": "string" } },
            "storageCrs": { "type": "string" },
            "geometryType": { "type": "string", "enum": ["Point", "MultiPolygon"] },
            "numberOfFeatures": { "type": "integer", "minimum": 0 },
            "limits": { "type": "object", "properties": {
                "default": { "type": "integer" }, "max": { "type": "integer" } } },
            "filters": { "type": "array", "items": { "type": "string" } },
            "layers": { "type": "array", "items": { "type": "object" } },
            "links": { "type": "array", "items": r("schemas/link") },
        }
    }));
    schemas.insert(
        "collections".into(),
        json!({
            "type": "object", "required": ["links", "collections"],
            "properties": {
                "links": { "type": "array", "items": r("schemas/link") },
                "crs": { "type": "array", "items": { "type": "string" } },
                "collections": { "type": "array", "items": r("schemas/collection") },
            }
        }),
    );
    schemas.insert(
        "pointGeoJSON".into(),
        json!({
            "type": "object", "required": ["type", "coordinates"],
            "properties": { "type": { "type": "string", "enum": ["Point"] }, "coordinates": coords }
        }),
    );
    schemas.insert(
        "multipolygonGeoJSON".into(),
        json!({
            "type": "object", "required": ["type", "coordinates"],
            "properties": {
                "type": { "type": "string", "enum": ["MultiPolygon"] },
                "coordinates": { "type": "array", "items": { "type": "array", "items": {
                    "type": "array", "minItems": 4, "items": coords } } }
            }
        }),
    );
    let error = |d: &str| json!({ "description": d, "content": { "application/json": { "schema": r("schemas/exception") } } });
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "Maillage — OGC API – Features",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Lieux de médiation numérique, communes, mairies, EPCI et départements, avec filtres, CRS (Part 2) et exports GeoJSON, CSV, Shapefile et GeoPackage. Erreurs au format d'exception OGC (code, description, status).",
            "license": { "name": "Données : voir la provenance de chaque collection (layers)" },
        },
        "servers": [{ "url": base }],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "parameters": {
                "fMeta": { "name": "f", "in": "query", "required": false, "description": "Format de la réponse (sinon selon l'en-tête Accept).",
                    "schema": { "type": "string", "enum": ["json", "html"] } },
                "fItems": { "name": "f", "in": "query", "required": false,
                    "description": "json : page GeoJSON de l'API ; html : page web ; geojson, csv, shp (zip), gpkg : fichier de tous les objets filtrés. Sinon selon l'en-tête Accept.",
                    "schema": { "type": "string", "enum": ["json", "html", "geojson", "csv", "shp", "gpkg"] } },
                "bbox": { "name": "bbox", "in": "query", "required": false, "style": "form", "explode": false,
                    "description": "Ouest, sud, est, nord (dans bbox-crs, CRS84 par défaut ; en EPSG:4326 : latitude d'abord).",
                    "schema": { "type": "array", "minItems": 4, "maxItems": 4, "items": { "type": "number" } } },
                "bbox-crs": { "name": "bbox-crs", "in": "query", "required": false, "description": "CRS de bbox.",
                    "schema": { "type": "string", "enum": crs.clone() } },
                "crs": { "name": "crs", "in": "query", "required": false, "description": "CRS des coordonnées renvoyées (CRS84 par défaut).",
                    "schema": { "type": "string", "enum": crs } },
                "offset": { "name": "offset", "in": "query", "required": false, "description": "Objets à sauter (pagination).",
                    "schema": { "type": "integer", "minimum": 0, "default": 0 } },
                "zoom": { "name": "zoom", "in": "query", "required": false,
                    "description": "Non standard : niveau de zoom web (0–20) pour des contours simplifiés à cette échelle.",
                    "schema": { "type": "integer", "minimum": 0, "maximum": MAX_ZOOM } },
                "datetime": { "name": "datetime", "in": "query", "required": false,
                    "description": "Date ou intervalle RFC 3339 (.. pour un bout ouvert) sur la date de mise à jour.",
                    "schema": { "type": "string" } },
            },
            "responses": {
                "BadRequest": error("Requête invalide (paramètre inconnu, valeur mal formée, limite dépassée…)"),
                "NotFound": error("Collection ou objet inconnu"),
                "ServerError": error("Erreur interne"),
            },
        },
    })
}

/// A readable HTML view of the document.
pub fn html(doc: &Value, base: &str) -> String {
    let mut b = format!(
        "<p>{}</p><p>Document OpenAPI 3.0 : <a href=\"{}\">{}</a></p>",
        esc(doc["info"]["description"].as_str().unwrap_or("")),
        esc(&format!("{base}/api?f=json")),
        esc(&format!("{base}/api")),
    );
    b.push_str(
        "<table><thead><tr><th>Chemin</th><th>Résumé</th><th>Paramètres</th></tr></thead><tbody>",
    );
    if let Some(paths) = doc["paths"].as_object() {
        for (path, item) in paths {
            let op = &item["get"];
            let params: Vec<String> = op["parameters"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|p| {
                            let name = p["name"].as_str().map(str::to_string).or_else(|| {
                                let target = p["$ref"].as_str()?.rsplit('/').next()?;
                                doc["components"]["parameters"][target]["name"]
                                    .as_str()
                                    .map(str::to_string)
                            })?;
                            Some(format!("<code>{}</code>", esc(&name)))
                        })
                        .collect()
                })
                .unwrap_or_default();
            b.push_str(&format!(
                "<tr><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
                esc(path),
                esc(op["summary"].as_str().unwrap_or("")),
                params.join(", ")
            ));
        }
    }
    b.push_str("</tbody></table>");
    page(
        "Documentation de l'API",
        &[
            ("Accueil", format!("{base}/ogc?f=html")),
            ("API", format!("{base}/api?f=html")),
        ],
        &b,
    )
}
