"""Talking to clusters: client construction, health probes, list+watch feeds, logs."""
