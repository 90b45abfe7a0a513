//! The OGC state of one catalog: its collections wrapped with generic caches
//! (properties JSON, per-zoom simplified geometry, extents) and the rendered pages, held
//! by the [`crate::state::Snapshot`] of the catalog.

use std::sync::{Arc, OnceLock};

use maillage_core::Catalog;
use maillage_core::geo::{MultiPolygon, Simplify};
use maillage_core::reproject::Reproject;
use maillage_plan::gaps::GapCache;
use sha2::{Digest, Sha256};

use super::collections;
use super::geojson::write_properties;
use super::provider::{Collection, Geometry, GeometryType, union_bbox};
use crate::AppState;

/// Zoom levels whose simplified geometry is cached; above, it is computed per request.
pub const CACHED_ZOOMS: usize = 12;
/// The largest `zoom` accepted.
pub const MAX_ZOOM: u8 = 20;

/// One collection and its caches.
pub struct Layer {
    /// The provider.
    pub provider: Arc<dyn Collection>,
    properties: Vec<OnceLock<Box<str>>>,
    simplified: [OnceLock<Vec<OnceLock<MultiPolygon<f64>>>>; CACHED_ZOOMS],
    extent: OnceLock<Option<[f64; 4]>>,
    temporal: OnceLock<Option<[String; 2]>>,
}

impl Layer {
    pub(crate) fn new(provider: Arc<dyn Collection>) -> Layer {
        let n = provider.len();
        Layer {
            provider,
            properties: (0..n).map(|_| OnceLock::new()).collect(),
            simplified: std::array::from_fn(|_| OnceLock::new()),
            extent: OnceLock::new(),
            temporal: OnceLock::new(),
        }
    }

    /// The JSON object of every property of feature `i` (cached).
    pub fn properties_json(&self, i: usize) -> &str {
        match self.properties.get(i) {
            Some(cell) => cell.get_or_init(|| {
                let mut out = Vec::with_capacity(512);
                write_properties(
                    &mut out,
                    self.provider.fields(),
                    &self.provider.row(i),
                    None,
                );
                String::from_utf8(out).unwrap_or_default().into_boxed_str()
            }),
            None => "{}",
        }
    }

    /// Bounding box of every feature, lon/lat (computed once).
    pub fn extent(&self) -> Option<[f64; 4]> {
        *self.extent.get_or_init(|| {
            let p = &self.provider;
            union_bbox((0..p.len()).filter_map(|i| p.bbox(i)))
        })
    }

    /// First and last date of the temporal property, if the collection has one.
    pub fn temporal_extent(&self) -> Option<[String; 2]> {
        self.temporal
            .get_or_init(|| {
                let p = &self.provider;
                let field = p.temporal_field()?;
                let mut lo: Option<String> = None;
                let mut hi: Option<String> = None;
                for i in 0..p.len() {
                    if let Some(d) = p.value(i, field).as_text() {
                        if lo.as_deref().is_none_or(|l| *d < *l) {
                            lo = Some(d.to_string());
                        }
                        if hi.as_deref().is_none_or(|h| *d > *h) {
                            hi = Some(d.to_string());
                        }
                    }
                }
                Some([lo?, hi?])
            })
            .clone()
    }

    /// Geometry of feature `i` simplified for a web zoom level; `None` when the
    /// geometry needs no simplification (points, or zoom above the cached levels: the
    /// caller then simplifies with [`tolerance`] itself).
    pub fn simplified(&self, i: usize, zoom: u8) -> Option<&MultiPolygon<f64>> {
        if self.provider.geometry_type() != GeometryType::MultiPolygon {
            return None;
        }
        let level = self.simplified.get(usize::from(zoom))?;
        let cells =
            level.get_or_init(|| (0..self.provider.len()).map(|_| OnceLock::new()).collect());
        let cell = cells.get(i)?;
        Some(cell.get_or_init(|| match self.provider.geometry(i) {
            Geometry::Polygons(mp) => simplify(mp, tolerance(zoom)),
            _ => MultiPolygon::new(Vec::new()),
        }))
    }
}

