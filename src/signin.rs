//! Full sign-in checks (in progress)
