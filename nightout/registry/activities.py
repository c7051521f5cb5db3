"""The activities every installation starts with. Coordinators may add more in the admin."""

STANDARD_ACTIVITIES = [
    ("free-food", "Free food"),
    ("music", "Music"),
    ("safety-demonstrations", "Safety demonstrations"),
    ("k9", "K9 demonstration"),
    ("fire-truck", "Fire truck"),
    ("kids-games", "Kids' games"),
    ("bounce-house", "Bounce house"),
    ("face-painting", "Face painting"),
    ("bike-safety", "Bike safety and registration"),
    ("child-id", "Child ID kits"),
    ("potluck", "Potluck"),
    ("live-band", "Live band"),
    ("resource-fair", "Resource fair"),
]
