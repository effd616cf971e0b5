"""Southwark Health and Wellbeing Board, 28 July 2014: BCF progress report at Q1 2014/15 (seed 003).

The seven schemes, their budgets and projected outturns, and the metric targets and
progress are as published. The split of the £8,957,000 between sources is only partly
published (the £1.3m integration payment), and the schemes' funding sources, monthly
profiles and Q1 spend are illustrative. Month lists run April to March.
"""

AREA = "E09000028"
YEAR = 2014
DOC = "Southwark HWB report 28 July 2014 (BCF progress at Q1 2014/15)"
CCG, LA = "08Q", "LA-E09000028"

CONTRIBUTIONS = [
    {
        "partner": LA,
        "source": "integration-payment",
        "amount": 1_300_000,
        "note": f"{DOC}, paragraph 23 and spending note 2: the £1.3m 2014/15 integration payment to the Council",
    },
    {
        "partner": CCG,
        "source": "nhs-social-care-transfer",
        "amount": 7_657_000,
        "note": "Illustrative: the remainder of the £8,957,000 total, from existing NHS transfer funds "
        "(spending note 2 gives no amount)",
    },
]

FORECAST_REASON = "Projected outturn at Q1, HWB report 28 July 2014"
FORECAST_LABEL = "Projected outturn at Q1"

# "Summary of BCF spending - 2014/15 plan", in the order printed. Scheme numbers skip
# (6, 8-10) as published. Funding sources are illustrative: the report says only that
# the total is part funded from the integration payment and part from NHS transfers.
SCHEMES = [
    {
        "ref": "Scheme 1",
        "name": "existing NHS transfers within social care budget",
        "budget": 5_621_000,
        "outturn": 5_621_000,
        "scheme_type": "social_care",
        "area_of_spend": "social_care",
        "commissioner": "la",
        "source": "nhs-social-care-transfer",
        "actual_factor": "1.00",
        "description": "All schemes within this total contribute to the full cost of services including hospital "
        "discharge, intermediate care packages, telecare, community equipment and adaptations, "
        "reablement, mental health and learning disability community support personal budgets, "
        "learning and carers support",
    },
    {
        "ref": "Scheme 2",
        "name": "Winter Pressures services",
        "budget": 1_048_000,
        "outturn": 1_048_000,
        "scheme_type": "discharge",
        "area_of_spend": "social_care",
        "commissioner": "la",
        "source": "integration-payment",
        "actual_factor": "1.02",
        "description": "Services previously funded by Winter Pressures grant that was lost in 13/14. Includes the "
        "Nightowls intensive homecare services, Intermediate care 7 day working and enhanced "
        "physiotherapy, mental health reablement, community support social work and foot nail "
        "care service.",
    },
    {
        "ref": "Scheme 3",
        "name": "Reablement grant",
        "budget": 1_813_000,
        "outturn": 1_813_000,
        "scheme_type": "reablement",
        "area_of_spend": "social_care",
        "commissioner": "la",
        "source": "nhs-social-care-transfer",
        "actual_factor": "0.99",
        "description": "Re-ablement services operating within overall growth targets – this is contribution to "
        "total cost of £2.8m",
    },
    {
        "ref": "Scheme 4",
        "name": "change management capacity",
        "budget": 100_000,
        "outturn": 100_000,
        "scheme_type": "enablers",
        "area_of_spend": "other",
        "commissioner": "joint",
        "nhs_share": 50,
        "source": "integration-payment",
        "actual_factor": "0",
        "description": "Joint senior integration programme manager post recruited to CCG to drive through BCF "
        "plans and wider integration work with SLIC. Further support resources to be identified.",
    },
    {
        "ref": "Scheme 5",
        "name": "self management programme",
        "budget": 107_000,
        "outturn": 107_000,
        "scheme_type": "prevention",
        "area_of_spend": "community_health",
        "commissioner": "nhs",
        "source": "integration-payment",
        "actual_factor": "0.40",
        "description": "A detailed approach has been agreed for the initial phase in 2014/15 which will be "
        "developed at a larger scale in 2015/16. Funding to be provided to CCG for delivery.",
    },
    {
        "ref": "Scheme 7",
        "name": "psychiatric liaison",
        "budget": 54_000,
        "outturn": 54_000,
        "scheme_type": "other",
        "area_of_spend": "mental_health",
        "commissioner": "nhs",
        "source": "integration-payment",
        "actual_factor": "0",
        "description": "The exact application of this funding is to be determined as the psychiatric liaison "
        "service has been fully funded from core budgets. It will be used to seed fund 2015/16 "
        "mental health objectives in the BCF.",
    },
    {
        "ref": "Scheme 11",
        "name": "Admission avoidance – enhanced rapid response",
        "budget": 214_000,
        "outturn": 214_000,
        "scheme_type": "intermediate_care",
        "area_of_spend": "social_care",
        "commissioner": "la",
        "source": "nhs-social-care-transfer",
        "actual_factor": "1.00",
        "outturn_remark": "the outturn is printed '£214,00'; loaded as £214,000",
        "description": "Funds Enhanced Rapid Response social work team. A section 256 agreement is in place "
        "governing this spend.",
    },
]
TOTAL = 8_957_000
SPEND_ACTUAL_MONTHS = 3  # April to June 2014
ACTUAL_WOBBLE = ["1.00", "0.98", "1.02"]

