//! Planning algorithms: coverage gaps, permanence sites, tours.
