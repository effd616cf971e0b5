"""The change history of an area: every figure (ValueChange), every record (simple-history), every sign-off step."""
