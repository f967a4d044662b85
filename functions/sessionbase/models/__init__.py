"""Request and response models, by role (Create / Update / Public); no Firebase imports here."""
