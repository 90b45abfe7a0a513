//! Commune boundaries from Shapefile and GeoJSON files.
