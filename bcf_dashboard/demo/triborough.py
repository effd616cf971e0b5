"""Integration and BCF Plan 2017-19 for Westminster, Kensington and Chelsea and
Hammersmith and Fulham (seed 002).

Published tables are copied as printed, slips included: the NEA trajectories' months
do not always add to the stated totals, and Westminster's "CCG minimum with uplift"
is not 1.79% on its 2016/17 minimum. Scheme budgets are not in the narrative plan (they
are in its planning template), so they are illustrative. Month lists run April to March.
"""

W, K, H = "E09000033", "E09000020", "E09000013"
AREAS = (W, K, H)
DOC = "Integration and BCF Plan 2017-19 (Westminster, K&C, H&F)"
YEARS = (2017, 2018)

CCG = {W: "09A", K: "08Y", H: "08C"}
LA = {W: "LA-" + W, K: "LA-" + K, H: "LA-" + H}
CIS_PROVIDER = "RV3"  # CNWL, lead provider of the Community Independence Service (section 6)

# 11.1: HWB non-elective admission trajectories, and the totals the tables state.
NEA_PLAN = {
    W: {
        2017: ([1260, 1259, 1291, 1302, 1265, 1241, 1294, 1209, 1271, 1243, 1192, 1260], 15088),
        2018: ([1240, 1241, 1275, 1277, 1240, 1216, 1231, 1143, 1208, 1172, 1120, 1195], 14557),
    },
    H: {
        2017: ([1354, 1386, 1376, 1385, 1330, 1282, 1381, 1277, 1342, 1297, 1241, 1315], 15967),
        2018: ([1326, 1358, 1349, 1359, 1304, 1255, 1301, 1197, 1264, 1218, 1162, 1238], 15331),
    },
    K: {
        2017: ([955, 998, 997, 1008, 965, 937, 947, 900, 913, 883, 851, 879], 11234),
        2018: ([920, 966, 967, 980, 938, 912, 921, 873, 889, 860, 830, 860], 10916),
    },
}
# Illustrative actuals for April-August 2017 as a share of plan: Westminster a little
# below, Hammersmith and Fulham a little above, Kensington and Chelsea either side.
NEA_ACTUAL_FACTORS = {
    W: ["0.985", "0.990", "0.982", "0.988", "0.991"],
    H: ["1.012", "1.018", "1.009", "1.015", "1.020"],
    K: ["0.990", "1.015", "0.985", "1.010", "1.005"],
}

# 11.2: DToC trajectories by CCG (Central London -> Westminster, West London ->
# Kensington and Chelsea, Hammersmith and Fulham CCG -> Hammersmith and Fulham).
# Daily average delayed beds: (baseline split, September split, March split).
DTOC_TABLE = {
    W: {"DTOC-NHS": ("6.86", "5.49", "4.12"), "DTOC-SC": ("2.90", "2.32", "1.74")},
    K: {"DTOC-NHS": ("8.40", "6.72", "5.04"), "DTOC-SC": ("4.10", "3.28", "2.46")},
    H: {"DTOC-NHS": ("9.26", "6.95", "4.63"), "DTOC-SC": ("7.34", "5.50", "3.67")},
}
DTOC_CCG_ROW = {
    W: "NHS Central London (Westminster) CCG",
    K: "NHS West London CCG",
    H: "NHS Hammersmith and Fulham CCG",
}
# Illustrative actuals for April-August 2017 as a share of the derived plan.
DTOC_ACTUAL_FACTORS = {
    W: {"DTOC-NHS": ["1.02", "0.97", "1.00", "0.95", "0.98"], "DTOC-SC": ["0.96", "1.01", "0.94", "0.97", "0.99"]},
    K: {"DTOC-NHS": ["1.05", "0.99", "1.03", "0.96", "1.01"], "DTOC-SC": ["0.93", "1.04", "0.98", "1.02", "0.95"]},
    H: {"DTOC-NHS": ["1.06", "1.09", "1.04", "1.08", "1.11"], "DTOC-SC": ["1.03", "1.07", "1.05", "1.10", "1.06"]},
}

# 11.3: care home admissions per 100,000 aged 65+ (15/16, 16/17 actual; 17/18, 18/19 plan).
RES_RATES = {
    H: {2015: "584.9", 2016: "545.9", 2017: "453.6", 2018: "445.1"},
    W: {2015: "472.1", 2016: "352.0", 2017: "331.3", 2018: "322.6"},
    K: {2015: "335.9", 2016: "183.5", 2017: "283.3", 2018: "277.3"},
}
# 11.4: still at home 91 days after reablement (%).
REA = {
    K: {2015: "89.2", 2016: "89.7", 2017: "90", 2018: "90"},
    W: {2015: "88.6", 2016: "89", 2017: "90", 2018: "90"},
    H: {2015: "86.4", 2016: "89.7", 2017: "90", 2018: "90"},
}
ACTUAL_YEARS = (2015, 2016)  # RES and REA: these years are outturns, later ones plans

# National condition 2: 16/17 CCG minimum and 17/18 "CCG minimum with uplift", as printed.
NHS_MINIMUM = {
    2016: {W: 7_944_000, K: 5_279_060, H: 5_680_129},
    2017: {W: 8_086_075, K: 5_373_555, H: 5_781_803},
}
# Illustrative 2018/19 minimum: 2017/18 times this, rounded to the pound.
UPLIFT_2018 = "1.019"

