//! Coverage gaps: nearest venue per commune, served/unserved, priority, indicators, what-if.
