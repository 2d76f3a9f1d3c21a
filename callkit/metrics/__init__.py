"""Metric functions over the canonical call table (DESIGN §3): pure DataFrame -> DataFrame."""
from callkit.metrics.compare import (
    COMPARE_COLUMNS,
    COMPARE_METRICS,
    LOWER_IS_BETTER,
    compare_managers,
    period_over_period,
)
from callkit.metrics.concentration import (
    CONCENTRATION_COLUMNS,
    CONCENTRATION_SUMMARY_COLUMNS,
    concentration_summary,
    flow_concentration,
)
from callkit.metrics.managers import SUMMARY_COLUMNS, SUMMARY_METRICS, manager_summary
from callkit.metrics.missed import MISSED_COLUMNS, missed_calls, to_call_back
from callkit.metrics.staffing import (
    STAFFING_COLUMNS,
    erlang_c,
    required_agents,
    service_level,
    staffing,
)
from callkit.metrics.tech import TECH_COLUMNS, concurrency, tech_signals
from callkit.metrics.traffic import (
    PRESENCE_COLUMNS,
    TRAFFIC_COLUMNS,
    peak_hours,
    presence_at_peaks,
    presence_summary,
    traffic,
    working_days,
)

__all__ = [
    "SUMMARY_COLUMNS", "SUMMARY_METRICS", "manager_summary",
    "COMPARE_COLUMNS", "COMPARE_METRICS", "LOWER_IS_BETTER", "compare_managers",
    "period_over_period",
    "TRAFFIC_COLUMNS", "PRESENCE_COLUMNS", "traffic", "peak_hours", "presence_at_peaks",
    "presence_summary", "working_days",
    "MISSED_COLUMNS", "missed_calls", "to_call_back",
    "STAFFING_COLUMNS", "erlang_c", "service_level", "required_agents", "staffing",
    "TECH_COLUMNS", "concurrency", "tech_signals",
    "CONCENTRATION_COLUMNS", "CONCENTRATION_SUMMARY_COLUMNS", "flow_concentration",
    "concentration_summary",
]
