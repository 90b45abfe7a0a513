//! Maillage HTTP server.
