"""Metric functions over the canonical call table (DESIGN §3): pure DataFrame -> DataFrame."""
from callkit.metrics.managers import SUMMARY_COLUMNS, SUMMARY_METRICS, manager_summary

__all__ = ["SUMMARY_COLUMNS", "SUMMARY_METRICS", "manager_summary"]
