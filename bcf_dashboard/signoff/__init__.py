"""Quarterly sign-off (open -> submitted -> approved -> locked, and reopening) and agreeing a year's plan."""