/// A feature's geometry for output: the provider's own, or simplified for a zoom.
pub enum Shape<'a> {
    /// As the provider gives it (or from the per-zoom cache).
    Borrowed(Geometry<'a>),
    /// Simplified for this request.
    Owned(MultiPolygon<f64>),
}

impl Shape<'_> {
    /// The geometry to write.
    pub fn geometry(&self) -> Geometry<'_> {
        match self {
            Shape::Borrowed(g) => *g,
            Shape::Owned(mp) if mp.0.is_empty() => Geometry::Empty,
            Shape::Owned(mp) => Geometry::Polygons(mp),
        }
    }
}

impl Layer {
    /// The geometry of feature `i`, simplified for `zoom` when given.
    pub fn shape(&self, i: usize, zoom: Option<u8>) -> Shape<'_> {
        let g = self.provider.geometry(i);
        let (Some(z), Geometry::Polygons(mp)) = (zoom, g) else {
            return Shape::Borrowed(g);
        };
        match self.simplified(i, z) {
            Some(s) if s.0.is_empty() => Shape::Borrowed(Geometry::Empty),
            Some(s) => Shape::Borrowed(Geometry::Polygons(s)),
            None => Shape::Owned(simplify(mp, tolerance(z))),
        }
    }
}

/// Douglas–Peucker tolerance in degrees for a web zoom level: half a 256-pixel tile's
/// pixel at the equator.
pub fn tolerance(zoom: u8) -> f64 {
    360.0 / (256.0 * f64::from(1u32 << zoom.min(MAX_ZOOM))) * 0.5
}

/// Decimals that keep coordinates below a tenth of a pixel at that zoom (2 to 7).
pub fn decimals(zoom: u8) -> u32 {
    let pixels_per_degree = 256.0 * f64::from(1u32 << zoom.min(MAX_ZOOM)) / 360.0;
    ((pixels_per_degree * 10.0).log10().ceil() as i64).clamp(2, 7) as u32
}

/// Simplifies each ring; a polygon whose exterior would collapse keeps its original shape.
pub fn simplify(mp: &MultiPolygon<f64>, epsilon: f64) -> MultiPolygon<f64> {
    MultiPolygon::new(
        mp.0.iter()
            .map(|p| {
                let s = p.simplify(epsilon);
                if s.exterior().0.len() < 4 {
                    p.clone()
                } else {
                    let holes = s
                        .interiors()
                        .iter()
                        .filter(|r| r.0.len() >= 4)
                        .cloned()
                        .collect();
                    maillage_core::geo::Polygon::new(s.exterior().clone(), holes)
                }
            })
            .collect(),
    )
}

/// A cached response body with its headers.
#[derive(Clone)]
pub struct Cached {
    /// Body.
    pub body: bytes::Bytes,
    /// Content-Type.
    pub media: &'static str,
    /// Content-Crs (URI).
    pub crs: String,
    /// ETag.
    pub etag: String,
}

/// Responses of `/items` pages, by request (the data never change while the server
/// runs): first in, first out, bounded in count and bytes.
#[derive(Default)]
pub struct ResponseCache {
    inner: std::sync::Mutex<CacheInner>,
}

#[derive(Default)]
struct CacheInner {
    map: std::collections::HashMap<String, Cached>,
    order: std::collections::VecDeque<String>,
    bytes: usize,
}

impl ResponseCache {
    /// Entries kept at most.
    pub const MAX_ENTRIES: usize = 1024;
    /// Bytes kept at most.
    pub const MAX_BYTES: usize = 96 * 1024 * 1024;
    /// Largest body cached.
    pub const MAX_BODY: usize = 4 * 1024 * 1024;

    /// The cached response for that key.
    pub fn get(&self, key: &str) -> Option<Cached> {
        self.inner.lock().ok()?.map.get(key).cloned()
    }

