//! The actor map: actors, dated observations and relations collected in waves.
