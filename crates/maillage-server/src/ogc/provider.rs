//! The provider interface: what one collection must tell the generic OGC layer.
//!
//! A provider only describes its features (ids, fields, values, geometry, a spatial
//! pre-selection). Everything else is generic: attribute filters, paging, CRS, zoom
//! simplification, GeoJSON/HTML/CSV/Shapefile/GeoPackage output, JSON schemas and the
//! OpenAPI document.

use std::borrow::Cow;

use maillage_core::geo::{BoundingRect, MultiPolygon};

/// Type of a property, as published in the schemas and written in the exports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    /// UTF-8 text.
    Text,
    /// Whole number.
    Integer,
    /// Decimal number.
    Real,
    /// Calendar date `YYYY-MM-DD`.
    Date,
    /// True or false.
    Boolean,
}

impl FieldType {
    /// JSON Schema `type` of the property (nullable in the schemas).
    pub fn json_type(self) -> &'static str {
        match self {
            FieldType::Text | FieldType::Date => "string",
            FieldType::Integer => "integer",
            FieldType::Real => "number",
            FieldType::Boolean => "boolean",
        }
    }
}

/// How a property can be used as a query parameter on `/items`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    /// Not a query parameter.
    No,
    /// `name=a,b`: the value equals one of the listed values.
    Exact,
    /// `name=a,b`: one of the `|`-separated values equals one of the listed values.
    AnyOf,
}

/// One property of a collection.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    /// Name in GeoJSON, CSV and GeoPackage.
    pub name: &'static str,
    /// Name in the Shapefile DBF (at most 10 ASCII characters, unique in the collection).
    pub dbf: &'static str,
    /// Type.
    pub kind: FieldType,
    /// Short French description.
    pub title: &'static str,
    /// Whether and how it filters items.
    pub filter: Filter,
}

impl Field {
    /// A text property.
    pub const fn text(name: &'static str, dbf: &'static str, title: &'static str) -> Field {
        Field {
            name,
            dbf,
            kind: FieldType::Text,
            title,
            filter: Filter::No,
        }
    }
    /// A property of another type.
    pub const fn typed(
        name: &'static str,
        dbf: &'static str,
        kind: FieldType,
        title: &'static str,
    ) -> Field {
        Field {
            name,
            dbf,
            kind,
            title,
            filter: Filter::No,
        }
    }
    /// The same property, usable as a filter.
    pub const fn filter(mut self, filter: Filter) -> Field {
        self.filter = filter;
        self
    }
}

/// The fields of `parts`, one after the other, as one table of `N` fields (a compile
/// error when `N` is not their number).
pub const fn concat_fields<const N: usize>(parts: &[&[Field]]) -> [Field; N] {
    let mut out = [Field::text("", "", ""); N];
    let mut n = 0;
    let mut p = 0;
    while p < parts.len() {
        let mut k = 0;
        while k < parts[p].len() {
            assert!(n < N, "concat_fields: more fields than N");
            out[n] = parts[p][k];
            n += 1;
            k += 1;
        }
        p += 1;
    }
    assert!(n == N, "concat_fields: fewer fields than N");
    out
}

/// The value of one property of one feature.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    /// No value.
    Null,
    /// Text (also dates, as `YYYY-MM-DD`).
    Text(Cow<'a, str>),
    /// Whole number.
    Int(i64),
    /// Decimal number (never NaN: providers give `Null` instead).
    Real(f64),
    /// Boolean.
    Bool(bool),
}

impl<'a> Value<'a> {
    /// Text, `Null` when empty.
    pub fn text(s: &'a str) -> Value<'a> {
        if s.is_empty() {
            Value::Null
        } else {
            Value::Text(Cow::Borrowed(s))
        }
    }
    /// Text when present and not empty, else `Null`.
    pub fn opt_text(s: Option<&'a str>) -> Value<'a> {
        s.map(Value::text).unwrap_or(Value::Null)
    }
    /// A whole number when present, else `Null`.
    pub fn opt_int(n: Option<impl Into<i64>>) -> Value<'a> {
        n.map(|n| Value::Int(n.into())).unwrap_or(Value::Null)
    }
    /// Owned text, `Null` when empty.
    pub fn owned(s: String) -> Value<'a> {
        if s.is_empty() {
            Value::Null
        } else {
            Value::Text(Cow::Owned(s))
        }
    }
    /// Multi-values joined with `|` (the national schema's convention), `Null` when none.
    pub fn joined(values: &[String]) -> Value<'a> {
        Value::owned(values.join("|"))
    }
    /// A finite number, else `Null`.
    pub fn real(v: Option<f64>) -> Value<'a> {
        match v {
            Some(x) if x.is_finite() => Value::Real(x),
            _ => Value::Null,
        }
    }
    /// The value as text (numbers in their shortest exact form); `None` for `Null`.
    pub fn as_text(&self) -> Option<Cow<'_, str>> {
        match self {
            Value::Null => None,
            Value::Text(s) => Some(Cow::Borrowed(s)),
            Value::Int(i) => Some(Cow::Owned(i.to_string())),
            Value::Real(x) => Some(Cow::Owned(format_real(*x))),
            Value::Bool(b) => Some(Cow::Borrowed(if *b { "true" } else { "false" })),
        }
    }
}

/// A decimal number in its shortest round-trip form (`12`, `0.5`, `1e-7`).
pub fn format_real(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        ryu::Buffer::new().format(x).to_string()
    }
}

/// Geometry type of a collection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GeometryType {
    /// One point per feature.
    Point,
    /// One multipolygon per feature.
    MultiPolygon,
}