    /// Keeps a response (if small enough), evicting the oldest ones.
    pub fn put(&self, key: String, value: Cached) {
        if value.body.len() > Self::MAX_BODY {
            return;
        }
        let Ok(mut c) = self.inner.lock() else {
            return;
        };
        if c.map.contains_key(&key) {
            return;
        }
        while !c.order.is_empty()
            && (c.order.len() >= Self::MAX_ENTRIES || c.bytes + value.body.len() > Self::MAX_BYTES)
        {
            if let Some(old) = c.order.pop_front()
                && let Some(v) = c.map.remove(&old)
            {
                c.bytes -= v.body.len();
            }
        }
        c.bytes += value.body.len();
        c.order.push_back(key.clone());
        c.map.insert(key, value);
    }
}

/// The OGC view of a catalog.
pub struct Ogc {
    /// The catalog.
    pub catalog: Arc<Catalog>,
    /// Collections, in listing order.
    pub layers: Vec<Arc<Layer>>,
    /// Reprojection to the output CRSs.
    pub reproject: Arc<dyn Reproject>,
    /// Hash of the loaded data (layers, counts, version): the base of every ETag.
    pub fingerprint: String,
    /// Rendered `/items` pages.
    pub responses: ResponseCache,
}

impl Ogc {
    /// Wraps the collections of a catalog.
    pub fn new(catalog: Arc<Catalog>, gaps: Arc<GapCache>, reproject: Arc<dyn Reproject>) -> Ogc {
        let layers = collections::all(catalog.clone(), gaps, reproject.clone())
            .into_iter()
            .map(|p| Arc::new(Layer::new(p)))
            .collect();
        let mut h = Sha256::new();
        h.update(env!("CARGO_PKG_VERSION").as_bytes());
        h.update(serde_json::to_vec(&catalog.layers).unwrap_or_default());
        h.update(catalog.communes.len().to_le_bytes());
        h.update(catalog.venues.len().to_le_bytes());
        let fingerprint = h.finalize()[..12]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        Ogc {
            catalog,
            layers,
            reproject,
            fingerprint,
            responses: ResponseCache::default(),
        }
    }

    /// The collection with that id.
    pub fn layer(&self, id: &str) -> Option<&Layer> {
        self.layers
            .iter()
            .find(|l| l.provider.id() == id)
            .map(|l| &**l)
    }
}

impl Ogc {
    /// Starts a background thread that computes the lazy parts (dissolved boundaries,
    /// statistics, default analyses), so that the first requests do not wait.
    pub fn warm_up_in_background(self: Arc<Ogc>) {
        let spawned = std::thread::Builder::new()
            .name("ogc-warm-up".into())
            .spawn(move || {
                let t = std::time::Instant::now();
                for l in &self.layers {
                    l.provider.warm_up();
                    let _ = l.extent();
                }
                tracing::info!(
                    "couches OGC prêtes (contours fusionnés, statistiques) en {:.1} s",
                    t.elapsed().as_secs_f64()
                );
            });
        if let Err(e) = spawned {
            tracing::warn!("préchauffage des couches OGC impossible : {e}");
        }
    }
}

/// The OGC view of the request's data (the current snapshot's).
pub fn ogc(state: &AppState) -> Arc<Ogc> {
    state.snapshot().ogc()
}

/// Builds the OGC view now and starts its background warm-up, so that the first
/// requests do not wait (call it once the server listens).
pub fn warm_up(state: &AppState) {
    let _ = ogc(state);
    // The default gap analysis feeds the gaps, sites and tours collections, which answer
    // without it when it fails: say why once, in the log.
    let snapshot = state.snapshot();
    let spawned = std::thread::Builder::new()
        .name("default-gaps".into())
        .spawn(move || {
            if let Err(e) = snapshot.gaps.default_analysis() {
                tracing::warn!("analyse des lacunes par défaut impossible : {e}");
            }
        });
    if let Err(e) = spawned {
        tracing::warn!("analyse des lacunes par défaut non lancée : {e}");
    }
}
