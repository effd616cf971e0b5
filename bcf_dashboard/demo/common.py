"""Areas, partners, plans, populations and demo users shared by the three seed documents."""

BROMLEY, SOUTHWARK, WESTMINSTER, KENSINGTON, HAMMERSMITH = (
    "E09000006",
    "E09000028",
    "E09000033",
    "E09000020",
    "E09000013",
)

# code, name, kind. Councils have no ODS code, so they are "LA-" + their ONS code.
PARTNERS = [
    ("07N", "NHS Bromley CCG", "ccg"),
    ("08Q", "NHS Southwark CCG", "ccg"),
    ("09A", "NHS Central London (Westminster) CCG", "ccg"),
    ("08Y", "NHS West London CCG", "ccg"),
    ("08C", "NHS Hammersmith and Fulham CCG", "ccg"),
    ("LA-" + BROMLEY, "London Borough of Bromley", "la"),
    ("LA-" + SOUTHWARK, "London Borough of Southwark", "la"),
    ("LA-" + WESTMINSTER, "Westminster City Council", "la"),
    ("LA-" + KENSINGTON, "Royal Borough of Kensington and Chelsea", "la"),
    ("LA-" + HAMMERSMITH, "London Borough of Hammersmith & Fulham", "la"),
    ("RJZ", "King's College Hospital NHS Foundation Trust", "nhs_provider"),
    ("RV3", "Central and North West London NHS Foundation Trust", "nhs_provider"),
]

# slug is the demo usernames' prefix; every seed pool is hosted by the council.
AREAS = [
    {"code": BROMLEY, "slug": "bromley", "name": "Bromley"},
    {"code": SOUTHWARK, "slug": "southwark", "name": "Southwark"},
    {"code": WESTMINSTER, "slug": "westminster", "name": "Westminster"},
    {"code": KENSINGTON, "slug": "kensington", "name": "Kensington and Chelsea"},
    {"code": HAMMERSMITH, "slug": "hammersmith", "name": "Hammersmith and Fulham"},
]
REGION = "London"

# area, partner, role, first_year, last_year. CCG years end at the mergers into
# South East London CCG (April 2020) and North West London CCG (April 2021).
AREA_PARTNERS = [
    (BROMLEY, "07N", "nhs_commissioner", 2013, 2019),
    (BROMLEY, "LA-" + BROMLEY, "local_authority", None, None),
    (BROMLEY, "RJZ", "provider", None, None),
    (SOUTHWARK, "08Q", "nhs_commissioner", 2013, 2019),
    (SOUTHWARK, "LA-" + SOUTHWARK, "local_authority", None, None),
    (WESTMINSTER, "09A", "nhs_commissioner", 2013, 2020),
    # West London CCG also covers Queen's Park and Paddington in Westminster (seed 002, 11.1).
    (WESTMINSTER, "08Y", "nhs_commissioner", 2013, 2020),
    (WESTMINSTER, "LA-" + WESTMINSTER, "local_authority", None, None),
    (WESTMINSTER, "RV3", "provider", None, None),
    (KENSINGTON, "08Y", "nhs_commissioner", 2013, 2020),
    (KENSINGTON, "LA-" + KENSINGTON, "local_authority", None, None),
    (KENSINGTON, "RV3", "provider", None, None),
    (HAMMERSMITH, "08C", "nhs_commissioner", 2013, 2020),
    (HAMMERSMITH, "LA-" + HAMMERSMITH, "local_authority", None, None),
    (HAMMERSMITH, "RV3", "provider", None, None),
]

