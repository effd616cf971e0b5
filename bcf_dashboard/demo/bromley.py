"""Bromley's Better Care Fund 2016/17, a local plan (seed 000).

Published figures carry a ``cite`` (section or figure of the plan). Everything else is
illustrative and chosen so that the published totals hold: scheme budgets add up to
the £21,611,000 minimum, and the NHS-commissioned out-of-hospital share to £6.78m.
Month lists run April (first) to March (last).
"""

AREA = "E09000006"
YEAR = 2016
DOC = "Bromley BCF plan 2016/17"
CCG, LA, KINGS = "07N", "LA-E09000006", "RJZ"

FUNDING_REQUIREMENT = {
    "nhs_minimum": 21_611_000,
    "social_care_minimum": None,
    "out_of_hospital_minimum": 5_660_000,
    "note": f"{DOC}, 4.1 (NHS minimum £21,611,000) and 9.36 (out-of-hospital requirement £5.66m); "
    "the social care minimum is not published in the plan",
}

CONTRIBUTIONS = [
    {
        "partner": CCG,
        "source": "nhs-minimum",
        "amount": 21_611_000,
        "note": f"{DOC}, 4.1: Bromley stays with the minimum allocation",
    },
]

# Weights for monthly spend profiles (Apr..Mar); each profile is scaled to the budget exactly.
PROFILES = {
    "even": [1] * 12,
    "winter": [1, 1, 1, 1, 1, 2, 4, 4, 5, 5, 4, 3],  # emergency domiciliary care peaks in winter
    "from_july": [0, 0, 0] + [1] * 9,  # services that start in July 2016
    "ramp": [0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9],  # follows Figure 10's care homes build-up
    "from_october": [0] * 6 + [1] * 6,  # ICNs go live October 2016 (Figure 7)
    "year_end": [0] * 11 + [1],  # contingency released or drawn at year end
}

# Illustrative: spend runs to plan times the scheme's factor times this month's wobble.
ACTUAL_WOBBLE = ["1.00", "0.98", "1.02", "1.01", "0.99", "1.00", "1.02", "0.98", "1.01", "1.00", "0.99", "1.00"]

# Figure 10, exactly as published; the stated totals disagree with three of the columns.
FIGURE_10 = {
    "B6": {
        "activity": [13, 13, 14, 13, 13, 14, 13, 14, 13, 13, 13, 15],
        "activity_total": 162,
        "saving": [37441, 35658, 39224, 37441, 37441, 39224, 37441, 39224, 35658, 37441, 35658, 41007],
        "saving_total": 452_859,
    },
    "B7": {
        "activity": [0, 0, 0, 2, 4, 7, 9, 11, 13, 15, 17, 20],
        "activity_total": 98,
        "saving": [0, 0, 0, 6088, 12176, 18263, 24351, 30439, 36527, 42615, 48703, 54790],
        "saving_total": 273_952,
    },
    "B8": {
        "activity": [0, 0, 0] + [22] * 9,
        "activity_total": 199,
        "saving": [0, 0, 0] + [61810] * 9,
        "saving_total": 556_290,
    },
    "B9": {
        "activity": [0] * 6 + [61, 63, 58, 61, 58, 66],
        "activity_total": 366,
        "saving": [0] * 6 + [169178, 177234, 161122, 169178, 161122, 185291],
        "saving_total": 1_023_126,
    },
}
FIGURE_10_TOTAL = 2_306_227
# Illustrative: admissions actually avoided, as a share of Figure 10's plan.
ACTIVITY_ACTUAL_FACTOR = "0.90"

_SOCIAL = {"area_of_spend": "social_care", "commissioner": "la", "provider": LA}
_COMMUNITY_NHS = {"area_of_spend": "community_health", "commissioner": "nhs"}

