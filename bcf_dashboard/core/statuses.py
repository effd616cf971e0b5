"""The one vocabulary of status: a metric's or a scheme's plan against actual, in the product's words.

The national quarterly returns ask for three statuses (on track, not on track, data not
available); the product splits "on track" in two, so that a figure worse than plan but within
its tolerance shows as at risk. ``NATIONAL_WORDING`` is the returns' three-word wording, which
may stand beside the product's words but never instead of them.
"""

ON_TRACK = "on_track"
AT_RISK = "at_risk"
NOT_ON_TRACK = "not_on_track"
NO_DATA = "no_data"

STATUS_LABEL = {ON_TRACK: "On track", AT_RISK: "At risk", NOT_ON_TRACK: "Not on track", NO_DATA: "Data not available"}
NATIONAL_WORDING = {
    ON_TRACK: "On track",
    AT_RISK: "On track",
    NOT_ON_TRACK: "Not on track",
    NO_DATA: "Data not available",
}

# Worst first: an area's overall status is its worst headline metric with data.
STATUS_RANK = {NOT_ON_TRACK: 3, AT_RISK: 2, ON_TRACK: 1, NO_DATA: 0}
STATUS_CHOICES = [(s, STATUS_LABEL[s]) for s in (NOT_ON_TRACK, AT_RISK, ON_TRACK, NO_DATA)]