PLANS = [
    {
        "name": "Bromley's Better Care Fund 2016/17: a local plan",
        "areas": [BROMLEY],
        "first_year": 2016,
        "last_year": 2016,
        "agreed_on": "2016-04-21",
        "document": "Seed 000: Bromley BCF plan 2016/17 (endorsed by the HWB on 21 April 2016)",
    },
    {
        "name": "Integration and BCF Plan 2017-19",
        "areas": [WESTMINSTER, KENSINGTON, HAMMERSMITH],
        "first_year": 2017,
        "last_year": 2018,
        "agreed_on": "2017-09-11",
        "document": "Seed 002: Westminster, Kensington & Chelsea and Hammersmith & Fulham Integration and "
        "BCF Plan 2017-19 (agreed 11 September 2017)",
    },
    {
        "name": "Southwark Better Care Fund plan 2014/15",
        "areas": [SOUTHWARK],
        "first_year": 2014,
        "last_year": 2014,
        "agreed_on": "2014-03-24",
        "document": "Seed 003: Southwark HWB BCF progress report, Q1 2014/15 (plan agreed 24 March 2014)",
    },
]

POPULATION_SOURCE = "Illustrative: plausible round value, not an ONS mid-year estimate"

# area -> mid-year -> (all ages, 18+, 65+). The seeds give no ONS figures (Bromley's
# JSNA says 320,000 people), so these are round values of about the right size.
POPULATIONS = {
    BROMLEY: {2015: (324_000, 250_000, 57_000), 2016: (327_000, 252_000, 57_500)},
    SOUTHWARK: {2014: (302_000, 240_000, 25_000)},
    WESTMINSTER: {
        2015: (242_000, 200_000, 31_000),
        2016: (244_000, 202_000, 31_500),
        2017: (246_000, 204_000, 32_000),
        2018: (248_000, 206_000, 32_500),
    },
    KENSINGTON: {
        2015: (157_000, 128_000, 25_000),
        2016: (156_000, 127_500, 25_500),
        2017: (156_000, 127_500, 26_000),
        2018: (156_000, 128_000, 26_500),
    },
    HAMMERSMITH: {
        2015: (180_000, 145_000, 18_500),
        2016: (182_000, 147_000, 18_700),
        2017: (184_000, 149_000, 19_000),
        2018: (185_000, 150_000, 19_300),
    },
}

# Username suffix -> Membership role.
ROLE_BY_SUFFIX = {
    "finance": "finance_officer",
    "approver": "approver",
    "commissioner": "commissioner",
    "hwb": "hwb_member",
}

# Fictional people, one per area and role (slug -> suffix -> first, last name).
PEOPLE = {
    "bromley": {
        "finance": ("Helen", "Carter"),
        "approver": ("David", "Okafor"),
        "commissioner": ("Sarah", "Whitfield"),
        "hwb": ("Peter", "Morgan"),
    },
    "southwark": {
        "finance": ("Amara", "Mensah"),
        "approver": ("James", "Holloway"),
        "commissioner": ("Rachel", "Dunn"),
        "hwb": ("Tom", "Adeyemi"),
    },
    "westminster": {
        "finance": ("Oliver", "Grant"),
        "approver": ("Fatima", "Rahman"),
        "commissioner": ("Lucy", "Barnes"),
        "hwb": ("Edward", "Clarke"),
    },
    "kensington": {
        "finance": ("Sophie", "Patel"),
        "approver": ("Marcus", "Reid"),
        "commissioner": ("Hannah", "Fitzgerald"),
        "hwb": ("George", "Lim"),
    },
    "hammersmith": {
        "finance": ("Daniel", "Novak"),
        "approver": ("Grace", "Osei"),
        "commissioner": ("Ben", "Harding"),
        "hwb": ("Alice", "Murphy"),
    },
}

ADMIN = {"username": "admin", "first_name": "Demo", "last_name": "Administrator"}

# Sees all five areas, as a regional commissioner comparing boroughs would.
CROSS_AREA = {
    "username": "london.commissioner",
    "first_name": "Nadia",
    "last_name": "Hussain",
    "role": "commissioner",
    "areas": [BROMLEY, SOUTHWARK, WESTMINSTER, KENSINGTON, HAMMERSMITH],
}
