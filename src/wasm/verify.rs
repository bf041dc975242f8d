//! JS exports (in progress)
