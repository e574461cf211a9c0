# The titles are the demo catalogue's own, dashes included.
# ruff: noqa: RUF001, E501
"""The relevance set of hybrid search (benchmarks/hybrid.py): searches a member city would make
in each of the network's six languages, on the demo catalogue (English locale, where nearly
all of it lives), each with the items that answer it and why.

A case is found when any of its expected titles is in the first five hits (recall@5); its
reciprocal rank is that of the first one in the first ten (MRR).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Case:
    language: str
    query: str
    expected: tuple[str, ...]
    why: str


VIDEO = (
    "Citizens, Cities and Video Surveillance",
    "Charter for a Democratic Use of Video Surveillance",
)
CCTV = (*VIDEO, "Resolution of the Efus' Executive Committee on CCTV")
RADICALISATION = (
    "Preventing and Fighting Radicalisation at the Local Level",
    "Prevention of radicalisation leading to violent extremism",
    "European Local Authorities are mobilising against radicalisation",
)
DRUG_POLICY = (
    "The Prague Declaration on the principles of effective local drug policies",
    "Resolution on Drug Policy",
    "SOLIDIFY – Reinforcing Harm Reduction Strategies at the Local Level",
    "Democracy, Cities and Drugs Conference – New Challenges, New Solutions",
)
HARM_REDUCTION = (
    "SOLIDIFY – Reinforcing Harm Reduction Strategies at the Local Level",
    "Risk reduction: European cities examine supervised drug consumption facilities and their impact",
)
NIGHTLIFE = (
    "Safer Drinking Scenes – Alcohol, City and Nightlife",
    "Resolution for a global policy on night-time",
)
AUDITS = ("Guidance on Local Safety Audits",)
POLICE = (
    "Police-population relations: challenges, local practices and recommendations",
    "Police and citizens: the essential task of strengthening mutual trust",
)
SPORT = (
    "MATCH-SPORT – Analysing discriminatory violence in amateur sport",
    "MATCH-SPORT – Preserving amateur sport's cohesive capacity by fighting discriminatory violence at the local level",
    "European Practices for Social Integration Through Sport",
)
TOURISM = (
    "Security and Tourism: Concerted Local Policies",
    "Cities, tourism and security: a reminder of Efus' stance on this topic",
)
PUBLIC_SPACES = (
    "Designing safer public spaces: A PACTESUR guide by Eric Valerio",
    "Safe and inclusive public spaces: European cities share their experience",
    "Brussels Declaration on the security of public spaces",
    "Action Plan Urban Agenda Partnership Security in Public Spaces",
)
MIGRATION = (
    "Taking responsibility for migrants should be realised on a European scale",
    "Efus calls for the European Union to support local authorities in welcoming and integrating migrants",
)
REOFFENDING = (
    "Preventing re-offending",
    "PREPARE – Preventing Radicalisation in Probation and Release",
    "Efus' elected members take a stand for the prevention of reoffending",
)
YOUTH = (
    "EU Street Violence: Youth Groups and Violence in Public Spaces",
    "IcARUS Policy Brief: Fostering Young Engagement for Juvenile Delinquency prevention",
)
TERRORISM = ("SecuCities Cities against Terrorism", "We are European")

CASES = [
    # English: the catalogue's own language; words that share a stem, and some that do not.
    Case("en", "video surveillance", VIDEO, "the two items titled on it"),
    Case("en", "CCTV cameras in cities", CCTV, "CCTV is video surveillance; one title says CCTV"),
    Case("en", "drug policy", DRUG_POLICY, "declarations and reports on local drug policies"),
    Case("en", "supervised injection rooms", HARM_REDUCTION, "drug consumption facilities"),
    Case("en", "violent extremism prevention", RADICALISATION, "the radicalisation guides"),
    Case("en", "football hooligans and racism", SPORT, "discriminatory violence in sport"),
    Case("en", "refugees", MIGRATION, "the positions on welcoming migrants"),
    Case("en", "radicalisaton", RADICALISATION[:1], "a typo; the relevance test's first hit"),
    # French
    Case("fr", "vidéosurveillance", VIDEO, "French for video surveillance, one word"),
    Case("fr", "drogues", DRUG_POLICY, "French for drugs; one French item shares the word"),
    Case("fr", "radicalisation violente", RADICALISATION, "same word in French and English"),
    Case("fr", "vie nocturne et alcool", NIGHTLIFE, "French for nightlife and alcohol"),
    Case("fr", "audit de sécurité", AUDITS, "French for safety audit"),
    Case("fr", "police de proximité", POLICE, "community policing, police-population relations"),
    Case("fr", "espaces publics sûrs", PUBLIC_SPACES, "French for safe public spaces"),
    # German
    Case("de", "Videoüberwachung", CCTV, "German for video surveillance, one compound word"),
    Case("de", "Drogenpolitik", DRUG_POLICY, "German compound: drug policy"),
    Case("de", "Radikalisierung verhindern", RADICALISATION, "German: prevent radicalisation"),
    Case("de", "Sicherheitsaudit", AUDITS, "German compound: safety audit"),
    Case("de", "Gewalt im Amateursport", SPORT, "German: violence in amateur sport"),
    Case("de", "Tourismus und Sicherheit", TOURISM, "German: tourism and security"),
    Case("de", "Rückfallprävention", REOFFENDING, "German compound: preventing reoffending"),
    # Spanish
    Case("es", "política de drogas", DRUG_POLICY, "Spanish for drug policy"),
    Case("es", "vigilancia por vídeo", VIDEO, "Spanish for video surveillance"),
    Case(
        "es",
        "prevención de la radicalización",
        RADICALISATION,
        "Spanish: preventing radicalisation",
    ),
    Case("es", "violencia en el deporte", SPORT, "Spanish: violence in sport"),
    Case("es", "turismo y seguridad", TOURISM, "Spanish: tourism and security"),
    Case("es", "vida nocturna y alcohol", NIGHTLIFE, "Spanish: nightlife and alcohol"),
    Case("es", "policía de proximidad", POLICE, "Spanish: community policing"),
    # Italian
    Case("it", "videosorveglianza", VIDEO, "Italian for video surveillance, one word"),
    Case("it", "politiche sulle droghe", DRUG_POLICY, "Italian: drug policies"),
    Case("it", "radicalizzazione", RADICALISATION, "Italian for radicalisation"),
    Case("it", "sicurezza degli spazi pubblici", PUBLIC_SPACES, "Italian: public space safety"),
    Case("it", "terrorismo nelle città", TERRORISM, "Italian: terrorism in cities"),
    Case("it", "giovani e violenza di strada", YOUTH, "Italian: youth and street violence"),
    Case("it", "migranti e rifugiati", MIGRATION, "Italian: migrants and refugees"),
    # Portuguese
    Case("pt", "videovigilância", VIDEO, "Portuguese for video surveillance, one word"),
    Case("pt", "política de drogas", DRUG_POLICY, "Portuguese for drug policy"),
    Case("pt", "redução de danos", HARM_REDUCTION, "Portuguese for harm reduction"),
    Case("pt", "radicalização violenta", RADICALISATION, "Portuguese: violent radicalisation"),
    Case("pt", "auditoria de segurança local", AUDITS, "Portuguese: local safety audit"),
    Case("pt", "turismo e segurança", TOURISM, "Portuguese: tourism and security"),
    Case("pt", "reincidência criminal", REOFFENDING, "Portuguese: reoffending"),
]
