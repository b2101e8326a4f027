"""Built-in column mappings of HR systems: SAP SuccessFactors and Workday.

A preset is a :class:`~._mapping.ColumnMapping` like any other; a mapping
file or a plain mapping extends and overrides it.

Examples
--------
>>> sorted(PRESETS)
['successfactors', 'workday']
>>> PRESETS["workday"].target("Manager_ID")
'manager_id'
"""

from __future__ import annotations

from ._mapping import ColumnMapping, RowFilter

__all__ = ["PRESETS"]

PRESETS: dict[str, ColumnMapping] = {
    "successfactors": ColumnMapping(
        columns={
            "USERID": "id",
            "MANAGER": "manager_id",
            # Dotted-line managers; several are joined by "|" (10001|10002).
            "MATRIX_MANAGER": "secondary_manager_ids",
            "DEPARTMENT": "department",
            "LOCATION": "location",
            "TIMEZONE": "timezone",
            "FIRSTNAME": "name",
            "LASTNAME": "name",
            "EMAIL": "email",
        },
        header_rows=2,
        ignore_unknown=True,
        name="successfactors",
        drop=(
            # STATUS of the user data file: "inactive" or, as SuccessFactors'
            # own codes, f (inactive), F (inactive_external), d (inactive_external_suite).
            RowFilter(
                "STATUS",
                ("inactive", "inactive_external", "inactive_external_suite", "f", "d"),
                "inactive user (STATUS)",
                optional=True,
            ),
        ),
    ),
    "workday": ColumnMapping(
        columns={
            "Employee_ID": "id",
            "Manager_ID": "manager_id",
            "Cost_Center": "department",
            "Location": "location",
            "Time_Zone": "timezone",
        },
        ignore_unknown=True,
        name="workday",
        drop=(
            RowFilter("Worker_Status", ("Terminated",), "terminated worker", optional=True),
            RowFilter(
                "Active_Status", ("0", "No", "False"), "inactive worker (Active_Status)", True
            ),
        ),
    ),
}
"""Built-in mappings: SAP SuccessFactors' user data file and a Workday worker report."""
