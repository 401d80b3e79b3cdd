//! Network analysis of actor maps.
