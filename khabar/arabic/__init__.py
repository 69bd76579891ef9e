"""Arabic text handling for khabar: the one place for normalisation, digits,
slugs, stemming and dates. Pure Python; imports nothing from Django or from
the rest of khabar, so every feature can use it and it can be tested alone."""
