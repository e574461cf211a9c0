"""Code lists editors choose from: the EU's official languages and European countries."""

# ISO 639-1 codes of the 24 official languages of the European Union.
EU_LANGUAGES: list[tuple[str, str]] = [
    ("bg", "Bulgarian"),
    ("cs", "Czech"),
    ("da", "Danish"),
    ("de", "German"),
    ("el", "Greek"),
    ("en", "English"),
    ("es", "Spanish"),
    ("et", "Estonian"),
    ("fi", "Finnish"),
    ("fr", "French"),
    ("ga", "Irish"),
    ("hr", "Croatian"),
    ("hu", "Hungarian"),
    ("it", "Italian"),
    ("lt", "Lithuanian"),
    ("lv", "Latvian"),
    ("mt", "Maltese"),
    ("nl", "Dutch"),
    ("pl", "Polish"),
    ("pt", "Portuguese"),
    ("ro", "Romanian"),
    ("sk", "Slovak"),
    ("sl", "Slovenian"),
    ("sv", "Swedish"),
]
EU_LANGUAGE_CODES = frozenset(code for code, _ in EU_LANGUAGES)

# ISO 3166-1 alpha-2 codes of the countries the network's members come from (Europe and
# neighbours; Canada for the Montreal edition's hosts).
COUNTRIES: list[tuple[str, str]] = [
    ("AL", "Albania"), ("AT", "Austria"), ("BA", "Bosnia and Herzegovina"), ("BE", "Belgium"),
    ("BG", "Bulgaria"), ("CA", "Canada"), ("CH", "Switzerland"), ("CY", "Cyprus"),
    ("CZ", "Czechia"), ("DE", "Germany"), ("DK", "Denmark"), ("EE", "Estonia"),
    ("ES", "Spain"), ("FI", "Finland"), ("FR", "France"), ("GB", "United Kingdom"),
    ("GR", "Greece"), ("HR", "Croatia"), ("HU", "Hungary"), ("IE", "Ireland"),
    ("IS", "Iceland"), ("IT", "Italy"), ("LI", "Liechtenstein"), ("LT", "Lithuania"),
    ("LU", "Luxembourg"), ("LV", "Latvia"), ("MA", "Morocco"), ("MC", "Monaco"),
    ("MD", "Moldova"), ("ME", "Montenegro"), ("MK", "North Macedonia"), ("MT", "Malta"),
    ("NL", "Netherlands"), ("NO", "Norway"), ("PL", "Poland"), ("PT", "Portugal"),
    ("RO", "Romania"), ("RS", "Serbia"), ("SE", "Sweden"), ("SI", "Slovenia"),
    ("SK", "Slovakia"), ("TN", "Tunisia"), ("TR", "Türkiye"), ("UA", "Ukraine"),
]  # fmt: skip
COUNTRY_CODES = frozenset(code for code, _ in COUNTRIES)
