//! Choosing permanence sites: p-median and maximal coverage.