SCHEMES = [
    {
        "ref": "B1",
        "name": "DoH social care grant (maintained)",
        "scheme_type": "social_care",
        **_SOCIAL,
        "budget": 4_260_000,
        "cite": "9.7",
        "profile": "even",
        "actual_factor": "1.00",
        "description": "Existing grant from social care, protected and fully accessible to social care services.",
    },
    {
        "ref": "B2",
        "name": "Care Act implementation",
        "scheme_type": "social_care",
        **_SOCIAL,
        "budget": 4_400_000,
        "cite": "9.8",
        "profile": "even",
        "actual_factor": "1.01",
        "description": "Funding for the specific provision of social care and the duties of the Care Act 2014.",
    },
    {
        "ref": "B3",
        "name": "Winter pressures: emergency intensive domiciliary care",
        "scheme_type": "home_care",
        **_SOCIAL,
        "budget": 974_000,
        "cite": "9.9",
        "profile": "winter",
        "actual_factor": "1.04",
        "description": "Emergency intensive domiciliary care packages, responsive within 4 hours, "
        "to support discharge.",
    },
    {
        "ref": "B4",
        "name": "Additional reablement capacity",
        "scheme_type": "reablement",
        **_SOCIAL,
        "budget": 800_000,
        "cite": "9.9",
        "profile": "even",
        "actual_factor": "0.97",
        "description": "Invest-to-save: more reablement to avoid the need for long-term care packages.",
    },
    {
        "ref": "B5",
        "name": "Risk share contingency",
        "scheme_type": "contingency",
        "area_of_spend": "acute",
        "commissioner": "nhs",
        "provider": KINGS,
        "budget": 1_323_000,
        "cite": "12.2",
        "profile": "year_end",
        "actual_factor": "1.00",
        "description": "Held against over-performance in emergency admissions and not meeting the 825 reduction.",
    },
    {
        "ref": "B6",
        "name": "MRT In-reach",
        "scheme_type": "intermediate_care",
        **_COMMUNITY_NHS,
        "provider_name": "Bromley Healthcare",
        "budget": 600_000,
        "profile": "even",
        "actual_factor": "1.02",
        "description": "Medical Response Team in-reach to the PRUH: 2-hour crisis response to avoid admission "
        "(Figure 10 initiative).",
    },
    {
        "ref": "B7",
        "name": "Care Homes",
        "scheme_type": "other",
        **_COMMUNITY_NHS,
        "provider_name": "Bromley Healthcare",
        "budget": 450_000,
        "profile": "ramp",
        "actual_factor": "0.95",
        "is_new": True,
        "description": "Health support into care homes (Figure 10 initiative).",
    },
    {
        "ref": "B8",
        "name": "Integrated Case Management",
        "scheme_type": "prevention",
        **_COMMUNITY_NHS,
        "provider_name": "ICN providers",
        "budget": 700_000,
        "profile": "from_july",
        "actual_factor": "1.00",
        "is_new": True,
        "description": "Multi-disciplinary case management of people at risk of unplanned "
        "admission (Figure 10 initiative).",
    },
    {
        "ref": "B9",
        "name": "Implementation of ICNs",
        "scheme_type": "enablers",
        **_COMMUNITY_NHS,
        "provider_name": "ICN providers (MOU signatories)",
        "budget": 1_000_000,
        "profile": "from_october",
        "actual_factor": "0.92",
        "is_new": True,
        "description": "Three Integrated Care Networks around general practice (Figure 10 initiative).",
    },
    {
        "ref": "B10",
        "name": "Transfer of Care Bureau",
        "scheme_type": "discharge",
        **_COMMUNITY_NHS,
        "provider": KINGS,
        "budget": 900_000,
        "profile": "even",
        "actual_factor": "1.03",
        "description": "Single multi-professional discharge team at the PRUH, seven days a week.",
    },
    {
        "ref": "B11",
        "name": "Intermediate care: step up and step down",
        "scheme_type": "intermediate_care",
        **_COMMUNITY_NHS,
        "provider_name": "Bromley Healthcare",
        "budget": 1_800_000,
        "profile": "even",
        "actual_factor": "1.00",
        "description": "Step-up and step-down intermediate care services.",
    },
    {
        "ref": "B12",
        "name": "Dementia diagnosis and memory clinic",
        "scheme_type": "other",
        "area_of_spend": "mental_health",
        "commissioner": "nhs",
        "budget": 250_000,
        "profile": "even",
        "actual_factor": "0.98",
        "description": "Dementia diagnosis and the memory clinic.",
    },
    {
        "ref": "B13",
        "name": "Dementia Support Hub",
        "scheme_type": "prevention",
        "area_of_spend": "other",
        "commissioner": "joint",
        "nhs_share": 50,
        "provider_name": "Third sector collegiate",
        "budget": 400_000,
        "profile": "from_july",
        "actual_factor": "1.00",
        "is_new": True,
        "description": "Post-diagnosis universal community support, jointly procured; live July 2016 (9.11).",
    },
    {
        "ref": "B14",
        "name": "Carers support",
        "scheme_type": "carers",
        "area_of_spend": "social_care",
        "commissioner": "joint",
        "nhs_share": 25,
        "provider_name": "Voluntary sector",
        "budget": 600_000,
        "profile": "even",
        "actual_factor": "0.99",
        "description": "Direct support to carers to avoid carer breakdown.",
    },
    {
        "ref": "B15",
        "name": "Information, advice and guidance (voluntary sector)",
        "scheme_type": "prevention",
        "area_of_spend": "other",
        "commissioner": "joint",
        "nhs_share": 50,
        "provider_name": "Voluntary sector",
        "budget": 500_000,
        "profile": "even",
        "actual_factor": "1.00",
        "description": "Universal access to information, advice and guidance for residents (9.10).",
    },
    {
        "ref": "B16",
        "name": "Community equipment",
        "scheme_type": "assistive_technology",
        "area_of_spend": "community_health",
        "commissioner": "joint",
        "nhs_share": 50,
        "budget": 960_000,
        "profile": "even",
        "actual_factor": "1.05",
        "description": "Jointly funded community equipment service.",
    },
    {
        "ref": "B17",
        "name": "Hospital social work and seven-day care management",
        "scheme_type": "discharge",
        **_SOCIAL,
        "budget": 694_000,
        "profile": "even",
        "actual_factor": "1.01",
        "description": "LBB care managers in the Transfer of Care Bureau, seven days a week.",
    },
    {
        "ref": "B18",
        "name": "Care navigators and social prescribing",
        "scheme_type": "prevention",
        "area_of_spend": "other",
        "commissioner": "la",
        "provider_name": "Third sector enterprise",
        "budget": 1_000_000,
        "profile": "from_july",
        "actual_factor": "0.96",
        "description": "Non-clinical navigation and social prescribing within the ICNs.",
    },
]

