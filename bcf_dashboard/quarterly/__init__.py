"""The quarterly summary for Health and Wellbeing Board members: one page per area per quarter,
its officers' narrative, the version frozen at each approval, the list of quarters and the PDF."""