impl GeometryType {
    /// The GeoJSON / OGC name.
    pub fn name(self) -> &'static str {
        match self {
            GeometryType::Point => "Point",
            GeometryType::MultiPolygon => "MultiPolygon",
        }
    }
}

/// The geometry of one feature, lon/lat degrees (CRS84).
#[derive(Debug, Clone, Copy)]
pub enum Geometry<'a> {
    /// No geometry (serialized as `null`).
    Empty,
    /// A point `[lon, lat]`.
    Point([f64; 2]),
    /// Polygons.
    Polygons(&'a MultiPolygon<f64>),
}

impl<'a> Geometry<'a> {
    /// The polygons, or `Empty` when there are none.
    pub fn polygons(mp: &'a MultiPolygon<f64>) -> Geometry<'a> {
        if mp.0.is_empty() {
            Geometry::Empty
        } else {
            Geometry::Polygons(mp)
        }
    }
}

/// The bbox `[west, south, east, north]` that holds every one of `boxes`; `None` for none.
pub fn union_bbox(boxes: impl IntoIterator<Item = [f64; 4]>) -> Option<[f64; 4]> {
    boxes.into_iter().reduce(|a, b| {
        [
            a[0].min(b[0]),
            a[1].min(b[1]),
            a[2].max(b[2]),
            a[3].max(b[3]),
        ]
    })
}

/// Default and maximum `limit` of `/items` for a collection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// When the request gives none.
    pub default: usize,
    /// The largest accepted (exports in a file format are not paged).
    pub max: usize,
}

impl Limits {
    /// Limits with this default and maximum.
    pub const fn new(default: usize, max: usize) -> Limits {
        Limits { default, max }
    }
}

/// A query parameter that changes what a collection computes.
#[derive(Debug, Clone, Copy)]
pub struct Parameter {
    /// Name in the query string.
    pub name: &'static str,
    /// JSON Schema type (`number`, `string`, `boolean`).
    pub json_type: &'static str,
    /// Short French description, with the default.
    pub title: &'static str,
}

/// One collection of features. Features are numbered `0..len()` in a stable order
/// (the paging order).
pub trait Collection: Send + Sync {
    /// Collection id, as in the URL (`venues`).
    fn id(&self) -> &'static str;
    /// French title.
    fn title(&self) -> &'static str;
    /// French description.
    fn description(&self) -> &'static str;
    /// Ids of the catalog layers it is built from (provenance in the metadata).
    fn layers(&self) -> &'static [&'static str];
    /// Geometry type.
    fn geometry_type(&self) -> GeometryType;
    /// Properties, in output order.
    fn fields(&self) -> &'static [Field];
    /// Paging limits.
    fn limits(&self) -> Limits {
        Limits::new(100, 10_000)
    }
    /// Number of features.
    fn len(&self) -> usize;
    /// True when there is no feature.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The stable id of feature `i` (used in `/items/{featureId}`).
    fn feature_id(&self, i: usize) -> Cow<'_, str>;
    /// The feature with that id.
    fn index_of(&self, id: &str) -> Option<usize>;
    /// Every property of feature `i`, in [`Collection::fields`] order. Implement this or
    /// [`Collection::value`] (each defaults to the other).
    fn row(&self, i: usize) -> Vec<Value<'_>> {
        (0..self.fields().len()).map(|k| self.value(i, k)).collect()
    }
    /// One property of feature `i` (override when [`Collection::row`] is costly).
    fn value(&self, i: usize, field: usize) -> Value<'_> {
        let mut row = self.row(i);
        if field < row.len() {
            row.swap_remove(field)
        } else {
            Value::Null
        }
    }
    /// The text an attribute filter on `field` compares (default: the property itself;
    /// the venues' `services` filter also matches services inferred from a label).
    fn filter_value(&self, i: usize, field: usize) -> Value<'_> {
        self.value(i, field)
    }
    /// The geometry of feature `i`, lon/lat.
    fn geometry(&self, i: usize) -> Geometry<'_>;
    /// Bounding box `[west, south, east, north]` of feature `i` (override when the
    /// geometry is costly to compute, as dissolved boundaries are).
    fn bbox(&self, i: usize) -> Option<[f64; 4]> {
        match self.geometry(i) {
            Geometry::Empty => None,
            Geometry::Point([x, y]) => Some([x, y, x, y]),
            Geometry::Polygons(mp) => mp
                .bounding_rect()
                .map(|r| [r.min().x, r.min().y, r.max().x, r.max().y]),
        }
    }
    /// Features whose bounding box may intersect the lon/lat bbox, in increasing order
    /// (the generic layer then checks the geometry exactly).
    fn candidates(&self, bbox: [f64; 4]) -> Vec<usize>;
    /// Index of the date property `datetime` filters on, if any.
    fn temporal_field(&self) -> Option<usize> {
        None
    }
    /// Computes what is computed lazily (dissolved boundaries, statistics), so that
    /// later requests are fast. Called once from a background thread.
    fn warm_up(&self) {}
    /// Query parameters that change what the collection computes (not attribute
    /// filters), e.g. the threshold of the gap analysis. None by default.
    fn parameters(&self) -> &'static [Parameter] {
        &[]
    }
    /// The collection computed for these parameter values (`name`, `value` pairs, each
    /// named in [`Collection::parameters`], at least one). A 400 for a bad value.
    fn with_parameters(
        &self,
        _values: &[(String, String)],
    ) -> Result<std::sync::Arc<dyn Collection>, crate::ApiError> {
        Err(crate::ApiError::bad_request(format!(
            "la collection {} n'a pas de paramètres de calcul",
            self.id()
        )))
    }
}
