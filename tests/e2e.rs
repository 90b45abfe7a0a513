//! End-to-end tests on the real binary. One module per area:
//! - `foundation`: the server loads all of France and answers the basic endpoints.

mod foundation;