# Section 9: Year One iBCF allocations (£), and the three schemes they fund.
IBCF = {
    "iBCF1": ("Market Stabilisation", {W: 2_128_000, K: 1_350_000, H: 1_457_000}),
    "iBCF2": ("Demographic Pressures/Additional Capacity", {W: 4_620_000, K: 1_150_000, H: 2_852_000}),
    "iBCF3": (
        "Transformation and implementation of High Impact Change Model",
        {W: 2_172_000, K: 1_448_000, H: 919_000},
    ),
}
IBCF_TOTAL = {W: 8_920_000, K: 3_948_000, H: 5_228_000}

# Illustrative Disabled Facilities Grant (capital) per year.
DFG = {2017: {W: 1_200_000, K: 700_000, H: 1_300_000}, 2018: {W: 1_300_000, K: 760_000, H: 1_410_000}}

# Section 6 schemes. Budgets are illustrative and the same in both years, except C2,
# which takes the balance of the NHS minimum so spend by source equals income by source.
SCHEMES = [
    {
        "ref": "A1",
        "name": "Community Independence Service",
        "scheme_type": "intermediate_care",
        "area_of_spend": "community_health",
        "commissioner": "joint",
        "nhs_share": 70,
        "provider": CIS_PROVIDER,
        "source": "nhs-minimum",
        "budgets": {W: 3_100_000, K: 2_050_000, H: 2_300_000},
        "description": "Embed the CIS contract and shift its focus from supporting discharge to preventing "
        "admission; re-commission before the contract ends in July 2018.",
    },
    {
        "ref": "A2",
        "name": "Community Neuro-rehab Beds",
        "scheme_type": "intermediate_care",
        "area_of_spend": "community_health",
        "commissioner": "nhs",
        "status": "bau",
        "source": "nhs-minimum",
        "budgets": {W: 650_000, K: 450_000, H: 480_000},
        "description": "Business as usual scheme: after re-commissioning, improve outcomes and value for money.",
    },
    {
        "ref": "A4.1",
        "name": "Improving Hospital Discharge (High Impact Change Model)",
        "scheme_type": "discharge",
        "area_of_spend": "community_health",
        "commissioner": "joint",
        "nhs_share": 50,
        "source": "nhs-minimum",
        "budgets": {W: 1_150_000, K: 800_000, H: 850_000},
        "description": "Implement the High Impact Change Model and meet each borough's DToC targets, acute and "
        "non-acute (West London Mental Health Trust).",
    },
    {
        "ref": "A4.2",
        "name": "Seven Day Services",
        "scheme_type": "discharge",
        "area_of_spend": "social_care",
        "commissioner": "la",
        "source": "nhs-minimum",
        "budgets": {W: 600_000, K: 420_000, H: 450_000},
        "description": "Dedicated seven-day social care team supporting hospital discharge; review in 2017/18.",
    },
    {
        "ref": "C2",
        "name": "Review of Jointly Commissioned Services",
        "scheme_type": "other",
        "area_of_spend": "other",
        "commissioner": "joint",
        "nhs_share": 50,
        "source": "nhs-minimum",
        "balance": True,
        "description": "Better outcomes and value from the £100m pooled Section 75 budget, "
        "including CCG QIPP and council efficiency savings.",
    },
    {
        "ref": "D4",
        "name": "BCF Implementation & Monitoring",
        "scheme_type": "enablers",
        "area_of_spend": "other",
        "commissioner": "joint",
        "nhs_share": 50,
        "source": "nhs-minimum",
        "budgets": {W: 150_000, K: 110_000, H: 120_000},
        "description": "Programme development and delivery of the Integration and BCF Plan.",
    },
    {
        "ref": "DFG",
        "name": "Disability Facilities Grant and Community Equipment Review",
        "scheme_type": "dfg",
        "area_of_spend": "social_care",
        "commissioner": "la",
        "source": "dfg",
        "budgets": "dfg",
        "description": "The plan numbers this scheme N/A. DFGs are administered by each borough's housing "
        "department; a fundamental review of DFG and community equipment budgets in 2017/18.",
    },
]
IBCF_SCHEME = {
    "scheme_type": "social_care",
    "area_of_spend": "social_care",
    "commissioner": "la",
    "source": "ibcf",
    "is_new": True,
}
IBCF_TYPES = {"iBCF3": "discharge"}

# Spend profile weights (Apr..Mar): revenue evenly, DFG capital back-loaded.
PROFILES = {"even": [1] * 12, "capital": [1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4]}
SPEND_ACTUAL_MONTHS = 6  # April to September 2017
ACTUAL_WOBBLE = ["1.00", "0.99", "1.02", "1.00", "0.98", "1.01"]
# Illustrative scheme-level spend factors (missing: 1.00).
SPEND_ACTUAL_FACTORS = {
    "A1": {W: "1.02", K: "0.99", H: "1.04"},
    "A4.1": {W: "0.93", K: "0.97", H: "1.01"},
    "A4.2": {W: "1.03", K: "1.00", H: "1.05"},
    "D4": {W: "0.90", K: "0.85", H: "0.95"},
    "DFG": {W: "0.80", K: "0.75", H: "0.90"},
    "iBCF2": {W: "1.03", K: "1.02", H: "1.06"},
    "iBCF3": {W: "0.60", K: "0.55", H: "0.65"},
}
