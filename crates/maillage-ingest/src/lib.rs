//! Readers, reprojection and validation for Maillage input data.