LOCAL_METRICS = [
    {
        "code": "SOUTHWARK-DELAYED-DAYS",
        "name": "Delayed days (delayed transfers of care)",
        "short_name": "Delayed days",
        "lag_months": 2,
        "description": "Days lost to delayed transfers of care; target to maintain strong 2013/14 performance.",
        "source": "NHS England delayed transfers of care situation reports",
        "unit": "count",
        "better": "lower",
        "rollup": "sum",
        "first_year": 2014,
        "display_order": 110,
    },
    {
        "code": "SOUTHWARK-LTC-SUPPORTED",
        "name": "People feeling supported to manage their long-term condition",
        "short_name": "Supported with a long-term condition",
        "lag_months": 1,
        "description": "GP survey: people feeling supported to manage their long term conditions.",
        "source": "GP Patient Survey",
        "unit": "percent",
        "better": "higher",
        "rollup": "latest",
        "first_year": 2014,
        "display_order": 120,
    },
    {
        "code": "SOUTHWARK-AVOIDABLE-ADM",
        "name": "Avoidable admissions to hospital",
        "short_name": "Avoidable admissions",
        "lag_months": 2,
        "description": "Avoidable emergency admissions per month; 461 a month at the November 2013 baseline.",
        "source": "SUS",
        "unit": "count",
        "better": "lower",
        "rollup": "mean",
        "first_year": 2014,
        "display_order": 130,
    },
]

# Paragraph 29, as (metric, period, kind, value, note); "Y" is the year, "Q1" the quarter,
# a number the month (1 = April).
METRICS = [
    ("RES", "Y", "plan", 167, f"{DOC}, paragraph 29: reduce to 167 admissions during 2014/15"),
    ("RES", "Q1", "actual", 23, f"{DOC}, paragraph 29: Quarter 1 data shows 23 admissions"),
    ("REA", "Y", "plan", 85, f"{DOC}, paragraph 29: 85% still at home"),
    ("REA", 3, "actual", 88, f"Year-end 2013/14 figure reported at Q1 ({DOC}, paragraph 29)"),
    ("SOUTHWARK-LTC-SUPPORTED", "Y", "plan", 60, f"{DOC}, paragraph 29: target 60%"),
    (
        "SOUTHWARK-LTC-SUPPORTED",
        3,
        "actual",
        59,
        f"{DOC}, paragraph 29: latest GP survey result 2014, 59% (up from 58% baseline)",
    ),
]
# Delayed days: 424 for April-May is published; the even monthly split and later months are not.
DELAYED_DAYS_PLAN_APR_MAY = 424
DELAYED_DAYS_PLAN_MONTHLY = 212
DELAYED_DAYS_ACTUAL_APR_MAY = 808
DELAYED_DAYS_ACTUAL_SPLIT = [396, 412]  # illustrative split of the 808
AVOIDABLE_ADMISSIONS_PLAN = 450  # per month on average, April to December 2014
AVOIDABLE_ADMISSIONS_MONTHS = 9
