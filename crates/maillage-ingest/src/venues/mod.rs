//! Venues in the national schema (CSV or JSON): validation, placement, deduplication.
