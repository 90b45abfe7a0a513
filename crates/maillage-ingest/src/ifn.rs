//! Fragility index (IFN) files: 2020 MedNum per commune and IRIS, 2023 deciles.
