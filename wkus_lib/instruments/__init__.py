"""Research instruments from the catalogue: questionnaires, XLSForms, interview guides.

Everything a respondent or interviewer sees is built from
``wkus_lib/data/instruments.yaml`` — the same items the indicators score —
so a questionnaire and its scoring cannot drift apart.
"""
