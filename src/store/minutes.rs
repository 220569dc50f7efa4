//! Loading what the minutes need, approval and amendments.