# Figure 9 (national metrics). RES is entered as a count; the plan states counts.
FIGURE_9 = [
    # metric, financial year, kind, value, what the plan prints
    ("NEA", 2015, "actual", 26_583, "2015/16 forecast outturn"),
    ("NEA", 2016, "plan", 25_758, "2016/17 plan: 825 fewer admissions (3.10%)"),
    ("RES", 2015, "actual", 279, "2015/16 forecast outturn (admissions)"),
    ("RES", 2016, "plan", 283, "2016/17 plan (admissions)"),
    ("REA", 2015, "actual", "90.2", "2015/16 forecast outturn"),
    ("REA", 2016, "plan", "93.6", "2016/17 plan"),
    ("DTOC", 2015, "actual", "329.7", "2015/16 forecast outturn"),
    ("DTOC", 2016, "plan", "265.6", "2016/17 plan, printed '2,65.6'"),
]

# Illustrative NEA seasonality for 2016/17 before the planned reduction (Apr..Mar).
NEA_BASE_WEIGHTS = [100, 103, 99, 102, 97, 96, 101, 100, 104, 105, 95, 103]
NEA_PLANNED_REDUCTION = 825
# Illustrative: admissions ran a little above plan all year.
NEA_ACTUAL_FACTORS = [
    "1.004",
    "1.010",
    "1.006",
    "1.012",
    "1.015",
    "1.009",
    "1.018",
    "1.014",
    "1.021",
    "1.017",
    "1.011",
    "1.016",
]
# Illustrative: delays a few % above plan, care home admissions and reablement on track.
DTOC_ACTUALS = [
    "284.6",
    "279.2",
    "270.9",
    "266.3",
    "272.0",
    "268.7",
    "276.8",
    "283.5",
    "290.1",
    "285.6",
    "276.3",
    "270.0",
]
RES_ACTUALS = [22, 24, 23, 22, 21, 25, 23, 22, 24, 25, 22, 23]
REA_ACTUAL = (12, "93.9")  # month number (March 2017), percent

# Local metrics (10.6): codes are unique across the country, so they carry the area.
LOCAL_METRICS = [
    {
        "code": "BROMLEY-DEMENTIA-HUB",
        "name": "Dementia Support Hub: people given post-diagnosis support",
        "short_name": "Dementia hub support",
        "lag_months": 1,
        "description": "People supported by the Dementia Support Hub (post-diagnosis universal community "
        "support); modelled to support over 1,500 residents a year (9.11).",
        "source": "Hub provider returns",
        "unit": "count",
        "better": "higher",
        "rollup": "sum",
        "first_year": 2016,
        "display_order": 110,
    },
    {
        "code": "BROMLEY-LTC-SUPPORTED",
        "name": "People feeling supported to manage their long-term condition",
        "short_name": "Supported with a long-term condition",
        "lag_months": 1,
        "description": "Proportion of people feeling supported to manage their long-term condition.",
        "source": "GP Patient Survey",
        "unit": "percent",
        "better": "higher",
        "rollup": "latest",
        "first_year": 2016,
        "display_order": 120,
    },
]
# Illustrative: 1,500 a year at full capacity, from the July 2016 launch.
DEMENTIA_HUB_PLAN = [0, 0, 0] + [125] * 9
DEMENTIA_HUB_ACTUALS = [0, 0, 0, 104, 118, 126, 131, 135, 124, 130, 136, 142]
LTC_SUPPORTED_PLAN = "65.0"
LTC_SUPPORTED_ACTUAL = (4, "64.2")  # July 2016, when the GP Patient Survey is published

RISK_SHARE = {
    "planned_nea_reduction": 825,
    "contingency": 1_323_000,
    "performance_fund": False,
    "splits": [(CCG, 100)],
    "note": f"{DOC}, 12.2-12.4 and Figure 10: £1.323m contingency against 825 avoided admissions valued at "
    "£2,306,227 (57% of the risk); the CCG's own reserves cover the remaining £983k.",
}
